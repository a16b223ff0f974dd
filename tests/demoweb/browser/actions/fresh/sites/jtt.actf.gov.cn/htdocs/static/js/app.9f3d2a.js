/* jtt-portal app.9f3d2a.js | 四川省交通运输厅 门户网站 (Vue) */
(function (Vue, VueRouter) {
  'use strict';
  var http = Vue.http;
  var SITE_NAME = '四川省交通运输厅';
  var routes = [
    {path: '/', name: 'home'},
    {path: '/zwgk', name: 'zwgk'},
    {path: '/zwgk/gkzn', name: 'gkzn'},
    {path: '/zwgk/ndbg', name: 'ndbg'},
    {path: '/detail', name: 'detail'}
  ];

  function layout(h, inner, crumbs) {
    var path = '<a href="#/">首页</a>' + (crumbs || []).map(function (c) {
      return ' &gt; ' + (c[1] ? '<a href="' + c[1] + '">' + h.e(c[0]) + '</a>' : h.e(c[0]));
    }).join('');
    return '<header class="jt-header"><div class="logo">' + SITE_NAME + '</div>' +
      '<nav class="jt-nav"><ul>' +
      '<li><a href="#/">首页</a></li>' +
      '<li><a href="#/xwzx">新闻中心</a></li>' +
      '<li><a href="#/zwgk">政务公开</a></li>' +
      '<li><a href="#/hdjl">互动交流</a></li>' +
      '</ul></nav></header>' +
      '<div class="crumbs">当前位置：' + path + '</div>' +
      '<main class="jt-main">' + inner + '</main>' +
      '<footer class="jt-footer">主办：四川省交通运输厅　网站标识码：5100000031　蜀ICP备05003418号</footer>';
  }

  new Vue({
    el: '#app',
    router: new VueRouter({routes: routes}),
    data: function () {
      return {route: {name: 'home', query: {}, params: {}}, list: [], total: 0, loading: false,
              article: null, message: ''};
    },
    watchRoute: function (route) {
      this.route = route;
      this.message = '';
      if (route.name === 'ndbg') { this.fetchList(); }
      if (route.name === 'detail') { this.fetchDetail(route.query.id); }
      if (route.name !== 'detail') { document.title = SITE_NAME; }
      window.scrollTo(0, 0);
    },
    methods: {
      fetchList: function () {
        var vm = this;
        vm.loading = true;
        http.post('/api/article/list', {columnCode: 'ndbg', pageNum: 1, pageSize: 10}).then(function (res) {
          vm.loading = false;
          vm.list = res.data.rows;
          vm.total = res.data.total;
        });
      },
      fetchDetail: function (id) {
        var vm = this;
        vm.article = null;
        vm.loading = true;
        http.get('/api/article/detail', {params: {id: id}}).then(function (res) {
          vm.loading = false;
          if (res.code === 200) {
            vm.article = res.data;
            document.title = res.data.title;
          } else {
            vm.message = res.msg;
          }
        });
      }
    },
    render: function (h) {
      var r = this.route;
      if (r.name === 'home') {
        return layout(h, '<section class="home-news"><h3>交通要闻</h3><ul>' +
          '<li>全省交通运输工作会议在成都召开</li><li>高速公路建设三年攻坚行动推进会举行</li></ul></section>');
      }
      if (r.name === 'zwgk') {
        return layout(h, '<div class="zwgk-nav"><h2>政务公开</h2><ul>' +
          '<li><a href="#/zwgk/gkzn">政府信息公开指南</a></li>' +
          '<li><a href="#/zwgk/ndbg">政府信息公开年度报告</a></li>' +
          '</ul></div>', [['政务公开']]);
      }
      if (r.name === 'gkzn') {
        return layout(h, '<h2>政府信息公开指南</h2><p>为了更好地提供政府信息公开服务，特编制本指南。</p>',
                      [['政务公开', '#/zwgk'], ['政府信息公开指南']]);
      }
      if (r.name === 'ndbg') {
        var rows = this.list.map(function (item) {
          return '<li class="article-item"><a href="#/detail?id=' + item.id + '" title="' + h.e(item.title) + '">' +
            h.e(item.title) + '</a><span class="time">' + h.e(item.publishTime) + '</span></li>';
        }).join('');
        return layout(h, '<h2 class="col-title">政府信息公开年度报告</h2>' +
          (this.loading ? '<p class="loading">加载中...</p>' : '<ul class="article-list">' + rows + '</ul>' +
           '<div class="pager">共 ' + this.total + ' 条</div>'),
          [['政务公开', '#/zwgk'], ['政府信息公开年度报告']]);
      }
      if (r.name === 'detail') {
        var a = this.article;
        var inner = a ? '<article class="article"><h1 class="article-title">' + h.e(a.title) + '</h1>' +
          '<div class="article-info">发布时间：' + h.e(a.publishTime) + '　来源：' + h.e(a.source) +
          '　浏览次数：' + a.views + '</div><div class="article-content">' + a.content + '</div></article>'
          : '<p class="loading">' + (this.message || '加载中...') + '</p>';
        return layout(h, inner, [['政务公开', '#/zwgk'], ['政府信息公开年度报告', '#/zwgk/ndbg'], ['正文']]);
      }
      return layout(h, '<p class="empty">页面不存在或正在建设中</p>');
    }
  });
})(window.Vue, window.VueRouter);
