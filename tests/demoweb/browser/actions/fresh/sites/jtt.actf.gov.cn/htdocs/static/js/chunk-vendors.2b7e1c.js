/*! vue-lite v2.6.14-site | a small Vue-style runtime shipped with this site:
 * data (reactive), methods, render(h), @click listeners, VueRouter (hash mode), Vue.http */
(function (global) {
  'use strict';
  var queue = [];
  var waiting = false;

  function flush() {
    waiting = false;
    var jobs = queue;
    queue = [];
    jobs.forEach(function (vm) { if (vm._dirty) { vm._update(); } });
  }

  function schedule(vm) {
    vm._dirty = true;
    if (queue.indexOf(vm) < 0) { queue.push(vm); }
    if (!waiting) { waiting = true; Promise.resolve().then(flush); }
  }

  function escapeHtml(s) {
    return String(s == null ? '' : s).replace(/&/g, '&amp;').replace(/</g, '&lt;')
      .replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }

  function Vue(options) {
    var vm = this;
    vm.$options = options || {};
    vm._data = typeof options.data === 'function' ? options.data.call(vm) : (options.data || {});
    Object.keys(vm._data).forEach(function (key) {
      Object.defineProperty(vm, key, {
        get: function () { return vm._data[key]; },
        set: function (value) { vm._data[key] = value; schedule(vm); }
      });
    });
    var methods = options.methods || {};
    Object.keys(methods).forEach(function (key) { vm[key] = methods[key].bind(vm); });
    if (options.created) { options.created.call(vm); }
    vm.$router = options.router || null;
    if (vm.$router) { vm.$router._init(vm); }
    if (options.el) { vm.$mount(options.el); }
  }

  Vue.prototype.$mount = function (el) {
    this.$el = typeof el === 'string' ? document.querySelector(el) : el;
    this._update();
    if (this.$options.mounted) { this.$options.mounted.call(this); }
    return this;
  };

  // What a compiled template does: render the markup, then attach each v-on listener to
  // its element (no attribute is left in the DOM, as with Vue).
  Vue.prototype._update = function () {
    var vm = this;
    if (!vm.$el) { return; }
    vm._dirty = false;
    vm.$el.innerHTML = vm.$options.render.call(vm, Vue.h);
    var bound = vm.$el.querySelectorAll('[data-v-on]');
    Array.prototype.forEach.call(bound, function (node) {
      var spec = JSON.parse(node.getAttribute('data-v-on'));
      node.removeAttribute('data-v-on');
      node.addEventListener(spec[0], function (event) {
        vm[spec[1]].apply(vm, spec.slice(2).concat([event]));
      });
    });
    if (vm.$options.updated) { vm.$options.updated.call(vm); }
  };

  Vue.h = {
    e: escapeHtml,
    // h.on('click', 'method', arg...): the attribute the runtime turns into a listener
    on: function () {
      return ' data-v-on="' + escapeHtml(JSON.stringify(Array.prototype.slice.call(arguments))) + '"';
    }
  };

  function VueRouter(options) {
    this.routes = (options.routes || []).map(function (route) {
      var names = [];
      var source = '^' + route.path.replace(/:(\w+)/g, function (_, name) {
        names.push(name);
        return '([^/]+)';
      }) + '/?$';
      return {route: route, pattern: new RegExp(source), names: names};
    });
    this.prefix = options.mode === 'hashbang' ? '#!' : '#';
    this.current = null;
  }

  VueRouter.prototype._init = function (app) {
    var router = this;
    router.app = app;
    global.addEventListener('hashchange', function () { router._resolve(); });
    router._resolve();
  };

  VueRouter.prototype._resolve = function () {
    var hash = global.location.hash || '';
    var full = hash.indexOf(this.prefix) === 0 ? hash.slice(this.prefix.length) : '/';
    var path = full || '/';
    var query = {};
    var at = path.indexOf('?');
    if (at >= 0) {
      path.slice(at + 1).split('&').forEach(function (pair) {
        if (!pair) { return; }
        var kv = pair.split('=');
        query[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1] || '');
      });
      path = path.slice(0, at) || '/';
    }
    this.current = {name: 'notFound', path: path, fullPath: full, params: {}, query: query};
    for (var i = 0; i < this.routes.length; i++) {
      var match = this.routes[i].pattern.exec(path);
      if (match) {
        var params = {};
        this.routes[i].names.forEach(function (name, n) { params[name] = decodeURIComponent(match[n + 1]); });
        this.current = {name: this.routes[i].route.name, path: path, fullPath: full, params: params, query: query};
        break;
      }
    }
    if (this.app.$options.watchRoute) { this.app.$options.watchRoute.call(this.app, this.current); }
  };

  VueRouter.prototype.push = function (path) { global.location.hash = this.prefix + path; };

  function request(method, url, body, headers) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url, true);
      xhr.setRequestHeader('Accept', 'application/json, text/plain, */*');
      Object.keys(headers || {}).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
      xhr.onload = function () {
        try { resolve(JSON.parse(xhr.responseText)); } catch (e) { reject(e); }
      };
      xhr.onerror = function () { reject(new Error('Network Error')); };
      xhr.send(body == null ? null : body);
    });
  }

  Vue.http = {
    get: function (url, config) {
      var params = (config && config.params) || {};
      var query = Object.keys(params).map(function (k) {
        return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
      }).join('&');
      return request('GET', query ? url + (url.indexOf('?') < 0 ? '?' : '&') + query : url);
    },
    post: function (url, data) {
      return request('POST', url, JSON.stringify(data || {}),
                     {'Content-Type': 'application/json;charset=UTF-8'});
    }
  };

  global.Vue = Vue;
  global.VueRouter = VueRouter;
})(window);
