/* 浙江省商务厅 政务公开 app (built 2024-03-12) */
!function () {
  "use strict";
  var column = "ndbg", page = 1;
  function render(list) {
    var app = document.getElementById("app");
    var html = '<div class="position">当前位置：<a href="/">首页</a> &gt; 政府信息公开年报</div><ul class="list">';
    for (var i = 0; i < list.length; i++) {
      html += '<li><a target="_blank" href="' + list[i].url + '">' + list[i].title + "</a><span>" +
        list[i].publishDate + "</span></li>";
    }
    app.innerHTML = html + "</ul>";
  }
  var xhr = new XMLHttpRequest();
  xhr.open("GET", "/api/articles?column=" + column + "&page=" + page);
  xhr.onload = function () {
    if (xhr.status === 200) { render(JSON.parse(xhr.responseText).data.list); }
  };
  xhr.send();
}();
