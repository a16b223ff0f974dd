const e=t=>String(t).replace(/[&<>"]/g,n=>({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"})[n]),a=async t=>{const n=await fetch(t,{headers:{Accept:"application/json"}});if(!n.ok)throw new Error(`HTTP ${n.status}`);return n.json()},r="/prod-api/cms",o=document.getElementById("root");
let c=null;const s=async()=>(c??=a(`${r}/channel/tree`)).then(t=>t.data);
const l=t=>`<header>${t.filter(n=>n.nav).map(n=>`<a href="${n.path}" data-link>${e(n.label)}</a>`).join("")}</header>`;
const i={"/":async t=>`${l(t)}<main><section class="hero"></section></main>`,
"/zwgk":async t=>{const n=t.find(d=>d.path==="/zwgk");return`${l(t)}<main><h2>${e(n.label)}</h2><nav class="channels">${n.children.map(d=>`<a href="${n.path}/${d.slug}" data-link>${e(d.label)}</a>`).join("")}</nav></main>`},
"/zwgk/:slug":async(t,n)=>{const d=t.find(p=>p.path==="/zwgk").children.find(p=>p.slug===n);if(!d)return`${l(t)}<main>404</main>`;const p=await a(`${r}/article/list?${new URLSearchParams({channelId:d.id,pageNum:1,pageSize:10})}`);return`${l(t)}<main><h2>${e(d.label)}</h2><div class="rows">${p.rows.map(h=>`<a href="${e(h.staticUrl)}" title="${e(h.title)}">${e(h.title)}<span>${h.publishDate}</span></a>`).join("")}</div></main>`}};
const u=async()=>{const t=await s(),n=location.pathname.replace(/\/+$/,"")||"/",d=n.match(/^\/zwgk\/([a-z]+)$/);o.innerHTML=d?await i["/zwgk/:slug"](t,d[1]):i[n]?await i[n](t):`${l(t)}<main>404</main>`};
document.addEventListener("click",t=>{const n=t.target.closest("a[data-link]");if(n){t.preventDefault();history.pushState(null,"",n.getAttribute("href"));u()}});
window.addEventListener("popstate",u);u();
