"""The hostile web's server (tests/hostile/): each fault happens as its README says, on the
wire, and every genuine report is served whole. No crawler here: raw sockets and
http.client against 127.0.0.1."""

from __future__ import annotations

import codecs
import gzip
import html
import json
import re
import socket
import time
import zlib
from urllib.parse import urlsplit

import pytest
import yaml

from tests.demoweb import DemoWeb, Site
from tests.hostile import HOSTILE_SITES, REGISTRY, HostileWeb, hostile_sites

SITES = hostile_sites()
GENUINE = [(host, url) for host, site in sorted(SITES.items()) for url in site.report_urls()]
_LINK = re.compile(r"<a\s[^>]*?href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.S)


@pytest.fixture(scope="module")
def web():
    with HostileWeb() as web:
        yield web


class Answer:
    """One HTTP exchange read off the socket as it came: head, body bytes, and how the
    server ended it (``"eof"``: FIN, ``"reset"``: RST, ``"open"``: still open)."""

    def __init__(self, head: bytes, body: bytes, ending: str) -> None:
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.lower(): v.strip() for k, v in
                        (line.split(":", 1) for line in lines[1:] if ":" in line)}
        self.body, self.ending = body, ending

    @property
    def length(self) -> int:
        return int(self.headers["content-length"])

    def text(self, encoding: str = "utf-8") -> str:
        body = self.body
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode(encoding)


def raw(web: DemoWeb, url: str, headers: dict[str, str] | None = None, method: str = "GET",
        body: bytes = b"", timeout: float = 5) -> Answer:
    """Ask through the proxy port and read until the server hangs up, or the promised
    body has come (a keep-alive connection then stays open)."""
    host = urlsplit(url).netloc
    fields = {"Host": host, "User-Agent": "hostile-smoke", **(headers or {})}
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
                if method == "HEAD" or (length and len(rest) >= int(length.group(1))):
                    break
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                ending = "reset"
                break
            if not chunk:
                ending = "eof"
                break
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return Answer(head, rest, ending)


def links(text: str) -> list[tuple[str, str]]:
    """(href, text) of every anchor, entities resolved."""
    return [(html.unescape(href), re.sub(r"<[^>]+>", "", html.unescape(inner)).strip())
            for href, inner in _LINK.findall(text)]


def title(text: str) -> str:
    match = re.search(r"<title>(.*?)</title>", text, re.S)
    return match.group(1).strip() if match else ""


def report_title(site: Site, year: int) -> str:
    return f"{site.meta['name']}{year}年政府信息公开工作年度报告"


def get_text(web: DemoWeb, url: str, **kwargs) -> str:
    answer = raw(web, url, **kwargs)
    assert answer.status == 200, (url, answer.status)
    charset = re.search(r"charset=([\w-]+)", answer.headers.get("content-type", ""))
    return answer.text(charset.group(1) if charset else "utf-8")


# ------------------------------------------------------------------ the sites
def test_the_registry_names_one_agency_per_hostile_site():
    agencies = yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]
    assert {urlsplit(a["start_url"]).netloc for a in agencies} == set(SITES)
    assert len({a["id"] for a in agencies}) == len(agencies) == len(SITES) == 11
    for agency in agencies:
        host = urlsplit(agency["start_url"]).netloc
        assert agency["id"].startswith("hostile/")
        assert (agency["province"], agency["province_code"]) == ("浙江省", "330000")
        assert agency["allowed_domains"] == [host]
        assert agency["name"] == SITES[host].meta["name"]
        assert "departments" not in agency
    assert {p.name for p in HOSTILE_SITES.iterdir() if p.is_dir()} == set(SITES)


