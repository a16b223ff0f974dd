$(function () {
  var start = 2, num = 2, done = false;
  $('#moreBox').on('click', '.more-btn', function () {
    if (done) { return false; }
    $('.more-btn').text('正在加载...');
    $.get('/sthjt/xxgk/ndbg/more.jsp', {start: start, num: num}, function (html) {
      var box = document.createElement('div');
      box.innerHTML = html;
      var count = box.querySelectorAll('li').length;
      $('#ndbgList').append(html);
      start += count;
      if (count < num) {
        done = true;
        $('.more-btn').text('没有更多了').addClass('nomore');
      } else {
        $('.more-btn').text('点击加载更多');
      }
    });
    return false;
  });
});
