/* 政府网站链接: the drop-downs hold site codes; the addresses are here. */
var SITE_ADDRESSES = {
  '520017': 'http://kjt.act.gov.cn/',
  '520031': 'http://sthjt.act.gov.cn/'
};
function openSite(code) {
  var address = SITE_ADDRESSES[code];
  if (address) { window.open(address, '_blank'); }
}