@pytest.mark.parametrize("host", sorted(SITES))
def test_each_site_leads_from_its_home_page_to_its_report_column(web, host):
    site = SITES[host]
    home = get_text(web, f"http://{host}/")
    assert f'<meta name="SiteName" content="{site.meta["name"]}">' in home
    area = [href for href, text in links(home) if text == "政府信息公开"]
    assert len(area) == 1
    disclosure = get_text(web, f"http://{host}{area[0]}")
    columns = [href for href, text in links(disclosure)
               if text in ("政府信息公开年报", "年度报告", "信息公开年报")
               and not href.startswith("/search.do")]
    assert columns, disclosure
    for href in columns:
        assert raw(web, f"http://{host}{href}", {"Accept-Encoding": "gzip"}).status == 200
    assert 2 <= len(site.reports) <= 3
    assert site.meta["faults"]
    for fault in site.meta["faults"]:
        assert urlsplit(fault["url"]).netloc == host


@pytest.mark.parametrize(("host", "url"), GENUINE)
def test_every_genuine_report_is_served_whole_and_linked(web, host, url):
    site = SITES[host]
    report = site.report_urls()[url]
    answer = raw(web, url, {"Accept-Encoding": "gzip, deflate"}, timeout=60)
    assert answer.status == 200 and answer.ending == "open"
    assert answer.length == len(answer.body)
    if report.kind != "html":  # a document: Word 97 bytes (OLE2), whatever its name says
        assert answer.body.startswith(b"\xd0\xcf\x11\xe0") and \
            answer.headers["content-type"] in ("application/msword", "application/octet-stream")
    else:
        charset = re.search(r"charset=([\w-]+)", answer.headers["content-type"]).group(1)
        assert charset == site.encoding
        text = answer.text(charset)
        assert title(text) == report.title == report_title(site, report.year)
        assert text.count("<table") == 3 and text.rstrip().endswith("</html>")
    pages = [f"http://{host}/", *(f"http://{host}{path}" for path in site.columns),
             *(f"http://{host}{path}" for path in site.meta.get("list_pages", []))]
    assert report.path in {href for page in pages for href, _ in links(get_text(web, page))}


# ----------------------------------------------------------------- 1. reset
def test_a_report_page_is_reset_after_30_percent(web):
    answer = raw(web, "http://jyt.hostile.gov.cn/art/2023/1/16/art_1532010_48022.html")
    assert answer.status == 200 and answer.ending == "reset"
    assert answer.length > 40_000
    assert len(answer.body) == answer.length * 30 // 100
    assert "浙江省教育厅2022年政府信息公开工作年度报告" in answer.body.decode("utf-8", "ignore")


def test_a_report_page_is_closed_cleanly_after_5_percent(web):
    answer = raw(web, "http://jyt.hostile.gov.cn/art/2022/1/21/art_1532010_48021.html")
    assert answer.status == 200 and answer.ending == "eof"
    assert len(answer.body) == answer.length * 5 // 100
    assert "connection" not in answer.headers  # nothing said it would close


def test_cut_and_reset_are_route_options_of_the_demo_server():
    body = bytes(range(256)) * 40
    site = Site(host="cut.example", files={"/a.bin": body, "/b.bin": body},
                routes={"/a.bin": {"cut_at": 1000, "times": 1},
                        "/b.bin": {"reset": True, "chunked": True}})
    with DemoWeb(sites={"cut.example": site}) as demo:
        first = raw(demo, "http://cut.example/a.bin")
        assert (first.length, first.body, first.ending) == (len(body), body[:1000], "eof")
        second = raw(demo, "http://cut.example/a.bin")  # times: 1, then served whole
        assert (second.body, second.ending) == (body, "open")
        chunked = raw(demo, "http://cut.example/b.bin")
        assert chunked.headers["transfer-encoding"] == "chunked"
        assert (chunked.body, chunked.ending) == (b"", "reset")  # RST right after the head
        head = raw(demo, "http://cut.example/b.bin", method="HEAD")
        assert head.status == 200 and head.ending == "open"
        assert [e.url for e in demo.log][:2] == ["http://cut.example/a.bin"] * 2


