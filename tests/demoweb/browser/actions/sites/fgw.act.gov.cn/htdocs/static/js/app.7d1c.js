/* A hash-routed app: every page is drawn from the CMS's JSON API. */
(function () {
  var app = document.getElementById('app');
  function api(method, url, body, done) {
    var x = new XMLHttpRequest();
    x.open(method, url);
    if (body) x.setRequestHeader('Content-Type', 'application/json;charset=UTF-8');
    x.onload = function () { done(JSON.parse(x.responseText)); };
    x.send(body ? JSON.stringify(body) : null);
  }
  function nav() {
    return '<div class="nav"><a href="#/">首页</a> <a href="#/news">新闻动态</a> ' +
      '<a href="#/xxgk">政府信息公开</a></div>';
  }
  function draw(html) { app.innerHTML = nav() + html; }
  function route() {
    var path = location.hash.replace(/^#/, '') || '/';
    var detail = path.match(/^\/detail\?id=(\w+)/);
    if (path === '/') return draw('<p>欢迎访问贵州省发展和改革委员会门户网站</p>');
    if (path === '/news') return draw('<p>暂无新闻</p>');
    if (path === '/xxgk') {
      return draw('<ul class="columns"><li><a href="#/xxgk/zn">政府信息公开指南</a></li>' +
        '<li><a href="#/xxgk/zd">政府信息公开制度</a></li>' +
        '<li><a href="#/xxgk/ndbg">政府信息公开年报</a></li></ul>');
    }
    if (path === '/xxgk/ndbg') {
      return api('POST', '/api/cms/article/page',
        {channelCode: 'ndbg', pageNum: 1, pageSize: 20}, function (r) {
          draw('<h2>政府信息公开年报</h2><ul class="list">' + r.data.records.map(function (a) {
            return '<li><a href="#/detail?id=' + a.id + '">' + a.title + '</a><span>' +
              a.publishTime + '</span></li>';
          }).join('') + '</ul><div class="pager">共' + r.data.total + '条</div>');
        });
    }
    if (detail) {
      return api('GET', '/api/cms/article/detail?id=' + detail[1], null, function (r) {
        document.title = r.data.title;
        draw('<h1>' + r.data.title + '</h1><div class="info">发布时间：' + r.data.publishTime +
          '</div><div class="content">' + r.data.content + '</div>');
      });
    }
    draw('<p>页面不存在</p>');
  }
  window.addEventListener('hashchange', route);
  route();
})();
