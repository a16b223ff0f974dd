/* 政府信息公开日历 (公开日历): a month grid; each day shows its events, 上一月/下一月 load months */
(function () {
  var box = document.getElementById('gkrl');
  if (!box) { return; }
  var current = box.getAttribute('data-month');
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function draw(data) {
    var y = parseInt(data.month.slice(0, 4), 10);
    var m = parseInt(data.month.slice(5, 7), 10);
    var marked = {};
    for (var i = 0; i < data.events.length; i++) { marked[data.events[i].date] = data.events[i].title; }
    document.getElementById('calTitle').innerHTML = y + '年' + m + '月';
    var first = new Date(y, m - 1, 1).getDay();
    var days = new Date(y, m, 0).getDate();
    var cells = [];
    for (var b = 0; b < first; b++) { cells.push('<td class="blank"></td>'); }
    for (var d = 1; d <= days; d++) {
      var ds = y + '-' + pad(m) + '-' + pad(d);
      cells.push('<td' + (marked[ds] ? ' class="has-event" title="' + marked[ds] + '"' : '') +
                 ' onclick="showDay(\'' + ds + '\')">' + d + '</td>');
    }
    var rows = [];
    for (var r = 0; r < cells.length; r += 7) { rows.push('<tr>' + cells.slice(r, r + 7).join('') + '</tr>'); }
    document.getElementById('calBody').innerHTML = rows.join('');
  }
  function get(url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url, true);
    xhr.onreadystatechange = function () {
      if (xhr.readyState === 4 && xhr.status === 200) { done(xhr.responseText); }
    };
    xhr.send(null);
  }
  function load(month) {
    get('/calendar/events.do?month=' + month, function (text) { draw(JSON.parse(text)); });
  }
  window.changeMonth = function (step) {
    var y = parseInt(current.slice(0, 4), 10);
    var m = parseInt(current.slice(5, 7), 10) + step;
    if (m < 1) { m = 12; y -= 1; }
    if (m > 12) { m = 1; y += 1; }
    current = y + '-' + pad(m);
    load(current);
  };
  window.showDay = function (ds) {
    get('/calendar/day.do?date=' + ds, function (html) {
      document.getElementById('calEvents').innerHTML = '<h4>' + ds + '</h4>' + html;
    });
  };
  load(current);
})();
