/* 导航菜单 */
var MENU = [{"name": "首页", "url": "/"}, {"name": "文旅资讯", "url": "/wlzx/"}, {"name": "政府信息公开", "url": "/xxgk/"}, {"name": "政务服务", "url": "/zwfw/"}, {"name": "互动交流", "url": "/hdjl/"}, {"name": "专题专栏", "url": "/ztzl/"}];

function buildMenu() {
  var ul = document.getElementById("menu");
  if (!ul) return;
  var path = window.location.pathname;
  for (var i = 0; i < MENU.length; i++) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = MENU[i].url;
    a.appendChild(document.createTextNode(MENU[i].name));
    if (MENU[i].url != "/" && path.indexOf(MENU[i].url) == 0) li.className = "on";
    li.appendChild(a);
    ul.appendChild(li);
  }
}

if (window.addEventListener) {
  window.addEventListener("load", buildMenu, false);
} else {
  window.attachEvent("onload", buildMenu);
}
