"""Generated responses of the action web (``tests/demoweb/browser/actions/``).

Handlers as in ``tests/demoweb/handlers.py``: a route's ``handler: NAME`` in a site's
``site.yaml`` names one, the route's other keys are its options. Every list is made from
the site's own ``reports`` (its genuine reports, newest first), so a list and the truth
never disagree. Nothing here depends on time or on earlier requests: the same request
always gets the same bytes.

- ``act_postback``: an ASP.NET list (``List.aspx``): a GET is page 1; a POST whose
  ``__EVENTTARGET`` is the pager's name and ``__EVENTARGUMENT`` a page number is that page.
- ``act_year_list`` / ``act_year_rows``: a Java-CMS column of ``openDetail('id')`` rows,
  the newest year shown; the rows of another year as an HTML fragment (``?year=``).
- ``act_more_list`` / ``act_more_json``: the first rows of a column and a JSON list API
  (``?page=&size=``) behind its 加载更多 button.
- ``act_scroll_list`` / ``act_scroll_rows``: the first rows of an infinite-scroll column
  and the HTML rows after them (``?start=&size=``).
- ``act_tab``: the content of one tab of a disclosure page (``?col=``), an HTML fragment.
- ``act_app_list`` / ``act_app_detail``: a single-page app's POSTed JSON list of reports
  and its article API, the report's HTML in the JSON (no page serves it).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import parse_qs

from tests.demoweb.catalog import Report
from tests.demoweb.reports import ReportSpec, render_report
from tests.demoweb.server import Reply, Request, Site

__all__ = ["HANDLERS"]

HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}
NOT_FOUND = b"<html><body><h1>404 Not Found</h1></body></html>"


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


# ---------------------------------------------------------------------- helpers
def _query(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.query).items()}


def _form(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.body.decode("latin-1")).items()}


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _html(site: Site, text: str) -> Reply:
    return Reply(200, text.encode(site.encoding, "xmlcharrefreplace"),
                 [("Content-Type", f"text/html; charset={site.encoding}")])


def _json(data: Any) -> Reply:
    return Reply(200, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                 [("Content-Type", "application/json;charset=UTF-8")])


def _not_found() -> Reply:
    return Reply(404, NOT_FOUND, [("Content-Type", "text/html; charset=utf-8")])


def _bad(text: str) -> Reply:
    return Reply(400, text.encode(), [("Content-Type", "text/plain; charset=utf-8")])


def _listed(site: Site) -> list[Report]:
    """The site's genuine reports, newest first: every list here."""
    return sorted(site.reports, key=lambda r: (-r.year, r.path))


def _row(report: Report) -> str:
    """One list row, a real link."""
    title = escape(report.title)
    return (f'<li><a href="{report.path}" target="_blank" title="{title}">{title}</a>'
            f'<span class="date">{report.published}</span></li>')


def _in_template(site: Site, options: dict[str, Any], **fields: Any) -> Reply:
    page = site.template(options.get("template", "list.html")).safe_substitute(
        agency=site.meta["name"], title=options.get("title", "政府信息公开年报"), **fields)
    return _html(site, page)


# ----------------------------------------------------------- action/postback
def _viewstate(page: int) -> str:
    """A deterministic __VIEWSTATE-like blob for page ``page``."""
    raw = b"\xff\x01\x0f\x0f\x05\n" + hashlib.sha1(f"pager|{page}".encode()).digest() * 3
    return "/wEPDwUKMTY0NjU4MDk3Mg9kFgJmD2QWAgIDD2QWAg" + base64.b64encode(raw).decode()


