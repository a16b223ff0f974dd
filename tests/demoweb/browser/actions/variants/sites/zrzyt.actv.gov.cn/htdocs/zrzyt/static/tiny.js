/* tiny.js 0.3.1 | components: el, data, methods, delegated events, mounted; Tiny.http */
(function (window, document) {
  'use strict';
  function Tiny(options) {
    var vm = this;
    vm.$options = options;
    vm.$el = typeof options.el === 'string' ? document.querySelector(options.el) : options.el;
    var data = typeof options.data === 'function' ? options.data() : (options.data || {});
    Object.keys(data).forEach(function (key) { vm[key] = data[key]; });
    var methods = options.methods || {};
    Object.keys(methods).forEach(function (key) { vm[key] = methods[key].bind(vm); });
    var events = options.events || {};
    Object.keys(events).forEach(function (spec) {
      var space = spec.indexOf(' ');
      var type = spec.slice(0, space);
      var selector = spec.slice(space + 1);
      vm.$el.addEventListener(type, function (e) {
        var target = e.target.closest(selector);
        if (target && vm.$el.contains(target)) { vm[events[spec]](target, e); }
      });
    });
    var mount = function () { if (options.mounted) { options.mounted.call(vm); } };
    if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', mount); }
    else { mount(); }
  }
  Tiny.prototype.$ref = function (name) { return this.$el.querySelector('[ref="' + name + '"]'); };
  Tiny.http = function (url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url, true);
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    xhr.onload = function () { done(xhr.status === 200 ? xhr.responseText : '', xhr); };
    xhr.send();
  };
  window.Tiny = Tiny;
})(window, document);
