"""Generated responses for the demo web: report pages and documents, report columns in
each CMS family's style, the families' list APIs, and endless calendars.

A site names one in ``site.yaml`` (``handler: NAME`` on a route, or through its
``reports:``/``columns:``); adding a site that uses them is adding data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import parse_qs

from .catalog import Column, Entry, Report
from .reports import ReportSpec, render_report, render_report_docx, render_report_pdf
from .server import Reply, Request, Site

HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


def _text_reply(site: Site, text: str, content_type: str = "text/html") -> Reply:
    return Reply(200, text.encode(site.encoding, "xmlcharrefreplace"),
                 [("Content-Type", f"{content_type}; charset={site.encoding}")])


def _spec(site: Site, report: Report) -> ReportSpec:
    return ReportSpec(agency=site.meta["name"], year=report.year, format=report.format,
                      published=report.published)


# --------------------------------------------------------------------- reports
@handler("report")
def report(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A report page in the site's own article template (``_templates/article.html``)."""
    item = site.reports[options["report"]]
    title, body = render_report(_spec(site, item))
    links = "".join(f'<li><a href="{path}">{escape(item.title)}.{ext}</a></li>'
                    for path, ext in item.attachments)
    page = site.template(options.get("template", "article.html")).safe_substitute(
        title=item.title, pubdate=item.published, body=body, agency=site.meta["name"],
        attachments=f'<div class="attachments">附件：<ul>{links}</ul></div>' if links else "",
        hex_id=item.hex_id, year=item.year)
    return _text_reply(site, page)


