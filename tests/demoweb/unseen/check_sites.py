"""Checks of the unseen web without the crawler (not a pytest file):

    python -m tests.demoweb.unseen.check_sites [--no-browser]

Starts ``UnseenWeb()`` and, through its proxy, reads every site as a reader would: from
the home page, by the links a reader clicks, to each genuine report; scripts a reader's
browser would run are done here by hand (the JSONP call, the data-url click, the GET
form, createPageHTML, the pdf.js viewer's ``file=``). It checks that the reports the
reader reaches are exactly ``site.report_urls()``, that each answers 200 with its report
(its title in the page, or a %PDF / DOCX body), that the decoys are pages and not
reports, and that no link a reader can follow on the sites is dead. With Chromium
(``/usr/bin/chromium`` and playwright), it also checks the script-driven steps in a real
browser: the JSONP rows appear, a data-url row's click navigates, the GET form's
``<select>`` moves to page 2, the iframe list and the pdf.js viewer load.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

if __package__ in (None, ""):  # run as a file: make ``tests.demoweb`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests.demoweb.server import DemoWeb, Site  # noqa: E402
from tests.demoweb.unseen import UnseenWeb  # noqa: E402

REPORT_TITLE = re.compile(r"政府信息公开工作(的)?年度报告")
DECOY_WORDS = re.compile(r"年度|报告|报表|公报|决算|预算")
CHROMIUM = Path("/usr/bin/chromium")


# ------------------------------------------------------------------- fetching
@dataclass
class Page:
    url: str
    status: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        match = re.search(r"charset=([\w-]+)", self.content_type)
        return self.body.decode(match.group(1) if match else "utf-8", "replace")

    def parse(self) -> Parsed:
        parsed = Parsed(self.url)
        parsed.feed(self.text)
        return parsed


class Reader:
    """GETs through the demo web's proxy; remembers every answer."""

    def __init__(self, proxy: str) -> None:
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy}))
        self.seen: dict[str, Page] = {}

    def get(self, url: str) -> Page:
        if url in self.seen:
            return self.seen[url]
        request = urllib.request.Request(url, headers={"User-Agent": "Mozilla/5.0 check_sites"})
        try:
            with self.opener.open(request, timeout=20) as answer:
                page = Page(url, answer.status, answer.headers.get("Content-Type", ""),
                            answer.read())
        except urllib.error.HTTPError as error:
            page = Page(url, error.code, error.headers.get("Content-Type", ""), error.read())
        self.seen[url] = page
        return page


@dataclass
class Link:
    href: str  # absolute
    text: str
    attrs: dict[str, str]


@dataclass
class Form:
    method: str
    action: str
    selects: dict[str, list[str]] = field(default_factory=dict)


