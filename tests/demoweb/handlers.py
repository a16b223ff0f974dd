"""Generated responses for the demo web: report pages and documents, report columns in
each CMS family's style, the families' list APIs, and endless calendars.

A site names one in ``site.yaml`` (``handler: NAME`` on a route, or through its
``reports:``/``columns:``); adding a site that uses them is adding data.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
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
                      published=report.published, render=report.render)


# --------------------------------------------------------------------- reports
@handler("report")
def report(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A report page in the site's own article template (``_templates/article.html``):
    the report itself, or part ``options["part"]`` of it, or only a pointer to its
    document (详见附件, a viewer)."""
    item = site.reports[options["report"]]
    title, body = render_report(_spec(site, item))
    links = "".join(f'<li><a href="{path}">{escape(item.title)}.{ext}</a></li>'
                    for path, ext in item.attachments)
    attachments = f'<div class="attachments">附件：<ul>{links}</ul></div>' if links else ""
    if item.layout == "attachment_only":
        body, attachments = _attachment_only(item), ""
    elif item.layout == "viewer":
        path = item.attachments[0][0]
        body, attachments = (f'<iframe src="/pdfjs/web/viewer.html?file={path}" width="100%" '
                             f'height="800"></iframe>'), ""
    elif item.parts > 1:
        body = _part(item, body, int(options.get("part", 1)))
    page = site.template(options.get("template", "article.html")).safe_substitute(
        title=item.title, pubdate=item.published, body=body, agency=site.meta["name"],
        attachments=attachments, hex_id=item.hex_id, year=item.year)
    if item.render.get("chrome"):  # the site's own furniture around the report changed
        page = page.replace("</body>", f'<div class="visits">{item.render["chrome"]}</div>'
                                       "</body>")
    return _text_reply(site, page)


def _attachment_only(item: Report) -> str:
    """详见附件, and the document linked twice: an icon and its title."""
    path, ext = item.attachments[0]
    return (f"<p>{escape(item.title)}详见附件。</p>\n"
            f'<p><a href="{path}"><img src="/images/{ext}.png" alt=""></a>'
            f'<a href="{path}">{escape(item.title)}.{ext}</a></p>')


