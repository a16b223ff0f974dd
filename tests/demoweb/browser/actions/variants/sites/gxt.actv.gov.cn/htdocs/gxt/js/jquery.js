/*! jq-lite v1.2.4 | this site's jQuery-like helper: selectors, delegated events, ajax */
(function (window, document) {
  function Q(nodes) { this.nodes = nodes; this.length = nodes.length; }
  function $(arg) {
    if (typeof arg === 'function') {
      if (document.readyState !== 'loading') { arg($); }
      else { document.addEventListener('DOMContentLoaded', function () { arg($); }); }
      return undefined;
    }
    if (typeof arg === 'string') {
      return new Q(Array.prototype.slice.call(document.querySelectorAll(arg)));
    }
    return new Q(arg && arg.nodeType ? [arg] : []);
  }
  Q.prototype.each = function (fn) {
    for (var i = 0; i < this.nodes.length; i++) { fn.call(this.nodes[i], i, this.nodes[i]); }
    return this;
  };
  Q.prototype.on = function (type, selector, fn) {
    if (typeof selector === 'function') { fn = selector; selector = null; }
    return this.each(function () {
      var root = this;
      root.addEventListener(type, function (e) {
        var target = selector ? e.target.closest(selector) : root;
        if (!target || !root.contains(target)) { return; }
        if (fn.call(target, e) === false) { e.preventDefault(); e.stopPropagation(); }
      });
    });
  };
  Q.prototype.click = function (fn) { return this.on('click', fn); };
  Q.prototype.html = function (s) {
    if (s === undefined) { return this.nodes[0] ? this.nodes[0].innerHTML : ''; }
    return this.each(function () { this.innerHTML = s; });
  };
  Q.prototype.append = function (s) {
    return this.each(function () { this.insertAdjacentHTML('beforeend', s); });
  };
  Q.prototype.text = function (s) {
    if (s === undefined) { return this.nodes[0] ? this.nodes[0].textContent : ''; }
    return this.each(function () { this.textContent = s; });
  };
  Q.prototype.val = function () { return this.nodes[0] ? this.nodes[0].value : undefined; };
  Q.prototype.attr = function (name, value) {
    if (value === undefined) { return this.nodes[0] ? this.nodes[0].getAttribute(name) : null; }
    return this.each(function () { this.setAttribute(name, value); });
  };
  Q.prototype.addClass = function (c) { return this.each(function () { this.classList.add(c); }); };
  Q.prototype.removeClass = function (c) { return this.each(function () { this.classList.remove(c); }); };
  Q.prototype.hide = function () { return this.each(function () { this.style.display = 'none'; }); };
  Q.prototype.show = function () { return this.each(function () { this.style.display = ''; }); };
  $.param = function (obj) {
    var parts = [];
    for (var k in obj) {
      if (Object.prototype.hasOwnProperty.call(obj, k)) {
        parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(obj[k]));
      }
    }
    return parts.join('&');
  };
  $.ajax = function (o) {
    var xhr = new XMLHttpRequest();
    var type = (o.type || 'GET').toUpperCase();
    var data = typeof o.data === 'string' ? o.data : $.param(o.data || {});
    var url = o.url;
    if (type === 'GET' && data) { url += (url.indexOf('?') < 0 ? '?' : '&') + data; }
    xhr.open(type, url, true);
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    if (type !== 'GET') {
      xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
    }
    xhr.onload = function () {
      if (xhr.status >= 200 && xhr.status < 300) {
        var result = xhr.responseText;
        if (o.dataType === 'json') { result = JSON.parse(result); }
        if (o.success) { o.success(result, 'success', xhr); }
      } else if (o.error) { o.error(xhr); }
    };
    xhr.send(type === 'GET' ? null : data);
    return xhr;
  };
  $.get = function (url, data, fn, type) {
    return $.ajax({url: url, data: data, success: fn, dataType: type});
  };
  $.getJSON = function (url, data, fn) { return $.get(url, data, fn, 'json'); };
  window.$ = window.jQuery = $;
})(window, document);