class Parsed(HTMLParser):
    """A page's links (<a>), frames, GET forms and inline scripts."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[Link] = []
        self.frames: list[str] = []
        self.forms: list[Form] = []
        self.scripts: list[str] = []
        self._a: dict[str, str] | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a":
            self._a, self._text = a, []
        elif tag == "iframe" and a.get("src"):
            self.frames.append(urljoin(self.url, a["src"]))
        elif tag == "form":
            self.forms.append(Form(a.get("method", "get").lower(),
                                   urljoin(self.url, a.get("action") or self.url)))
        elif tag == "select" and self.forms:
            self._select = a.get("name", "")
            self.forms[-1].selects[self._select] = []
        elif tag == "option" and self._select is not None and self.forms:
            self.forms[-1].selects[self._select].append(a.get("value", ""))
        elif tag == "script" and not a.get("src"):
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._a is not None:
            href = self._a.get("href", "")
            self.links.append(Link(urljoin(self.url, href) if href else "",
                                   "".join(self._text).strip(), self._a))
            self._a = None
        elif tag == "select":
            self._select = None
        elif tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._a is not None:
            self._text.append(data)
        if self._script is not None:
            self._script.append(data)

    def link(self, text: str) -> Link:
        """The first link whose text is ``text`` (else contains it)."""
        for exact in (True, False):
            for link in self.links:
                if (link.text == text) if exact else (text in link.text):
                    return link
        raise AssertionError(f"{self.url}: no link {text!r}")

    def report_rows(self) -> list[Link]:
        return [link for link in self.links if REPORT_TITLE.search(link.text)]


# -------------------------------------------------------------- reader walks
def _visible(link: Link) -> str:
    assert link.href and not link.href.startswith("javascript:"), f"not a plain link: {link}"
    return link.href


def walk_scjgj(r: Reader) -> set[str]:
    """PHPCMS: home → 信息公开 sub-menu → 政府信息公开年报 → rows, 下一页 until the last."""
    home = r.get("http://scjgj.unseen.gov.cn/").parse()
    listing = r.get(_visible(home.link("政府信息公开年报"))).parse()
    assert "catid=23" in listing.url
    found: set[str] = set()
    seen_pages = set()
    while listing.url not in seen_pages:
        seen_pages.add(listing.url)
        found |= {_visible(link) for link in listing.report_rows()}
        listing = r.get(_visible(listing.link("下一页"))).parse()
    assert len(seen_pages) == 2, seen_pages
    assert any("page=2" in url for url in seen_pages)
    return found


def walk_slt(r: Reader) -> set[str]:
    """DedeCMS (GBK): home → 政务公开 (cover) → 年度报告 → list_12_1/list_12_2 by 下一页."""
    home_page = r.get("http://slt.unseen.gov.cn/")
    assert "gbk" in home_page.content_type and 'charset=gb2312' in home_page.text
    cover = r.get(_visible(home_page.parse().link("政务公开"))).parse()
    listing = r.get(_visible(cover.link("年度报告"))).parse()
    found = {_visible(link) for link in listing.report_rows()}
    assert any("法治政府建设年度报告" in link.text for link in listing.links), "decoy in column"
    second = r.get(_visible(listing.link("下一页"))).parse()
    assert second.url.endswith("/a/xxgk/ndbg/list_12_2.html"), second.url
    found |= {_visible(link) for link in second.report_rows()}
    return found


def walk_mzt(r: Reader) -> set[str]:
    """Catalog platform: home → 政府信息公开 → tree 年度报告 (target=_blank) → the iframe's
    list → viewer links → their file= PDF."""
    home = r.get("http://mzt.unseen.gov.cn/").parse()
    platform = r.get(_visible(home.link("政府信息公开"))).parse()
    node = platform.link("年度报告")
    assert node.attrs.get("target") == "_blank", node
    catalog = r.get(_visible(node)).parse()
    assert len(catalog.frames) == 1, catalog.frames
    frame = r.get(catalog.frames[0]).parse()
    found = set()
    for link in frame.report_rows():
        parts = urlsplit(link.href)
        assert parts.path == "/static/pdfjs/web/viewer.html", link.href
        viewer = r.get(link.href)
        assert viewer.status == 200 and "viewer.js" in viewer.text
        found.add(urljoin(link.href, parse_qs(parts.query)["file"][0]))
    return found


def walk_nynct(r: Reader) -> set[str]:
    """JSONP: home → 政务公开 → 政府信息公开年报 (empty <ul id="list">) → the script's
    /api/list.do?col=ndbg&page=N&callback=cb123, as the page's script builds it."""
    home = r.get("http://nynct.unseen.gov.cn/").parse()
    zwgk = r.get(_visible(home.link("政务公开"))).parse()
    column = r.get(_visible(zwgk.link("政府信息公开年报")))
    assert re.search(r'<ul id="list"[^>]*>\s*</ul>', column.text), "the list is not empty"
    script = "\n".join(column.parse().scripts)
    declared = re.search(r'var COL = "(\w+)"', script)
    assert declared, script[:200]
    col = declared.group(1)
    api = re.search(r'"(/api/list\.do\?col=)" \+ COL \+ "(&page=)" \+ page \+ "(&callback=\w+)"',
                    script)
    assert col == "ndbg" and api, script[:200]
    found, page, pages = set(), 1, 1
    while page <= pages:
        url = urljoin(column.url, f"{api.group(1)}{col}{api.group(2)}{page}{api.group(3)}")
        assert url.endswith(f"/api/list.do?col=ndbg&page={page}&callback=cb123"), url
        answer = r.get(url)
        match = re.fullmatch(r"cb123\((.*)\);?", answer.text.strip(), re.S)
        assert match and "javascript" in answer.content_type, answer.text[:100]
        data = json.loads(match.group(1))
        assert data["total"] == 3, data
        found |= {urljoin(column.url, item["url"]) for item in data["list"]
                  if REPORT_TITLE.search(item["title"])}
        pages, page = data["totalPage"], page + 1
    return found


