/* 年度报告列表: 翻页 (XHR) and the site search's 热门搜索 */
var ndbgPage = {current: 1, count: parseInt(document.getElementById('pageBar').getAttribute('data-count'), 10), rows: 3};

function renderPageBar() {
  var html = [];
  var n = ndbgPage.current;
  var count = ndbgPage.count;
  function link(p, text) { return '<a href="javascript:void(0)" onclick="loadPage(' + p + ')">' + text + '</a>'; }
  html.push(n > 1 ? link(1, '首页') : '<span class="disabled">首页</span>');
  html.push(n > 1 ? link(n - 1, '上一页') : '<span class="disabled">上一页</span>');
  for (var i = 1; i <= count; i++) { html.push(i === n ? '<span class="cur">' + i + '</span>' : link(i, i)); }
  html.push(n < count ? link(n + 1, '下一页') : '<span class="disabled">下一页</span>');
  html.push(n < count ? link(count, '尾页') : '<span class="disabled">尾页</span>');
  document.getElementById('pageBar').innerHTML = html.join(' ');
}

function loadPage(page) {
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '/xxgk/zfxxgkndbg/list.json?page=' + page + '&rows=' + ndbgPage.rows, true);
  xhr.onload = function () {
    var res = JSON.parse(xhr.responseText);
    var html = [];
    for (var i = 0; i < res.list.length; i++) {
      var item = res.list[i];
      html.push('<li><a href="' + item.url + '" target="_blank" title="' + item.title + '">' + item.title +
                '</a><span class="date">' + item.date + '</span></li>');
    }
    document.getElementById('ndbgList').innerHTML = html.join('');
    ndbgPage.current = res.page;
    ndbgPage.count = res.pageCount;
    renderPageBar();
  };
  xhr.send(null);
}

function hotSearch(word) {
  document.getElementById('q').value = word;
  document.getElementById('searchForm').submit();
}
