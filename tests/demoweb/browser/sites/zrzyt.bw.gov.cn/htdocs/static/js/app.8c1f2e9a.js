/*! 湖南省自然资源厅 信息公开 app.8c1f2e9a.js (build 2024-11-05) */
(function () {
  "use strict";
  var config = { siteName: "湖南省自然资源厅", api: "/api/cms", base: "/xxgk/", pageSize: 10 };

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  function h(tag, attrs, children) {
    var html = "<" + tag;
    for (var key in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, key)) {
        html += " " + key + '="' + esc(attrs[key]) + '"';
      }
    }
    return html + ">" + (children || []).join("") + "</" + tag + ">";
  }

  function routerLink(to, text) {
    return h("a", { href: config.base + to, "data-router-link": "" }, [esc(text)]);
  }

  var http = {
    get: function (url, params) {
      return new Promise(function (resolve, reject) {
        var query = Object.keys(params).map(function (key) {
          return encodeURIComponent(key) + "=" + encodeURIComponent(params[key]);
        }).join("&");
        var xhr = new XMLHttpRequest();
        xhr.open("GET", config.api + url + "?" + query);
        xhr.onload = function () {
          if (xhr.status === 200) { resolve(JSON.parse(xhr.responseText)); } else { reject(xhr.status); }
        };
        xhr.onerror = function () { reject(0); };
        xhr.send();
      });
    }
  };

  function breadcrumb(items) {
    var parts = [h("a", { href: "/" }, ["首页"])];
    for (var i = 0; i < items.length; i++) { parts.push(" &gt; " + items[i]); }
    return h("div", { "class": "position" }, ["当前位置："].concat(parts));
  }

  /* components */
  var XxgkIndex = {
    name: "XxgkIndex",
    title: "信息公开",
    render: function () {
      var menu = [
        { to: "ndbg/index.html", text: "政府信息公开年报" }
      ].map(function (item) { return h("li", {}, [routerLink(item.to, item.text)]); });
      return breadcrumb(["信息公开"]) +
        h("div", { "class": "gk-index" }, [h("h2", {}, ["政府信息公开"]), h("ul", { "class": "gk-menu" }, menu)]);
    }
  };

  var ArticleList = {
    name: "ArticleList",
    title: "政府信息公开年报",
    data: function () { return { channel: "ndbg", pageNo: 1, list: [], total: 0, loading: true }; },
    created: function (vm) {
      http.get("/article/list", { channelId: vm.channel, pageNo: vm.pageNo, pageSize: config.pageSize })
        .then(function (res) {
          if (res.code === 0) { vm.list = res.data.list; vm.total = res.data.total; }
          vm.loading = false;
          vm.$forceUpdate();
        }, function () { vm.loading = false; vm.$forceUpdate(); });
    },
    render: function (vm) {
      var rows = vm.list.map(function (item) {
        return h("li", {}, [h("a", { href: item.url, target: "_blank", title: item.title }, [esc(item.title)]),
          h("span", { "class": "date" }, [esc(item.pubDate.split(" ")[0])])]);
      });
      if (vm.loading) { rows = [h("li", { "class": "loading" }, ["加载中…"])]; }
      return breadcrumb([routerLink("index.html", "信息公开"), "政府信息公开年报"]) +
        h("h2", { "class": "column-title" }, ["政府信息公开年报"]) +
        h("ul", { "class": "list" }, rows) +
        h("div", { "class": "pager" }, ["共" + vm.total + "条"]);
    }
  };

  var NotFound = {
    name: "NotFound",
    title: "页面不存在",
    render: function () { return breadcrumb(["页面不存在"]) + h("p", {}, ["您访问的页面不存在。"]); }
  };

  /* router (history mode) */
  var router = {
    mode: "history",
    base: config.base,
    routes: [
      { path: "", component: XxgkIndex },
      { path: "index.html", component: XxgkIndex },
      { path: "ndbg/", component: ArticleList },
      { path: "ndbg/index.html", component: ArticleList }
    ],
    match: function (pathname) {
      var path = pathname.indexOf(this.base) === 0 ? pathname.slice(this.base.length) : null;
      for (var i = 0; i < this.routes.length; i++) {
        if (this.routes[i].path === path) { return this.routes[i].component; }
      }
      return NotFound;
    },
    push: function (href) {
      history.pushState({}, "", href);
      app.$mount();
    }
  };

  /* the root instance */
  var app = {
    $el: null,
    $mount: function (selector) {
      if (selector) { this.$el = document.querySelector(selector); }
      var component = router.match(location.pathname);
      var vm = component.data ? component.data() : {};
      var el = this.$el;
      vm.$forceUpdate = function () { el.innerHTML = component.render(vm); };
      document.title = component.title + " " + config.siteName;
      vm.$forceUpdate();
      if (component.created) { component.created(vm); }
      return this;
    }
  };

  document.addEventListener("click", function (event) {
    var target = event.target;
    while (target && target.nodeName !== "A") { target = target.parentNode; }
    if (target && target.hasAttribute("data-router-link")) {
      event.preventDefault();
      router.push(target.getAttribute("href"));
    }
  });
  window.addEventListener("popstate", function () { app.$mount(); });

  app.$mount("#app");
})();
