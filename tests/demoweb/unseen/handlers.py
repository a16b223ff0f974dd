"""Generated responses of the unseen web (``tests/demoweb/unseen/``).

Handlers as in ``tests/demoweb/handlers.py``: a route's ``handler: NAME`` in a site's
``site.yaml`` names one, the route's other keys are its options. All are prefixed ``un_``.

A site's ordinary pages are data in its ``site.yaml``:

    lists:                       # the site's columns, by key
      ndbg: {title: 年度报告, href: /a/xxgk/ndbg/, per_page: 2, reports: true}
    articles:                    # ordinary articles and decoys
      - {path: /a/xwzx/2024/1203/201.html, list: xwzx, title: ..., date: 2024-12-03,
         text: [paragraph, ...]}

A list's rows are its articles (``list: KEY``) and, with ``reports: true``, the site's
genuine reports (``report_href: "...{path}"`` rewrites their links), newest first.

- ``un_article``: an article (or a report, whatever the order of the query's fields) in
  the site's ``_templates/news.html``;
- ``un_phpcms``: PHPCMS v9's ``index.php?m=content&c=index&a=lists|show&catid=N[&id=N][&page=N]``;
- ``un_dede_list`` / ``un_dede_cover``: DedeCMS ``list_<typeid>_<n>.html`` lists and a
  channel cover page;
- ``un_gkml_catalog`` / ``un_gkml_list``: a 政府信息公开目录 platform: the catalog page
  (left tree + the list in an ``<iframe>``) and the list page inside the iframe;
- ``un_jsonp_list``: ``/api/list.do?col=KEY&page=N&callback=NAME`` (JSONP; JSON without
  ``callback``);
- ``un_aspx_list``: a list whose only pager is a GET form (``<select name="page">``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.server import Reply, Request, Site

__all__ = ["HANDLERS", "Row", "rows"]

HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}
NOT_FOUND = ("<html><head><title>404 Not Found</title></head>"
             "<body><h1>404 Not Found</h1></body></html>")


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


@dataclass
class Row:
    title: str
    href: str
    date: str


def _lists(site: Site) -> dict[str, dict[str, Any]]:
    return {str(k): v for k, v in (site.meta.get("lists") or {}).items()}


def rows(site: Site, key: str) -> list[Row]:
    """The rows of list ``key``, newest first."""
    spec = _lists(site)[str(key)]
    found = [Row(a["title"], a["path"], str(a["date"])) for a in site.meta.get("articles", [])
             if str(a.get("list")) == str(key)]
    if spec.get("reports"):
        href = spec.get("report_href", "{path}")
        years = spec.get("years")
        found += [Row(r.title, href.format(path=r.path), r.published) for r in site.reports
                  if years is None or r.year in years]
    return sorted(found, key=lambda r: r.date, reverse=True)


def _query(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.query).items()}


def _key(url: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A URL's path and its query's fields in order: the same page however written."""
    parts = urlsplit(url)
    return parts.path, tuple(sorted(parse_qsl(parts.query)))


def _html(site: Site, text: str, status: int = 200) -> Reply:
    return Reply(status, text.encode(site.encoding, "xmlcharrefreplace"),
                 [("Content-Type", f"text/html; charset={site.encoding}")])


def _not_found(site: Site) -> Reply:
    return _html(site, NOT_FOUND, 404)


def _render(site: Site, template: str, **fields: Any) -> Reply:
    page = site.template(template).safe_substitute(agency=site.meta["name"], **fields)
    return _html(site, page)


