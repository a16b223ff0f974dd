(function () {
  'use strict';
  var page = 1;
  var size = 2;
  var button = document.getElementById('btnMore');
  var list = document.getElementById('ndbgList');
  button.addEventListener('click', function () {
    button.disabled = true;
    button.textContent = '加载中...';
    fetch('/jyt/api/article/list?catId=88&page=' + (page + 1) + '&size=' + size, {headers: {'X-Requested-With': 'XMLHttpRequest'}})
      .then(function (r) { return r.json(); })
      .then(function (res) {
        page = res.data.pageNo;
        res.data.list.forEach(function (item) {
          var li = document.createElement('li');
          var a = document.createElement('a');
          a.href = item.url;
          a.target = '_blank';
          a.textContent = item.title;
          var span = document.createElement('span');
          span.className = 'date';
          span.textContent = item.pubDate;
          li.appendChild(a);
          li.appendChild(span);
          list.appendChild(li);
        });
        button.disabled = false;
        button.textContent = '加载更多';
        if (page >= res.data.pageCount) { button.style.display = 'none'; }
      });
  });
})();
