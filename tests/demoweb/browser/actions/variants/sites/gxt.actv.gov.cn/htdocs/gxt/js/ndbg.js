function changeYear(year) {
  $.getJSON('/gxt/xxgk/ndbg/list.do', {year: year, _: new Date().getTime()}, function (res) {
    var html = '';
    for (var i = 0; i < res.rows.length; i++) {
      var r = res.rows[i];
      html += '<li><a href="' + r.docUrl + '" target="_blank">' + r.docTitle + '</a><span>' + r.docDate + '</span></li>';
    }
    $('#ndbgList').html(html || '<li class="empty">暂无数据</li>');
  });
}
