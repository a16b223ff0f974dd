// 政府信息公开工作年度报告 列表分页
var channelId = '1571', pageSize = 2, pageCount = 3;
function renderPager(pageNo) {
  var html = [];
  function link(n, text) { return '<a href="javascript:void(0);" onclick="goPage(' + n + ')">' + text + '</a>'; }
  html.push(pageNo > 1 ? link(1, '首页') : '<span class="disabled">首页</span>');
  html.push(pageNo > 1 ? link(pageNo - 1, '上一页') : '<span class="disabled">上一页</span>');
  for (var i = 1; i <= pageCount; i++) {
    html.push(i === pageNo ? '<span class="current">' + i + '</span>' : link(i, i));
  }
  html.push(pageNo < pageCount ? link(pageNo + 1, '下一页') : '<span class="disabled">下一页</span>');
  html.push(pageNo < pageCount ? link(pageCount, '尾页') : '<span class="disabled">尾页</span>');
  $('#pageBar').html(html.join('\n'));
}
function goPage(pageNo) {
  $.getJSON('/common/search/list.do', {channelId: channelId, pageNo: pageNo, pageSize: pageSize}, function (res) {
    var rows = [];
    var list = res.data.list;
    for (var i = 0; i < list.length; i++) {
      rows.push('<li><a href="' + list[i].url + '" target="_blank" title="' + list[i].title + '">' +
                list[i].title + '</a><span class="date">' + list[i].pubDate + '</span></li>');
    }
    $('#newsList').html(rows.join(''));
    pageCount = res.data.pageCount;
    renderPager(pageNo);
  });
}
