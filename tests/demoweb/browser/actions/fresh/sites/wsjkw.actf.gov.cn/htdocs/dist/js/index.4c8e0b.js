/*! wsjkw-portal v3.2.1 | 四川省卫生健康委员会 | index.4c8e0b.js (bundled: a small Vue-style runtime
 * with render functions, a hashbang router, the portal's API client and views) */
!function (modules) {
  var cache = {};
  function require(id) {
    if (cache[id]) { return cache[id].exports; }
    var module = cache[id] = {exports: {}};
    modules[id].call(module.exports, module, module.exports, require);
    return module.exports;
  }
  require(0);
}([
  /* 0: main.js */
  function (module, exports, require) {
    var Vue = require(1);
    var Router = require(2);
    var api = require(3);
    var SITE = '四川省卫生健康委员会';
    var router = new Router({mode: 'hashbang', routes: [
      {path: '/', name: 'index'},
      {path: '/xxgk', name: 'xxgk'},
      {path: '/list/:lmbm', name: 'list'},
      {path: '/article/:articleId', name: 'article'}
    ]});
    var COLUMNS = {ndbg: '政府信息公开年报', gkzn: '政府信息公开指南', gkzd: '政府信息公开制度'};

    function shell(h, vm, children) {
      return h('div', {class: 'wj-page'}, [
        h('div', {class: 'wj-top'}, [h('span', {class: 'wj-logo'}, SITE)]),
        h('ul', {class: 'wj-menu'}, [
          h('li', {}, [h('a', {attrs: {href: '#!/'}}, '首页')]),
          h('li', {}, [h('a', {attrs: {href: '#!/xxgk'}}, '政府信息公开')]),
          h('li', {}, [h('a', {attrs: {href: '#!/list/gkzn'}}, '公开指南')])
        ]),
        h('div', {class: 'wj-body'}, children),
        h('div', {class: 'wj-foot'}, '主办：四川省卫生健康委员会　网站标识码：5100000046　蜀ICP备10204352号')
      ]);
    }

    new Vue({
      el: '#app',
      router: router,
      data: {view: 'index', lmbm: '', records: [], article: null, tip: ''},
      onRoute: function (route) {
        var vm = this;
        vm.view = route.name;
        vm.tip = '';
        if (route.name === 'list') {
          vm.lmbm = route.params.lmbm;
          vm.records = [];
          vm.tip = '数据加载中……';
          api.list(route.params.lmbm, 1, 10).then(function (res) {
            vm.records = res.result.records;
            vm.tip = res.result.records.length ? '' : '暂无数据';
          });
        }
        if (route.name === 'article') {
          vm.article = null;
          vm.tip = '数据加载中……';
          api.article(route.params.articleId).then(function (res) {
            if (res.status === '0000') {
              vm.article = res.result.article;
              vm.tip = '';
              document.title = res.result.article.biaoti + ' - ' + SITE;
            } else {
              vm.tip = res.message;
            }
          });
        }
        if (route.name !== 'article') { document.title = SITE; }
      },
      methods: {
        open: function (record) { router.push('/article/' + record.articleId); }
      },
      render: function (h) {
        var vm = this;
        if (vm.view === 'index') {
          return shell(h, vm, [h('div', {class: 'wj-news'}, [
            h('h3', {}, '卫生健康要闻'),
            h('p', {}, '全省卫生健康工作会议召开'),
            h('p', {}, '基层医疗卫生服务能力提升行动启动')])]);
        }
        if (vm.view === 'xxgk') {
          return shell(h, vm, [h('div', {class: 'wj-xxgk'}, [
            h('h2', {}, '政府信息公开'),
            h('ul', {class: 'wj-col'}, Object.keys(COLUMNS).map(function (code) {
              return h('li', {}, [h('a', {attrs: {href: '#!/list/' + code}}, COLUMNS[code])]);
            }))])]);
        }
        if (vm.view === 'list') {
          return shell(h, vm, [
            h('h2', {class: 'wj-col-title'}, COLUMNS[vm.lmbm] || '信息列表'),
            h('ul', {class: 'wj-list'}, vm.records.map(function (record) {
              return h('li', {class: 'wj-item', on: {click: function () { vm.open(record); }}}, [
                h('span', {class: 'wj-item-title'}, record.biaoti),
                h('span', {class: 'wj-item-date'}, record.fabushijian.slice(0, 10))]);
            })),
            h('p', {class: 'wj-tip'}, vm.tip)]);
        }
        if (vm.view === 'article' && vm.article) {
          var a = vm.article;
          return shell(h, vm, [h('div', {class: 'wj-detail'}, [
            h('h1', {class: 'wj-detail-title'}, a.biaoti),
            h('p', {class: 'wj-detail-meta'}, '发布时间：' + a.fabushijian + '　来源：' + a.laiyuan),
            h('div', {class: 'wj-detail-body', domProps: {innerHTML: a.zhengwen}})])]);
        }
        return shell(h, vm, [h('p', {class: 'wj-tip'}, vm.tip || '页面不存在')]);
      }
    });
  },
  /* 1: runtime.js: data, methods, render(h) building real nodes, listeners via on: {} */
  function (module) {
    function h(tag, data, children) {
      var el = document.createElement(tag);
      data = data || {};
      if (data.class) { el.className = data.class; }
      Object.keys(data.attrs || {}).forEach(function (k) { el.setAttribute(k, data.attrs[k]); });
      Object.keys(data.domProps || {}).forEach(function (k) { el[k] = data.domProps[k]; });
      Object.keys(data.on || {}).forEach(function (k) { el.addEventListener(k, data.on[k]); });
      if (typeof children === 'string') { el.textContent = children; }
      (Array.isArray(children) ? children : []).forEach(function (c) {
        el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
      });
      return el;
    }
    function Vue(options) {
      var vm = this;
      vm.$options = options;
      var data = typeof options.data === 'function' ? options.data() : options.data;
      vm._pending = false;
      Object.keys(data).forEach(function (key) {
        var value = data[key];
        Object.defineProperty(vm, key, {
          get: function () { return value; },
          set: function (v) { value = v; vm._queue(); }
        });
      });
      Object.keys(options.methods || {}).forEach(function (k) { vm[k] = options.methods[k].bind(vm); });
      vm.$el = document.querySelector(options.el);
      if (options.router) { options.router.start(vm); }
      vm._render();
    }
    Vue.prototype._queue = function () {
      var vm = this;
      if (vm._pending) { return; }
      vm._pending = true;
      Promise.resolve().then(function () { vm._pending = false; vm._render(); });
    };
    Vue.prototype._render = function () {
      var node = this.$options.render.call(this, h);
      node.id = 'app';
      this.$el.parentNode.replaceChild(node, this.$el);
      this.$el = node;
    };
    module.exports = Vue;
  },
  /* 2: router.js: #!/path/:param routes */
  function (module) {
    function Router(options) {
      this.prefix = options.mode === 'hashbang' ? '#!' : '#';
      this.routes = options.routes.map(function (r) {
        var keys = [];
        var re = new RegExp('^' + r.path.replace(/:(\w+)/g, function (_, k) { keys.push(k); return '([^/?]+)'; }) + '$');
        return {name: r.name, re: re, keys: keys};
      });
    }
    Router.prototype.match = function () {
      var hash = location.hash;
      var path = hash.indexOf(this.prefix) === 0 ? hash.slice(this.prefix.length) : '/';
      path = path.split('?')[0] || '/';
      for (var i = 0; i < this.routes.length; i++) {
        var m = this.routes[i].re.exec(path);
        if (m) {
          var params = {};
          this.routes[i].keys.forEach(function (k, n) { params[k] = decodeURIComponent(m[n + 1]); });
          return {name: this.routes[i].name, path: path, params: params};
        }
      }
      return {name: '404', path: path, params: {}};
    };
    Router.prototype.start = function (app) {
      var router = this;
      var go = function () { app.$options.onRoute.call(app, router.match()); };
      window.addEventListener('hashchange', go);
      go();
    };
    Router.prototype.push = function (path) { location.hash = this.prefix + path; };
    module.exports = Router;
  },
  /* 3: api.js */
  function (module) {
    function getJSON(url) {
      return new Promise(function (resolve, reject) {
        var xhr = new XMLHttpRequest();
        xhr.open('GET', url, true);
        xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
        xhr.onload = function () { resolve(JSON.parse(xhr.responseText)); };
        xhr.onerror = reject;
        xhr.send();
      });
    }
    module.exports = {
      list: function (lmbm, pageNo, pageSize) {
        return getJSON('/portal/api/content/list?lmbm=' + encodeURIComponent(lmbm) +
                       '&pageNo=' + pageNo + '&pageSize=' + pageSize);
      },
      article: function (articleId) {
        return getJSON('/portal/api/content/get?articleId=' + encodeURIComponent(articleId));
      }
    };
  }
]);