def walk_hrss(r: Reader) -> set[str]:
    """GET form: home → 政务公开 → 政府信息公开年度报告 → rows; the other pages only
    through the <form method="get"> <select name="page">."""
    home = r.get("http://hrss.unseen.gov.cn/").parse()
    zwgk = r.get(_visible(home.link("政务公开"))).parse()
    listing = r.get(_visible(zwgk.link("政府信息公开年度报告"))).parse()
    assert not any(link.text in ("下一页", "2") for link in listing.links), "an <a> pager"
    found = {_visible(link) for link in listing.report_rows()}
    forms = [f for f in listing.forms if f.method == "get" and "page" in f.selects]
    assert len(forms) == 1 and forms[0].selects["page"] == ["1", "2"], listing.forms
    for value in forms[0].selects["page"][1:]:
        page = r.get(f"{forms[0].action.split('?')[0]}?page={value}").parse()
        found |= {_visible(link) for link in page.report_rows()}
    return found


def walk_whlyt(r: Reader) -> set[str]:
    """data-url rows: home → 政务公开 → 政府信息公开年报 → each row's data-url (the click
    handler of /js/common.js sets window.location.href to it)."""
    home = r.get("http://whlyt.unseen.gov.cn/").parse()
    zwgk = r.get(_visible(home.link("政务公开"))).parse()
    listing = r.get(_visible(zwgk.link("政府信息公开年报")))
    script = r.get(urljoin(listing.url, "/js/common.js"))
    assert script.status == 200 and "window.location.href = this.getAttribute(\"data-url\")" \
        in script.text
    rows = listing.parse().report_rows()
    assert rows and all(link.attrs.get("href") == "javascript:void(0)" for link in rows)
    return {urljoin(listing.url, link.attrs["data-url"]) for link in rows}


def walk_tjj(r: Reader) -> set[str]:
    """Year index: home → 政府信息公开 → 政府信息公开年报 → 2024年..2021年 → each year's
    report (2024: 暂无信息); the 2022 report's DOCX attachment answers a DOCX."""
    home = r.get("http://tjj.unseen.gov.cn/").parse()
    gk = r.get(_visible(home.link("政府信息公开"))).parse()
    index = r.get(_visible(gk.link("政府信息公开年报"))).parse()
    years = [link for link in index.links if re.fullmatch(r"\d{4}年", link.text)]
    assert [y.text for y in years] == ["2024年", "2023年", "2022年", "2021年"], years
    found = set()
    for year in years:
        page = r.get(_visible(year))
        rows = page.parse().report_rows()
        if year.text == "2024年":
            assert not rows and "暂无信息" in page.text
        assert len(rows) == (0 if year.text == "2024年" else 1), (year.text, rows)
        found |= {_visible(link) for link in rows}
    docx = [link for url in found for link in r.get(url).parse().links
            if link.href.endswith(".docx")]
    assert len(docx) == 1, docx
    body = r.get(docx[0].href)
    assert body.status == 200 and body.body[:2] == b"PK", docx[0].href
    return found


def walk_jyt(r: Reader) -> set[str]:
    """Sub-host: jyt home → 政府信息公开 (http://xxgk.jyt...) → 政府信息公开年报 → rows,
    then the pages createPageHTML(count, current, "index", "html") writes."""
    home = r.get("http://jyt.unseen.gov.cn/").parse()
    link = home.link("政府信息公开")
    assert urlsplit(link.href).netloc == "xxgk.jyt.unseen.gov.cn", link.href
    gk = r.get(_visible(link)).parse()
    listing = r.get(_visible(gk.link("政府信息公开年报")))
    found = {_visible(row) for row in listing.parse().report_rows()}
    call = re.search(r'createPageHTML\((\d+), (\d+), "(\w+)", "(\w+)"\)', listing.text)
    assert call and call.groups() == ("2", "0", "index", "html"), call
    for n in range(1, int(call.group(1))):
        page = r.get(urljoin(listing.url, f"{call.group(3)}_{n}.{call.group(4)}")).parse()
        found |= {_visible(row) for row in page.report_rows()}
    return found


