/* 栏目列表 (in the column page's iframe): 翻页 */
var listConf = {channelId: document.body.getAttribute('data-channel'), pageSize: 2,
                pages: parseInt(document.body.getAttribute('data-pages'), 10)};

function turnPage(page) {
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '/sthjt/channel/listData.jsp?channelId=' + listConf.channelId + '&page=' + page +
           '&pageSize=' + listConf.pageSize, true);
  xhr.onload = function () {
    var res = JSON.parse(xhr.responseText);
    var html = '';
    for (var i = 0; i < res.obj.datas.length; i++) {
      var d = res.obj.datas[i];
      html += '<li><a href="' + d.link + '" target="_blank" title="' + d.name + '">' + d.name + '</a><span>' + d.time + '</span></li>';
    }
    document.getElementById('infoList').innerHTML = html;
    var bar = '';
    if (res.obj.page > 1) { bar += '<a href="javascript:void(0)" onclick="turnPage(' + (res.obj.page - 1) + ')">上一页</a> '; }
    if (res.obj.page < res.obj.pages) { bar += '<a href="javascript:void(0)" onclick="turnPage(' + (res.obj.page + 1) + ')">下一页</a> '; }
    bar += '<span>第' + res.obj.page + '页/共' + res.obj.pages + '页</span>';
    document.getElementById('turnPage').innerHTML = bar;
    if (window.parent !== window && window.frameElement) {
      window.frameElement.style.height = document.body.scrollHeight + 20 + 'px';
    }
  };
  xhr.send(null);
}
