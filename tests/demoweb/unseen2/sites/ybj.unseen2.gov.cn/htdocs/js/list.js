/* 栏目列表：从接口加载文章列表 */
(function () {
  var box = document.getElementById('articleList');
  if (!box) { return; }
  var channel = box.getAttribute('data-channel');
  var pager = document.getElementById('pager');
  function load(pageNo) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', '/api/article/list?channelId=' + channel + '&pageNo=' + pageNo + '&pageSize=15', true);
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4 || xhr.status !== 200) { return; }
      var res = JSON.parse(xhr.responseText);
      if (res.code !== 200) { return; }
      var html = '';
      for (var i = 0; i < res.data.list.length; i++) {
        var item = res.data.list[i];
        html += '<li><a href="' + item.url + '" target="_blank" title="' + item.title + '">' +
          item.title + '</a><span class="date">' + item.publishTime + '</span></li>';
      }
      box.innerHTML = html;
      pager.innerHTML = '共' + res.data.total + '条';
    };
    xhr.send(null);
  }
  load(1);
})();