WALKS: dict[str, tuple[tuple[str, ...], Callable[[Reader], set[str]]]] = {
    "unseen/scjgj": (("scjgj.unseen.gov.cn",), walk_scjgj),
    "unseen/slt": (("slt.unseen.gov.cn",), walk_slt),
    "unseen/mzt": (("mzt.unseen.gov.cn",), walk_mzt),
    "unseen/nynct": (("nynct.unseen.gov.cn",), walk_nynct),
    "unseen/hrss": (("hrss.unseen.gov.cn",), walk_hrss),
    "unseen/whlyt": (("whlyt.unseen.gov.cn",), walk_whlyt),
    "unseen/tjj": (("tjj.unseen.gov.cn",), walk_tjj),
    "unseen/jyt": (("jyt.unseen.gov.cn", "xxgk.jyt.unseen.gov.cn"), walk_jyt),
}


# ----------------------------------------------------------------- the checks
def check_report(r: Reader, site: Site, url: str) -> None:
    report = site.report_urls()[url]
    page = r.get(url)
    assert page.status == 200, (url, page.status)
    if report.kind == "pdf":
        assert page.body.startswith(b"%PDF") and "application/pdf" in page.content_type, url
    elif report.kind == "docx":
        assert page.body[:2] == b"PK", url
    else:
        assert report.title in page.text, (url, report.title)
        assert "三、收到和处理政府信息公开申请情况" in page.text, url  # the statutory tables
        assert "<table" in page.text, url


def check_decoys(r: Reader, site: Site) -> int:
    """Every article of the site answers 200 with its title; none is a report."""
    reports = set(site.report_urls())
    decoys = 0
    for article in site.meta.get("articles", []):
        url = f"http://{site.host}{article['path']}"
        assert url not in reports, url
        assert not REPORT_TITLE.search(article["title"]), article["title"]
        page = r.get(url)
        assert page.status == 200 and article["title"] in page.text, (url, page.status)
        decoys += bool(DECOY_WORDS.search(article["title"]))
    return decoys


def check_links(r: Reader, hosts: tuple[str, ...], limit: int = 400) -> int:
    """Every page reachable on ``hosts`` by plain links, frames and data-url answers 200."""
    queue = [f"http://{hosts[0]}/"]
    done: set[str] = set()
    while queue and len(done) < limit:
        url = queue.pop(0).split("#")[0]
        if url in done or urlsplit(url).netloc not in hosts:
            continue
        done.add(url)
        page = r.get(url)
        assert page.status == 200, f"dead link {url} ({page.status})"
        if "html" not in page.content_type:
            continue
        parsed = page.parse()
        for link in parsed.links:
            target = link.attrs.get("data-url") or link.href
            if target and not target.startswith(("javascript:", "mailto:")):
                queue.append(urljoin(url, target))
        queue += parsed.frames
    return len(done)


