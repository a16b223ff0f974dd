/* 四川省人民政府门户网站 公共脚本: 部门网站 */
var DEPT_SITES = {
  '510101': ['jyt', '/'],
  '510102': ['kjt', '/'],
  '510108': ['czt', '/czt/index.shtml']
};
var SITE_ROOT = 'actf.gov.cn';
function openSite(code) {
  var site = DEPT_SITES[code];
  var select = document.getElementById('bmwz');
  if (select) { select.selectedIndex = 0; }
  if (!site) { return; }
  window.open('http://' + site[0] + '.' + SITE_ROOT + site[1], '_blank');
}
