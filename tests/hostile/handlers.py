"""Generated responses of the hostile web: the faults that are more than a route option.

Each is a handler as in ``tests/demoweb/handlers.py`` (``handler: NAME`` on a route of a
hostile site's ``site.yaml``, its other keys the options); ``HANDLERS`` goes to
``DemoWeb(handlers=...)`` next to the demo's own. Bodies are deterministic; the large
ones (the 50,000-link column, the flate bomb) are built once and kept in memory.
"""

from __future__ import annotations

import gzip
import json
import re
import struct
import threading
import zlib
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import parse_qs, quote

from tests.demoweb.catalog import Entry
from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS
from tests.demoweb.handlers import _items, _json_entry
from tests.demoweb.pdf import _utf16
from tests.demoweb.reports import ReportSpec, render_report, render_report_docx, report_title
from tests.demoweb.server import Reply, Request, Site
from tests.wordtables import drag_borders, word97

__all__ = ["HANDLERS", "bomb_pdf", "ordinary_title"]

HANDLERS: dict[str, Callable[[Site, Request, dict[str, Any]], Reply]] = {}
_CACHE: dict[tuple[Any, ...], bytes] = {}
_CACHE_LOCK = threading.Lock()

# Titles of the ordinary articles every agency site is full of: dated or not, none of
# them a report, a report column or a way into the disclosure area.
ORDINARY = ["关于做好全省安全生产大检查工作的通知", "厅党组理论学习中心组召开专题学习会",
            "全省系统工作会议在杭州召开", "关于公布行政执法人员名单的公告",
            "厅领导赴基层开展专题调研", "关于征集民生实事项目建议的公告",
            "召开全面从严治党工作会议", "关于开展优化营商环境专项行动的通知",
            "全省业务培训班顺利举办", "关于调整部分行政许可事项的通告",
            "厅机关开展志愿服务活动", "关于印发数字化改革工作要点的函"]


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func
    return register


def _cached(key: tuple[Any, ...], build: Callable[[], bytes]) -> bytes:
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = build()
        return _CACHE[key]


def _html(site: Site, text: str) -> Reply:
    return Reply(200, text.encode(site.encoding, "xmlcharrefreplace"),
                 [("Content-Type", f"text/html; charset={site.encoding}")])


def _share(spec: str | int, size: int) -> int:
    """``"50%"`` of ``size`` bytes, or a number of bytes."""
    if isinstance(spec, str) and spec.endswith("%"):
        return int(size * float(spec[:-1]) / 100)
    return min(size, int(spec))


def ordinary_title(n: int) -> str:
    """The title of the ordinary article number ``n`` (search results, list fillers)."""
    return ORDINARY[n % len(ORDINARY)]


def _filler(site: Site, start: int, count: int) -> list[tuple[str, str, str]]:
    """(title, href, date) of ``count`` ordinary articles from number ``start``: what a
    column lists besides reports, served by the ``article`` handler."""
    prefix = site.meta.get("articles", "/art/2023/6/1/art_9000_")
    return [(ordinary_title(n), f"{prefix}{n}.html", f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}")
            for n in range(start, start + count)]


