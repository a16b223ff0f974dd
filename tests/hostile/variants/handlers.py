"""Generated responses of the variant hostile web (``tests/hostile/variants/``).

Handlers as in ``tests/demoweb/handlers.py`` and ``tests/hostile/handlers.py``: a route's
``handler: NAME`` in a variant site's ``site.yaml`` names one, the route's other keys are
its options. ``HANDLERS`` here go to ``DemoWeb(handlers=...)`` with the hostile web's
(``fault_report`` renders the report pages that are faults). Bodies are deterministic;
the large ones (the link columns, the bombs) are built once and kept in memory.
"""

from __future__ import annotations

import calendar
import datetime
import gzip
import json
import re
import struct
import zlib
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import parse_qs, quote

from tests.demoweb.pdf import _utf16
from tests.demoweb.reports import ReportSpec, render_report_pdf, report_title
from tests.demoweb.server import Reply, Request, Site
from tests.hostile.handlers import _cached, _share, _zeros_stream, fault_report

__all__ = ["HANDLERS", "docx_bomb", "ordinary_title", "xobject_bomb_pdf"]

HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOT_FOUND = b"<html><body><h1>404 Not Found</h1></body></html>"

# The ordinary articles of a Jiangxi department's site: none of them a report, a report
# column or a way into the disclosure area.
ORDINARY = ["关于开展全省安全生产大检查的通知", "厅党组理论学习中心组召开专题学习会",
            "全省系统工作会议在南昌召开", "关于公布行政执法人员名单的公告",
            "厅领导赴赣州开展专题调研", "关于征集民生实事项目建议的公告",
            "召开全面从严治党工作会议", "关于开展优化营商环境专项行动的通知",
            "全省业务骨干培训班在井冈山举办", "关于调整部分行政许可事项的通告",
            "厅机关开展学雷锋志愿服务活动", "关于印发数字政府建设工作要点的通知"]


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


def ordinary_title(n: int) -> str:
    return ORDINARY[n % len(ORDINARY)]


def _query(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.query).items()}


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _page(site: Site, text: str, content_type: str = "text/html") -> Reply:
    return Reply(200, text.encode(site.encoding, "xmlcharrefreplace"),
                 [("Content-Type", f"{content_type}; charset={site.encoding}")])


def _not_found() -> Reply:
    return Reply(404, NOT_FOUND, [("Content-Type", "text/html; charset=utf-8")])


def _json(data: Any) -> Reply:
    return Reply(200, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                 [("Content-Type", "application/json;charset=UTF-8")])


def _in_template(site: Site, options: dict[str, Any], title: str, listing: str) -> Reply:
    page = site.template(options.get("template", "list.html")).safe_substitute(
        title=title, list=listing, agency=site.meta["name"])
    return _page(site, page)