# ------------------------------------------------------------ 2. truncated gzip
def test_a_report_page_is_a_cut_gzip_stream_with_a_matching_length(web):
    url = "http://kjt.hostile.gov.cn/zwgk/xxgknb/202301/t20230118_48022.html"
    answer = raw(web, url, {"Accept-Encoding": "gzip, deflate"})
    assert answer.status == 200 and answer.ending == "open"
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.length == len(answer.body)  # the HTTP message is whole
    with pytest.raises(EOFError):
        gzip.decompress(answer.body)
    partial = zlib.decompressobj(wbits=31).decompress(answer.body).decode("utf-8", "ignore")
    whole = raw(web, url)  # no gzip asked for: the page whole
    assert "content-encoding" not in whole.headers and whole.length == len(whole.body)
    page = whole.text()
    assert title(page) == "浙江省科学技术厅2022年政府信息公开工作年度报告"
    assert 1000 < len(partial) < len(page) and page.startswith(partial)
    assert title(partial) == title(page)
    assert len(answer.body) == len(gzip.compress(page.encode("utf-8"), mtime=0)) // 2


# ------------------------------------------------------------------ 3. redirects
def test_a_report_link_redirects_in_a_loop(web):
    a = "http://mzt.hostile.gov.cn/art/2022/1/20/art_1229100_48021.html"
    first = raw(web, a)
    assert first.status == 302
    b = "http://mzt.hostile.gov.cn" + first.headers["location"]
    assert urlsplit(b).path == "/security/verify.jsp"
    second = raw(web, b)
    assert second.status == 302 and second.headers["location"] == a
    assert raw(web, a).headers["location"] == first.headers["location"]


def test_a_report_link_goes_through_12_redirects(web):
    column = get_text(web, "http://mzt.hostile.gov.cn/zfxxgk/ndbg/index.html")
    start = next(href for href, text in links(column)
                 if text == "浙江省民政厅2020年政府信息公开工作年度报告")
    url, seen = f"http://mzt.hostile.gov.cn{start}", []
    answer = raw(web, url)
    while answer.status == 302:
        seen.append(url)
        url = f"http://mzt.hostile.gov.cn{answer.headers['location']}"
        answer = raw(web, url)
    assert len(seen) == len(set(seen)) == 12
    assert answer.status == 200
    assert title(answer.text()) == "浙江省民政厅2020年政府信息公开工作年度报告"


# ------------------------------------------------------------------- 4. charset
@pytest.mark.parametrize(("path", "header", "year"), [
    ("/art/2023/1/19/art_1164010_48022.html", "text/html; charset=x-nonexistent-9", 2022),
    ("/art/2022/1/25/art_1164010_48021.html", "text/html; charset=utf-8", 2021),
])
def test_a_gbk_report_page_says_another_charset(web, path, header, year):
    answer = raw(web, f"http://czt.hostile.gov.cn{path}")
    assert answer.status == 200 and answer.headers["content-type"] == header
    with pytest.raises(UnicodeDecodeError):
        answer.body.decode("utf-8")
    page = answer.body.decode("gbk")
    assert title(page) == f"浙江省财政厅{year}年政府信息公开工作年度报告"
    declared = re.search(r"<meta[^>]*charset=\"?([\w-]+)", page).group(1)
    assert declared == header.rsplit("=", 1)[1]  # the page's own tag says the same
    if year == 2022:
        with pytest.raises(LookupError):
            codecs.lookup(declared)


# ------------------------------------------------------------- 5. huge totals
def test_a_trs_column_says_it_has_100_million_pages(web):
    base = "http://rlsbt.hostile.gov.cn/zwgk/xxgknb/"
    first = get_text(web, base + "index.html")
    assert 'createPageHTML(100000000, 0, "index", "html")' in first
    assert sum(text.endswith("年度报告") for _, text in links(first)) == 3
    for n in (1, 2, 3):
        page = get_text(web, f"{base}index_{n}.html")
        assert f'createPageHTML(100000000, {n}, "index", "html")' in page
        articles = [h for h, _ in links(page) if h.startswith("/art/2023/6/1/")]
        assert len(articles) == 4
    for n in (4, 5, 99_999_999):
        assert raw(web, f"{base}index_{n}.html").status == 404
    article = get_text(web, "http://rlsbt.hostile.gov.cn" + articles[0])
    assert "年度报告" not in title(article)