# --------------------------------------------------------------------- pages
@handler("fault_report")
def fault_report(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A report page that is one of a site's faults (not in its ``reports:``): the year
    ``year`` report of the site's agency in ``template`` (default ``article.html``),
    with real statistics tables. ``encoding``: the body's charset; ``content_type``:
    the Content-Type header instead of ``text/html; charset=<encoding>``;
    ``gzip_cut: "50%"``: to a client that accepts gzip, that share of the gzipped body,
    with a Content-Length of what is sent (the HTTP message is whole, the gzip is not)."""
    year = int(options["year"])
    spec = ReportSpec(agency=site.meta["name"], year=year)
    title, body = render_report(spec)
    published = str(options.get("published", f"{year + 1}-01-20"))
    page = site.template(options.get("template", "article.html")).safe_substitute(
        title=title, pubdate=published, body=body, agency=site.meta["name"], attachments="",
        hex_id=f"{year}0000", year=year)
    encoding = options.get("encoding", site.encoding)
    data = page.encode(encoding, "xmlcharrefreplace")
    headers = [("Content-Type", options.get("content_type") or f"text/html; charset={encoding}")]
    if "gzip_cut" in options and "gzip" in request.headers.get("Accept-Encoding", ""):
        packed = gzip.compress(data, mtime=0)
        data = packed[:_share(options["gzip_cut"], len(packed))]
        headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
    return Reply(200, data, headers)


@handler("word97_dragged")
def word97_dragged(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The site's report ``report`` as Word 97 bytes (LibreOffice's "MS Word 97" filter)
    whose tables have their borders dragged row by row (``tests/wordtables.py``), sent as
    ``content_type``. Made once per report; 503 where LibreOffice is not installed."""
    report = site.reports[options["report"]]
    key = ("word97", site.host, report.year)
    with _CACHE_LOCK:
        body = _CACHE.get(key)
    if body is None:  # made outside the lock: a conversion takes seconds
        body = word97(drag_borders(render_report_docx(
            ReportSpec(agency=site.meta["name"], year=report.year)), seed=report.year))
        with _CACHE_LOCK:
            _CACHE[key] = body
    if not body:
        return Reply(503, b"LibreOffice is not installed", [("Content-Type", "text/plain")])
    return Reply(200, body, [("Content-Type", options.get("content_type", "application/msword"))])


@handler("article")
def article(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """An ordinary article (news, notices): a small page, no report. Its number is the
    last number in its path."""
    numbers = re.findall(r"\d+", request.path)
    n = int(numbers[-1]) if numbers else 0
    title = options.get("title") or ordinary_title(n)
    name = escape(site.meta["name"])
    page = (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="{site.encoding}">\n'
            f'<meta name="SiteName" content="{name}">\n'
            f'<meta name="ArticleTitle" content="{escape(title)}">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n"
            f'<div class="nav"><a href="/">首页</a></div>\n'
            f'<h1>{escape(title)}</h1>\n<div id="zoom"><p>{escape(title)}。'
            f"（第{n}号）</p></div>\n</body>\n</html>\n")
    return _html(site, page)


# ------------------------------------------------------------ huge stated sizes
@handler("trs_huge")
def trs_huge(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A TRS column whose script says ``createPageHTML(<pages>, <n>, "index", "html")``
    (``pages``, default 100000000): ``index.html`` lists the column's entries,
    ``index_1`` .. ``index_<static>`` a few ordinary articles each, later pages are
    missing (404)."""
    col = site.columns[options["column"]]
    match = re.search(r"_(\d+)\.html$", request.path)
    page = int(match.group(1)) if match else 0
    if page > int(options.get("static", 3)):
        return Reply(404, b"<html><body><h1>404 Not Found</h1></body></html>",
                     [("Content-Type", "text/html; charset=utf-8")])
    if page == 0:
        items = _items(col.entries)
    else:
        items = "\n".join(f'<li><a href="{href}" target="_blank">{escape(title)}</a>'
                          f'<span class="date">{date}</span></li>'
                          for title, href, date in _filler(site, 1000 + 10 * page, 4))
    listing = (f'<ul class="list">{items}</ul>\n<div class="page"><script>\n'
               f'createPageHTML({int(options.get("pages", 100_000_000))}, {page}, "index", '
               f'"html");\n</script></div>')
    return _html(site, site.template("list.html").safe_substitute(
        title=col.title, list=listing, agency=site.meta["name"]))


@handler("hanweb_huge")
def hanweb_huge(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The demo's Hanweb column page, its ``<datastore>`` also saying
    ``<totalrecord>`` ``total`` (declare ``declare_total`` on the column for its script)."""
    reply = DEMO_HANDLERS["column"](site, request, options)
    total = int(options.get("total", 1_000_000))
    reply.body = reply.body.replace(
        b"<datastore>\n", b"<datastore>\n<totalrecord>%d</totalrecord>\n" % total, 1)
    return reply


def _records(site: Site, column: str, start: int, end: int) -> list[tuple[str, str, str]]:
    """Records ``start`` .. ``end`` (from 1) of a column that lists its entries, then
    ``filler`` ordinary articles, then nothing."""
    col = site.columns[column]
    rows = [(e.title, e.href, e.date) for e in col.entries]
    rows += _filler(site, 200, int(col.options.get("filler", 4)))
    return rows[start - 1:end]


@handler("hanweb_dataproxy_huge")
def hanweb_dataproxy_huge(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``dataproxy.jsp`` of a column that says ``total`` records: it answers the
    column's entries and a few ordinary articles, then empty record sets, each with
    ``<totalrecord>`` ``total``."""
    query = {k: v[0] for k, v in parse_qs(request.query).items()}
    if request.method != "POST" or "startrecord" not in query:
        return Reply(400, b"bad dataproxy request", [("Content-Type", "text/plain")])
    total = int(options.get("total", 1_000_000))
    per_page = int(query.get("perpage", 15))
    start, end = int(query["startrecord"]), int(query["endrecord"])
    records = "".join(
        f'<record><![CDATA[\n<li><a href="{href}" target="_blank" title="{escape(title)}">'
        f'{escape(title)}</a><span class="date">{date}</span></li>\n]]></record>\n'
        for title, href, date in _records(site, options["column"], start, end))
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord>'
           f"<totalpage>{-(-total // per_page)}</totalpage><recordset>\n{records}"
           f"</recordset></datastore>")
    return Reply(200, xml.encode("utf-8"), [("Content-Type", "text/xml;charset=UTF-8")])


@handler("sitegroup_huge")
def sitegroup_huge(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A site-group list API whose every answer says ``"total": total``: the column's
    entries and a few ordinary articles, then empty lists."""
    try:
        params = json.loads(request.body or b"{}")
    except ValueError:
        return Reply(400, b'{"code":400}', [("Content-Type", "application/json")])
    col = site.columns[options["column"]]
    page = int(params.get("current", 1))
    size = int(params.get("perPage", col.per_page))
    rows = _records(site, options["column"], (page - 1) * size + 1, page * size)
    entries = [_json_entry(Entry(*row), (page - 1) * size + i) for i, row in enumerate(rows)]
    data = {"code": 200, "msg": "success",
            "data": {"total": int(options.get("total", 1_000_000)), "current": page,
                     "list": entries}}
    return Reply(200, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                 [("Content-Type", "application/json;charset=UTF-8")])


# ----------------------------------------------------------- 50,000 links
@handler("many_links")
def many_links(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """A column page listing its entries, then ``count`` (50,000) links on the same
    host whose text is a report title (``浙江省第{n}地质大队2023年政府信息公开工作年度报告``),
    each to its own URL (``links`` with ``{n}``), which answers 404."""
    count = int(options.get("count", 50_000))
    pattern = options.get("links", "/art/2024/1/31/art_1289010_{n}.html")
    unit = options.get("unit", "浙江省第{n}地质大队")
    year = int(options.get("year", 2023))

    def build() -> bytes:
        col = site.columns[options["column"]]
        title = f"{year}年政府信息公开工作年度报告"
        links = "\n".join(f'<li><a href="{pattern.format(n=n)}">{unit.format(n=n)}{title}</a></li>'
                          for n in range(1, count + 1))
        listing = f'<ul class="list">{_items(col.entries)}\n{links}</ul>'
        page = site.template("list.html").safe_substitute(
            title=col.title, list=listing, agency=site.meta["name"])
        return page.encode(site.encoding, "xmlcharrefreplace")

    body = _cached(("many_links", site.host, request.path, count, pattern, unit, year), build)
    return Reply(200, body, [("Content-Type", f"text/html; charset={site.encoding}")])


# -------------------------------------------------------------- flate bomb
def _zeros_stream(size: int) -> bytes:
    """A zlib stream inflating to ``size`` zero bytes, built in a fraction of a second:
    after a full flush the compressor's output for each further 16 MiB of zeros is the
    same, so the stream is one segment repeated, and its Adler-32 is computed."""
    chunk = 1 << 24
    compressor = zlib.compressobj(9)
    whole, rest = divmod(size, chunk)
    parts = []
    if whole:
        first = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
        parts.append(first)
        if whole > 1:
            segment = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
            parts.append(segment * (whole - 1))
    parts.append(compressor.compress(bytes(rest)) + compressor.flush(zlib.Z_FULL_FLUSH))
    adler = ((size % 65521) << 16) | 1  # Adler-32 of zeros: a stays 1, b adds 1 per byte
    return b"".join(parts) + b"\x03\x00" + struct.pack(">I", adler)  # final empty block


def bomb_pdf(title: str, inflated: int, layers: int = 2, published: str = "") -> bytes:
    """A one-page PDF that reads like a report's cover (``title`` and ``published`` in
    its first content stream) and whose second content stream, ``/Filter`` FlateDecode
    ``layers`` times, inflates to ``inflated`` zero bytes (NUL is white space in a
    content stream)."""
    def build() -> bytes:
        data = _zeros_stream(inflated)
        for _ in range(layers - 1):
            data = zlib.compress(data, 9)
        filters = " ".join(["/FlateDecode"] * layers)
        cover = zlib.compress(
            (f"BT /F1 16 Tf 56 760 Td {_utf16(title)} Tj ET\n"
             f"BT /F1 10.5 Tf 56 730 Td {_utf16('发布日期：' + published)} Tj ET").encode("ascii"))
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 6 0 R >> >> /Contents [4 0 R 5 0 R] >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
            % (len(cover), cover),
            b"<< /Length %d /Filter [%s] /DL %d >>\nstream\n%s\nendstream"
            % (len(data), filters.encode(), inflated, data),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
            b"/Encoding /UniGB-UCS2-H /DescendantFonts [7 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
            b"/FontDescriptor 8 0 R /DW 1000 >>",
            b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
            b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
            b"/CapHeight 880 /StemV 93 >>",
            b"<< /Title %s /Producer (WPS Office) >>" % _utf16("\ufeff" + title).encode("ascii"),
        ]
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
        out += (b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                % (len(objects) + 1, len(objects), xref))
        return bytes(out)

    return _cached(("bomb", title, inflated, layers, published), build)


@handler("flate_bomb")
def flate_bomb(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """The year ``year`` report as a PDF that is a flate bomb (``inflated`` bytes,
    default 4 GiB, through ``layers`` FlateDecode filters, default 2)."""
    year = int(options["year"])
    title = report_title(ReportSpec(agency=site.meta["name"], year=year))
    body = bomb_pdf(title, int(options.get("inflated", 4 << 30)), int(options.get("layers", 2)),
                    str(options.get("published", f"{year + 1}-01-20")))
    return Reply(200, body, [("Content-Type", "application/pdf")])


# ----------------------------------------------------------- endless search
@handler("search")
def search(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``search.do?q=...&p=N``: ten ordinary articles and a pager to pages N+1 .. N+4
    and 下一页, for every N (the search never runs out of results)."""
    query = {k: v[0] for k, v in parse_qs(request.query).items()}
    words = query.get("q", "")
    try:
        page = max(1, int(query.get("p", "1")))
    except ValueError:
        page = 1
    prefix = options.get("articles", site.meta.get("articles", "/art/2024/3/1/art_1561_"))

    def href(n: int) -> str:
        return f"/search.do?q={quote(words)}&amp;p={n}"

    results = "\n".join(
        f'<li><a href="{prefix}{n}.html" target="_blank">{escape(ordinary_title(n))}</a>'
        f'<span class="date">2024-{1 + n % 12:02d}-{1 + n % 28:02d}</span></li>'
        for n in range((page - 1) * 10 + 1, page * 10 + 1))
    pager = [f'<a href="{href(1)}">首页</a>']
    if page > 1:
        pager.append(f'<a href="{href(page - 1)}">上一页</a>')
    pager.append(f'<span class="current">{page}</span>')
    pager += [f'<a href="{href(n)}">{n}</a>' for n in range(page + 1, page + 5)]
    pager.append(f'<a href="{href(page + 1)}">下一页</a>')
    name = escape(site.meta["name"])
    total = 10 * (page + 4)  # what the page admits to: always a few pages more
    page_html = (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="{site.encoding}">\n'
                 f'<meta name="SiteName" content="{name}">\n'
                 f"<title>搜索结果 {name}</title>\n</head>\n<body>\n"
                 f'<div class="nav"><a href="/">首页</a></div>\n'
                 f'<div class="search-info">搜索“{escape(words)}”，找到约{total}条结果</div>\n'
                 f'<ul class="search-list">\n{results}\n</ul>\n'
                 f'<div class="pager">{" ".join(pager)}</div>\n</body>\n</html>\n')
    return _html(site, page_html)


# ------------------------------------------------------------- JS-only shell
@handler("json_articles")
def json_articles(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``/api/articles?column=<column>&page=N``: the list a single-page app renders,
    ``{"code": 0, "data": {"total", "page", "pageSize", "list": [{"title", "url",
    "publishDate"}]}}``: the site's reports and ``extra`` entries, newest first."""
    query = {k: v[0] for k, v in parse_qs(request.query).items()}
    rows = [(r.title, r.path, r.published) for r in site.reports]
    rows += [(e["title"], e["href"], e["date"]) for e in options.get("extra", [])]
    rows.sort(key=lambda row: row[2], reverse=True)
    if query.get("column") != options.get("column", "ndbg"):
        rows = []
    size = int(options.get("per_page", 10))
    try:
        page = max(1, int(query.get("page", "1")))
    except ValueError:
        page = 1
    items = [{"id": 7300 + i, "title": title, "url": href, "publishDate": date}
             for i, (title, href, date) in enumerate(rows)][(page - 1) * size: page * size]
    data = {"code": 0, "msg": "ok",
            "data": {"total": len(rows), "page": page, "pageSize": size, "list": items}}
    return Reply(200, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                 [("Content-Type", "application/json;charset=UTF-8")])


# ------------------------------------------------------------- endless pager
@handler("endless_list")
def endless_list(site: Site, request: Request, options: dict[str, Any]) -> Reply:
    """``index.html``: the site's reports, ten ordinary articles and 下一页 to
    ``index_1.html``; ``index_N.html``: ten more articles and 下一页 to ``index_{N+1}``, for
    ever (no size stated anywhere)."""
    found = re.search(r"index_(\d+)\.html$", request.path)
    page = int(found.group(1)) if found else 0
    prefix = site.meta.get("articles", "/art/2024/5/6/art_1571_")
    rows = [f'<li><a href="{r.path}">{escape(r.title)}</a></li>' for r in site.reports] \
        if page == 0 else []
    rows += [f'<li><a href="{prefix}{n}.html">{escape(ordinary_title(n))}</a></li>'
             for n in range(page * 10 + 1, page * 10 + 11)]
    name = escape(site.meta["name"])
    html = (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="{site.encoding}">\n'
            f'<meta name="SiteName" content="{name}">\n<title>信息公开年报 {name}</title>\n'
            f'</head>\n<body>\n<ul class="list">\n' + "\n".join(rows) + "\n</ul>\n"
            f'<div class="page"><a href="index_{page + 1}.html">下一页</a></div>\n'
            "</body>\n</html>\n")
    return _html(site, html)
