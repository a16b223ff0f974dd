/*! comp.js 1.0.3 | tiny view components for this site: Comp({el, data, events, methods, mounted}),
 * events are delegated ("click .selector": "method"), Comp.fetch(url) -> Promise<JSON> */
(function (window, document) {
  'use strict';
  function Comp(options) {
    if (!(this instanceof Comp)) { return new Comp(options); }
    var self = this;
    self.el = typeof options.el === 'string' ? document.querySelector(options.el) : options.el;
    self.state = typeof options.data === 'function' ? options.data.call(self) : (options.data || {});
    Object.keys(options.methods || {}).forEach(function (name) {
      self[name] = options.methods[name].bind(self);
    });
    Object.keys(options.events || {}).forEach(function (spec) {
      var cut = spec.indexOf(' ');
      var type = spec.slice(0, cut);
      var selector = spec.slice(cut + 1);
      self.el.addEventListener(type, function (event) {
        var target = event.target.closest(selector);
        if (target && self.el.contains(target)) { self[options.events[spec]](target, event); }
      });
    });
    if (options.mounted) { options.mounted.call(self); }
  }
  Comp.fetch = function (url) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open('GET', url, true);
      xhr.onload = function () {
        if (xhr.status === 200) { resolve(JSON.parse(xhr.responseText)); } else { reject(xhr); }
      };
      xhr.onerror = reject;
      xhr.send();
    });
  };
  window.Comp = Comp;
})(window, document);
