(window["webpackJsonp"]=window["webpackJsonp"]||[]).push([["chunk-vendors"],{
"2b0e":function(e,t){var n=function(e){return String(e).replace(/[&<>"]/g,function(c){return{"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]})};
t.esc=n;t.http=function(u){return fetch(u,{headers:{Accept:"application/json"}}).then(function(r){if(!r.ok)throw new Error(r.status);return r.json()})};
t.router=function(routes,render){var go=function(){var h=(location.hash||"#/").slice(1)||"/",m=null,k;for(k=0;k<routes.length;k++){m=h.match(routes[k][0]);if(m){routes[k][1](m);return}}render("<p>404</p>")};window.addEventListener("hashchange",go);go()}}
}]);