def test_a_hanweb_column_says_it_has_a_million_records(web):
    host = "http://rlsbt.hostile.gov.cn"
    page = get_text(web, f"{host}/col/col1229400/index.html")
    assert "<datastore>\n<totalrecord>1000000</totalrecord>" in page
    assert "totalRecord:1000000" in page
    assert page.count("<record>") == 3
    form = b"col=1&appid=1&webid=3190&path=%2F&columnid=1229400&unitid=7229400"
    counts = []
    for start in (4, 7, 10, 999_998):
        answer = raw(web, f"{host}/module/jpage/dataproxy.jsp?startrecord={start}"
                          f"&endrecord={start + 2}&perpage=3", method="POST", body=form,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert answer.status == 200
        assert "<totalrecord>1000000</totalrecord>" in answer.text()
        counts.append(answer.text().count("<record>"))
    assert counts == [3, 1, 0, 0]


def test_a_site_group_list_api_says_it_has_a_million_records(web):
    host = "http://rlsbt.hostile.gov.cn"
    page = get_text(web, f"{host}/rlsbt/col/col4501/index.html")
    assert "articleList" in page and "'/irs/front/list'" in page
    counts = []
    for current in (2, 3, 4, 333_334):
        body = json.dumps({"current": current, "perPage": "3", "unitid": "380501"}).encode()
        answer = raw(web, f"{host}/irs/front/list", method="POST", body=body,
                     headers={"Content-Type": "application/json;charset=UTF-8"})
        data = json.loads(answer.text())["data"]
        assert data["total"] == 1_000_000
        counts.append(len(data["list"]))
    assert counts == [3, 1, 0, 0]


# ---------------------------------------------------------------- 6. 50k links
def test_a_column_lists_50000_report_titled_links(web):
    started = time.monotonic()
    page = get_text(web, "http://zrzyt.hostile.gov.cn/col/col1289010/index.html")
    found = links(page)
    units = [(href, text) for href, text in found if "地质大队" in text]
    assert len(units) == len({href for href, _ in units}) == 50_000
    assert all(re.fullmatch(r"/art/2024/1/31/art_1289011_\d+\.html", href) for href, _ in units)
    assert all(re.fullmatch(r"浙江省第\d+地质大队2023年政府信息公开工作年度报告", text)
               for _, text in units)
    site = SITES["zrzyt.hostile.gov.cn"]
    assert {r.path for r in site.reports} <= {href for href, _ in found}
    assert raw(web, "http://zrzyt.hostile.gov.cn" + units[12345][0]).status == 404
    again = time.monotonic()
    get_text(web, "http://zrzyt.hostile.gov.cn/col/col1289010/index.html")
    assert time.monotonic() - again < 2 and again - started < 10


# ---------------------------------------------------------------- 7. flate bomb
def test_a_report_pdf_is_a_small_flate_bomb(web):
    column = get_text(web, "http://jtyst.hostile.gov.cn/col/col1229710/index.html")
    href = next(h for h, text in links(column)
                if text == "浙江省交通运输厅2022年政府信息公开工作年度报告")
    answer = raw(web, f"http://jtyst.hostile.gov.cn{href}")
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    pdf = answer.body
    assert len(pdf) == answer.length < 2_000_000
    assert pdf.startswith(b"%PDF-1.7") and pdf.rstrip().endswith(b"%%EOF")
    stream = re.search(rb"<< /Length (\d+) /Filter \[/FlateDecode /FlateDecode\] /DL (\d+) >>"
                       rb"\nstream\n", pdf)
    assert stream and int(stream.group(2)) == 4 << 30
    data = pdf[stream.end():stream.end() + int(stream.group(1))]
    inner = zlib.decompress(data)  # the first filter: a few MB
    assert 1_000_000 < len(inner) < 8_000_000
    inflater = zlib.decompressobj()
    out = inflater.decompress(inner, 64 << 20)  # the second: 64 MiB of it, all zeros
    assert out == bytes(64 << 20)
    consumed = len(inner) - len(inflater.unconsumed_tail)
    assert abs(len(inner) * len(out) / consumed - (4 << 30)) < 0.01 * (4 << 30)


# -------------------------------------------------------------- 8. endless search
def test_search_links_look_like_the_report_column_and_never_end(web):
    host = "http://slt.hostile.gov.cn"
    for page in ("/", "/zwgk/index.html"):
        searches = {text: href for href, text in links(get_text(web, host + page))
                    if href.startswith("/search.do")}
        assert {"政府信息公开年报", "年报"} <= set(searches)
        assert searches["年报"].endswith("&p=1")
    previous: set[str] = set()
    for p in (1, 2, 123_456):
        result = get_text(web, f"{host}/search.do?q=%E5%B9%B4%E6%8A%A5&p={p}")
        found = links(result)
        articles = [href for href, _ in found if href.startswith("/art/")]
        assert len(articles) == 10 and not previous & set(articles)
        previous |= set(articles)
        pager = {text: href for href, text in found if href.startswith("/search.do")}
        for n in range(p + 1, p + 5):
            assert pager[str(n)].endswith(f"&p={n}")
        assert pager["下一页"].endswith(f"&p={p + 1}")
        assert not any("年度报告" in text or "年报" in text for _, text in found)
    article = get_text(web, host + articles[0])
    assert "年度报告" not in title(article)
    assert SITES["slt.hostile.gov.cn"].columns  # the real column is there too (test above)


# ------------------------------------------------------------- 9. JS-only shell
def test_a_report_column_is_only_a_javascript_app(web):
    host = "http://swt.hostile.gov.cn"
    shell = get_text(web, f"{host}/col/col1510/index.html")
    assert '<div id="app"></div>' in shell and links(shell) == []
    script = re.search(r'<script src="([^"]+)"', shell).group(1)
    assert script == "/static/js/app.3f2a1c.js"
    code = raw(web, host + script)
    assert code.status == 200 and "/api/articles?column=" in code.text()
    data = json.loads(get_text(web, f"{host}/api/articles?column=ndbg&page=1"))["data"]
    assert data["total"] == len(data["list"]) == 4
    assert [item["title"][6:10] for item in data["list"]] == ["2024", "2023", "2022", "2021"]
    linked = {href for page in ("/", "/zwgk/index.html", "/col/col1510/index.html")
              for href, _ in links(get_text(web, host + page))}
    site = SITES["swt.hostile.gov.cn"]
    for item in data["list"]:
        report = raw(web, host + item["url"])
        assert report.status == 200 and title(report.text()) == item["title"]
        genuine = item["url"] in {r.path for r in site.reports}
        assert (item["url"] in linked) == genuine
    empty = json.loads(get_text(web, f"{host}/api/articles?column=ndbg&page=2"))["data"]
    assert empty["list"] == [] and empty["total"] == 4


# ------------------------------------------------------------------- the log
def test_the_log_records_each_request(web):
    before = len(web.log)
    raw(web, "http://jyt.hostile.gov.cn/art/2023/1/16/art_1532010_48022.html")
    raw(web, "http://nowhere.hostile.gov.cn/")
    entries = web.log[before:]
    assert [(e.method, e.url, e.status) for e in entries] == [
        ("GET", "http://jyt.hostile.gov.cn/art/2023/1/16/art_1532010_48022.html", 200),
        ("GET", "http://nowhere.hostile.gov.cn/", 502)]