def _pages(count: int, per_page: int) -> int:
    return max(1, -(-count // per_page))


# -------------------------------------------------------------------- articles
def _show(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The report or article at the request's URL (query fields in any order)."""
    want = _key(f"{request.path}?{request.query}")
    for index, report in enumerate(site.reports):
        if _key(report.path) == want:
            return DEMO_HANDLERS["report"](site, request, {"report": index})
    for article in site.meta.get("articles", []):
        if _key(article["path"]) == want:
            return _article(site, article, options)
    return _not_found(site)


def _article(site: Site, article: dict[str, Any], options: dict[str, Any]) -> Reply:
    spec = _lists(site).get(str(article.get("list")), {})
    text = article.get("text") or [article["title"]]
    paragraphs = [text] if isinstance(text, str) else text
    body = "\n".join(f'<p style="text-indent:2em;">{escape(p)}</p>' for p in paragraphs)
    template = options.get("template", site.meta.get("article_template", "news.html"))
    return _render(site, template, title=escape(article["title"]), pubdate=str(article["date"]),
                   body=body, attachments="", column=escape(article.get("column",
                                                                       spec.get("title", ""))),
                   column_href=article.get("column_href", spec.get("href", "/")))


@handler("un_article")
def un_article(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    return _show(site, request, options)


# ---------------------------------------------------------------------- PHPCMS
def _phpcms_url(catid: object, page: int = 1) -> str:
    url = f"/index.php?m=content&c=index&a=lists&catid={catid}"
    return url if page == 1 else f"{url}&page={page}"


@handler("un_phpcms")
def un_phpcms(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """PHPCMS v9's dynamic pages. A list key is a catid; a list with ``children`` is a
    channel (its page: the children and ``intro``); ``parent`` names a column's channel."""
    query = _query(request)
    if query.get("m", "content") != "content" or query.get("c", "index") != "index":
        return _not_found(site)
    if query.get("a") == "show":
        return _show(site, request, options)
    if query.get("a") != "lists":  # index.php alone: the home page
        return _html(site, (site.read("/index.html") or NOT_FOUND.encode()).decode("utf-8"))
    lists = _lists(site)
    catid = query.get("catid", "")
    spec = lists.get(catid)
    if spec is None:
        return _html(site, "<script>alert('栏目不存在！');history.back();</script>", 200)
    channel = str(spec.get("parent", catid)) if "children" not in spec else catid
    on = ' class="on"'
    menu = "\n".join(
        f'<li{on if str(child) == catid else ""}>'
        f'<a href="{_phpcms_url(child)}">{escape(lists[str(child)]["title"])}</a></li>'
        for child in lists[channel].get("children", []))
    crumb = f'<a href="/">首页</a> &gt; <a href="{_phpcms_url(channel)}">' \
            f'{escape(lists[channel]["title"])}</a>'
    if "children" in spec:
        intro = "".join(f"<p>{escape(p)}</p>" for p in spec.get("intro", []))
        return _render(site, "list.html", title=escape(spec["title"]), menu=menu, crumb=crumb,
                       list=f'<div class="intro">{intro}</div>', pager="")
    crumb += f' &gt; <a href="{_phpcms_url(catid)}">{escape(spec["title"])}</a>'
    found = rows(site, catid)
    per_page = int(spec.get("per_page", 20))
    count = _pages(len(found), per_page)
    try:
        page = max(1, int(query.get("page", "1")))
    except ValueError:
        page = 1
    shown = found[(page - 1) * per_page: page * per_page]
    items = "\n".join(f'<li><span class="rt">{r.date}</span><a href="{r.href}" target="_blank">'
                      f"{escape(r.title)}</a></li>" for r in shown)
    pager = ""
    if len(found) > per_page:
        links = [f'<a class="a1">{len(found)}条</a>',
                 f'<a href="{_phpcms_url(catid)}" class="a1">首页</a>',
                 f'<a href="{_phpcms_url(catid, max(1, page - 1))}" class="a1">上一页</a>']
        links += [f"<span>{n}</span>" if n == page else f'<a href="{_phpcms_url(catid, n)}">{n}</a>'
                  for n in range(1, count + 1)]
        links += [f'<a href="{_phpcms_url(catid, min(count, page + 1))}" class="a1">下一页</a>',
                  f'<a href="{_phpcms_url(catid, count)}" class="a1">尾页</a>']
        pager = f'<div id="pages" class="text-c">{" ".join(links)}</div>'
    return _render(site, "list.html", title=escape(spec["title"]), menu=menu, crumb=crumb,
                   list=f'<ul class="list lh24 f14">\n{items}\n</ul>', pager=pager)


# --------------------------------------------------------------------- DedeCMS
def _dede_list_key(site: Site, request: Request, options: dict[str, Any]) -> tuple[str, int]:
    if "list" in options:
        return str(options["list"]), int(options.get("page", 1))
    match = re.search(r"/list_(\d+)_(\d+)\.html$", request.path)
    if not match:
        return "", 0
    directory = request.path[:match.start() + 1]
    for key, spec in _lists(site).items():
        if str(spec.get("typeid")) == match.group(1) and spec.get("href") == directory:
            return key, int(match.group(2))
    return "", 0


@handler("un_dede_list")
def un_dede_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``{typedir}/index.html`` (= page 1) and ``{typedir}/list_{typeid}_{n}.html``."""
    key, page = _dede_list_key(site, request, options)
    if not key:
        return _not_found(site)
    spec = _lists(site)[key]
    found = rows(site, key)
    per_page = int(spec.get("per_page", 20))
    count = _pages(len(found), per_page)
    if not 1 <= page <= count:
        return _not_found(site)
    tid = spec["typeid"]

    def href(n: int) -> str:
        return f"list_{tid}_{n}.html"

    items = "\n".join(f'<li><span class="date">{r.date}</span><a href="{r.href}" '
                      f'title="{escape(r.title)}">{escape(r.title)}</a></li>'
                      for r in found[(page - 1) * per_page: page * per_page])
    pager = ["<li><a>首页</a></li>" if page == 1 else f"<li><a href='{href(1)}'>首页</a></li>"]
    if page > 1:
        pager.append(f"<li><a href='{href(page - 1)}'>上一页</a></li>")
    pager += [f'<li class="thisclass"><a>{n}</a></li>' if n == page
              else f"<li><a href='{href(n)}'>{n}</a></li>" for n in range(1, count + 1)]
    if page < count:
        pager.append(f"<li><a href='{href(page + 1)}'>下一页</a></li>")
    pager.append("<li><a>末页</a></li>" if page == count
                 else f"<li><a href='{href(count)}'>末页</a></li>")
    pager.append(f'<li><span class="pageinfo">共 <strong>{count}</strong>页'
                 f"<strong>{len(found)}</strong>条</span></li>")
    crumb = f'<a href="{spec["href"]}">{escape(spec["title"])}</a> &gt; '
    parent = _lists(site).get(str(spec.get("parent", "")))
    if parent:
        crumb = f'<a href="{parent["href"]}">{escape(parent["title"])}</a> &gt; {crumb}'
    return _render(site, "list.html", title=escape(spec["title"]), list=items,
                   pager=f'<ul class="pagelist">{"".join(pager)}</ul>', crumb=crumb)


@handler("un_dede_cover")
def un_dede_cover(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A channel's cover page: a box per sub-column, its newest ``num`` rows and 更多."""
    lists = _lists(site)
    spec = lists[str(options["list"])]
    boxes = []
    for key in spec["children"]:
        child = lists[str(key)]
        items = "".join(f'<li><span>{r.date[5:]}</span><a href="{r.href}" '
                        f'title="{escape(r.title)}">{escape(r.title)}</a></li>'
                        for r in rows(site, str(key))[:int(options.get("num", 2))])
        boxes.append(f'<div class="box"><div class="box-tit"><h3><a href="{child["href"]}">'
                     f'{escape(child["title"])}</a></h3>'
                     f'<a class="more" href="{child["href"]}">更多&gt;&gt;</a>'
                     f'</div><ul class="box-list">{items}</ul></div>')
    return _render(site, "cover.html", title=escape(spec["title"]), boxes="\n".join(boxes))


# ------------------------------------------- 政府信息公开目录 platform (JSP, iframe)
def _gkml_tree(site: Site, current: str) -> str:
    lists = _lists(site)

    def node(spec: dict[str, Any]) -> str:
        if "children" in spec:
            inner = "".join(node(child) for child in spec["children"])
            return (f'<li class="folder"><span class="tree-node">{escape(spec["title"])}</span>'
                    f"<ul>{inner}</ul></li>")
        catid = str(spec["catid"])
        title = spec.get("title", lists[catid]["title"])
        target = f' target="{spec["target"]}"' if "target" in spec else ""
        on = ' class="on"' if catid == current else ""
        return (f'<li{on}><a href="/xxgk/catalog.jsp?catid={catid}"{target}>'
                f"{escape(title)}</a></li>")
    return '<ul class="gk-tree">' + "".join(node(n) for n in site.meta["gkml"]["tree"]) + "</ul>"


@handler("un_gkml_catalog")
def un_gkml_catalog(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``/xxgk/index.jsp`` (``home: true``: the tree and the 公开指南 text) and
    ``/xxgk/catalog.jsp?catid=N`` (the tree and an iframe of ``list.jsp?catid=N&page=1``)."""
    gkml = site.meta["gkml"]
    if options.get("home"):
        intro = "".join(f"<p>{escape(p)}</p>" for p in gkml.get("intro", []))
        return _render(site, "catalog.html", title="政府信息公开", tree=_gkml_tree(site, ""),
                       content=f'<div class="gk-intro"><h3>政府信息公开指南</h3>{intro}</div>')
    catid = _query(request).get("catid", "")
    spec = _lists(site).get(catid)
    if spec is None:
        return _not_found(site)
    frame = (f'<iframe id="listFrame" name="listFrame" src="/xxgk/list.jsp?catid={catid}&page=1" '
             f'width="100%" height="620" frameborder="0" scrolling="auto"></iframe>')
    return _render(site, "catalog.html", title=escape(spec["title"]),
                   tree=_gkml_tree(site, catid),
                   content=f'<div class="gk-pos">当前位置：政府信息公开 &gt; '
                           f'{escape(spec["title"])}</div>{frame}')


@handler("un_gkml_list")
def un_gkml_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The list inside the catalog page's iframe: 序号, 标题, 发布日期; 15 a page."""
    query = _query(request)
    catid = query.get("catid", "")
    spec = _lists(site).get(catid)
    if spec is None:
        return _not_found(site)
    found = rows(site, catid)
    per_page = int(spec.get("per_page", 15))
    count = _pages(len(found), per_page)
    try:
        page = min(count, max(1, int(query.get("page", "1"))))
    except ValueError:
        page = 1
    start = (page - 1) * per_page
    body = "\n".join(
        f'<tr><td class="xh">{start + i + 1}</td><td class="bt"><a href="{r.href}" '
        f'target="_blank" title="{escape(r.title)}">{escape(r.title)}</a></td>'
        f'<td class="rq">{r.date}</td></tr>'
        for i, r in enumerate(found[start: start + per_page]))
    if not found:
        body = '<tr><td colspan="3" class="empty">暂无信息</td></tr>'

    def link(n: int, text: str) -> str:
        return (f"<span>{text}</span>" if n == page or not 1 <= n <= count else
                f'<a href="list.jsp?catid={catid}&page={n}">{text}</a>')
    pager = (f"共{len(found)}条 第{page}/{count}页 {link(1, '首页')} {link(page - 1, '上一页')} "
             f"{link(page + 1, '下一页')} {link(count, '尾页')}")
    return _render(site, "frame_list.html", title=escape(spec["title"]), rows=body,
                   pager=pager)


# ----------------------------------------------------------------------- JSONP
@handler("un_jsonp_list")
def un_jsonp_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``GET /api/list.do?col=KEY&page=N[&pageSize=S]&callback=NAME``:
    ``NAME({"code": 200, "total", "page", "pageSize", "totalPage", "list": [{"id",
    "title", "url", "pubDate"}]})``; an unknown column: ``code`` 404 and an empty list."""
    query = _query(request)
    key = query.get("col", "")
    spec = _lists(site).get(key)
    if spec is None or not spec.get("api", True):
        data: dict[str, Any] = {"code": 404, "msg": "栏目不存在", "total": 0, "list": []}
    else:
        found = rows(site, key)
        try:
            page = max(1, int(query.get("page") or 1))
            size = max(1, min(50, int(query.get("pageSize") or spec.get("per_page", 10))))
        except ValueError:
            page, size = 1, int(spec.get("per_page", 10))
        shown = found[(page - 1) * size: page * size]
        data = {"code": 200, "msg": "success", "total": len(found), "page": page,
                "pageSize": size, "totalPage": _pages(len(found), size),
                "list": [{"id": int(re.sub(r"\D", "", r.href)[-6:] or 0), "title": r.title,
                          "url": r.href, "pubDate": r.date} for r in shown]}
    text = json.dumps(data, ensure_ascii=False)
    callback = query.get("callback", "")
    if callback and re.fullmatch(r"[A-Za-z_$][\w$.]*", callback):
        return Reply(200, f"{callback}({text});".encode(),
                     [("Content-Type", "application/javascript;charset=UTF-8"),
                      ("Cache-Control", "no-cache")])
    return Reply(200, text.encode("utf-8"), [("Content-Type", "application/json;charset=UTF-8"),
                                              ("Cache-Control", "no-cache")])


# ----------------------------------------------------------- ASP.NET, GET form
@handler("un_aspx_list")
def un_aspx_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``/col/KEY.aspx[?page=N]``: a table of rows; the only pager is
    ``<form method="get">`` with ``<select name="page" onchange="this.form.submit()">``."""
    key = str(options["list"])
    spec = _lists(site)[key]
    found = rows(site, key)
    per_page = int(spec.get("per_page", 15))
    count = _pages(len(found), per_page)
    try:
        page = min(count, max(1, int(_query(request).get("page", "1"))))
    except ValueError:
        page = 1
    start = (page - 1) * per_page
    body = "\n".join(
        f'<tr><td class="td-title"><img src="/images/dot.gif" alt="">'
        f'<a href="{r.href}" target="_blank" title="{escape(r.title)}">{escape(r.title)}</a></td>'
        f'<td class="td-date">[{r.date}]</td></tr>' for r in found[start: start + per_page])
    selected = ' selected="selected"'
    options_html = "".join(f'<option value="{n}"{selected if n == page else ""}>第{n}页</option>'
                           for n in range(1, count + 1))
    pager = (f'<form method="get" id="pageForm">共{len(found)}条记录 每页{per_page}条 '
             f"当前第{page}/{count}页 转到"
             f'<select name="page" onchange="this.form.submit()">{options_html}</select></form>')
    return _render(site, "list.html", title=escape(spec["title"]), rows=body, pager=pager)


# ------------------------------------------------------------------------- TRS
@handler("un_trs_list")
def un_trs_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A TRS WCM list page of a ``columns:`` column (``index.html``, ``index_1.html``...):
    rows with links relative to the column (``./202401/t..._N.html``) and the pager only as
    ``createPageHTML(<pages>, <current>, "index", "html")`` (the function is the page's)."""
    col = site.columns[options["column"]]
    page = int(options.get("page", 1))
    count = _pages(len(col.entries), col.per_page)
    directory = col.path.rsplit("/", 1)[0] + "/"

    def href(path: str) -> str:
        return "./" + path[len(directory):] if path.startswith(directory) else path
    items = "\n".join(f'<li><a href="{href(e.href)}" target="_blank" title="{escape(e.title)}">'
                      f'{escape(e.title)}</a><span>{e.date}</span></li>'
                      for e in col.entries[(page - 1) * col.per_page: page * col.per_page])
    stem, ext = col.path.rsplit("/", 1)[-1].rsplit(".", 1)
    body = (f'<ul class="list">\n{items}\n</ul>\n<div class="page"><script type="text/javascript">'
            f'createPageHTML({count}, {page - 1}, "{stem}", "{ext}");</script></div>')
    return _render(site, col.options.get("template", "list.html"), title=escape(col.title),
                   list=body)
