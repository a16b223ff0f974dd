"""The variant hostile web's server (tests/hostile/variants/): each fault happens as its
README says, on the wire, and every genuine report is served whole. No crawler here: raw
sockets against 127.0.0.1."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
import socket
import time
import zipfile
import zlib
from urllib.parse import quote, urljoin, urlsplit

import pytest
import yaml

from tests.demoweb import DemoWeb, Site
from tests.demoweb.reports import ReportSpec, render_report_pdf
from tests.hostile.variants import REGISTRY, VARIANT_SITES, VariantWeb, variant_sites
from tests.hostile.variants.handlers import crc32_combine, docx_bomb
from tests.test_hostile_web import links, report_title, title  # the same page readers

SITES = variant_sites()
GENUINE = [(host, url) for host, site in sorted(SITES.items()) for url in site.report_urls()]
AREA = ("政府信息公开", "政务公开", "信息公开")
COLUMN_NAMES = ("政府信息公开年报", "年度报告", "信息公开年报", "政府信息公开工作年度报告")


@pytest.fixture(scope="module")
def web():
    with VariantWeb() as web:
        yield web


def dechunk(wire: bytes) -> tuple[bytes, str]:
    """The data of a chunked body and how it ended: ``"complete"`` (the last chunk came),
    ``"between"`` (after a whole chunk) or ``"inside"`` (within a chunk or its size line)."""
    data, at = b"", 0
    while True:
        end = wire.find(b"\r\n", at)
        if end < 0:
            return data, "between" if at == len(wire) else "inside"
        size = int(wire[at:end].split(b";")[0], 16)
        if size == 0:
            return data, "complete"
        if len(wire) < end + 2 + size + 2:
            return data + wire[end + 2:end + 2 + size], "inside"
        data += wire[end + 2:end + 2 + size]
        at = end + 2 + size + 2


class Answer:
    """One HTTP exchange as it came off the socket: head, body (de-chunked), the body's
    bytes on the wire, and how the server ended it (``"eof"``: FIN, ``"reset"``: RST,
    ``"open"``: the message ended and the connection stayed open)."""

    def __init__(self, head: bytes, wire: bytes, ending: str) -> None:
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.lower(): v.strip() for k, v in
                        (line.split(":", 1) for line in lines[1:] if ":" in line)}
        self.wire, self.ending = wire, ending
        self.chunks = ""
        if self.headers.get("transfer-encoding") == "chunked":
            self.body, self.chunks = dechunk(wire)
        else:
            self.body = wire

    @property
    def length(self) -> int:
        return int(self.headers["content-length"])

    def decoded(self) -> bytes:
        coding = self.headers.get("content-encoding")
        if coding == "gzip":
            return gzip.decompress(self.body)
        if coding == "deflate":
            return zlib.decompress(self.body)
        return self.body

    def text(self, encoding: str = "") -> str:
        if not encoding:
            match = re.search(r"charset=([\w-]+)", self.headers.get("content-type", ""))
            encoding = match.group(1) if match else "utf-8"
        return self.decoded().decode(encoding)


def raw(web: DemoWeb, url: str, headers: dict[str, str] | None = None, method: str = "GET",
        body: bytes = b"", timeout: float = 5) -> Answer:
    """Ask through the proxy port and read until the server hangs up or the message is
    complete (its Content-Length, or its last chunk)."""
    fields = {"Host": urlsplit(url).netloc, "User-Agent": "variant-smoke", **(headers or {})}
    if body:
        fields["Content-Length"] = str(len(body))
    request = f"{method} {url} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items())
    with socket.create_connection(("127.0.0.1", web.port), timeout=timeout) as sock:
        sock.sendall(request.encode("utf-8") + b"\r\n" + body)
        data, ending = b"", "open"
        while True:
            if b"\r\n\r\n" in data:
                head, rest = data.split(b"\r\n\r\n", 1)
                length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                chunked = re.search(rb"(?im)^transfer-encoding:\s*chunked", head)
                if method == "HEAD" or re.match(rb"HTTP/1\.1 (204|304)", head):
                    break
                if length and len(rest) >= int(length.group(1)):
                    break
                if chunked and dechunk(rest)[1] == "complete":
                    break
            try:
                chunk = sock.recv(1 << 20)
            except ConnectionResetError:
                ending = "reset"
                break
            if not chunk:
                ending = "eof"
                break
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return Answer(head, rest, ending)


def get_text(web: DemoWeb, url: str, **kwargs) -> str:
    answer = raw(web, url, **kwargs)
    assert answer.status == 200, (url, answer.status)
    return answer.text()


def follow(web: DemoWeb, url: str, limit: int) -> tuple[list[tuple[int, str]], Answer]:
    """((status, url) of each redirect, the last answer), at most ``limit`` redirects."""
    hops: list[tuple[int, str]] = []
    answer = raw(web, url)
    while answer.status in (301, 302, 303, 307, 308) and len(hops) < limit:
        hops.append((answer.status, url))
        url = urljoin(url, answer.headers["location"])
        answer = raw(web, url)
    return hops, answer


def fault(host: str, year: int) -> str:
    return next(f["url"] for f in SITES[host].meta["faults"] if f.get("year") == year)


# ------------------------------------------------------------------ the sites
def test_the_registry_names_one_agency_per_variant_site():
    agencies = yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]
    assert {urlsplit(a["start_url"]).netloc for a in agencies} == set(SITES)
    assert len({a["id"] for a in agencies}) == len(agencies) == len(SITES) == 18
    for agency in agencies:
        host = urlsplit(agency["start_url"]).netloc
        assert agency["id"].startswith("variant/") and host.endswith(".variant.gov.cn")
        assert (agency["province"], agency["province_code"]) == ("江西省", "360000")
        assert agency["allowed_domains"] == [host]
        assert agency["name"] == SITES[host].meta["name"]
    assert {p.name for p in VARIANT_SITES.iterdir() if p.is_dir()} == set(SITES)
    assert sum(len(site.reports) for site in SITES.values()) == 42


def _disclosure(web: DemoWeb, host: str) -> tuple[str, str]:
    home = get_text(web, f"http://{host}/")
    area = [href for href, text in links(home) if text in AREA]
    assert len(area) == 1, area
    return home, get_text(web, urljoin(f"http://{host}/", area[0]))


@pytest.mark.parametrize("host", sorted(SITES))
def test_each_site_leads_from_its_home_page_to_its_report_column(web, host):
    site = SITES[host]
    home, disclosure = _disclosure(web, host)
    assert f'<meta name="SiteName" content="{site.meta["name"]}"' in home
    columns = [href for href, text in links(disclosure) if text in COLUMN_NAMES]
    assert columns, disclosure
    for href in columns:
        answer = raw(web, urljoin(f"http://{host}/", href), {"Accept-Encoding": "gzip, deflate"})
        assert answer.status == 200
    assert 2 <= len(site.reports) <= 3
    assert site.meta["faults"]
    for item in site.meta["faults"]:
        assert urlsplit(item["url"]).netloc == host
        assert item.get("year") not in {r.year for r in site.reports}


@pytest.mark.parametrize(("host", "url"), GENUINE)
def test_every_genuine_report_is_served_whole_and_linked(web, host, url):
    site = SITES[host]
    report = site.report_urls()[url]
    answer = raw(web, url, {"Accept-Encoding": "gzip, deflate"})
    assert answer.status == 200 and answer.ending == "open"
    assert answer.chunks in ("", "complete")
    if "content-length" in answer.headers:
        assert answer.length == len(answer.body)
    if report.kind == "pdf":
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.body.startswith(b"%PDF") and answer.body.rstrip().endswith(b"%%EOF")
    elif report.kind == "docx":
        document = zipfile.ZipFile(io.BytesIO(answer.body)).read("word/document.xml")
        assert report.title in document.decode("utf-8") and b"<w:tbl>" in document
    else:
        charset = re.search(r"charset=([\w-]+)", answer.headers["content-type"]).group(1)
        assert charset == site.encoding
        text = answer.text()
        assert title(text) == report.title == report_title(site, report.year)
        assert text.count("<table") >= 3 and text.rstrip().endswith("</html>")
    for path, _ in report.attachments:
        attachment = raw(web, f"http://{host}{path}")
        assert attachment.status == 200 and attachment.length == len(attachment.body)
    home, disclosure = _disclosure(web, host)
    pages = [home, disclosure] + [get_text(web, f"http://{host}{path}") for path in site.columns]
    assert report.path in {href for page in pages for href, _ in links(page)}


def test_the_server_options_the_variants_added_leave_other_answers_as_they_were():
    body = b"<html>" + bytes(range(32, 127)) * 200 + b"</html>"
    site = Site(host="opt.example", files={f"/{n}.html": body for n in "abcdefg"},
                routes={"/a.html": {"gzip": True}, "/b.html": {"gzip": "always"},
                        "/c.html": {"deflate": True}, "/d.html": {"deflate": "raw"},
                        "/e.html": {"chunked": True}, "/f.html": {"close_delimited": True},
                        "/g.html": {"close_delimited": True, "cut_at": 100}})
    with DemoWeb(sites={"opt.example": site}) as demo:
        def ask(path: str, accept: str = "") -> Answer:
            return raw(demo, f"http://opt.example{path}",
                       {"Accept-Encoding": accept} if accept else {})

        assert "content-encoding" not in ask("/a.html").headers  # gzip only when asked
        assert gzip.decompress(ask("/a.html", "gzip").body) == body
        assert gzip.decompress(ask("/b.html").body) == body  # always
        assert "content-encoding" not in ask("/c.html", "gzip").headers
        assert zlib.decompress(ask("/c.html", "gzip, deflate").body) == body
        assert zlib.decompress(ask("/d.html", "deflate").body, -15) == body
        chunked = ask("/e.html")
        assert chunked.body == body and chunked.chunks == "complete"
        assert chunked.wire.startswith(b"1000\r\n")  # 4096-byte chunks, as before
        whole = ask("/f.html")
        assert "content-length" not in whole.headers and whole.headers["connection"] == "close"
        assert (whole.body, whole.ending) == (body, "eof")
        cut = ask("/g.html")
        assert (cut.body, cut.ending) == (body[:100], "eof")


# ------------------------------------------------------- 1. cut mid-body
def test_a_chunked_report_page_is_reset_inside_a_chunk(web):
    url = fault("gat.variant.gov.cn", 2022)
    answer = raw(web, url)
    assert answer.status == 200 and answer.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in answer.headers
    assert answer.ending == "reset" and answer.chunks == "inside"
    page = answer.body.decode("utf-8", "ignore")
    assert title(page) == "江西省公安厅2022年政府信息公开工作年度报告"
    assert len(answer.wire) > 20_000 and "</html>" not in page


def test_a_chunked_report_page_stops_after_whole_chunks_without_the_last_one(web):
    answer = raw(web, fault("gat.variant.gov.cn", 2021))
    assert answer.status == 200 and answer.headers["transfer-encoding"] == "chunked"
    assert answer.ending == "eof" and answer.chunks == "between"
    assert len(answer.wire) == 20_520 and len(answer.body) == 5 * 4096
    page = answer.body.decode("utf-8", "ignore")
    assert title(page) == "江西省公安厅2021年政府信息公开工作年度报告"
    assert "connection" not in answer.headers  # nothing said it would close


def test_report_pdfs_are_cut_with_and_without_a_length(web):
    host = "http://hc.variant.gov.cn"
    page = get_text(web, fault("hc.variant.gov.cn", 2022))
    assert title(page) == report_title(SITES["hc.variant.gov.cn"], 2022) and "详见附件" in page
    pdf_2022 = next(href for href, _ in links(page) if href.endswith(".pdf"))
    whole = render_report_pdf(ReportSpec(agency="江西省卫生健康委员会", year=2022,
                                         published="2023-01-16"))
    cut = raw(web, host + pdf_2022)
    assert cut.status == 200 and cut.headers["content-type"] == "application/pdf"
    assert cut.length == len(whole) and cut.ending == "eof"
    assert cut.body == whole[:len(whole) * 60 // 100]
    column = get_text(web, f"{host}/hc/xxgk/ndbg/index.shtml")
    pdf_2021 = next(href for href, text in links(column) if "2021年" in text)
    assert pdf_2021.endswith(".pdf") and host + pdf_2021 == fault("hc.variant.gov.cn", 2021)
    whole = render_report_pdf(ReportSpec(agency="江西省卫生健康委员会", year=2021,
                                         published="2022-01-21"))
    short = raw(web, host + pdf_2021)
    assert short.status == 200 and "content-length" not in short.headers
    assert "transfer-encoding" not in short.headers
    assert short.headers["connection"] == "close" and short.ending == "eof"
    assert short.body == whole[:len(whole) * 45 // 100] and b"%%EOF" not in short.body


# ---------------------------------------------------------- 2. compressed, cut
@pytest.mark.parametrize(("year", "wbits", "share"), [(2022, 15, 40), (2021, -15, 70)])
def test_a_deflated_report_page_is_a_cut_stream_with_a_matching_length(web, year, wbits, share):
    url = fault("kjt.variant.gov.cn", year)
    answer = raw(web, url, {"Accept-Encoding": "gzip, deflate"})
    assert answer.status == 200 and answer.ending == "open"
    assert answer.headers["content-encoding"] == "deflate"
    assert answer.length == len(answer.body)  # the HTTP message is whole
    with pytest.raises(zlib.error):
        zlib.decompress(answer.body, wbits)
    inflater = zlib.decompressobj(wbits)
    partial = inflater.decompress(answer.body).decode("utf-8", "ignore")
    assert not inflater.eof
    whole = raw(web, url)  # no deflate asked for: the page whole
    assert "content-encoding" not in whole.headers and whole.length == len(whole.body)
    page = whole.text()
    assert title(page) == f"江西省科学技术厅{year}年政府信息公开工作年度报告"
    assert 1000 < len(partial) < len(page) and page.startswith(partial)
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    assert len(answer.body) == len(packer.compress(whole.body) + packer.flush()) * share // 100
    if wbits < 0:
        with pytest.raises(zlib.error):  # not a zlib stream at all
            zlib.decompressobj().decompress(answer.body)


def test_gzip_is_sent_to_every_client_and_two_report_streams_are_cut(web):
    home = raw(web, "http://dct.variant.gov.cn/")  # no Accept-Encoding
    assert home.headers["content-encoding"] == "gzip"
    assert "江西省文化和旅游厅" in gzip.decompress(home.body).decode("utf-8")
    chunked = raw(web, fault("dct.variant.gov.cn", 2022))
    assert chunked.status == 200 and chunked.headers["content-encoding"] == "gzip"
    assert chunked.headers["transfer-encoding"] == "chunked"
    assert chunked.chunks == "complete" and chunked.ending == "open"  # the message is whole
    sized = raw(web, fault("dct.variant.gov.cn", 2021))
    assert sized.headers["content-encoding"] == "gzip" and sized.length == len(sized.body)
    for year, answer in ((2022, chunked), (2021, sized)):
        with pytest.raises(EOFError):
            gzip.decompress(answer.body)
        inflater = zlib.decompressobj(31)
        partial = inflater.decompress(answer.body).decode("utf-8", "ignore")
        assert not inflater.eof and "</html>" not in partial
        assert title(partial) == f"江西省文化和旅游厅{year}年政府信息公开工作年度报告"


# ------------------------------------------------------------------ 3. redirects
def test_a_report_link_redirects_through_a_cycle_of_three_urls(web):
    start = fault("sft.variant.gov.cn", 2022)
    hops, _ = follow(web, start, 6)
    assert [status for status, _ in hops] == [301, 307, 301] * 2
    assert len({url for _, url in hops}) == 3 and hops[3][1] == start
    assert urlsplit(hops[1][1]).path == "/sft/zfxxgk/jump.jsp"
    assert hops[2][1] == "http://sft.variant.gov.cn/site/sft/content/52018817"


def test_a_report_link_redirects_to_itself_with_a_new_query_for_ever(web):
    start = fault("sft.variant.gov.cn", 2021)
    hops, last = follow(web, start, 25)
    assert len(hops) == 25 and last.status == 302
    assert len({url for _, url in hops}) == 25
    assert {urlsplit(url).path for _, url in hops} == {urlsplit(start).path}
    assert hops[3][1] == start + "?from=xxgk&t=3"


def test_a_report_link_is_a_meta_refresh_loop(web):
    a = fault("zjt.variant.gov.cn", 2022)
    first = get_text(web, a)
    target = re.search(r'http-equiv="refresh" content="0;url=([^"]+)"', first).group(1)
    b = urljoin(a, target)
    second = get_text(web, b)
    back = re.search(r'http-equiv="refresh" content="0; URL=([^"]+)"', second).group(1)
    assert urljoin(b, back) == a and f'location.replace("{urlsplit(a).path}")' in second
    assert "<table" not in first + second and not links(first) and not links(second)


def test_a_report_link_goes_through_15_redirects(web):
    hops, answer = follow(web, fault("zjt.variant.gov.cn", 2021), 30)
    assert len(hops) == len({url for _, url in hops}) == 15
    assert {status for status, _ in hops} == {301, 302, 303, 307, 308}
    assert answer.status == 200
    assert title(answer.text()) == "江西省住房和城乡建设厅2021年政府信息公开工作年度报告"


# ------------------------------------------------------------------- 4. charsets
@pytest.mark.parametrize(("year", "header"), [(2022, "big5"), (2021, "ISO-8859-1")])
def test_a_gb2312_report_page_says_another_charset_in_its_header(web, year, header):
    answer = raw(web, fault("czt.variant.gov.cn", year))
    assert answer.headers["content-type"] == f"text/html; charset={header}"
    page = answer.body.decode("gb2312")
    expected = f"江西省财政厅{year}年政府信息公开工作年度报告"
    assert title(page) == expected and 'content="text/html; charset=gb2312"' in page
    assert title(answer.body.decode(header, "replace")) != expected


def test_a_gb18030_report_page_names_no_charset(web):
    answer = raw(web, fault("nync.variant.gov.cn", 2022))
    assert answer.headers["content-type"] == "text/html"
    assert b"charset" not in answer.body.lower()
    with pytest.raises(UnicodeDecodeError):
        answer.body.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        answer.body.decode("utf-8")
    page = answer.body.decode("gb18030")
    assert title(page) == "江西省农业农村厅2022年政府信息公开工作年度报告" and "刘䶮、王𠮷" in page


def test_a_gbk_report_page_says_an_unknown_charset_and_its_meta_another(web):
    answer = raw(web, fault("nync.variant.gov.cn", 2021))
    assert answer.headers["content-type"] == "text/html; charset=utf8mb4"
    with pytest.raises(LookupError):
        codecs.lookup("utf8mb4")
    page = answer.body.decode("gbk")
    assert title(page) == "江西省农业农村厅2021年政府信息公开工作年度报告"
    assert 'content="text/html; charset=gb2312"' in page


def test_a_utf8_report_page_says_gbk_in_its_header(web):
    answer = raw(web, fault("nync.variant.gov.cn", 2020))
    assert answer.headers["content-type"] == "text/html; charset=gbk"
    page = answer.body.decode("utf-8")
    expected = "江西省农业农村厅2020年政府信息公开工作年度报告"
    assert title(page) == expected and '<meta charset="utf-8">' in page
    assert title(answer.body.decode("gbk", "replace")) != expected


# ------------------------------------------------------------- 5. huge totals
def test_a_plain_pager_says_100000_pages_and_goes_on_empty(web):
    base = "http://rst.variant.gov.cn/rst/zwgk/ndbg/index.html"
    first = get_text(web, base)
    assert "共2000000条" in first and "共100000页" in first
    found = dict((text, href) for href, text in links(first))
    assert found["下一页"] == "index.html?page=2" and found["尾页"] == "index.html?page=100000"
    assert sum(text.endswith("年度报告") for text in found) == 3
    for page, articles in ((2, 4), (3, 4), (4, 0), (99_999, 0), (100_000, 0)):
        text = get_text(web, f"{base}?page={page}")
        assert len([h for h, _ in links(text) if h.startswith("/rst/art/2023/06/")]) == articles
        assert ("下一页" in text) == (page < 100_000) and "共100000页" in text
        if not articles:
            assert "暂无数据" in text
    assert raw(web, f"{base}?page=100001").status == 404


def test_a_trs_shtml_column_says_99999999_pages(web):
    base = "http://rst.variant.gov.cn/rst/zwgk/xxgknb/"
    first = get_text(web, base + "index.shtml")
    assert 'createPageHTML(99999999, 0, "index", "shtml")' in first
    assert sum(text.endswith("年度报告") for _, text in links(first)) == 3
    for n in (1, 2):
        page = get_text(web, f"{base}index_{n}.shtml")
        assert f'createPageHTML(99999999, {n}, "index", "shtml")' in page
        articles = [h for h, _ in links(page) if h.startswith("/rst/art/2023/06/")]
        assert len(articles) == 4
    for n in (3, 99_999_998):
        assert raw(web, f"{base}index_{n}.shtml").status == 404
    article = get_text(web, "http://rst.variant.gov.cn" + articles[0])
    assert "年度报告" not in title(article)


def test_json_list_apis_say_5000000_records_and_have_only_page_1(web):
    host = "http://amr.variant.gov.cn"
    column = get_text(web, f"{host}/amr/zwgk/ndbg/index.html")
    assert sum(text.endswith("年度报告") for _, text in links(column)) == 3
    assert "'/amr/api/content/list'" in column and "totalCount = 5000000" in column
    counts = []
    for page in (1, 2, 499_999):
        data = json.loads(get_text(
            web, f"{host}/amr/api/content/list?channelId=2731&pageNo={page}&pageSize=10"))
        assert data["totalCount"] == 5_000_000 and data["pageNo"] == page
        counts.append(len(data["data"]))
    assert counts == [3, 0, 0]
    other = get_text(web, f"{host}/amr/col/col2732/index.html")
    assert "'/amr/front/article/page'" in other and "count: 5000000" in other
    counts = []
    for page in (1, 2, 333_334):
        answer = raw(web, f"{host}/amr/front/article/page", method="POST",
                     body=f"columnId=2732&pageNum={page}&pageSize=15".encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        data = json.loads(answer.text())["data"]
        assert data["total"] == 5_000_000
        counts.append(len(data["list"]))
    assert counts == [3, 0, 0]


# ------------------------------------------------------------ 6. many dead links
def test_a_column_table_has_30000_report_titled_dead_links(web):
    started = time.monotonic()
    page = get_text(web, "http://slt.variant.gov.cn/slt/zfxxgk/ndbg/index.html")
    rows = re.findall(r"<tr><td class=\"bt\"><a href=\"([^\"]+)\"[^>]*>([^<]+)</a>", page)
    assert len(rows) == 30_002 and len({href for href, _ in rows}) == 30_002
    dead = rows[2:]
    assert all(re.fullmatch(r"/slt/zfxxgk/ndbg/20(1[2-9]|2[0-3])/\d{5}\.html", h) for h, _ in dead)
    named = re.compile(r"\w+?(县|区|市)\w+20\d\d年政府信息公开工作年度报告")
    assert all(named.fullmatch(text) for _, text in dead)
    assert "<li" not in page.split("list-table")[1]
    site = SITES["slt.variant.gov.cn"]
    assert [h for h, _ in rows[:2]] == [r.path for r in site.reports]
    assert raw(web, "http://slt.variant.gov.cn" + dead[23456][0]).status == 404
    again = time.monotonic()
    get_text(web, "http://slt.variant.gov.cn/slt/zfxxgk/ndbg/index.html")
    assert time.monotonic() - again < 2 and again - started < 10


def test_a_column_has_40000_soft_404_links_five_to_a_line_before_its_reports(web):
    page = get_text(web, "http://bnr.variant.gov.cn/bnr/zwgk/ndbg/index.html")
    lines = re.findall(r"<p>(.*?)</p>", page)
    assert len(lines) == 8000 and all(line.count("<a ") == 5 for line in lines)
    found = links(page)
    dead = [href for href, text in found if "自然资源所" in text]
    assert len(dead) == len(set(dead)) == 40_000
    site = SITES["bnr.variant.gov.cn"]
    hrefs = [href for href, _ in found]
    assert all(hrefs.index(r.path) > 40_000 for r in site.reports)
    soft = raw(web, "http://bnr.variant.gov.cn" + dead[31_000])
    assert soft.status == 302 and soft.headers["location"] == "/bnr/404.html"
    missing = get_text(web, "http://bnr.variant.gov.cn/bnr/404.html")
    assert "您访问的页面不存在" in missing and "年度报告" not in missing


# ---------------------------------------------------------------------- 7. bombs
def test_a_report_pdf_is_a_three_layer_xobject_flate_bomb(web):
    page = get_text(web, fault("yjglt.variant.gov.cn", 2022))
    assert "详见附件" in page
    href = next(h for h, _ in links(page) if h.endswith(".pdf"))
    answer = raw(web, f"http://yjglt.variant.gov.cn{href}")
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    pdf = answer.body
    assert len(pdf) == answer.length < 100_000
    assert pdf.startswith(b"%PDF-1.5") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/XObject << /Fm1 5 0 R >>" in pdf
    content = re.search(rb"4 0 obj\r\n<< /Length (\d+) /Filter /FlateDecode >>\r\nstream\r\n", pdf)
    drawn = zlib.decompress(pdf[content.end():content.end() + int(content.group(1))])
    assert b"/Fm1 Do" in drawn and b" Tj ET" in drawn
    stream = re.search(rb"/Subtype /Form .*?/Length (\d+) /Filter \[/FlateDecode /FlateDecode "
                       rb"/FlateDecode\] /DL (\d+) >>\r\nstream\r\n", pdf)
    assert stream and int(stream.group(2)) == 8 << 30
    data = pdf[stream.end():stream.end() + int(stream.group(1))]
    inner = zlib.decompress(zlib.decompress(data))  # two of the three filters: a few MB
    assert 1_000_000 < len(inner) < 16_000_000
    inflater = zlib.decompressobj()
    out = inflater.decompress(inner, 64 << 20)  # the third: 64 MiB of it, all zeros
    assert out == bytes(64 << 20)
    consumed = len(inner) - len(inflater.unconsumed_tail)
    assert abs(len(inner) * len(out) / consumed - (8 << 30)) < 0.01 * (8 << 30)


def test_a_report_docx_inflates_to_3_gib(web):
    host = "sjt.variant.gov.cn"
    column = get_text(web, f"http://{host}/sjt/xxgk/ndbg/index.html")
    href = next(h for h, text in links(column) if text == report_title(SITES[host], 2022))
    answer = raw(web, f"http://sjt.variant.gov.cn{href}", timeout=10)
    assert answer.status == 200 and answer.headers["content-type"].endswith(".document")
    assert 1_000_000 < len(answer.body) == answer.length < 8_000_000
    package = zipfile.ZipFile(io.BytesIO(answer.body))
    assert "word/document.xml" in package.namelist()
    info = package.getinfo("word/document.xml")
    assert info.file_size > 3 << 30 and info.file_size < 4 << 30
    core = package.read("docProps/core.xml").decode("utf-8")
    assert "<dc:title>江西省审计厅2022年政府信息公开工作年度报告</dc:title>" in core
    with package.open("word/document.xml") as document:
        start = document.read(32 << 20)
    assert "江西省审计厅2022年政府信息公开工作年度报告" in start[:1000].decode("utf-8", "ignore")
    assert b"<w:p/>" * 1000 in start[-7000:]  # empty paragraphs, for 3 GiB


def test_the_docx_bomb_is_a_valid_zip_with_right_checksums():
    small = docx_bomb("江西省审计厅2022年政府信息公开工作年度报告", 48 << 20, "2023-01-16")
    package = zipfile.ZipFile(io.BytesIO(small))
    assert package.testzip() is None  # every CRC-32 checked
    assert len(package.read("word/document.xml")) > 48 << 20
    a, b = bytes(range(256)) * 3, b"variant" * 999
    assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


# ---------------------------------------------------------- 8. endless spaces
def test_two_searches_linked_like_report_columns_never_end(web):
    host = "http://ly.variant.gov.cn"
    home, disclosure = _disclosure(web, host.split("//")[1])
    baidu = dict((text, href) for href, text in links(home))["年度报告"]
    assert baidu == "/s?wd=年度报告&pn=0"
    jsearch = dict((text, href) for href, text in links(disclosure))["信息公开年报"]
    assert jsearch.startswith("/jsearch/search.do?") and jsearch.endswith("&page=1")
    for url, step in ((f"/s?wd={quote('年度报告')}&pn=0", 10), (jsearch, 1)):
        previous: set[str] = set()
        for _ in range(3):
            found = links(get_text(web, host + url))
            articles = [h for h, _ in found if h.startswith("/ly/art/2024/")]
            assert len(set(articles)) == 10 and not previous & set(articles)
            previous |= set(articles)
            pager = [h for h, text in found if text.isdigit()]
            assert len(pager) == 9
            url = dict((text, h) for h, text in found)["下一页>"]
        number = int(re.search(r"(?:pn|page)=(\d+)$", url).group(1))
        assert number == (3 * 10 if step == 10 else 4)
    far = get_text(web, f"{host}/s?wd={quote('年度报告')}&pn=1234560")
    assert "pn=1234570" in far and "年度报告" not in title(get_text(web, host + articles[0]))


@pytest.mark.parametrize(("start", "shape"), [
    ("/tjj/zwgk/ndbg/rili/2025-01-20.html", "/tjj/zwgk/ndbg/rili/{}.html"),
    ("/tjj/fbrl/index.jsp?date=2025-01-20", "/tjj/fbrl/index.jsp?date={}"),
])
def test_two_calendars_linked_like_report_columns_never_end(web, start, shape):
    host = "http://tjj.variant.gov.cn"
    home, disclosure = _disclosure(web, "tjj.variant.gov.cn")
    named = {href: text for page in (home, disclosure) for href, text in links(page)}
    assert named[start] in ("信息公开年报", "年度报告")
    page = get_text(web, host + start)
    moves = dict((text, href) for href, text in links(page))
    assert moves["前一天"] == shape.format("2025-01-19")
    assert moves["后一天"] == shape.format("2025-01-21")
    assert moves["上一月"] == shape.format("2024-12-20")
    assert moves["下一月"] == shape.format("2025-02-20")
    assert sum(text.isdigit() for text in moves) == 30  # the month's other days
    report = SITES["tjj.variant.gov.cn"].reports[0]
    that_day = get_text(web, host + shape.format(report.published))
    assert report.path in {href for href, _ in links(that_day)}
    last = get_text(web, host + shape.format("9999-12-31"))
    assert "后一天" not in last and "前一天" in last
    assert raw(web, host + shape.format("2025-02-30")).status == 404


# ------------------------------------------------------------ 9. script-only columns
def test_a_report_column_is_a_react_shell_over_a_json_api(web):
    host = "http://jyt.variant.gov.cn"
    shell = get_text(web, f"{host}/jyt/zfxxgk/ndbg/index.html")
    assert '<div id="root"></div>' in shell and links(shell) == []
    script = re.search(r'<script defer="defer" src="([^"]+)"', shell).group(1)
    code = raw(web, host + script)
    assert code.status == 200 and "/cms/article/list" in code.text()
    answer = raw(web, f"{host}/jyt/prod-api/cms/article/list", method="POST",
                 body=json.dumps({"channelId": "ndbg", "pageNum": 1, "pageSize": 10}).encode(),
                 headers={"Content-Type": "application/json;charset=UTF-8"})
    data = json.loads(answer.text())
    assert data["code"] == 200 and data["total"] == len(data["rows"]) == 4
    assert [row["articleTitle"][6:10] for row in data["rows"]] == ["2024", "2023", "2022", "2021"]
    home, disclosure = _disclosure(web, "jyt.variant.gov.cn")
    linked = {href for page in (home, disclosure, shell) for href, _ in links(page)}
    genuine = {r.path for r in SITES["jyt.variant.gov.cn"].reports}
    for row in data["rows"]:
        report = raw(web, host + row["articleUrl"])
        assert report.status == 200 and title(report.text()) == row["articleTitle"]
        assert (row["articleUrl"] in linked) == (row["articleUrl"] in genuine)


def test_a_report_column_is_filled_by_jquery_from_an_html_fragment(web):
    host = "http://dva.variant.gov.cn"
    column = get_text(web, f"{host}/dva/xxgk/ndbg/index.html")
    assert '<div id="list">' in column and "$.get('/dva/xxgk/ndbg/list.jsp?page='" in column
    assert not [h for h, _ in links(column) if not h.startswith(("/", "javascript:"))]
    assert not [text for _, text in links(column) if "年度报告" in text]
    assert raw(web, f"{host}/dva/js/jquery.min.js").status == 200
    fragment = get_text(web, f"{host}/dva/xxgk/ndbg/list.jsp?page=1")
    rows = links(fragment)
    assert [text[10:14] for _, text in rows] == ["2024", "2023", "2022", "2021"]
    assert not links(get_text(web, f"{host}/dva/xxgk/ndbg/list.jsp?page=2"))
    home, disclosure = _disclosure(web, "dva.variant.gov.cn")
    linked = {href for page in (home, disclosure, column) for href, _ in links(page)}
    genuine = {r.path for r in SITES["dva.variant.gov.cn"].reports}
    for href, text in rows:
        assert title(get_text(web, host + href)) == text
        assert (href in linked) == (href in genuine)


# ------------------------------------------------------------------- the log
def test_the_log_records_each_request(web):
    before = len(web.log)
    raw(web, fault("gat.variant.gov.cn", 2022))
    raw(web, "http://nowhere.variant.gov.cn/")
    entries = web.log[before:]
    assert [(e.method, e.url, e.status) for e in entries] == [
        ("GET", fault("gat.variant.gov.cn", 2022), 200),
        ("GET", "http://nowhere.variant.gov.cn/", 502)]