def _part(item: Report, body: str, part: int) -> str:
    """Part ``part`` of the report's body (split between its paragraphs and tables),
    with the article pager its CMS writes."""
    blocks = body.split("\n")
    size = -(-len(blocks) // item.parts)
    chunk = "\n".join(blocks[(part - 1) * size: part * size])
    stem = item.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    ext = item.path.rsplit(".", 1)[-1]
    if item.part_style == "trs":
        pager = (f'<div class="page"><script>createPageHTML({item.parts}, {part - 1}, '
                 f'"{stem}", "{ext}");</script></div>')
    else:
        paths = [f"{stem}.{ext}"] + [p.rsplit("/", 1)[-1] for p in item.part_paths()]
        pager = " ".join(f"<span>{n}</span>" if n == part else f'<a href="{path}">{n}</a>'
                         for n, path in enumerate(paths, 1))
        if part < item.parts:
            pager += f' <a href="{paths[part]}">下一页</a>'
        pager = f'<div class="pages">{pager}</div>'
    return f"{chunk}\n{pager}"


@handler("report_pdf")
def report_pdf(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    item = site.reports[options["report"]]
    return Reply(200, render_report_pdf(_spec(site, item)), [("Content-Type", "application/pdf")])


@handler("report_docx")
def report_docx(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    item = site.reports[options["report"]]
    return Reply(200, render_report_docx(_spec(site, item)), [("Content-Type", DOCX_TYPE)])


@handler("report_ofd")
def report_ofd(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """An OFD package (a zip naming OFD.xml): archived, not read."""
    item = site.reports[options["report"]]
    buffer = io.BytesIO()
    xml = (f'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" DocType="OFD"><ofd:DocBody>'
           f"<ofd:DocInfo><ofd:Title>{escape(item.title)}</ofd:Title></ofd:DocInfo>"
           f"</ofd:DocBody></ofd:OFD>")
    with zipfile.ZipFile(buffer, "w") as package:  # a fixed date: the same bytes every time
        package.writestr(zipfile.ZipInfo("OFD.xml", (2025, 1, 20, 0, 0, 0)), xml)
    return Reply(200, buffer.getvalue(), [("Content-Type", "application/ofd")])


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
    """大汉 JCMS: the first group as CDATA records in a datastore, the jpage call after it.
    Options write it the ways real pages do: ``params: variable`` (``ajaxParam:
    jpageParamNNN`` with quoted keys, set before the call), ``perpage_key: perpage``,
    ``declare_proxy``, ``declare_total: N`` (a total the column states)."""
    o = col.options
    group = int(o.get("group_size", 3))
    unit = o.get("unitid", str(int(col.column_id) * 3 + 7))
    proxy = o.get("proxy", "/module/jpage/dataproxy.jsp")
    webid = o.get("webid", "3190")
    records = "\n".join(f"<record><![CDATA[\n{_items([e])}\n]]></record>"
                        for e in col.entries[:col.per_page * group])
    nextgroup = (f'<a href="{proxy}?page=1&appid=1&webid={webid}&path=/&columnid={col.column_id}'
                 f'&unitid={unit}&webname={site.meta["name"]}&permissiontype=0"></a>')
    declared = f"proxyUrl:'{proxy}'," if o.get("declare_proxy") else ""
    if "declare_total" in o:
        declared += f"totalRecord:{o['declare_total']},"
    fields = (f"col:1,appid:1,webid:{webid},path:'/',columnid:{col.column_id},"
              f"sourceContentType:1,unitid:'{unit}',webname:'{site.meta['name']}',"
              f"permissiontype:0")
    before, param = "", f"{{{fields}}}"
    if o.get("params") == "variable":
        quoted = re.sub(r"(\w+):", r'"\1":', fields)
        before, param = f"var jpageParam{unit} = {{{quoted}}};\n", f"jpageParam{unit}"
    per_page = f"{o.get('perpage_key', 'perPage')}:{col.per_page}"
    return (f'<div id="{unit}"><script type="text/xml"><datastore>\n'
            f"<nextgroup><![CDATA[{nextgroup}]]></nextgroup>\n<recordset>\n{records}\n"
            f"</recordset>\n</datastore></script></div>\n"
            f'<script type="text/javascript">\n{before}$(function(){{ $("#{unit}").jpage({{\n'
            f"  dataStore: null, {declared}{per_page}, groupSize:{group},\n"
            f"  barPosition:'bottom', dataBefore:'<ul>', dataAfter:'</ul>',\n"
            f"  ajaxParam:{param}\n}});}});\n</script>")


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
    """Plain/Ucap/JEECMS lists: numbered pages and 下一页 (index.html, index_2.html...).
    ``pager: gopage`` writes them as ``javascript:goPage(n)`` calls, ``pager: onclick``
    as JEECMS's ``onclick="location.href='index_2.jhtml'"``; ``count: true`` prints
    共N条记录 page/pages页."""
    count = max(1, -(-len(col.entries) // col.per_page))
    stem, ext = col.path.rsplit("/", 1)[-1].rsplit(".", 1)
    style = col.options.get("pager", "href")

    def href(n: int) -> str:
        return f"{stem}.{ext}" if n == 1 else f"{stem}_{n}.{ext}"

    def link(n: int, text: object) -> str:
        if style == "gopage":
            return f'<a href="javascript:goPage({n})">{text}</a>'
        if style == "onclick":
            return f'<a href="#" onclick="location.href=\'{href(n)}\'">{text}</a>'
        return f'<a href="{href(n)}">{text}</a>'

    pager = [link(1, "首页")]
    if page > 1:
        pager.append(link(page - 1, "上一页"))
    pager += [f'<span class="Num on">{n}</span>' if n == page else link(n, n)
              for n in range(1, count + 1)]
    if page < count:
        pager.append(link(page + 1, "下一页"))
    pager.append(link(count, "尾页"))
    if col.options.get("count"):
        pager.append(f"<span>共{len(col.entries)}条记录 {page}/{count}页</span>")
    script = ""
    if style == "gopage":
        script = (f"<script>function goPage(n) {{ if (n == 1) {{ location.href = "
                  f"'{stem}.{ext}'; }} else {{ location.href = '{stem}_' + n + '.{ext}'; }} }}"
                  f"</script>")
    items = _items(_page(col.entries, col, page), int(col.options.get("truncate", 0)))
    return f'<ul class="list">{items}</ul>\n<div class="pager">{" ".join(pager)}</div>{script}'


def _listmodel_list(site: Site, col: Column, page: int) -> str:
    """TRS site-group template ("动静结合"): the page's records as static <dl>s, then the
    listModel call that says the column's size; pages after ``max_static`` exist only
    in the site's search service."""
    items = "\n".join(f'<dl><dd><a href="{e.href}" title="{escape(e.title)}">{escape(e.title)}'
                      f"</a></dd><dd>{e.date}</dd></dl>" for e in _page(col.entries, col, page))
    return (f'<div class="rules_tabs_01" ms-visible="showStatic">{items}</div>\n'
            f'<div class="page_base" ms-controller="list_pagebar"></div>\n'
            f'<script>require(["list2.trsapi", "tools"], function(listModel, tools) {{\n'
            f'  listModel({{quickMode: "动静结合", maxStaticIndex: {col.max_static},\n'
            f'    listArgs: {{channelid: SiteInfo.searchId, classsql: "" || "chnlid='
            f'{col.column_id}"}},\n'
            f"    pagebar: {{prepage: {col.per_page}, recordCount: '{len(col.entries)}', "
            f'pgTemp: "pgBar_xxgk.html"}},\n'
            f"    callToPage: function(p) {{ $('html,body').animate({{scrollTop: 0}}, 800); }}\n"
            f"  }});\n}});</script>")


def _gkmlpt_list(site: Site, col: Column, page: int) -> str:
    """广东 政府信息公开目录平台: an empty shell; the script names the site id and the
    catalogue comes from the link's fragment (``annualreport#2629``)."""
    return (f'<div id="app" class="gkmlpt-list"></div>\n<script>\n'
            f"window._CONFIG = {{ SID: '{col.options.get('sid', '175')}', BASE: '/gkmlpt/' }};"
            f"\n</script>")


@handler("gkmlpt_api")
def gkmlpt_api(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``GET /gkmlpt/api/all/<catalogue>?page=N&sid=S``: ``{"total", "articles"}``."""
    col = site.columns[options["column"]]
    query = {k: v[0] for k, v in parse_qs(request.query).items()}
    if query.get("sid") != str(col.options.get("sid", "175")):
        return Reply(200, b'{"total":0,"articles":[]}', [("Content-Type", "application/json")])
    page = int(query.get("page", 1))
    entries = _page(col.entries, col, page)
    articles = [{"id": 4100000 + i, "title": e.title, "url": f"http://{site.host}{e.href}",
                 "publisher": site.meta["name"], "created_at": e.date}
                for i, e in enumerate(entries)]
    body = json.dumps({"total": len(col.entries), "page": page, "articles": articles},
                      ensure_ascii=False)
    return Reply(200, body.encode("utf-8"), [("Content-Type", "application/json;charset=UTF-8")])


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
          "sitegroup": _sitegroup_list, "listmodel": _listmodel_list, "gkmlpt": _gkmlpt_list}


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