@handler("act_postback")
def act_postback(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``List.aspx``: a GET (any query) is page 1; a POST with ``__EVENTTARGET`` = the
    pager (``options["pager"]``) and ``__EVENTARGUMENT`` = N is page N (out of range:
    the last page); any other POST is page 1, as ASP.NET shows a postback it has no
    event for."""
    per_page = int(options.get("per_page", 2))
    pager = options.get("pager", "ctl00$Main$pager")
    reports = _listed(site)
    pages = max(1, -(-len(reports) // per_page))
    page = 1
    if request.method == "POST":
        form = _form(request)
        if form.get("__EVENTTARGET") == pager and "__VIEWSTATE" in form:
            page = min(max(1, _int(form.get("__EVENTARGUMENT"), 1)), pages)
    rows = "\n".join(_row(r) for r in reports[(page - 1) * per_page: page * per_page])

    def post(n: int, text: object) -> str:
        return f"<a href=\"javascript:__doPostBack('{pager}','{n}')\">{text}</a>"

    links = [post(1, "首页") if page > 1 else "<span>首页</span>"]
    links.append(post(page - 1, "上一页") if page > 1 else "<span>上一页</span>")
    links += [f'<span class="current">{n}</span>' if n == page else post(n, n)
              for n in range(1, pages + 1)]
    links.append(post(page + 1, "下一页") if page < pages else "<span>下一页</span>")
    links.append(post(pages, "尾页") if page < pages else "<span>尾页</span>")
    links.append(f"<span>共{len(reports)}条 第{page}/{pages}页</span>")
    pager_id = pager.replace("$", "_")
    return _in_template(site, options, list=rows, viewstate=_viewstate(page), page=page,
                        pager=f'<div id="{pager_id}" class="pager">{" ".join(links)}</div>')


# ---------------------------------------------------------- action/openDetail
def _detail_id(report: Report) -> str:
    match = re.search(r"id=(\d+)", report.path)
    assert match, f"{report.path}: a detail page needs ?id="
    return match.group(1)


def _detail_rows(site: Site, year: int) -> str:
    rows = [r for r in _listed(site) if r.year == year]
    if not rows:
        return '<li class="empty">暂无数据</li>'
    return "\n".join(f'<li><a href="javascript:void(0)" onclick="openDetail(\'{_detail_id(r)}\')"'
                     f' title="{escape(r.title)}">{escape(r.title)}</a>'
                     f'<span class="date">{r.published}</span></li>' for r in rows)


def _years(site: Site, options: dict[str, Any]) -> list[int]:
    return [int(y) for y in options.get("years") or sorted({r.year for r in site.reports},
                                                           reverse=True)]


@handler("act_year_list")
def act_year_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The column: a year ``<select>`` (``options["years"]``, the newest chosen) and the
    newest year's ``openDetail`` rows."""
    years = _years(site, options)
    select = "\n".join(f'<option value="{y}"{" selected" if n == 0 else ""}>{y}年</option>'
                       for n, y in enumerate(years))
    return _in_template(site, options, years=select, year=years[0],
                        list=_detail_rows(site, years[0]))


@handler("act_year_rows")
def act_year_rows(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``list.jsp?year=Y``: the rows of year Y, an HTML fragment (暂无数据 for a year
    with none); no year: 400."""
    year = _int(_query(request).get("year"), 0)
    if not year:
        return _bad("year required")
    return _html(site, _detail_rows(site, year) + "\n")


# ------------------------------------------------------------ action/loadmore
@handler("act_more_list")
def act_more_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The column: its first ``size`` rows as links; the rest behind 加载更多."""
    size = int(options.get("size", 2))
    reports = _listed(site)
    return _in_template(site, options, list="\n".join(_row(r) for r in reports[:size]),
                        total=len(reports), size=size)


@handler("act_more_json")
def act_more_json(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``?channelId=C&page=N&size=S``: ``{"code", "total", "page", "size", "hasMore",
    "list": [{"id", "title", "url", "date"}]}``; another channel: an empty list."""
    query = _query(request)
    page, size = max(1, _int(query.get("page"), 1)), min(20, max(1, _int(query.get("size"), 2)))
    reports = _listed(site) if query.get("channelId") == str(options.get("channel")) else []
    batch = reports[(page - 1) * size: page * size]
    return _json({"code": 0, "msg": "success", "total": len(reports), "page": page,
                  "size": size, "hasMore": page * size < len(reports),
                  "list": [{"id": int(hashlib.sha1(r.path.encode()).hexdigest()[:6], 16),
                            "title": r.title, "url": r.path, "date": r.published}
                           for r in batch]})


# -------------------------------------------------------------- action/scroll
@handler("act_scroll_list")
def act_scroll_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The column: its first ``first`` rows; the rest load as the reader scrolls."""
    first = int(options.get("first", 3))
    reports = _listed(site)
    return _in_template(site, options, list="\n".join(_row(r) for r in reports[:first]),
                        total=len(reports))


@handler("act_scroll_rows")
def act_scroll_rows(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``?channelId=C&start=K&size=S``: rows K.. K+S-1 (from 0) as ``<li>`` elements;
    past the end or another channel: nothing (an empty 200)."""
    query = _query(request)
    start, size = max(0, _int(query.get("start"), 0)), min(20, max(1, _int(query.get("size"), 2)))
    reports = _listed(site) if query.get("channelId") == str(options.get("channel")) else []
    return _html(site, "".join(_row(r) + "\n" for r in reports[start:start + size]))


# ---------------------------------------------------------------- action/tabs
@handler("act_tab")
def act_tab(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``?col=NAME``: the tab's list, an HTML fragment: the reports for ``options["reports"]``
    (the 年报 tab), the ``options["tabs"][NAME]`` entries for the others; unknown: 404."""
    col = _query(request).get("col", "")
    if col == options.get("reports"):
        rows = "\n".join(_row(r) for r in _listed(site))
    elif col in (options.get("tabs") or {}):
        rows = "\n".join(f'<li><a href="{e["href"]}" target="_blank" title="{escape(e["title"])}">'
                         f'{escape(e["title"])}</a><span class="date">{e["date"]}</span></li>'
                         for e in options["tabs"][col])
    else:
        return _not_found()
    return _html(site, f'<ul class="list" data-col="{escape(col)}">\n{rows}\n</ul>\n')


# ------------------------------------------------------------------ action/app
@handler("act_app_list")
def act_app_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """POST ``{"channelCode", "pageNum", "pageSize"}``: ``{"code": 200, "data": {"total",
    "records": [{"id", "title", "publishTime"}]}}``; a GET, another channel: none."""
    try:
        asked = json.loads(request.body or b"{}")
    except ValueError:
        return _bad("not JSON")
    reports = _listed(site) if request.method == "POST" and \
        asked.get("channelCode") == options.get("channel") else []
    page, size = max(1, _int(asked.get("pageNum"), 1)), min(50, max(1, _int(asked.get("pageSize"),
                                                                           10)))
    batch = reports[(page - 1) * size: page * size]
    return _json({"code": 200, "msg": "操作成功", "data": {
        "total": len(reports), "records": [{"id": _detail_id(r), "title": r.title,
                                            "publishTime": r.published} for r in batch]}})


@handler("act_app_detail")
def act_app_detail(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``?id=ID``: ``{"code": 200, "data": {"id", "title", "publishTime", "content"}}``,
    the report's HTML (and its attachments' links) in ``content``."""
    wanted = _query(request).get("id")
    for report in site.reports:
        if _detail_id(report) == wanted:
            _, body = render_report(ReportSpec(agency=site.meta["name"], year=report.year,
                                               format=report.format,
                                               published=report.published))
            body += "".join(f'<p>附件：<a href="{path}">{escape(report.title)}.{ext}</a></p>'
                            for path, ext in report.attachments)
            return _json({"code": 200, "msg": "操作成功", "data": {
                "id": wanted, "title": report.title, "publishTime": report.published,
                "source": site.meta["name"], "content": body}})
    return _json({"code": 404, "msg": "文章不存在", "data": None})