@handler("report_pdf")
def report_pdf(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    item = site.reports[options["report"]]
    return Reply(200, render_report_pdf(_spec(site, item)), [("Content-Type", "application/pdf")])


@handler("report_docx")
def report_docx(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    item = site.reports[options["report"]]
    return Reply(200, render_report_docx(_spec(site, item)), [("Content-Type", DOCX_TYPE)])


# --------------------------------------------------------------------- columns
def _items(entries: list[Entry], truncate: int = 0) -> str:
    """List entries; with ``truncate``, titles cut short to that many characters and no
    title attribute, as many older templates print them."""
    def anchor(e: Entry) -> str:
        if truncate and len(e.title) > truncate:
            return f'<a href="{e.href}" target="_blank">{escape(e.title[:truncate])}...</a>'
        return f'<a href="{e.href}" target="_blank" title="{escape(e.title)}">{escape(e.title)}</a>'
    return "\n".join(f'<li>{anchor(e)}<span class="date">{e.date}</span></li>' for e in entries)


def _page(entries: list[Entry], column: Column, page: int) -> list[Entry]:
    return entries[(page - 1) * column.per_page: page * column.per_page]


@handler("column")
def column(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    col = site.columns[options["column"]]
    body = STYLES[col.style](site, col, int(options.get("page", 1)))
    page = site.template(col.options.get("template", "list.html")).safe_substitute(
        title=col.title, list=body, agency=site.meta["name"])
    return _text_reply(site, page)


def _hanweb_list(site: Site, col: Column, page: int) -> str:
    """大汉 JCMS: the first group as CDATA records in a datastore, the jpage call after it."""
    group = int(col.options.get("group_size", 3))
    unit = col.options.get("unitid", str(int(col.column_id) * 3 + 7))
    proxy = col.options.get("proxy", "/module/jpage/dataproxy.jsp")
    webid = col.options.get("webid", "3190")
    records = "\n".join(f"<record><![CDATA[\n{_items([e])}\n]]></record>"
                        for e in col.entries[:col.per_page * group])
    nextgroup = (f'<a href="{proxy}?page=1&appid=1&webid={webid}&path=/&columnid={col.column_id}'
                 f'&unitid={unit}&webname={site.meta["name"]}&permissiontype=0"></a>')
    declared = f"proxyUrl:'{proxy}'," if col.options.get("declare_proxy") else ""
    return (f'<div id="{unit}"><script type="text/xml"><datastore>\n'
            f"<nextgroup><![CDATA[{nextgroup}]]></nextgroup>\n<recordset>\n{records}\n"
            f"</recordset>\n</datastore></script></div>\n"
            f'<script type="text/javascript">\n$(function(){{ $("#{unit}").jpage({{\n'
            f"  dataStore: null, {declared}perPage:{col.per_page}, groupSize:{group},\n"
            f"  barPosition:'bottom', dataBefore:'<ul>', dataAfter:'</ul>',\n"
            f"  ajaxParam:{{col:1,appid:1,webid:{webid},path:'/',columnid:{col.column_id},"
            f"sourceContentType:1,unitid:'{unit}',webname:'{site.meta['name']}',"
            f"permissiontype:0}}\n}});}});\n</script>")


@handler("hanweb_dataproxy")
def hanweb_dataproxy(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``dataproxy.jsp?startrecord=S&endrecord=E&perpage=P`` with the column's form fields."""
    query = {k: v[0] for k, v in parse_qs(request.query).items()}
    form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
    col = next((c for c in site.columns.values()
                if c.style == "hanweb" and c.column_id == form.get("columnid")), None)
    if request.method != "POST" or col is None or "startrecord" not in query:
        return Reply(400, b"bad dataproxy request", [("Content-Type", "text/plain")])
    start, end = int(query["startrecord"]), int(query["endrecord"])
    records = "".join(f"<record><![CDATA[\n{_items([e])}\n]]></record>\n"
                      for e in col.entries[start - 1:end])
    total = len(col.entries)
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord>'
           f"<totalpage>{-(-total // col.per_page)}</totalpage><recordset>\n{records}"
           f"</recordset></datastore>")
    return Reply(200, xml.encode("utf-8"), [("Content-Type", "text/xml;charset=UTF-8")])


def _trs_list(site: Site, col: Column, page: int) -> str:
    """拓尔思 TRS: index.html, index_1.html... with the count only in createPageHTML()."""
    count = max(1, -(-len(col.entries) // col.per_page))
    return (f'<ul class="list">{_items(_page(col.entries, col, page))}</ul>\n'
            f'<div class="page"><script>\nvar currentPage = {page - 1};//所在页从0开始\n'
            f"var prevPage = currentPage-1//上一页\nvar nextPage = currentPage+1//下一页\n"
            f"var countPage = {count}//共多少页\n"
            f'createPageHTML(countPage, currentPage, "index", "html");\n</script></div>')


def _pages_list(site: Site, col: Column, page: int) -> str:
    """Plain/Ucap lists: numbered pages and 下一页 links (index.html, index_2.html...)."""
    count = max(1, -(-len(col.entries) // col.per_page))
    stem, ext = col.path.rsplit("/", 1)[-1].rsplit(".", 1)

    def href(n: int) -> str:
        return f"{stem}.{ext}" if n == 1 else f"{stem}_{n}.{ext}"

    pager = [f'<a href="{href(1)}">首页</a>']
    if page > 1:
        pager.append(f'<a href="{href(page - 1)}">上一页</a>')
    pager += [f"<span>{n}</span>" if n == page else f'<a href="{href(n)}">{n}</a>'
              for n in range(1, count + 1)]
    if page < count:
        pager.append(f'<a href="{href(page + 1)}">下一页</a>')
    pager.append(f'<a href="{href(count)}">尾页</a>')
    items = _items(_page(col.entries, col, page), int(col.options.get("truncate", 0)))
    return f'<ul class="list">{items}</ul>\n<div class="pager">{" ".join(pager)}</div>'


def _json_entry(entry: Entry, index: int) -> dict[str, Any]:
    return {"id": str(1881355362445262848 - index * 7919), "title": entry.title,
            "showTitle": f"<p>{entry.title}</p>", "pubDate": f"{entry.date} 09:30",
            "urls": json.dumps({"pc": entry.href}), "type": 0, "articleFiles": [{}]}


def _sitegroup_list(site: Site, col: Column, page: int) -> str:
    """Site-group platform: the first page inline as JSON, the rest from a POSTed JSON API."""
    first = [_json_entry(e, i) for i, e in enumerate(col.entries[:col.per_page])]
    channel = col.options.get("channel", f"col{col.column_id}")
    unit = col.options.get("unitid", "380066")
    return (f'<div id="div{unit}"></div>\n<script>\n'
            f"var listData = {{\n  articleList: {json.dumps(first, ensure_ascii=False)},\n}};\n"
            f"var params = {{\n  current: 1,\n  unitid: '{unit}',\n"
            f"  webSiteCode: ['{col.options.get('site_code', 'site')}'],\n"
            f"  channelCode: ['{channel}'],\n  perPage: '{col.per_page}',\n  groupSize: 1,\n}};\n"
            f"function loadPageData(params, unitid) {{\n"
            f"  $.ajax({{ url: '{col.options['api']}', type: 'POST', "
            f"contentType: 'application/json', data: JSON.stringify(params),\n"
            f"    success: function (res) {{ render(res.data.list, unitid); }} }});\n}}\n"
            f"</script>")


@handler("sitegroup_api")
def sitegroup_api(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    try:
        params = json.loads(request.body or b"{}")
    except ValueError:
        return Reply(400, b'{"code":400}', [("Content-Type", "application/json")])
    col = site.columns[options["column"]]
    page = int(params.get("current", 1))
    size = int(params.get("perPage", col.per_page))
    entries = col.entries[(page - 1) * size: page * size]
    data = {"code": 200, "msg": "success",
            "data": {"total": len(col.entries), "current": page,
                     "list": [_json_entry(e, (page - 1) * size + i)
                              for i, e in enumerate(entries)]}}
    return Reply(200, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                 [("Content-Type", "application/json;charset=UTF-8")])


STYLES = {"hanweb": _hanweb_list, "trs": _trs_list, "pages": _pages_list,
          "sitegroup": _sitegroup_list}


# ---------------------------------------------------------------------- traps
@handler("calendar")
def calendar(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A 公开日历 whose every day links the next one: an endless URL space."""
    match = re.search(r"(\d{4})/(\d{2})/(\d{2})", request.path)
    year, month, day = (int(g) for g in match.groups()) if match else (2024, 1, 1)
    day += 1
    if day > 28:
        day, month = 1, month + 1
    if month > 12:
        month, year = 1, year + 1
    prefix = request.path[:match.start()] if match else request.path
    link = f"{prefix}{year:04d}/{month:02d}/{day:02d}.html"
    page = (f"<html><head><meta charset='{site.encoding}'><title>信息公开日历</title></head><body>"
            f"<a href='{link}'>信息公开日历 {year}-{month:02d}-{day:02d}</a></body></html>")
    return _text_reply(site, page)
