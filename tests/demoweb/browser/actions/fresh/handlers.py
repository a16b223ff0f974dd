"""Generated responses of the action fresh web (``tests/demoweb/browser/actions/fresh/``).

A route's ``handler: NAME`` in a site's ``site.yaml`` names one of these (``af_*``); the
route's other keys are its options. Lists are built from the site's own ``reports`` (the
catalog's, newest first), so a list and the truth never disagree. A row is written with
the route's ``row`` format, whose fields are ``{url}`` (the report's path), ``{title}``,
``{date}``, ``{year}``, ``{id}`` (the last long run of digits of its path) and ``{hex}``
(its 32-hex id).

- ``af_list``: a list page (``_templates/<template>``): ``$rows`` are the first ``show``
  reports (or those of ``years``), ``$heads`` one ``head`` line per year not shown;
- ``af_api``: a list's script endpoint (GET query or POST form): a ``page`` (fixed
  ``per_page`` or a ``size_key``), or a ``year``, or a tree ``node``; an HTML fragment
  (``format: html``) or JSON laid out by ``json:`` (dotted paths, see ``_json_rows``);
- ``af_app_list`` / ``af_app_detail``: a single-page app's JSON API (``style: a``: a
  POSTed JSON body, ``{"code":200,"data":...}``; ``style: b``: GET queries,
  ``{"status":"0000","result":...}`` with pinyin field names); a report's HTML exists
  only inside ``af_app_detail``'s JSON;
- traps: ``af_calendar`` (a 公开日历's months and days, endless both ways), ``af_search``
  (站内搜索 results, endless pages), ``af_sink`` (a login or a 留言 submission),
  ``af_related`` (相关新闻 换一批: an endless supply of news links) and ``af_news`` (those
  news pages: never a report).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from typing import Any
from urllib.parse import parse_qs, quote

from tests.demoweb.catalog import Report
from tests.demoweb.reports import ReportSpec, render_report
from tests.demoweb.server import Reply, Request, Site

__all__ = ["HANDLERS", "app_content", "params", "related_rows", "row_fields"]

HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


def _page(site: Site, text: str, content_type: str = "text/html", status: int = 200) -> Reply:
    return Reply(status, text.encode(site.encoding, "xmlcharrefreplace"),
                 [("Content-Type", f"{content_type}; charset={site.encoding}"),
                  ("Cache-Control", "no-cache")])


def _json(data: Any, status: int = 200) -> Reply:
    """JSON in UTF-8 whatever the site's charset, as the sites' APIs answer."""
    return Reply(status, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                 [("Content-Type", "application/json;charset=UTF-8"),
                  ("Cache-Control", "no-cache")])


def params(request: Request) -> dict[str, str]:
    """The query's and the (form) body's fields; the body's win."""
    fields = {k: v[0] for k, v in parse_qs(request.query).items()}
    body = request.body.decode("latin-1")
    if not body.lstrip().startswith("{"):
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


