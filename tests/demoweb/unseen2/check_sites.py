"""Check the unseen2 web as a reader would use it (a script, not a pytest suite):

    python -m tests.demoweb.unseen2.check_sites [--no-browser]

It serves ``Unseen2Web()`` and, through its proxy, walks each registry agency's site from
its home page to its reports by the way a reader goes (the links one clicks; what a page's
script or form does, emulated by hand: the GET form's ``pageNo``, the jump box's
``?page=N``, the list script's JSON API, a viewer's ``?file=``), then checks that

- the report rows found on that way are exactly ``genuine_report_urls(id)``, and every
  genuine URL answers 200 with its report (its title and the statutory tables in the page,
  or a PDF whose text has the report's title; a viewer page's PDF too);
- each site's mechanism is really the only way (no ``<a>`` pager, no 信息公开 in the nav...);
- every decoy (``decoys:`` of a site.yaml) is reachable, answers 200, is not in the truth
  and is not a report; other agencies' reports on the shared platform are not jtt's;
- a plain crawl of every static link of the agency's hosts finds no other report rows.

With Chromium (``playwright``; skipped with ``--no-browser`` or when unavailable) it also
does the scripted steps in a real browser: the select and the jump box submit, the list
script renders the viewer links, the viewers load their PDFs, the frame navigation, the
CSS tabs, and the platform link. Exit status 0 when everything holds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qs, urldefrag, urlencode, urljoin, urlsplit
from urllib.request import ProxyHandler, build_opener

from tests.demoweb.server import Site

from . import Unseen2Web, agencies, genuine_report_urls, unseen2_sites

REPORT_TEXT = re.compile(r"政府信息公开工作年(?:度报告|报)")
TABLE_LABEL = "本年新收政府信息公开申请数量"
PLATFORM = "www.hunan.unseen2.gov.cn"


# ------------------------------------------------------------------- reading pages
@dataclass
class Link:
    url: str
    text: str
    target: str = ""


@dataclass
class Form:
    action: str
    method: str
    name: str
    inputs: list[dict[str, str]] = field(default_factory=list)
    selects: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


class _Parser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[Link] = []
        self.frames: list[tuple[str, str]] = []  # (tag, url): frame, iframe
        self.forms: list[Form] = []
        self.ids: dict[str, dict[str, str]] = {}
        self.scripts: list[str] = []
        self.title = ""
        self.text: list[str] = []
        self._anchor: tuple[dict[str, str], list[str]] | None = None
        self._select: str | None = None
        self._option: dict[str, str] | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids[a["id"]] = dict(a, tag=tag)
        if tag == "a" and a.get("href"):
            self._anchor = (a, [])
        elif tag in ("frame", "iframe") and a.get("src"):
            self.frames.append((tag, urljoin(self.base, a["src"])))
        elif tag == "script" and a.get("src"):
            self.scripts.append(urljoin(self.base, a["src"]))
        elif tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower(),
                                   a.get("name", "")))
        elif tag == "input" and self.forms:
            self.forms[-1].inputs.append(a)
        elif tag == "select" and self.forms:
            self._select = a.get("name", "")
            self.forms[-1].selects[self._select] = []
        elif tag == "option" and self._select is not None:
            self._option = dict(a, text="")
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchor:
            a, parts = self._anchor
            text = "".join(parts).strip() or a.get("title", "")
            href = a["href"].strip()
            if not href.lower().startswith(("javascript:", "mailto:", "#")):
                url = urldefrag(urljoin(self.base, href))[0]
                self.links.append(Link(url, re.sub(r"\s+", "", text), a.get("target", "")))
            self._anchor = None
        elif tag == "option" and self._option is not None and self._select is not None:
            option = self._option
            self.forms[-1].selects[self._select].append((option.get("value", option["text"]),
                                                         option["text"].strip()))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._anchor:
            self._anchor[1].append(data)
        if self._option is not None:
            self._option["text"] += data
        if self._in_title:
            self.title += data
        self.text.append(data)


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    body: bytes
    text: str = ""
    parsed: _Parser | None = None

    @property
    def is_pdf(self) -> bool:
        return self.body.startswith(b"%PDF")

    @property
    def html(self) -> _Parser:
        if self.parsed is None:
            raise Failure(f"{self.url} is not an HTML page ({self.content_type})")
        return self.parsed

    @property
    def links(self) -> list[Link]:
        return self.parsed.links if self.parsed else []

    def link(self, text: str) -> Link:
        """The first link reading ``text`` (whitespace ignored)."""
        for link in self.links:
            if link.text == text:
                return link
        raise Failure(f"{self.url}: no link {text!r}")

    def words(self) -> str:
        return "".join(self.parsed.text) if self.parsed else ""


class Failure(Exception):
    pass


class Reader:
    """GETs through the demo web's proxy, as a browser configured with it would."""

    def __init__(self, proxy_url: str) -> None:
        self.opener = build_opener(ProxyHandler({"http": proxy_url}))
        self.cache: dict[str, Page] = {}

    def get(self, url: str) -> Page:
        if url in self.cache:
            return self.cache[url]
        try:
            with self.opener.open(url, timeout=30) as answer:
                status, headers, body = answer.status, answer.headers, answer.read()
        except HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        content_type = headers.get("Content-Type", "")
        page = Page(url, status, content_type, body)
        if content_type.startswith(("text/html", "application/json", "text/")):
            match = re.search(r"charset=([\w-]+)", content_type)
            page.text = body.decode(match.group(1) if match else "utf-8")
            if content_type.startswith("text/html"):
                page.parsed = _Parser(url)
                page.parsed.feed(page.text)
        self.cache[url] = page
        return page

    def follow(self, page: Page, text: str) -> Page:
        return self.get(page.link(text).url)


