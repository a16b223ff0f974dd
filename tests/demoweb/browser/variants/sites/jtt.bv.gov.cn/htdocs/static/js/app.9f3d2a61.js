(function(){var v=null,c=window["webpackJsonp"]||[];for(var i=0;i<c.length;i++){if(c[i][0][0]==="chunk-vendors"){v={};c[i][1]["2b0e"](null,v)}}
if(!v)return;var o=document.getElementById("app"),b="/"+["jtt","api","portal"].join("/")+"/",n=v.esc;
function frame(inner){o.innerHTML='<div class="hd"><span class="logo">'+n(document.querySelector('meta[name=SiteName]').content)+'</span><nav id="nav"></nav></div><div class="bd">'+inner+"</div>";
v.http(b+"nav").then(function(d){document.getElementById("nav").innerHTML=d.data.map(function(x){return'<a href="#'+x.path+'">'+n(x.name)+"</a>"}).join("")})}
function home(){frame('<div class="news"><h3>\u4ea4\u901a\u8981\u95fb</h3></div>')}
function zwgk(){frame('<ul class="cols" id="cols"></ul>');v.http(b+"columns?parentCode=zwgk").then(function(d){document.getElementById("cols").innerHTML=d.data.map(function(x){return'<li><a href="#/zwgk/'+x.code+'">'+n(x.name)+"</a></li>"}).join("")})}
function column(m){frame('<ul class="list" id="list"></ul>');v.http(b+"articles?columnCode="+m[1]+"&pageNo=1&pageSize=10").then(function(d){document.getElementById("list").innerHTML=d.data.list.map(function(x){return'<li><a href="'+n(x.link)+'" title="'+n(x.title)+'">'+n(x.title)+"</a><time>"+x.pubDate.slice(0,10)+"</time></li>"}).join("")})}
v.router([[/^\/$/,home],[/^\/zwgk$/,zwgk],[/^\/zwgk\/(\w+)$/,column]],function(h){o.innerHTML=h})})();