def check_browser(web: DemoWeb, sites: dict[str, Site]) -> list[str]:
    """The script-driven steps in headless Chromium."""
    from playwright.sync_api import sync_playwright

    notes = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=[f"--proxy-server={web.proxy_url}"])
        page = browser.new_page()

        # 4. JSONP rows appear
        nynct = sites["nynct.unseen.gov.cn"]
        page.goto("http://nynct.unseen.gov.cn/zwgk/ndbg/index.html")
        page.wait_for_selector("#list li a")
        hrefs = {urljoin(page.url, a.get_attribute("href"))
                 for a in page.query_selector_all("#list li a")}
        assert hrefs == set(nynct.report_urls()), hrefs
        notes.append(f"nynct: JSONP rows rendered ({len(hrefs)})")

        # 6. a data-url row's click navigates
        whlyt = sites["whlyt.unseen.gov.cn"]
        visited = set()
        for i in range(3):
            page.goto("http://whlyt.unseen.gov.cn/xxgk/ndbg/index.html")
            with page.expect_navigation():
                page.locator("a[data-url]").nth(i).click()
            visited.add(page.url)
            assert whlyt.report_urls()[page.url].title in page.inner_text("h1")
        assert visited == set(whlyt.report_urls()), visited
        notes.append(f"whlyt: data-url clicks navigated ({len(visited)})")

        # 5. the GET form's select submits page 2
        page.goto("http://hrss.unseen.gov.cn/col/ndbg.aspx")
        with page.expect_navigation():
            page.select_option("select[name=page]", "2")
        assert page.url == "http://hrss.unseen.gov.cn/col/ndbg.aspx?page=2", page.url
        assert "关于2021年政府信息公开工作的年度报告" in page.content()
        notes.append("hrss: <select> submitted ?page=2")

        # 3. the iframe list and the pdf.js viewer
        page.goto("http://mzt.unseen.gov.cn/xxgk/catalog.jsp?catid=1050")
        frame = page.frame(name="listFrame")
        assert frame is not None
        frame.wait_for_selector("td.bt a")
        assert len(frame.query_selector_all("td.bt a")) == 3
        pdfs = []
        page.on("response", lambda res: pdfs.append(res.url)
                if urlsplit(res.url).path.endswith(".pdf") and res.status == 200 else None)
        row = frame.query_selector("td.bt a")
        viewer = row.get_attribute("href") if row else None
        assert viewer, "no viewer link"
        page.goto(urljoin("http://mzt.unseen.gov.cn/", viewer))
        page.wait_for_selector("#viewer[data-loaded=true]")
        assert pdfs and pdfs[0] in sites["mzt.unseen.gov.cn"].report_urls(), pdfs
        notes.append("mzt: iframe list (3 rows), pdf.js viewer fetched the PDF")

        # 8. createPageHTML writes the pager
        page.goto("http://xxgk.jyt.unseen.gov.cn/ndbg/index.html")
        with page.expect_navigation():
            page.click("text=下一页")
        assert page.url == "http://xxgk.jyt.unseen.gov.cn/ndbg/index_1.html", page.url
        notes.append("jyt: createPageHTML's 下一页 → index_1.html")
        browser.close()
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium checks")
    args = parser.parse_args(argv)
    failures = 0
    total = 0
    with UnseenWeb() as web:
        sites = web.sites
        reader = Reader(web.proxy_url)
        listed = {h for hosts, _ in WALKS.values() for h in hosts}
        assert listed == set(sites), (listed ^ set(sites))
        for agency, (hosts, walk) in WALKS.items():
            genuine = {url: (sites[h], report) for h in hosts
                       for url, report in sites[h].report_urls().items()}
            try:
                found = walk(reader)
                assert found == set(genuine), f"reader's reports differ: {found ^ set(genuine)}"
                for url, (site, _) in genuine.items():
                    check_report(reader, site, url)
                decoys = sum(check_decoys(reader, sites[h]) for h in hosts)
                pages = check_links(reader, hosts)
                total += len(genuine)
                print(f"ok   {agency:14} {'+'.join(hosts):48} reports {len(genuine)}  "
                      f"decoys {decoys}  pages {pages}")
            except AssertionError as error:
                failures += 1
                print(f"FAIL {agency:14} {error}")
        print(f"genuine reports: {total}")
        if not args.no_browser:
            try:
                import playwright  # noqa: F401
            except ImportError:
                print("browser checks skipped: no playwright")
            else:
                if not CHROMIUM.exists():
                    print(f"browser checks skipped: no {CHROMIUM}")
                else:
                    try:
                        for note in check_browser(web, sites):
                            print(f"ok   browser {note}")
                    except Exception as error:  # noqa: BLE001 - report any browser failure
                        failures += 1
                        print(f"FAIL browser {type(error).__name__}: {error}")
    print("all checks passed" if not failures else f"{failures} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
