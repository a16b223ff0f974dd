"""Generated responses of the action variant web (``tests/demoweb/browser/actions/variants/``).

A route's ``handler: NAME`` in a site's ``site.yaml`` names one of these (``av_*``); the
route's other keys are its options. Lists are built from the site's own ``reports`` (the
catalog's, newest first), so the rows always point at the genuine report pages; a row is
written with the route's ``row`` format, whose fields are ``{url}`` (the report's path),
``{title}``, ``{date}``, ``{year}``, ``{id}`` (the last long run of digits of its path)
and ``{hex}`` (its 32-hex id).

- ``av_list``: a list page (``_templates/<template>``) whose ``$rows`` are the first
  ``show`` reports (or those of ``years``), as a server renders a list's first screen;
- ``av_api``: the list's script endpoint (GET query or POST form): a ``page`` or a
  ``start`` offset and a size, or a ``year``; JSON (``json: a | b``) or an HTML fragment;
- ``av_postback``: an ASP.NET WebForms list: GET is page 1, a POST of the form with
  ``__EVENTTARGET`` = the pager and ``__EVENTARGUMENT`` = N is page N.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import parse_qs

from tests.demoweb.catalog import Report
from tests.demoweb.server import Reply, Request, Site

__all__ = ["HANDLERS", "params", "row_fields"]

HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


def _page(site: Site, text: str, content_type: str = "text/html") -> Reply:
    return Reply(200, text.encode(site.encoding, "xmlcharrefreplace"),
                 [("Content-Type", f"{content_type}; charset={site.encoding}"),
                  ("Cache-Control", "no-cache")])


def _json(data: Any) -> Reply:
    """JSON in UTF-8 whatever the site's charset, as the sites' APIs answer."""
    return Reply(200, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                 [("Content-Type", "application/json;charset=UTF-8"),
                  ("Cache-Control", "no-cache")])


def params(request: Request) -> dict[str, str]:
    """The query's and the (form) body's fields; the body's win."""
    fields = {k: v[0] for k, v in parse_qs(request.query).items()}
    body = request.body.decode("latin-1")
    fields.update({k: v[0] for k, v in parse_qs(body).items()})
    return fields


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _reports(site: Site, options: dict[str, Any], year: int | None = None) -> list[Report]:
    listed = sorted(site.reports, key=lambda r: -r.year)
    if year is not None:
        return [r for r in listed if r.year == year]
    if "years" in options:
        return [r for r in listed if r.year in options["years"]]
    return listed


def row_fields(report: Report) -> dict[str, Any]:
    digits = re.findall(r"\d{6,}", report.path)
    return {"url": report.path, "title": escape(report.title), "date": report.published,
            "year": report.year, "id": digits[-1] if digits else report.hex_id,
            "hex": report.hex_id}


def _rows(reports: list[Report], options: dict[str, Any]) -> str:
    row = options.get("row", '<li><a href="{url}" target="_blank">{title}</a>'
                             '<span>{date}</span></li>')
    return "\n".join(row.format(**row_fields(r)) for r in reports)


def _render(site: Site, template: str, **fields: Any) -> Reply:
    text = site.template(template).safe_substitute(agency=site.meta["name"], **fields)
    return _page(site, text)


@handler("av_list")
def av_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    reports = _reports(site, options)
    shown = reports[:int(options.get("show", len(reports)))]
    return _render(site, options["template"], rows=_rows(shown, options), total=len(reports))


@handler("av_api")
def av_api(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``page``/``start`` and ``size`` (names: ``page_key``, ``start_key``, ``size_key``),
    or ``year`` (``year_key``): the rows of that page, offset or year."""
    if request.method not in options.get("methods", ["GET", "POST"]):
        return Reply(405, b"method not allowed", [("Content-Type", "text/plain")])
    fields = params(request)
    size = _int(fields.get(options.get("size_key", "size")), int(options.get("per_page", 2)))
    size = max(1, min(size, 50))
    year_key = options.get("year_key")
    if year_key:
        reports = _reports(site, options, _int(fields.get(year_key), 0))
        page, chosen = 1, reports
    else:
        reports = _reports(site, options)
        if "start_key" in options:
            start = max(0, _int(fields.get(options["start_key"]), 0))
            page = start // size + 1
        else:
            page = max(1, _int(fields.get(options.get("page_key", "page")), 1))
            start = (page - 1) * size
        chosen = reports[start:start + size]
    total = len(reports)
    pages = max(1, -(-total // size))
    if options.get("format", "json") == "html":
        return _page(site, _rows(chosen, options))
    items = [row_fields(r) for r in chosen]
    if options.get("json", "a") == "a":
        data: dict[str, Any] = {
            "code": 200, "msg": "操作成功",
            "data": {"total": total, "pageNo": page, "pageCount": pages,
                     "list": [{"id": i["id"], "title": r.title, "url": i["url"],
                               "pubDate": i["date"]} for i, r in zip(items, chosen, strict=True)]}}
    else:
        data = {"success": True, "total": total, "hasMore": page < pages,
                "rows": [{"docId": i["hex"], "docTitle": r.title, "docUrl": i["url"],
                          "docDate": i["date"], "year": r.year}
                         for i, r in zip(items, chosen, strict=True)]}
    return _json(data)


@handler("av_postback")
def av_postback(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """An ASP.NET list: the AspNetPager's links are ``javascript:__doPostBack(...)``."""
    target = options["target"]
    reports = _reports(site, options)
    size = int(options.get("per_page", 2))
    pages = max(1, -(-len(reports) // size))
    page = 1
    if request.method == "POST":
        fields = params(request)
        if fields.get("__EVENTTARGET") == target:
            page = min(pages, max(1, _int(fields.get("__EVENTARGUMENT"), 1)))

    def link(n: int, text: object) -> str:
        return f"<a href=\"javascript:__doPostBack('{target}','{n}')\">{text}</a>"

    def off(text: str) -> str:
        return f'<a disabled="disabled" class="aspNetDisabled">{text}</a>'

    pager = [link(1, "首页") if page > 1 else off("首页"),
             link(page - 1, "上一页") if page > 1 else off("上一页")]
    pager += [f'<span class="cpb">{n}</span>' if n == page else link(n, n)
              for n in range(1, pages + 1)]
    pager += [link(page + 1, "下一页") if page < pages else off("下一页"),
              link(pages, "尾页") if page < pages else off("尾页"),
              f"<span>共{len(reports)}条 第{page}/{pages}页</span>"]
    state = f"/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWAgIBDzwrAAkBAA8WBB4IUGFnZUluZGV4Ag{page}"
    return _render(site, options["template"], rows=_rows(reports[(page - 1) * size:page * size],
                                                          options),
                   pager="\n".join(pager), viewstate=state, page=page)