# ------------------------------------------------------------------------ lists
@handler("af_list")
def af_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    reports = _reports(site, options)
    shown = reports[:int(options.get("show", len(reports)))]
    size = int(options.get("per_page", max(1, len(shown))))
    head = options.get("head", "")
    others = sorted({r.year for r in site.reports} - {r.year for r in shown}, reverse=True)
    heads = "\n".join(head.format(year=y) for y in others) if head else ""
    return _render(site, options["template"], rows=_rows(shown, options), heads=heads,
                   total=len(reports), pages=max(1, -(-len(reports) // size)))


def _nest(data: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    for key in keys[:-1]:
        data = data.setdefault(key, {})
    data[keys[-1]] = value


def _json_rows(layout: dict[str, Any], chosen: list[Report], page: int, pages: int,
               total: int) -> dict[str, Any]:
    """``layout``: ``list`` (dotted path of the rows), ``fields`` ({name: title | url |
    date | year | id | hex}), optional ``page`` / ``pages`` / ``total`` paths and
    ``extra`` ({dotted path: constant})."""
    data: dict[str, Any] = {}
    for path, value in (layout.get("extra") or {}).items():
        _nest(data, path, value)
    for key, value in (("page", page), ("pages", pages), ("total", total)):
        if key in layout:
            _nest(data, layout[key], value)
    rows = []
    for report in chosen:
        fields = dict(row_fields(report), title=report.title)
        rows.append({name: fields[source] for name, source in layout["fields"].items()})
    _nest(data, layout["list"], rows)
    return data


@handler("af_api")
def af_api(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``page_key`` (with ``per_page`` or ``size_key``), ``year_key`` or ``node_key``
    (``nodes``: {node id: year}, ``node_extra``: {node id: fragment}): that part of the
    list; other fields the list's script sends (``require``: {name: value}) must match."""
    if request.method not in options.get("methods", ["GET", "POST"]):
        return Reply(405, b"method not allowed", [("Content-Type", "text/plain")])
    fields = params(request)
    for name, value in (options.get("require") or {}).items():
        if fields.get(name) != str(value):
            return _json({"code": "400", "msg": f"参数错误：{name}"}, 400)
    page, pages = 1, 1
    if "node_key" in options:
        node = fields.get(options["node_key"], "")
        extra = (options.get("node_extra") or {}).get(node)
        if extra is not None:
            return _page(site, extra)
        year = (options.get("nodes") or {}).get(node) or (options.get("nodes") or {}).get(
            _int(node, -1))
        chosen = _reports(site, options, int(year)) if year else []
        total = len(chosen)
    elif "year_key" in options:
        chosen = _reports(site, options, _int(fields.get(options["year_key"]), 0))
        total = len(chosen)
    else:
        reports = _reports(site, options)
        size = int(options.get("per_page", 2))
        if "size_key" in options:
            size = max(1, min(50, _int(fields.get(options["size_key"]), size)))
        total = len(reports)
        pages = max(1, -(-total // size))
        page = max(1, _int(fields.get(options.get("page_key", "page")), 1))
        chosen = reports[(page - 1) * size: page * size]
    if options.get("format", "json") == "html":
        return _page(site, _rows(chosen, options))
    return _json(_json_rows(options["json"], chosen, page, pages, total))


# ------------------------------------------------------------- single-page apps
def _app_report(site: Site, key: str, value: str) -> Report | None:
    for report in site.reports:
        if key == "id" and row_fields(report)["id"] == value:
            return report
        if key == "hex" and report.hex_id == value:
            return report
    return None


def app_content(site: Site, report: Report) -> str:
    """The report's HTML as the app's detail API carries it: the generator's body, and
    a link to each attachment (served by the site) after it."""
    _, body = render_report(ReportSpec(agency=site.meta["name"], year=report.year,
                                       format=report.format, published=report.published,
                                       render=report.render))
    for path, ext in report.attachments:
        body += (f'\n<p style="text-indent:32pt">附件：<a href="{path}" target="_blank">'
                 f"{escape(report.title)}.{ext}</a></p>")
    return body


def _app_json_body(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@handler("af_app_list")
def af_app_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The app's column list: ``style: a`` takes a POSTed JSON body ``{"columnCode",
    "pageNum", "pageSize"}``; ``style: b`` a GET query ``lmbm, pageNo, pageSize``."""
    style = options.get("style", "a")
    if style == "a":
        if request.method != "POST":
            return _json({"code": 405, "msg": "Request method 'GET' not supported"}, 405)
        body = _app_json_body(request)
        column, page = str(body.get("columnCode", "")), _int(body.get("pageNum"), 1)
        size = max(1, min(50, _int(body.get("pageSize"), 10)))
    else:
        fields = params(request)
        column, page = fields.get("lmbm", ""), _int(fields.get("pageNo"), 1)
        size = max(1, min(50, _int(fields.get("pageSize"), 10)))
    reports = _reports(site, options) if column == options.get("column") else []
    chosen = reports[(page - 1) * size: page * size]
    if style == "a":
        rows = [{"id": int(row_fields(r)["id"]), "title": r.title, "publishTime": r.published,
                 "columnName": options.get("column_name", "年度报告")} for r in chosen]
        return _json({"code": 200, "msg": "操作成功",
                      "data": {"total": len(reports), "pageNum": page, "pageSize": size,
                               "rows": rows}})
    records = [{"articleId": r.hex_id, "biaoti": r.title,
                "fabushijian": f"{r.published} 10:00:00", "lanmubianma": column}
               for r in chosen]
    return _json({"status": "0000", "message": "成功",
                  "result": {"total": len(reports), "pageNo": page, "records": records}})


@handler("af_app_detail")
def af_app_detail(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """One article: ``style: a`` ``?id=N`` → ``{"code":200,"data":{"title","content",
    "publishTime",...}}``; ``style: b`` ``?articleId=HEX`` → ``{"status":"0000","result":
    {"article":{"biaoti","zhengwen","fabushijian",...}}}``."""
    style = options.get("style", "a")
    fields = params(request)
    if style == "a":
        report = _app_report(site, "id", fields.get("id", ""))
        if report is None:
            return _json({"code": 404, "msg": "文章不存在", "data": None})
        return _json({"code": 200, "msg": "操作成功", "data": {
            "id": int(row_fields(report)["id"]), "title": report.title,
            "content": app_content(site, report), "publishTime": report.published,
            "source": f"{site.meta['name']}办公室", "columnName": "年度报告",
            "views": 100 + int(report.hex_id[:3], 16) % 900}})
    report = _app_report(site, "hex", fields.get("articleId", ""))
    if report is None:
        return _json({"status": "4004", "message": "内容不存在", "result": None})
    return _json({"status": "0000", "message": "成功", "result": {"article": {
        "articleId": report.hex_id, "biaoti": report.title, "zhengwen": app_content(site, report),
        "fabushijian": f"{report.published} 10:00:00", "laiyuan": f"{site.meta['name']}办公室",
        "fujian": [{"mingcheng": f"{report.title}.{ext}", "lujing": path}
                   for path, ext in report.attachments]}}})


# ------------------------------------------------------------------------ traps
_EVENTS = ["主任办公会议", "政策解读发布会", "重大项目集中开工", "政府开放日活动", "专题新闻发布会",
           "政务公开工作培训", "营商环境座谈会"]


def _month(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        return 2025, 1
    return int(match.group(1)), int(match.group(2))


@handler("af_calendar")
def af_calendar(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``mode: month`` (``?month=YYYY-MM``): that month's events as JSON, with the
    previous and next months (there is always one); ``mode: day`` (``?date=YYYY-MM-DD``):
    that day's events as an HTML fragment. No month is ever the last."""
    fields = params(request)
    if options.get("mode", "month") == "day":
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", fields.get("date", ""))
        day = date(*(int(g) for g in match.groups())) if match else date(2025, 1, 1)
        seed = int(hashlib.sha1(day.isoformat().encode()).hexdigest(), 16)
        items = [f"<li>{day.month}月{day.day}日 {site.meta['name']}{_EVENTS[(seed >> s) % 7]}</li>"
                 for s in (0, 5)]
        return _page(site, f'<ul class="day-events">{"".join(items)}</ul>')
    year, month = _month(fields.get("month", ""))
    first = date(year, month, 1)
    before = first - timedelta(days=1)
    after = (first + timedelta(days=32)).replace(day=1)
    seed = int(hashlib.sha1(f"{year}-{month}".encode()).hexdigest(), 16)
    days = sorted({1 + (seed >> (4 * i)) % 28 for i in range(4)})
    events = [{"date": f"{year:04d}-{month:02d}-{d:02d}", "title": _EVENTS[(seed >> d) % 7]}
              for d in days]
    return _json({"month": f"{year:04d}-{month:02d}", "prev": f"{before:%Y-%m}",
                  "next": f"{after:%Y-%m}", "events": events})


@handler("af_search")
def af_search(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """站内搜索: 1,286 hits for anything, ten per page, a 下一页 on every page."""
    fields = params(request)
    words, page = fields.get("q", ""), max(1, _int(fields.get("page"), 1))
    hits = "\n".join(f"<li>【第{page}页 第{n}条】与“{escape(words)}”相关的信息：{site.meta['name']}"
                     f"{_EVENTS[(page + n) % 7]}</li>" for n in range(1, 11))
    text = (f'<!DOCTYPE html><html><head><meta charset="{site.encoding}"><title>搜索结果_'
            f'{site.meta["name"]}</title></head><body><div class="search-result">'
            f"<p>共找到 1286 条结果</p><ul>{hits}</ul>"
            f'<a href="{options.get("path", "/search.do")}?q={quote(words)}&amp;page={page + 1}">'
            f"下一页</a></div></body></html>")
    return _page(site, text)


@handler("af_sink")
def af_sink(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A login or a 留言 submission: refused (no account, no captcha), as JSON."""
    return _json({"code": options.get("code", 401), "success": False,
                  "msg": options.get("msg", "用户名或密码错误")})


def _news_title(n: int) -> str:
    subjects = ["全省商务工作会议召开", "外贸企业座谈会在成都举行", "消费品以旧换新政策解读",
                "川货电商节启动", "招商引资项目集中签约", "商贸流通领域安全生产检查",
                "服务业扩大开放试点推进会", "县域商业体系建设现场会"]
    return f"{subjects[n % len(subjects)]}（{n}）"


@handler("af_related")
def af_related(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """相关新闻 换一批: batch N is five news links never served before, forever."""
    batch = max(0, _int(params(request).get("batch"), 1))
    return _page(site, related_rows(batch, options.get("news", "/news/")))


def related_rows(batch: int, base: str) -> str:
    """The five news links of batch ``batch`` (batch 0 is the page's own)."""
    rows = []
    for i in range(5):
        n = 1000 + batch * 5 + i
        day = date(2025, 1, 1) + timedelta(days=n % 300)
        rows.append(f'<li><a href="{base}{n}.shtml" target="_blank" title="{_news_title(n)}">'
                    f"{_news_title(n)}</a><span>{day:%Y-%m-%d}</span></li>")
    return "\n".join(rows)


@handler("af_news")
def af_news(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A news page in the site's article template: never a report."""
    match = re.search(r"(\d+)\.s?html?$", request.path)
    if not match:
        return _page(site, "<html><body><h1>404 Not Found</h1></body></html>", status=404)
    n = int(match.group(1))
    day = date(2025, 1, 1) + timedelta(days=n % 300)
    subject = _news_title(n).split("（")[0]
    body = (f'<p style="text-indent:2em">{day.month}月{day.day}日，{subject}。'
            f"会议要求，各地各部门要进一步抓好工作落实。</p>")
    return _render(site, options.get("template", "article.html"), title=_news_title(n),
                   pubdate=f"{day:%Y-%m-%d}", body=body, attachments="", year=day.year,
                   hex_id="")
