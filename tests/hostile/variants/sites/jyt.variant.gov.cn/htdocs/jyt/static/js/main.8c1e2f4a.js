/*! 政府信息公开年报 main.8c1e2f4a.js (built 2024-06-18) */
!function(){"use strict";var n="/jyt/prod-api",d=document;
function r(e,t){return fetch(n+e,{method:"POST",headers:{"Content-Type":"application/json;charset=UTF-8"},body:JSON.stringify(t)}).then(function(e){return e.json()})}
function c(e,t,a){var o=d.createElement(e);for(var k in t||{})o.setAttribute(k,t[k]);(a||[]).forEach(function(x){o.appendChild("string"==typeof x?d.createTextNode(x):x)});return o}
function l(e,t){r("/cms/article/list",{channelId:"ndbg",pageNum:t,pageSize:10}).then(function(a){if(200!==a.code)return;
var u=c("ul",{"class":"list"},a.rows.map(function(x){return c("li",{},[c("a",{href:x.articleUrl,target:"_blank",title:x.articleTitle},[x.articleTitle]),c("span",{},[x.releaseTime.substring(0,10)])])}));
var p=c("div",{"class":"pager"},["共"+a.total+"条"]);if(10*t<a.total){var b=c("button",{},["下一页"]);b.onclick=function(){l(e,t+1)};p.appendChild(b)}
e.innerHTML="";e.appendChild(c("h2",{},["政府信息公开年报"]));e.appendChild(u);e.appendChild(p)})}
l(d.getElementById("root"),1)}();
