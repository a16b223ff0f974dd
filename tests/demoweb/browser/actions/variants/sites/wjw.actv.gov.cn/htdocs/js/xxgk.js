/* 信息公开 公共脚本 */
function openDetail(id) {
  if (!id) { return; }
  var url = '/xxgk/ndbg/content_' + id + '.html';
  window.open(url, '_blank');
}
