(function () {
  var pageNum = 1, pageSize = 2, loading = false, hasMore = true;
  var list = document.querySelector('.nb-list');
  var tip = document.getElementById('nbTip');
  function load() {
    loading = true;
    tip.textContent = '加载中...';
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/swt/api/xxgk/nb', true);
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
    xhr.onload = function () {
      var res = JSON.parse(xhr.responseText);
      pageNum += 1;
      res.rows.forEach(function (r) {
        list.insertAdjacentHTML('beforeend', '<li><a href="' + r.docUrl + '" target="_blank">' +
          r.docTitle + '</a><p class="date">' + r.docDate + '</p></li>');
      });
      hasMore = res.hasMore;
      tip.textContent = hasMore ? '下拉加载更多' : '已加载全部';
      loading = false;
    };
    xhr.send('pageNum=' + (pageNum + 1) + '&pageSize=' + pageSize);
  }
  window.addEventListener('scroll', function () {
    if (loading || !hasMore) { return; }
    var bottom = window.innerHeight + (window.pageYOffset || document.documentElement.scrollTop);
    if (bottom >= document.documentElement.scrollHeight - 200) { load(); }
  });
})();