def viewer_target(url: str) -> str | None:
    """The document a viewer URL (``.../viewer.html?file=...``) opens, else None."""
    parts = urlsplit(url)
    if not parts.path.endswith("viewer.html"):
        return None
    files = parse_qs(parts.query).get("file")
    return urljoin(url, files[0]) if files else None


def pdf_text(data: bytes) -> str:
    """The text of a demo-web PDF (UTF-16 hex strings in its Flate streams)."""
    out = []
    for stream in re.findall(rb"stream\n(.*?)\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream).decode("ascii", "replace")
        except zlib.error:
            continue
        out += [bytes.fromhex(h).decode("utf-16-be", "replace")
                for h in re.findall(r"<([0-9A-F]+)> Tj", content)]
    return "".join(out)


# ------------------------------------------------------------------ the walks
@dataclass
class Walk:
    """What a reader's way through one agency's site found."""

    rows: list[Link] = field(default_factory=list)  # report-column rows (report or not)
    extra: list[Link] = field(default_factory=list)  # links only script/forms reveal
    notes: list[str] = field(default_factory=list)


def _rows(page: Page) -> list[Link]:
    """The list rows of a column page: links opening in a new window or with a date."""
    return [link for link in page.links if link.target == "_blank" or link.url.endswith(".pdf")]


def _form_pages(r: Reader, column: Page) -> list[tuple[str, Page]]:
    """What choosing each option of pageForm's select does (its onchange submits the form)."""
    form = next(f for f in column.html.forms if f.name == "pageForm")
    assert form.method == "get" and "pageNo" in form.selects, "the pager is a GET select"
    hidden = [(i["name"], i.get("value", "")) for i in form.inputs if i.get("type") == "hidden"]
    pages = []
    for value, label in form.selects["pageNo"]:
        url = urljoin(column.url, form.action) + "?" + urlencode(hidden + [("pageNo", value)])
        page = r.get(url)
        assert page.status == 200, url
        pages.append((label, page))
    return pages


def walk_tjj(r: Reader, home: Page) -> Walk:
    gk = r.follow(home, "政府信息公开")
    column = r.follow(gk, "政府信息公开年度报告")
    assert not [x for x in column.links if "pageNo=" in x.url or x.text in ("下一页", "2")], \
        "list.jsp has an <a> pager"
    assert "共3条" in column.text and "共2页" in column.text
    walk = Walk()
    for label, page in _form_pages(r, column):
        walk.rows += _rows(page)
        walk.notes.append(f"{label} → {page.url}")
    for name in ("财政预决算", "统计动态"):  # the site's other lists page the same way
        for _, page in _form_pages(r, r.follow(gk, name)):
            walk.extra += _rows(page)
    return walk


def walk_nynct(r: Reader, home: Page) -> Walk:
    column = r.follow(r.follow(home, "政务公开"), "政府信息公开年报")
    match = re.search(r"共(\d+)条记录\s*第(\d+)/(\d+)页", column.text)
    assert match, "no 共N条记录 第1/N页"
    form = next(f for f in column.html.forms
                if any(i.get("name") == "page" for i in f.inputs))
    assert form.action == "" and not form.selects, "the jump box is action='' without a select"
    pager = column.text.split('<div class="page">')[1].split("</div>")[0]
    assert "<a " not in pager and "首页" in pager and "上一页" in pager, pager
    walk = Walk(rows=_rows(column))
    base = column.url.split("?")[0]
    for n in range(2, int(match.group(3)) + 1):  # typing n into the box and pressing 跳转
        url = f"{base}?{urlencode({'page': n})}"
        page = r.get(url)
        assert page.status == 200 and f"第{n}/" in page.text, url
        walk.rows += _rows(page)
        walk.notes.append(f"跳转 {n} → {url}")
    return walk


def _api_rows(r: Reader, column: Page) -> list[Link]:
    """What /js/list.js does: GET the list API for the box's data-channel, render rows."""
    box = column.html.ids["articleList"]
    script = next(s for s in column.html.scripts if s.endswith("/js/list.js"))
    assert "/api/article/list?channelId=" in r.get(script).text
    api = urljoin(column.url, "/api/article/list?" + urlencode(
        {"channelId": box["data-channel"], "pageNo": 1, "pageSize": 15}))
    data = json.loads(r.get(api).text)
    assert data["code"] == 200
    return [Link(urljoin(column.url, row["url"]), row["title"], "_blank")
            for row in data["data"]["list"]]


def walk_ybj(r: Reader, home: Page) -> Walk:
    gk = r.follow(home, "政府信息公开")
    column = r.follow(gk, "政府信息公开年报")
    assert not _rows(column), "the report list is in the static HTML"
    walk = Walk()
    for row in _api_rows(r, column):
        target = viewer_target(row.url)
        assert target is None or "%2F" in row.url, "the viewer's file= is not URL-encoded"
        walk.rows.append(Link(target or row.url, row.text, "_blank"))
        walk.notes.append(f"{row.text}: {row.url}")
    for row in _api_rows(r, r.follow(gk, "财政预决算")):
        walk.extra.append(Link(viewer_target(row.url) or row.url, row.text, "_blank"))
    news = r.follow(home, "新闻动态")
    walk.extra += _api_rows(r, news)
    return walk


def walk_lyj(r: Reader, home: Page) -> Walk:
    column = r.follow(r.follow(home, "政务公开"), "政府信息公开年度报告")
    walk = Walk(rows=_rows(column))
    for link in _rows(column) + _rows(r.get(urljoin(home.url, "/zwgk/czzj/index.html"))):
        page = r.get(link.url)
        for tag, src in page.html.frames:
            target = viewer_target(src)
            if tag == "iframe" and target:
                walk.extra.append(Link(target, ""))
                walk.notes.append(f"{link.text}: iframe {src}")
    return walk


def walk_slt(r: Reader, home: Page) -> Walk:
    assert "<frameset" in home.text and not home.links, "/ is not a bare frameset"
    frames = {urlsplit(src).path: src for _, src in home.html.frames}
    assert set(frames) == {"/top.html", "/main.html"}, frames
    top = r.get(frames["/top.html"])
    link = top.link("信息公开")
    assert link.target == "main", link
    column = r.follow(r.get(link.url), "年度报告")
    return Walk(rows=_rows(column), notes=[f"top.html 信息公开 → frame main: {link.url}"])


def walk_mzt(r: Reader, home: Page) -> Walk:
    nav = home.text.split('class="navbar"')[1].split("</div></div>")[0]
    assert "信息公开" not in nav, "the nav links 信息公开"
    assert not [x for x in home.links if "信息公开" in x.text or "/zfxxgk/" in x.url]
    sitemap = r.follow(home, "网站地图")
    assert sitemap.link("年度报告").url.endswith("/zfxxgk/ndbg/index.html")
    column = r.follow(r.follow(sitemap, "政府信息公开"), "年度报告")
    return Walk(rows=_rows(column))


def walk_rst(r: Reader, home: Page) -> Walk:
    column = r.follow(r.follow(home, "政府信息公开"), "年度报告")
    radios = re.findall(r'<input type="radio" name="ndbg-year" id="nd(\d{4})"', column.text)
    assert radios == ["2024", "2023", "2022", "2021"], radios
    assert "<script" not in column.text and ":checked ~ .panel-2023" in column.text
    return Walk(rows=_rows(column), notes=["all four panels' links are in the HTML"])


def walk_jtt(r: Reader, home: Page) -> Walk:
    link = home.link("政府信息公开")
    assert urlsplit(link.url).netloc == PLATFORM, link
    gk = r.get(link.url)
    column = r.follow(gk, "年度报告")
    assert "/xxgk/bmxxgk/jtt/ndbg/" in column.url
    walk = Walk(rows=_rows(column), notes=[f"政府信息公开 → {link.url}"])
    others = r.follow(gk, "切换部门")  # the platform's other departments: not jtt's reports
    for dept in ("湖南省司法厅", "湖南省教育厅"):
        walk.extra += _rows(r.follow(r.follow(others, dept), "年度报告"))
    return walk


WALKS: dict[str, Callable[[Reader, Page], Walk]] = {
    "unseen2/tjj": walk_tjj, "unseen2/nynct": walk_nynct, "unseen2/ybj": walk_ybj,
    "unseen2/lyj": walk_lyj, "unseen2/slt": walk_slt, "unseen2/mzt": walk_mzt,
    "unseen2/rst": walk_rst, "unseen2/jtt": walk_jtt,
}


# ------------------------------------------------------------------ the checks
def _report_of(sites: dict[str, Site], url: str) -> Any:
    parts = urlsplit(url)
    return sites[parts.netloc].report_urls().get(url) if parts.netloc in sites else None


def _foreign(sites: dict[str, Site], url: str) -> dict[str, Any] | None:
    """The route of another agency's report on the platform (u2_report without report:)."""
    parts = urlsplit(url)
    site = sites.get(parts.netloc)
    route = site.route(parts.path) if site else {}
    return route if route.get("handler") == "u2_report" and "report" not in route else None


def check_genuine(r: Reader, sites: dict[str, Site], url: str) -> None:
    report = _report_of(sites, url)
    page = r.get(url)
    assert page.status == 200, f"{url}: {page.status}"
    if report.kind == "pdf":
        assert page.is_pdf, f"{url} is not a PDF"
        text = pdf_text(page.body)
        assert f"{report.year}年政府信息公开工作年度报告" in text, f"{url}: not its report"
        return
    assert report.title in page.text, f"{url}: title {report.title!r} not in the page"
    if report.layout == "viewer":
        frames = [viewer_target(src) for tag, src in page.html.frames if tag == "iframe"]
        document = urljoin(url, report.attachments[0][0])
        assert frames == [document], f"{url}: viewer iframe {frames}"
        assert "详见附件" in page.text
        pdf = r.get(document)
        assert pdf.is_pdf and f"{report.year}年政府信息公开工作年度报告" in pdf_text(pdf.body)
        return
    assert TABLE_LABEL in page.words(), f"{url}: no statutory tables"


def check_not_report(r: Reader, url: str) -> None:
    page = r.get(url)
    assert page.status == 200, f"decoy {url}: {page.status}"
    if page.is_pdf:
        text = pdf_text(page.body)
        assert not REPORT_TEXT.search(text) and TABLE_LABEL not in text, f"decoy {url}"
        return
    heading = page.parsed.title if page.parsed else ""
    assert not REPORT_TEXT.search(heading), f"decoy {url} is titled as a report"
    assert TABLE_LABEL not in page.words(), f"decoy {url} has the statutory tables"


def explore(r: Reader, start: str, hosts: set[str], seeds: list[Link], limit: int = 300
            ) -> dict[str, set[str]]:
    """Every URL a plain crawl of the static links (a, frame, iframe, a viewer's file=) on
    ``hosts`` reaches from ``start`` and ``seeds``, with the anchor texts naming it."""
    names: dict[str, set[str]] = {start: set()}
    for link in seeds:
        names.setdefault(link.url, set()).add(link.text)
    queue, done = list(names), set()
    while queue and len(done) < limit:
        url = queue.pop(0)
        if url in done or urlsplit(url).netloc not in hosts:
            continue
        done.add(url)
        page = r.get(url)
        if not page.parsed:
            continue
        found = [(x.url, x.text) for x in page.links]
        found += [(src, "") for _, src in page.html.frames]
        found += [(viewer_target(u), t) for u, t in found if viewer_target(u)]
        for target, text in found:
            if target not in names:
                queue.append(target)
            names.setdefault(target, set()).add(text)
    return names


def check_agency(r: Reader, sites: dict[str, Site], agency: dict[str, Any]) -> list[str]:
    truth = genuine_report_urls(agency["id"])
    home = r.get(agency["start_url"])
    assert home.status == 200, f"{agency['start_url']}: {home.status}"
    walk = WALKS[agency["id"]](r, home)
    rows = {x.url: x.text for x in walk.rows}
    found = {url for url, text in rows.items() if REPORT_TEXT.search(text)}
    assert found == truth, f"reader's way: {sorted(found ^ truth)}"
    for url in sorted(truth):
        check_genuine(r, sites, url)
    hosts = set(agency["allowed_domains"])
    reached = explore(r, agency["start_url"], hosts, walk.rows + walk.extra)
    decoys = {f"http://{host}{path}" for host in hosts if host in sites
              for path in sites[host].meta.get("decoys", [])}
    assert decoys, "no decoys"
    for url in sorted(decoys):
        assert url in reached, f"decoy {url} is not reachable"
        assert url not in truth
        check_not_report(r, url)
    foreign = set()
    for url, texts in reached.items():
        if not any(REPORT_TEXT.search(t) for t in texts) or url in truth:
            continue
        route = _foreign(sites, url)
        assert route and route["agency"] != agency["name"], f"report-like {url} {texts}"
        page = r.get(url)
        assert page.status == 200 and route["title"] in page.text and TABLE_LABEL in page.words()
        foreign.add(url)
    if agency["id"] == "unseen2/jtt":
        assert len(foreign) == 3, f"other departments' reports: {sorted(foreign)}"
    return [f"{len(truth)} genuine, {len(decoys)} decoys, {len(foreign)} other agencies' "
            f"reports, {len(reached)} URLs reached"] + walk.notes


# ------------------------------------------------------------------ in Chromium
def browser_checks(web: Unseen2Web, sites: dict[str, Site]) -> list[str]:
    from playwright.sync_api import sync_playwright

    done = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=[f"--proxy-server={web.proxy_url}"])
        page = browser.new_page()
        page.set_default_timeout(15000)

        page.goto("http://tjj.unseen2.gov.cn/xxgk/list.jsp?columnId=10072")
        with page.expect_navigation():
            page.select_option("select[name=pageNo]", "2")
        assert page.url.endswith("list.jsp?columnId=10072&pageNo=2"), page.url
        assert page.locator('a[href$="t20230118_4702236.html"]').count() == 1
        done.append("tjj: choosing 第2页 submits pageForm → pageNo=2 with the 2022 report")

        page.goto("http://nynct.unseen2.gov.cn/zwgk/ndbg/index.jhtml")
        page.fill("input[name=page]", "2")
        with page.expect_navigation():
            page.click("input[value=跳转]")
        assert page.url.endswith("/zwgk/ndbg/index.jhtml?page=2"), page.url
        assert page.locator('a[href="/zwgk/ndbg/25102.jhtml"]').count() == 1
        done.append("nynct: 跳转 to 2 → ?page=2 with the 2021 report")

        page.goto("http://ybj.unseen2.gov.cn/zfxxgk/ndbg/index.html")
        page.wait_for_selector("#articleList a")
        hrefs = page.eval_on_selector_all("#articleList a", "as => as.map(a => a.href)")
        pdfs = {viewer_target(h) for h in hrefs} - {None}
        want = set(sites["ybj.unseen2.gov.cn"].report_urls())
        assert pdfs == want, pdfs
        with page.expect_response(lambda a: a.url.endswith("/upload/ndbg/2023.pdf")) as answer:
            page.goto(next(h for h in hrefs if "2023.pdf" in h))
        assert answer.value.status == 200
        done.append("ybj: list.js renders 4 rows, 3 viewer links; the viewer fetches the PDF")

        url = "http://lyj.unseen2.gov.cn/zwgk/ndbg/202401/t20240126_5802276.html"
        with page.expect_response(lambda a: a.url.endswith("/attach/2023/ndbg2023.pdf")) as ans:
            page.goto(url)
        assert ans.value.status == 200
        done.append("lyj: the report page's viewer iframe loads /attach/2023/ndbg2023.pdf")

        page.goto("http://slt.unseen2.gov.cn/")
        top = page.frame(name="top")
        main = page.frame(name="main")
        assert top and main
        with main.expect_navigation():
            top.click("text=信息公开")
        assert main.url.endswith("/xxgk/index.html"), main.url
        done.append("slt: 信息公开 in frame top loads xxgk/index.html in frame main")

        page.goto("http://rst.unseen2.gov.cn/zfxxgk/ndbg/index.html")
        link = page.locator('a[href$="t20240124_3498210.html"]')
        assert not link.is_visible()
        page.click("label[for=nd2023]")
        assert link.is_visible()
        done.append("rst: the 2023 report shows once the 2023年度 label is clicked")

        page.goto("http://jtt.unseen2.gov.cn/")
        with page.context.expect_page() as opened:
            page.click(".jtt-nav >> text=政府信息公开")
        new = opened.value
        new.wait_for_load_state()
        assert new.url == f"http://{PLATFORM}/xxgk/bmxxgk/jtt/index.html", new.url
        done.append("jtt: 政府信息公开 opens the platform's jtt folder")
        browser.close()
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.demoweb.unseen2.check_sites",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium checks")
    args = parser.parse_args(argv)
    sites = unseen2_sites()
    failures = 0
    total = 0
    with Unseen2Web(sites=sites) as web:
        reader = Reader(web.proxy_url)
        for agency in agencies().values():
            try:
                lines = check_agency(reader, sites, agency)
            except (AssertionError, Failure, KeyError, StopIteration) as error:
                failures += 1
                print(f"FAIL {agency['id']}: {type(error).__name__}: {error}")
                continue
            total += len(genuine_report_urls(agency["id"]))
            print(f"ok   {agency['id']}: " + "\n       ".join(lines))
        bad = [e for e in web.log if e.status >= 400]
        for entry in bad:
            print(f"     (a walk got {entry.status} for {entry.url})")
        failures += bool(bad)
        if not args.no_browser:
            try:
                for line in browser_checks(web, sites):
                    print(f"ok   browser {line}")
            except ImportError as error:
                print(f"skip browser checks: {error}")
            except Exception as error:  # any browser failure is a failure
                failures += 1
                print(f"FAIL browser: {type(error).__name__}: {error}")
    print(f"{total} genuine reports checked; {'all good' if not failures else 'FAILURES'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