def _listed(site: Site, options: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(title, href, date) of the site's reports and the route's ``extra`` entries,
    newest first: what a script-rendered column's API answers."""
    rows = [(r.title, r.path, r.published) for r in site.reports]
    rows += [(e["title"], e["href"], str(e["date"])) for e in options.get("extra", [])]
    return sorted(rows, key=lambda row: row[2], reverse=True)


def _fillers(site: Site, start: int, count: int) -> list[tuple[str, str, str]]:
    """(title, href, date) of ``count`` ordinary articles from number ``start``, at
    ``site.meta["articles"]`` + n + its ``articles_ext``, served by ``jx_article``."""
    prefix = site.meta.get("articles", "/art/2023/6/")
    ext = site.meta.get("articles_ext", ".html")
    return [(ordinary_title(n), f"{prefix}{n}{ext}", f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}")
            for n in range(start, start + count)]


# ----------------------------------------------------------------- ordinary pages
@handler("jx_article")
def jx_article(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """An ordinary article: a small page, no report. Its number is the last number in
    its path."""
    numbers = re.findall(r"\d+", request.path)
    n = int(numbers[-1]) if numbers else 0
    title = ordinary_title(n)
    name = escape(site.meta["name"])
    return _page(site, f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="{site.encoding}">\n'
                       f'<meta name="SiteName" content="{name}">\n'
                       f'<meta name="ArticleTitle" content="{escape(title)}">\n'
                       f"<title>{escape(title)}_{name}</title>\n</head>\n<body>\n"
                       f'<div class="crumb"><a href="/">首页</a></div>\n'
                       f'<h1>{escape(title)}</h1>\n<div class="content"><p>{escape(title)}。'
                       f"（第{n}号）</p></div>\n</body>\n</html>\n")


@handler("attachment_page")
def attachment_page(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A report's page that only points to its document (详见附件): the year ``year``
    report's title in the site's ``template``, and a link to ``attachment``."""
    year = int(options["year"])
    title = report_title(ReportSpec(agency=site.meta["name"], year=year))
    href, ext = options["attachment"], options["attachment"].rsplit(".", 1)[-1]
    body = (f"<p>{escape(title)}详见附件。</p>\n"
            f'<p>附件：<a href="{href}">{escape(title)}.{ext}</a></p>')
    page = site.template(options.get("template", "article.html")).safe_substitute(
        title=title, pubdate=options.get("published", f"{year + 1}-01-20"), body=body,
        agency=site.meta["name"], attachments="", hex_id=f"{year}0000", year=year)
    return _page(site, page)


@handler("fault_pdf")
def fault_pdf(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The year ``year`` report as a PDF (the demo's report generator): a document that is
    a fault by its route's options (``cut_at``, ``close_delimited``...)."""
    spec = ReportSpec(agency=site.meta["name"], year=int(options["year"]),
                      published=str(options.get("published", "")))
    body = _cached(("fault_pdf", site.meta["name"], spec.year), lambda: render_report_pdf(spec))
    return Reply(200, body, [("Content-Type", "application/pdf")])


# ------------------------------------------------------------- compressed, cut
@handler("compressed_page")
def compressed_page(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``fault_report``'s page for ``year``, compressed with ``coding`` (``gzip``,
    ``deflate``: a zlib stream, ``raw-deflate``: a bare RFC 1951 stream, labelled
    ``deflate``) and cut to ``cut`` (``"40%"``) of the compressed stream: the HTTP message
    is whole (its Content-Length, or its chunks, match what is sent), the stream is not.
    Sent to a client that accepts the coding, to every client with ``always: true``."""
    reply = fault_report(site, request, options)
    coding = options.get("coding", "gzip")
    token = "gzip" if coding == "gzip" else "deflate"
    if not options.get("always") and token not in request.headers.get("Accept-Encoding", ""):
        return reply
    if coding == "gzip":
        packed = gzip.compress(reply.body, mtime=0)
    else:
        packer = zlib.compressobj(6, zlib.DEFLATED, 15 if coding == "deflate" else -15)
        packed = packer.compress(reply.body) + packer.flush()
    reply.body = packed[:_share(options.get("cut", "50%"), len(packed))]
    reply.headers += [("Content-Encoding", token), ("Vary", "Accept-Encoding")]
    return reply


# ------------------------------------------------------------------ redirects
@handler("query_loop")
def query_loop(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A page that redirects (``status``, default 302) to itself with a new query string,
    ``?from=<from>&t=<n + 1>``, whatever query it was asked with: every URL is new, all of
    them the same page once the query is dropped, and none of them ever answers."""
    n = _int(_query(request).get("t"), 0)
    location = f"{request.path}?from={options.get('from', 'xxgk')}&t={n + 1}"
    status = int(options.get("redirect", 302))
    return Reply(status, f'<html><body><a href="{escape(location)}">跳转</a></body></html>'
                 .encode(), [("Content-Type", "text/html; charset=utf-8"),
                             ("Location", location)])


# ---------------------------------------------------------- huge stated sizes
def _filler_items(rows: list[tuple[str, str, str]], date_tag: str = "span") -> str:
    return "\n".join(f'<li><a href="{href}" target="_blank" title="{escape(title)}">'
                     f"{escape(title)}</a><{date_tag}>{date}</{date_tag}></li>"
                     for title, href, date in rows)


@handler("pager_huge")
def pager_huge(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A plain list page ``<column>?page=N`` whose pager says ``共<total>条`` and
    ``共<pages>页``: page 1 lists the column's entries, pages 2 .. ``filled`` four ordinary
    articles each, every later page up to ``pages`` nothing (暂无数据) but the same pager
    with its 下一页; after ``pages``: 404."""
    col = site.columns[options["column"]]
    pages, total = int(options.get("pages", 100_000)), int(options.get("total", 2_000_000))
    page = max(1, _int(_query(request).get("page"), 1))
    if page > pages:
        return _not_found()
    if page == 1:
        rows = [(e.title, e.href, e.date) for e in col.entries]
    elif page <= int(options.get("filled", 3)):
        rows = _fillers(site, 100 + 4 * page, 4)
    else:
        rows = []
    items = _filler_items(rows) if rows else '<li class="empty">暂无数据</li>'
    name = col.path.rsplit("/", 1)[-1]

    def link(n: int, text: object) -> str:
        return f'<a href="{name}?page={n}">{text}</a>'

    pager = [f"<span>共{total}条</span>", f"<span>每页{total // pages}条</span>",
             f"<span>共{pages}页</span>", link(1, "首页")]
    if page > 1:
        pager.append(link(page - 1, "上一页"))
    pager += [f'<b class="cur">{n}</b>' if n == page else link(n, n)
              for n in range(max(1, page - 2), min(pages, page + 4) + 1)]
    if page < pages:
        pager.append(link(page + 1, "下一页"))
    pager += [link(pages, "尾页"), f"<span>第{page}/{pages}页</span>"]
    listing = (f'<ul class="news-list">\n{items}\n</ul>\n'
               f'<div class="fenye">{" ".join(pager)}</div>')
    return _in_template(site, options, col.title, listing)


@handler("trs_shtml_huge")
def trs_shtml_huge(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A TRS column of ``.shtml`` pages whose script says ``createPageHTML(<pages>, <n>,
    "index", "shtml")`` (``pages`` default 99999999): ``index.shtml`` lists the column's
    entries, ``index_1`` .. ``index_<static>`` four ordinary articles each, later pages
    are missing (404)."""
    col = site.columns[options["column"]]
    match = re.search(r"_(\d+)\.shtml$", request.path)
    page = int(match.group(1)) if match else 0
    if page > int(options.get("static", 2)):
        return _not_found()
    if page == 0:
        rows = [(e.title, e.href, e.date) for e in col.entries]
    else:
        rows = _fillers(site, 300 + 10 * page, 4)
    listing = (f'<ul class="list">\n{_filler_items(rows)}\n</ul>\n'
               f'<div class="page"><script language="javascript">\n'
               f'createPageHTML({int(options.get("pages", 99_999_999))}, {page}, "index", '
               f'"shtml");\n</script></div>')
    return _in_template(site, options, col.title, listing)


@handler("inline_column")
def inline_column(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A column whose first page's entries are in its HTML (``<li>`` rows) and whose
    template (``template``) holds the script that pages through an API for the rest."""
    col = site.columns[options["column"]]
    rows = [(e.title, e.href, e.date) for e in col.entries]
    return _in_template(site, options, col.title, _filler_items(rows, "em"))


@handler("json_list_huge")
def json_list_huge(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``GET <api>?channelId=<channel>&pageNo=N&pageSize=S``: ``{"success", "totalCount":
    <total>, "pageCount", "pageNo", "pageSize", "data": [{"title", "url", "pubDate"}]}``;
    the column's entries on page 1, no record on any other page, always the same
    ``totalCount``."""
    col = site.columns[options["column"]]
    query = _query(request)
    page, size = max(1, _int(query.get("pageNo"), 1)), max(1, _int(query.get("pageSize"), 10))
    total = int(options.get("total", 5_000_000))
    wanted = query.get("channelId") == str(options.get("channel", col.column_id))
    rows = [{"id": 91000 + i, "title": e.title, "url": e.href, "pubDate": f"{e.date} 16:30:00"}
            for i, e in enumerate(col.entries[:size])] if page == 1 and wanted else []
    return _json({"success": True, "totalCount": total, "pageCount": -(-total // size),
                  "pageNo": page, "pageSize": size, "data": rows})


@handler("form_list_huge")
def form_list_huge(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``POST <api>`` with a form (``pageNum``, ``pageSize``, ``columnId``): ``{"code": 0,
    "data": {"total": <total>, "pages", "pageNum", "list": [{"id", "title", "linkUrl",
    "publishTime"}]}}``; the column's entries on page 1, none after, always the same
    ``total``."""
    if request.method != "POST":
        return Reply(405, b'{"code":405,"msg":"Request method not supported"}',
                     [("Content-Type", "application/json;charset=UTF-8")])
    col = site.columns[options["column"]]
    form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
    page, size = max(1, _int(form.get("pageNum"), 1)), max(1, _int(form.get("pageSize"), 15))
    total = int(options.get("total", 5_000_000))
    wanted = form.get("columnId") == str(options.get("channel", col.column_id))
    rows = [{"id": str(1_600_000 + i), "title": e.title, "linkUrl": e.href,
             "publishTime": e.date} for i, e in enumerate(col.entries[:size])]
    return _json({"code": 0, "msg": "操作成功",
                  "data": {"total": total, "pages": -(-total // size), "pageNum": page,
                           "pageSize": size, "list": rows if page == 1 and wanted else []}})


# -------------------------------------------------------- tens of thousands of links
COUNTIES = [
    "南昌县", "进贤县", "安义县", "新建区", "湾里区", "东湖区", "西湖区", "青云谱区", "青山湖区",
    "红谷滩区", "浮梁县", "乐平市", "昌江区", "珠山区", "湘东区", "莲花县", "上栗县", "芦溪县",
    "安源区", "濂溪区", "柴桑区", "武宁县", "修水县", "永修县", "德安县", "都昌县", "湖口县",
    "彭泽县", "瑞昌市", "共青城市", "庐山市", "渝水区", "分宜县", "月湖区", "余江区", "贵溪市",
    "章贡区", "南康区", "赣县区", "信丰县", "大余县", "上犹县", "崇义县", "安远县", "龙南市",
    "定南县", "全南县", "宁都县", "于都县", "兴国县", "会昌县", "寻乌县", "石城县", "瑞金市",
    "吉州区", "青原区", "吉安县", "吉水县", "峡江县", "新干县", "永丰县", "泰和县", "遂川县",
    "万安县", "安福县", "永新县", "井冈山市", "袁州区", "奉新县", "万载县", "上高县", "宜丰县",
    "靖安县", "铜鼓县", "丰城市", "樟树市", "高安市", "临川区", "东乡区", "南城县", "黎川县",
    "南丰县", "崇仁县", "乐安县", "宜黄县", "金溪县", "资溪县", "广昌县", "信州区", "广丰区",
    "广信区", "玉山县", "铅山县", "横峰县", "弋阳县", "余干县", "鄱阳县", "万年县", "婺源县",
    "德兴市"
]
WATER_UNITS = [
    "水利局", "水文站", "河湖保护中心", "水土保持站", "灌区管理局", "水库管理局",
    "防汛抗旱指挥部办公室", "水利工程管理站", "河道管理所", "农村供水管理站", "水政监察大队",
    "水资源管理站", "堤防管理所", "水利技术推广站", "水利规划设计院", "泵站管理所",
    "山洪灾害防治中心", "水利建设管理站", "水利综合执法大队", "水旱灾害防御中心",
    "水利服务中心", "水库移民服务中心", "引调水工程管理处", "水利水电勘测队",
    "水利后勤服务中心"
]


def _rows_of_dead_links(count: int, years: range) -> list[tuple[int, str, int]]:
    """(n, unit, year) of ``count`` report-titled dead links, n from 1: every county's
    units for each year, newest year first."""
    combos = [(unit, year) for year in reversed(years) for county in COUNTIES
              for unit in (county + u for u in WATER_UNITS)]
    return [(n, unit, year) for n, (unit, year) in enumerate(combos[:count], 1)]


@handler("link_table")
def link_table(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A column laid out as a ``<table>``: one row per entry (the column's, then ``count``
    more: ``<county><unit><year>年政府信息公开工作年度报告``, each to its own URL
    ``links`` with ``{year}`` and ``{n}``, which answers 404). Built once."""
    count = int(options.get("count", 30_000))
    pattern = options.get("links", "/ndbg/{year}/{n:05d}.html")

    def build() -> bytes:
        col = site.columns[options["column"]]

        def row(href: str, title: str, date: str) -> str:
            return (f'<tr><td class="bt"><a href="{href}" target="_blank" title="{escape(title)}">'
                    f"{escape(title)}</a></td><td class=\"rq\">{date}</td></tr>")

        rows = [row(e.href, e.title, e.date) for e in col.entries]
        rows += [row(pattern.format(n=n, year=year), f"{unit}{year}年政府信息公开工作年度报告",
                     f"{year + 1}-01-{10 + n % 20:02d}")
                 for n, unit, year in _rows_of_dead_links(count, range(2012, 2024))]
        listing = ('<table class="list-table" width="100%" cellspacing="0" cellpadding="0">\n'
                   '<tr><th>标题</th><th>发布日期</th></tr>\n' + "\n".join(rows) + "\n</table>")
        return _in_template(site, options, col.title, listing).body

    body = _cached(("link_table", site.host, request.path, count, pattern), build)
    return Reply(200, body, [("Content-Type", f"text/html; charset={site.encoding}")])


@handler("link_lines")
def link_lines(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A column page whose first part is ``count`` report-titled links, ``per_line`` to a
    ``<p>`` separated by ``|`` (<county>自然资源局第<k>自然资源所<year>年政府信息公开工作
    年度报告, each to ``links`` with ``{n}``), then the column's own entries in an ordinary
    list. Built once."""
    count, per_line = int(options.get("count", 40_000)), int(options.get("per_line", 5))
    pattern = options.get("links", "/detail.jsp?id={n}")

    def build() -> bytes:
        col = site.columns[options["column"]]
        anchors = []
        for n in range(1, count + 1):
            county = COUNTIES[(n - 1) % len(COUNTIES)]
            k = 1 + (n - 1) // len(COUNTIES) % 40
            year = 2023 - (n - 1) // (len(COUNTIES) * 40)
            title = f"{county}自然资源局第{k}自然资源所{year}年政府信息公开工作年度报告"
            anchors.append(f'<a href="{pattern.format(n=n)}" target="_blank">{title}</a>')
        lines = ["<p>" + "　|　".join(anchors[i:i + per_line]) + "</p>"
                 for i in range(0, len(anchors), per_line)]
        listing = ('<div class="gl-links">\n' + "\n".join(lines) + "\n</div>\n"
                   f'<ul class="list">\n'
                   f'{_filler_items([(e.title, e.href, e.date) for e in col.entries])}\n</ul>')
        return _in_template(site, options, col.title, listing).body

    body = _cached(("link_lines", site.host, request.path, count, per_line, pattern), build)
    return Reply(200, body, [("Content-Type", f"text/html; charset={site.encoding}")])


# ------------------------------------------------------------------- bombs
def xobject_bomb_pdf(title: str, inflated: int, layers: int = 3, published: str = "") -> bytes:
    """A one-page PDF 1.5 whose page content draws ``title`` and ``published`` and then a
    form XObject (``/Fm1 Do``), the XObject's stream ``/Filter`` FlateDecode ``layers``
    times over ``inflated`` zero bytes (NUL is white space in a content stream)."""
    def build() -> bytes:
        data = _zeros_stream(inflated)
        for _ in range(layers - 1):
            data = zlib.compress(data, 9)
        filters = " ".join(["/FlateDecode"] * layers)
        content = zlib.compress(
            (f"BT /F1 18 Tf 90 770 Td {_utf16(title[:12])} Tj ET\n"
             f"BT /F1 18 Tf 90 744 Td {_utf16(title[12:])} Tj ET\n"
             f"BT /F1 12 Tf 90 712 Td {_utf16('（' + published + '）')} Tj ET\n"
             f"q 1 0 0 1 0 0 cm /Fm1 Do Q\n").encode("ascii"))
        info = _utf16("\ufeff" + title).encode("ascii")
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R /Lang (zh-CN) >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.3 841.9] /Resources "
            b"<< /Font << /F1 6 0 R >> /XObject << /Fm1 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\r\nstream\r\n%s\r\nendstream"
            % (len(content), content),
            b"<< /Type /XObject /Subtype /Form /FormType 1 /BBox [0 0 595.3 841.9] "
            b"/Resources << /Font << /F1 6 0 R >> >> /Length %d /Filter [%s] /DL %d >>\r\n"
            b"stream\r\n%s\r\nendstream" % (len(data), filters.encode(), inflated, data),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
            b"/Encoding /UniGB-UCS2-H /DescendantFonts [7 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
            b"/FontDescriptor 8 0 R /DW 1000 >>",
            b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
            b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
            b"/CapHeight 880 /StemV 93 >>",
            b"<< /Title %s /Creator (Microsoft Word) /Producer "
            b"(Microsoft: Print To PDF) /CreationDate (D:%s093000+08'00') >>"
            % (info, published.replace("-", "").encode() or b"20230101"),
        ]
        out = bytearray(b"%PDF-1.5\r\n%\xb5\xb5\xb5\xb5\r\n")
        offsets = []
        for number, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\r\n%s\r\nendobj\r\n" % (number, body)
        xref = len(out)
        out += b"xref\r\n0 %d\r\n0000000000 65535 f\r\n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n\r\n" % off for off in offsets)
        out += (b"trailer\r\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\r\nstartxref\r\n%d\r\n"
                b"%%%%EOF\r\n" % (len(objects) + 1, len(objects), xref))
        return bytes(out)

    return _cached(("xobject_bomb", title, inflated, layers, published), build)


@handler("xobject_bomb")
def xobject_bomb(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The year ``year`` report as a PDF whose form XObject inflates to ``inflated``
    bytes (default 8 GiB) through ``layers`` FlateDecode filters (default 3)."""
    year = int(options["year"])
    title = report_title(ReportSpec(agency=site.meta["name"], year=year))
    body = xobject_bomb_pdf(title, int(options.get("inflated", 8 << 30)),
                            int(options.get("layers", 3)),
                            str(options.get("published", f"{year + 1}-01-20")))
    return Reply(200, body, [("Content-Type", "application/pdf")])


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from CRC(A), CRC(B) and len(B) (zlib's crc32_combine)."""
    if length2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four
    while True:
        even = _gf2_square(odd)
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _repeat_crc(crc: int, length: int, times: int) -> int:
    """CRC-32 of a block (CRC ``crc``, ``length`` bytes) repeated ``times`` times."""
    result, block, block_len = 0, crc, length
    total = 0
    while times:
        if times & 1:
            result = crc32_combine(result, block, block_len) if total else block
            total += block_len
        block = crc32_combine(block, block, block_len)
        block_len *= 2
        times >>= 1
    return result


def docx_bomb(title: str, filler: int, published: str = "") -> bytes:
    """A DOCX (a zip of WordprocessingML) whose ``word/document.xml`` starts like a report
    (its title, 发布日期) and goes on with ``<w:p/>`` (empty paragraphs) until it inflates to
    about ``filler`` bytes (a multiple of 24 MiB; under 4 GiB: no Zip64). The zip is
    valid, its CRC-32s right; the deflate stream is one segment repeated, built in a
    fraction of a second."""
    def build() -> bytes:
        ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
        head = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                f"<w:document {ns}><w:body>"
                f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
                f"<w:t>{escape(title)}</w:t></w:r></w:p>"
                f"<w:p><w:r><w:t>发布日期：{published}</w:t></w:r></w:p>").encode()
        tail = b"<w:sectPr/></w:body></w:document>"
        unit = b"<w:p/>"
        chunk = unit * (1 << 22)  # 24 MiB
        times = max(1, filler // len(chunk))
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
        segment = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
        again = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
        assert again == segment  # a full flush forgets the history: each chunk the same
        last = packer.compress(tail) + packer.flush()
        data = first + segment * times + last
        size = len(head) + len(chunk) * times + len(tail)
        crc = crc32_combine(zlib.crc32(head), _repeat_crc(zlib.crc32(chunk), len(chunk), times),
                            len(chunk) * times)
        crc = crc32_combine(crc, zlib.crc32(tail), len(tail))
        core = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                f'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                f'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                f'xmlns:dcterms="http://purl.org/dc/terms/" '
                f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                f"<dc:title>{escape(title)}</dc:title><dc:creator>Administrator</dc:creator>"
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{published}T09:30:00Z'
                f"</dcterms:created></cp:coreProperties>").encode()
        parts = [("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                 ("docProps/core.xml", core), ("word/_rels/document.xml.rels", _DOC_RELS)]
        entries = [(name, _deflate(raw), zlib.crc32(raw), len(raw)) for name, raw in parts]
        entries.insert(3, ("word/document.xml", data, crc, size))
        return _zip(entries)

    return _cached(("docx_bomb", title, filler, published), build)


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/>'
    b'<Override PartName="/docProps/core.xml" '
    b'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>')
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    b'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>')
_DOC_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
             b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
             b'relationships"/>')


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, raw deflate data, CRC-32, uncompressed size) entries, each dated
    2023-01-16 09:30."""
    time_, date = (9 << 11) | (30 << 5), ((2023 - 1980) << 9) | (1 << 5) | 16
    out, central = bytearray(), bytearray()
    for name, data, crc, size in entries:
        encoded = name.encode("ascii")
        offset = len(out)
        fields = struct.pack("<HHHHHIII", 20, 0, 8, time_, date, crc, len(data), size)
        out += b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + data
        central += (b"PK\x01\x02" + struct.pack("<H", 20) + fields
                    + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central),
                      len(out), 0)
    return bytes(out + central + end)


@handler("docx_bomb")
def docx_bomb_handler(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The year ``year`` report as a DOCX whose ``word/document.xml`` inflates to
    ``inflated`` bytes (default 3 GiB)."""
    year = int(options["year"])
    title = report_title(ReportSpec(agency=site.meta["name"], year=year))
    body = docx_bomb(title, int(options.get("inflated", 3 << 30)),
                     str(options.get("published", f"{year + 1}-01-20")))
    return Reply(200, body, [("Content-Type", DOCX_TYPE)])


# ------------------------------------------------------- endless search, calendar
@handler("site_search")
def site_search(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A site search that never runs out: ``<path>?<q>=<words>&<page>=P`` (the query's
    other fields kept), ten ordinary articles per page and a pager to the next nine pages
    and 下一页, for every P. ``step: 10`` counts P in results (Baidu's ``pn=0, 10, 20``),
    else in pages from 1; ``style``: ``baidu`` or ``jsearch`` (the markup)."""
    q_name, p_name = options.get("q", "q"), options.get("page", "page")
    step = int(options.get("step", 1))
    first = 0 if step > 1 else 1
    fields = parse_qs(request.query, keep_blank_values=True)
    words = fields.get(q_name, [""])[0]
    value = _int(fields.get(p_name, [str(first)])[0], first)
    number = max(1, value // step + 1 if step > 1 else value)  # the page, from 1
    others = [(k, v[0]) for k, v in fields.items() if k != p_name]

    def href(n: int) -> str:
        query = "&amp;".join(f"{k}={quote(v)}" for k, v in others)
        at = (n - 1) * step if step > 1 else n
        return f"{request.path}?{query}&amp;{p_name}={at}"

    prefix = site.meta.get("articles", "/art/2024/")
    ext = site.meta.get("articles_ext", ".html")
    said = escape(words)
    results = "\n".join(
        f'<div class="result"><h3><a href="{prefix}{n}{ext}" target="_blank">'
        f"{escape(ordinary_title(n))}</a></h3><p>……按照要求，认真做好<em>{said}</em>相关工作……</p>"
        f'<span class="url">{site.host}{prefix}{n}{ext} 2024-{1 + n % 12:02d}-{1 + n % 28:02d}'
        f"</span></div>"
        for n in range((number - 1) * 10 + 1, number * 10 + 1))
    pager = []
    if number > 1:
        pager.append(f'<a href="{href(number - 1)}">&lt;上一页</a>')
    pager.append(f"<strong>{number}</strong>")
    pager += [f'<a href="{href(n)}">{n}</a>' for n in range(number + 1, number + 10)]
    pager.append(f'<a href="{href(number + 1)}" class="n">下一页&gt;</a>')
    name = escape(site.meta["name"])
    if options.get("style") == "jsearch":
        found = f'<div class="jsearch-info">共找到<b>{10 * (number + 9)}</b>条记录</div>'
    else:
        found = f'<div class="nums">为您找到相关结果约{10 * (number + 9) * 1000:,}个</div>'
    page = (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="{site.encoding}">\n'
            f'<meta name="SiteName" content="{name}">\n'
            f"<title>{said}_站内搜索_{name}</title>\n</head>\n<body>\n"
            f'<div class="top"><a href="/">{name}</a></div>\n'
            f'<form action="{request.path}"><input name="{q_name}" value="{said}">'
            f'<input type="submit" value="搜索"></form>\n{found}\n'
            f'<div id="content_left">\n{results}\n</div>\n'
            f'<div id="page">{"".join(pager)}</div>\n</body>\n</html>\n')
    return _page(site, page)


@handler("day_calendar")
def day_calendar(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A 公开日历 day page, ``?date=YYYY-MM-DD`` (``style: query``) or ``.../YYYY-MM-DD.html``
    (``style: path``): the day's month as a grid of links to each of its days, links to the
    previous and next day and month, and the reports published that day. Every day of
    years 1 .. 9999 answers; no other date (404)."""
    style = options.get("style", "query")
    if style == "query":
        text = _query(request).get("date", str(options.get("default", "2025-01-20")))
        base = request.path
    else:
        match = re.search(r"/(\d{4}-\d{2}-\d{2})\.html$", request.path)
        text = match.group(1) if match else str(options.get("default", "2025-01-20"))
        base = request.path[:match.start() + 1] if match else request.path
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return _not_found()

    def href(d: datetime.date) -> str:
        stamp = f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
        return f"{base}?date={stamp}" if style == "query" else f"{base}{stamp}.html"

    def shifted(months: int) -> datetime.date | None:
        index = day.year * 12 + day.month - 1 + months
        year, month = divmod(index, 12)
        if not 1 <= year <= 9999:
            return None
        return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year,
                                                                             month + 1)[1]))

    moves = []
    for label, target in (("上一月", shifted(-1)), ("前一天", _add(day, -1)),
                          ("后一天", _add(day, 1)), ("下一月", shifted(1))):
        if target is not None:
            moves.append(f'<a href="{href(target)}">{label}</a>')
    days = calendar.monthrange(day.year, day.month)[1]
    grid = "".join(
        f'<td class="on">{d}</td>' if d == day.day
        else f'<td><a href="{href(day.replace(day=d))}">{d}</a></td>'
        for d in range(1, days + 1))
    stamp = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    reports = [r for r in site.reports if r.published == stamp]
    listing = "\n".join(f'<li><a href="{r.path}">{escape(r.title)}</a></li>' for r in reports)
    title = options.get("title", "公开日历")
    body = (f'<div class="rili">\n<h2>{escape(title)} {day.year}年{day.month}月{day.day}日</h2>\n'
            f'<div class="moves">{" ".join(moves)}</div>\n'
            f'<table class="month"><tr>{grid}</tr></table>\n'
            f'<ul class="today">{listing or "<li>当日无公开信息</li>"}</ul>\n</div>')
    return _in_template(site, options, title, body)


def _add(day: datetime.date, days: int) -> datetime.date | None:
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return None


# ------------------------------------------------------------- script-only lists
@handler("ruoyi_list")
def ruoyi_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``POST <api>`` with a JSON body ``{"channelId", "pageNum", "pageSize"}`` (RuoYi's
    ``TableDataInfo``): ``{"total", "rows": [{"articleId", "articleTitle", "articleUrl",
    "releaseTime"}], "code": 200, "msg"}``: the site's reports and ``extra`` entries."""
    try:
        params = json.loads(request.body or b"{}")
    except ValueError:
        return Reply(400, b'{"code":400,"msg":"bad request"}',
                     [("Content-Type", "application/json;charset=UTF-8")])
    rows = _listed(site, options) if params.get("channelId") == options.get("channel") else []
    page = max(1, _int(params.get("pageNum"), 1))
    size = max(1, _int(params.get("pageSize"), 10))
    items = [{"articleId": 52000 + i, "articleTitle": title, "articleUrl": href,
              "releaseTime": f"{date} 09:00:00"}
             for i, (title, href, date) in enumerate(rows)][(page - 1) * size: page * size]
    return _json({"total": len(rows), "rows": items, "code": 200, "msg": "查询成功"})


@handler("list_fragment")
def list_fragment(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``<path>?page=N``: an HTML fragment (``<li>`` rows and a hidden page count) that a
    column's script puts into its ``<div id="list">``: the site's reports and ``extra``
    entries, ``per_page`` to a page."""
    rows = _listed(site, options)
    size = int(options.get("per_page", 10))
    page = max(1, _int(_query(request).get("page"), 1))
    items = "\n".join(f'<li><a href="{href}" target="_blank">{escape(title)}</a>'
                      f"<span>{date}</span></li>"
                      for title, href, date in rows[(page - 1) * size: page * size])
    count = max(1, -(-len(rows) // size))
    return _page(site, f'<ul class="list">\n{items}\n</ul>\n'
                       f'<input type="hidden" id="pageCount" value="{count}">\n')
