/* 信息公开 年度报告 列表: 分页 (the pager's spans get their listeners here) */
(function () {
  var pager = document.getElementById('pagination');
  var list = document.getElementById('docList');
  var total = parseInt(pager.getAttribute('data-pages'), 10);
  var current = 1;
  var items = pager.querySelectorAll('.pg-item');

  function mark() {
    for (var i = 0; i < items.length; i++) {
      if (i + 1 === current) { items[i].className = 'pg-item active'; } else { items[i].className = 'pg-item'; }
    }
    pager.querySelector('.pg-prev').className = 'pg-arrow pg-prev' + (current === 1 ? ' disabled' : '');
    pager.querySelector('.pg-next').className = 'pg-arrow pg-next' + (current === total ? ' disabled' : '');
  }

  function go(n) {
    if (isNaN(n) || n < 1 || n > total || n === current) { return; }
    var xhr = new XMLHttpRequest();
    xhr.open('GET', '/zrzyt/c100193/queryList.do?channelCode=c100193&pageNo=' + n, true);
    xhr.onload = function () {
      var res = JSON.parse(xhr.responseText);
      var rows = res.data.records;
      var html = '';
      for (var i = 0; i < rows.length; i++) {
        html += '<li><span class="doc-date">' + rows[i].docDate + '</span><a href="' + rows[i].docUrl +
                '" target="_blank" title="' + rows[i].docTitle + '">' + rows[i].docTitle + '</a></li>';
      }
      list.innerHTML = html;
      current = res.data.pageNo;
      mark();
    };
    xhr.send();
  }

  Array.prototype.forEach.call(items, function (span) {
    span.addEventListener('click', function () { go(parseInt(span.textContent, 10)); });
  });
  pager.querySelector('.pg-prev').addEventListener('click', function () { go(current - 1); });
  pager.querySelector('.pg-next').addEventListener('click', function () { go(current + 1); });
  pager.querySelector('.pg-go').addEventListener('click', function () {
    go(parseInt(document.getElementById('pageNo').value, 10));
  });
})();
