/*! fgw.bv.gov.cn common.js: a small jQuery-compatible helper ($, .html, .load, $.ajax, $.get) */
(function (w, d) {
  function Q(sel) {
    if (typeof sel === "string") { this.els = Array.prototype.slice.call(d.querySelectorAll(sel)); }
    else { this.els = sel && sel.nodeType ? [sel] : []; }
    this.length = this.els.length;
  }
  Q.prototype.html = function (h) {
    if (h === undefined) { return this.els.length ? this.els[0].innerHTML : ""; }
    for (var i = 0; i < this.els.length; i++) { this.els[i].innerHTML = h; }
    return this;
  };
  Q.prototype.load = function (url, data, cb) {
    var self = this;
    if (typeof data === "function") { cb = data; data = null; }
    ajax({ url: url, data: data, type: data ? "POST" : "GET", success: function (text) {
      self.html(text);
      if (cb) { cb.call(self.els[0], text, "success"); }
    } });
    return this;
  };
  function param(o) {
    var out = [];
    for (var k in o) { if (o.hasOwnProperty(k)) { out.push(encodeURIComponent(k) + "=" + encodeURIComponent(o[k])); } }
    return out.join("&");
  }
  function ajax(o) {
    var x = new XMLHttpRequest(), type = (o.type || "GET").toUpperCase(), url = o.url, body = null;
    if (o.data) {
      var q = typeof o.data === "string" ? o.data : param(o.data);
      if (type === "GET") { url += (url.indexOf("?") < 0 ? "?" : "&") + q; } else { body = q; }
    }
    x.open(type, url, true);
    x.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    if (body !== null) { x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"); }
    x.onreadystatechange = function () {
      if (x.readyState !== 4) { return; }
      if (x.status >= 200 && x.status < 300) {
        var r = o.dataType === "json" ? JSON.parse(x.responseText) : x.responseText;
        if (o.success) { o.success(r, "success", x); }
      } else if (o.error) { o.error(x, "error"); }
    };
    x.send(body);
    return x;
  }
  function $(a) {
    if (typeof a === "function") {
      if (d.readyState !== "loading") { setTimeout(a, 0); } else { d.addEventListener("DOMContentLoaded", a); }
      return;
    }
    return new Q(a);
  }
  $.ajax = ajax;
  $.get = function (url, cb) { return ajax({ url: url, success: cb }); };
  $.param = param;
  w.jQuery = w.$ = $;
})(window, document);
