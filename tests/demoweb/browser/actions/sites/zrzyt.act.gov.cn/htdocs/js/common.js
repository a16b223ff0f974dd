/* 贵州省自然资源厅 公共脚本 */
function openDetail(id) {
  window.open('/art/detail.jsp?id=' + id);
}

function setFontSize(size) {
  var box = document.getElementById('zoom');
  if (box) {
    box.style.fontSize = size + 'px';
  }
}

function printPage() {
  window.print();
}
