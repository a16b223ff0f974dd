"""Check the third unseen web as a reader would (a script, not a pytest suite):

    .venv/bin/python -m tests.demoweb.unseen3.check_sites [--no-browser]

Starts ``Unseen3Web()`` and, through its proxy, walks on each site from the home page to
the report column the way a reader does, doing by hand what a page's script would do (the
image map's ``<area>``, ``<base href>``, the year drop-down's options, the XML list, the
menu array). It checks that the walk reaches exactly the site's genuine reports, that each
answers 200 with its report (the title and the statutory tables in the page, or a PDF of
the report), that the site's mechanism is really the only way (no plain link around it),
and that no decoy is a report. Then, unless ``--no-browser`` (or playwright is missing),
it repeats the script and image-map steps in headless Chromium. Exit status 0 when all
passes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests.demoweb.reports import ReportSpec, report_title  # noqa: E402
from tests.demoweb.server import DemoWeb, Site  # noqa: E402
from tests.demoweb.unseen3 import Unseen3Web, agencies, genuine_report_urls  # noqa: E402

TABLE_MARK = "本年新收政府信息公开申请数量"


# ----------------------------------------------------------------------- reading
@dataclass
class Response:
    url: str
    status: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        match = re.search(r"charset=([\w-]+)", self.content_type, re.I)
        return self.body.decode(match.group(1) if match else "utf-8", "replace")


class Links(HTMLParser):
    """What a reader can follow on a page: <a>, <area>, <option>s, scripts, <base>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.anchors: list[tuple[str, str]] = []  # (text, href)
        self.areas: list[tuple[str, str]] = []  # (alt, href)
        self.options: list[tuple[str, str, str]] = []  # (text, value, the select's onchange)
        self.scripts: list[str] = []  # src
        self.inline: list[str] = []  # inline script text
        self._a: tuple[str, list[str]] | None = None
        self._option: tuple[str, list[str]] | None = None
        self._onchange = ""
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "base" and self.base is None and a.get("href"):
            self.base = a["href"]
        elif tag == "a" and "href" in a:
            self._a = (a["href"], [])
        elif tag == "area" and "href" in a:
            self.areas.append((a.get("alt", ""), a["href"]))
        elif tag == "select":
            self._onchange = a.get("onchange", "")
        elif tag == "option":
            self._option = (a.get("value", ""), [])
        elif tag == "script":
            if a.get("src"):
                self.scripts.append(a["src"])
            self._script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._a:
            self.anchors.append(("".join(self._a[1]).strip(), self._a[0]))
            self._a = None
        elif tag == "option" and self._option:
            self.options.append(("".join(self._option[1]).strip(), self._option[0],
                                 self._onchange))
            self._option = None
        elif tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._a:
            self._a[1].append(data)
        if self._option:
            self._option[1].append(data)
        if self._script and data.strip():
            self.inline.append(data)


@dataclass
class Page:
    response: Response
    parsed: Links = field(default_factory=Links)

    def __post_init__(self) -> None:
        self.parsed.feed(self.response.text)

    @property
    def url(self) -> str:
        return self.response.url

    @property
    def base(self) -> str:
        """What relative links resolve against: <base href>, else the page's URL."""
        return urljoin(self.url, self.parsed.base) if self.parsed.base else self.url

    def resolve(self, href: str) -> str:
        return urljoin(self.base, href).split("#")[0]

    def anchors(self) -> list[tuple[str, str]]:
        return [(text, self.resolve(href)) for text, href in self.parsed.anchors
                if not href.startswith(("javascript:", "#", "mailto:"))]

    def link(self, text: str) -> str:
        for label, url in self.anchors():
            if label == text:
                return url
        raise Failure(f"{self.url}: no link {text!r}")

    def area(self, alt: str) -> str:
        for label, href in self.parsed.areas:
            if label == alt:
                return self.resolve(href)
        raise Failure(f"{self.url}: no <area alt={alt!r}>")


class Failure(Exception):
    pass


class Reader:
    def __init__(self, proxy_url: str) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": proxy_url, "https": proxy_url}))
        self.opener.addheaders = [("User-Agent", "Mozilla/5.0 (unseen3 check)")]

    def get(self, url: str) -> Response:
        try:
            with self.opener.open(url, timeout=30) as answer:
                return Response(answer.geturl(), answer.status,
                                answer.headers.get("Content-Type", ""), answer.read())
        except urllib.error.HTTPError as error:
            return Response(url, error.code, error.headers.get("Content-Type", ""), error.read())

    def page(self, url: str) -> Page:
        response = self.get(url)
        if response.status != 200:
            raise Failure(f"{url}: {response.status}")
        return Page(response)


# ------------------------------------------------------------------- the walks
Walk = Callable[[Reader, str], set[str]]
WALKS: dict[str, Walk] = {}


def walk(short: str):
    def register(func: Walk) -> Walk:
        WALKS[short] = func
        return func
    return register


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


def on_host(page: Page) -> set[str]:
    host = urlsplit(page.url).netloc
    return {url for _, url in page.anchors() if urlsplit(url).netloc == host}


@walk("lcj")
def _lcj(r: Reader, start: str) -> set[str]:
    home = r.page(start)
    expect(not any(urlsplit(u).path.startswith("/zwgk") for _, u in home.anchors()),
           "lcj: the home page has a text link into /zwgk/")
    expect(len(home.parsed.areas) >= 5, "lcj: the banner's image map is missing")
    zwgk = r.page(home.area("政务公开"))
    column = r.page(zwgk.link("政府信息公开年报"))
    return on_host(column)


@walk("dnr")
def _dnr(r: Reader, start: str) -> set[str]:
    home = r.page(start)
    trail = [home]
    for text in ("政府信息公开", "法定主动公开内容", "其他法定内容"):
        trail.append(r.page(trail[-1].link(text)))
    for area in trail[1:]:
        expect(len(on_host(area)) >= 10, f"dnr: {area.url} has few links")
    column_url = trail[-1].link("政府信息公开年度报告")
    for page in trail[:-1]:
        expect(column_url not in on_host(page), f"dnr: {page.url} links the column directly")
    return on_host(r.page(column_url))


@walk("wsjkw")
def _wsjkw(r: Reader, start: str) -> set[str]:
    home = r.page(start)
    expect(home.parsed.base == "http://www.wsjkw.unseen3.gov.cn/html/", "wsjkw: no <base>")
    area = r.page(home.link("政府信息公开"))
    column = r.page(area.link("政府信息公开年报"))
    expect(column.parsed.base is not None, "wsjkw: the column has no <base>")
    found = on_host(column)
    # a reader who ignores <base> gets nowhere: the same links against the page's URL 404
    for _, href in column.parsed.anchors:
        naive = urljoin(column.url, href)
        if "ndbg/20" in href and naive not in found:
            expect(r.get(naive).status == 404, f"wsjkw: {naive} answers without the base")
    expect(r.get(urljoin(home.url, "zfxxgk/index.html")).status == 404,
           "wsjkw: zfxxgk/index.html resolves without the base")
    return found


@walk("jtt")
def _jtt(r: Reader, start: str) -> set[str]:
    home = r.page(start)
    column = r.page(r.page(home.link("信息公开")).link("政府信息公开年报"))
    found = on_host(column)
    values = [(text, value) for text, value, onchange in column.parsed.options
              if "location" in onchange]
    expect(len(values) == 3, f"jtt: year drop-down has {len(values)} options")
    for text, value in values:  # what onchange="window.location.href=this.value" does
        expect(not value.startswith(("/", "http")), f"jtt: option {text} is not relative")
        year_page = r.page(column.resolve(value))
        found |= on_host(year_page)
    expect(len(on_host(column) & found) < len(found), "jtt: all years on the first page")
    return found


@walk("mzzj")
def _mzzj(r: Reader, start: str) -> set[str]:
    home = r.page(start)
    column = r.page(r.page(home.link("政务公开")).link("政府信息公开年度报告"))
    script = "\n".join(column.parsed.inline)
    match = re.search(r'xhr\.open\("GET",\s*"([^"]+)"', script)
    if match is None or 'id="list"' not in column.response.text:
        raise Failure("mzzj: no list script")
    data = r.get(column.resolve(match.group(1)))  # what the script fetches
    expect(data.status == 200, f"mzzj: {match.group(1)} answers {data.status}")
    found = set()
    for item in ElementTree.fromstring(data.body).iter("item"):
        found.add(column.resolve(item.findtext("url") or ""))
    expect(not (on_host(column) & found), "mzzj: the column links a report in its HTML")
    return found


@walk("whhlyt")
def _whhlyt(r: Reader, start: str) -> set[str]:
    home = r.page(start)
    expect(not any(urlsplit(u).path.startswith("/xxgk") for _, u in home.anchors()),
           "whhlyt: the home page has a text link into /xxgk/")
    expect('<ul id="menu"></ul>' in home.response.text, "whhlyt: no empty menu")
    source = r.get(home.resolve(home.parsed.scripts[0])).text  # what the page loads
    match = re.search(r"var MENU = (\[.*?\]);", source, re.S)
    if match is None:
        raise Failure("whhlyt: no MENU array")
    menu = {item["name"]: item["url"] for item in json.loads(match.group(1))}
    area = r.page(home.resolve(menu["政府信息公开"]))
    return on_host(r.page(area.link("政府信息公开年报")))


@walk("wcb")
def _wcb(r: Reader, start: str) -> set[str]:
    home = r.page(start)
    column = r.page(r.page(home.link("信息公开")).link("年报专栏"))
    return on_host(column)


@walk("stats")
def _stats(r: Reader, start: str) -> set[str]:
    home = r.page(start)
    column = r.page(r.page(home.link("政府信息公开")).link("政府信息公开年报"))
    listing = r.page(column.link("年度报告文件目录"))
    expect("<title>Index of /upload/ndbg</title>" in listing.response.text,
           "stats: not a directory index")
    files = {text: url for text, url in listing.anchors() if url.endswith(".pdf")}
    expect(all(text == urlsplit(url).path.rsplit("/", 1)[-1] for text, url in files.items()),
           "stats: a listing's link text is not its file name")
    expect("notice_2023.pdf" in files, "stats: the notice is not listed")
    expect(r.get(listing.url.rstrip("/")).status == 200, "stats: /upload/ndbg does not redirect")
    return {url for url in files.values() if is_report_pdf(r.get(url).body)}


# ------------------------------------------------------------ reports and decoys
def pdf_text(body: bytes) -> str:
    """The text of a demo PDF's pages (its <hex> Tj strings)."""
    out = []
    for stream in re.findall(rb"stream\n(.*?)\nendstream", body, re.S):
        try:
            ops = zlib.decompress(stream).decode("ascii")
        except (zlib.error, UnicodeDecodeError):
            continue
        out += [bytes.fromhex(h).decode("utf-16-be") for h in re.findall(r"<([0-9A-F]+)> Tj", ops)]
    return "\n".join(out)


def is_report_pdf(body: bytes) -> bool:
    return body.startswith(b"%PDF") and "自然人" in pdf_text(body)


def check_report(r: Reader, site: Site, url: str) -> None:
    report = site.report_urls()[url]
    response = r.get(url)
    expect(response.status == 200, f"{url}: {response.status}")
    if report.kind == "pdf":
        expect("application/pdf" in response.content_type, f"{url}: {response.content_type}")
        spec = ReportSpec(agency=site.meta["name"], year=report.year)
        expect(is_report_pdf(response.body) and report_title(spec) in pdf_text(response.body),
               f"{url}: not the report's PDF")
        return
    text = response.text
    expect(report.title in text and TABLE_MARK in text, f"{url}: not the report's page")


def check_decoy(r: Reader, site: Site, path: str) -> None:
    url = f"http://{site.host}{path}"
    expect(url not in site.report_urls(), f"{url}: a decoy among the reports")
    response = r.get(url)
    expect(response.status == 200, f"{url}: decoy answers {response.status}")
    if response.body.startswith(b"%PDF"):
        expect(not is_report_pdf(response.body), f"{url}: the decoy PDF is a report")
    else:
        expect(TABLE_MARK not in response.text, f"{url}: the decoy has the report's tables")
        titles = {rep.title for rep in site.reports}
        expect(not any(t in response.text for t in titles), f"{url}: names a report")


def check_links(r: Reader, start: str, naive: bool = False, limit: int = 300) -> set[str]:
    """The on-host URLs a reader reaches from the home page by following <a>, <area> and
    the drop-downs' <option>s: each answers 200 (Apache's Parent Directory, a 403 as Apache
    answers it, excepted). ``naive``: a reader who follows <a> only, resolved against
    the page's own URL (no <base>), and takes what answers as it comes."""
    host = urlsplit(start).netloc
    seen, queue = {start}, [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        response = r.get(url)
        parent_dir = response.status == 403 and urlsplit(url).path == "/upload/"
        if (naive and response.status != 200) or parent_dir:
            continue
        expect(response.status == 200, f"{url}: {response.status} (a dead link)")
        if "html" not in response.content_type:
            continue
        page = Page(response)
        if naive:
            targets = [urljoin(url, h).split("#")[0] for _, h in page.parsed.anchors]
        else:
            targets = [u for _, u in page.anchors()]
            targets += [page.resolve(h) for _, h in page.parsed.areas]
            targets += [page.resolve(v) for _, v, _ in page.parsed.options if v]
        for target in targets:
            if urlsplit(target).netloc == host and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


# What a reader who follows plain links only (no <area>, <base>, <option>, script) reaches.
NAIVE_REACH = {"lcj": 0, "dnr": 3, "wsjkw": 0, "jtt": 1, "mzzj": 0, "whhlyt": 0, "wcb": 3,
               "stats": 3}


def check_all(web: DemoWeb) -> list[str]:
    r = Reader(web.proxy_url)
    problems = []
    for agency in agencies():
        short = agency["id"].split("/", 1)[1]
        truth = genuine_report_urls(agency["id"])
        site = web.sites[agency["allowed_domains"][0]]
        try:
            reached = WALKS[short](r, agency["start_url"]) & truth
            expect(reached == truth, f"{short}: reached {len(reached)} of {len(truth)}: "
                                     f"missing {sorted(truth - reached)}")
            for url in sorted(truth):
                check_report(r, site, url)
            decoys = site.meta.get("decoys") or []
            expect(len(decoys) >= 3, f"{short}: fewer than three decoys")
            for path in decoys:
                check_decoy(r, site, path)
            pages = len(check_links(r, agency["start_url"]))
            naive = check_links(r, agency["start_url"], naive=True) & truth
            expect(len(naive) == NAIVE_REACH[short],
                   f"{short}: plain links alone reach {len(naive)} reports")
            print(f"ok   {short:7} {site.host:26} {len(truth)} reports, {len(decoys)} decoys, "
                  f"{pages} pages  ({site.meta['mechanism']})")
        except Failure as failure:
            problems.append(str(failure))
            print(f"FAIL {short:7} {failure}")
    return problems


# ----------------------------------------------------------------- in Chromium
def check_browser(web: DemoWeb) -> list[str]:
    """The script and image-map steps in headless Chromium: what a real reader gets."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("skip browser checks: playwright is not installed")
        return []
    problems = []

    def hrefs(page) -> set[str]:
        return set(page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"))

    def check(name: str, got: set[str], truth: set[str]) -> None:
        if truth <= got:
            print(f"ok   {name:7} in Chromium: {len(truth)} reports")
        else:
            problems.append(f"{name} in Chromium: missing {sorted(truth - got)}")
            print(f"FAIL {problems[-1]}")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=[f"--proxy-server={web.proxy_url}", "--no-sandbox"])
        page = browser.new_page()
        try:
            page.goto("http://lcj.unseen3.gov.cn/")  # click the banner where 政务公开 is
            with page.expect_navigation():
                page.click('img[usemap="#nav"]', position={"x": 437, "y": 140})
            expect(urlsplit(page.url).path == "/zwgk/", f"lcj: the banner led to {page.url}")
            page.click("text=政府信息公开年报")
            page.wait_for_url("**/zwgk/zfxxgknb/**")
            check("lcj", hrefs(page), genuine_report_urls("unseen3/lcj"))

            page.goto("http://www.wsjkw.unseen3.gov.cn/")  # links resolved against <base>
            page.click("text=政府信息公开")
            page.click("text=政府信息公开年报")
            page.wait_for_url("**/html/ndbg/index.html")
            check("wsjkw", hrefs(page), genuine_report_urls("unseen3/wsjkw"))

            page.goto("http://jtt.unseen3.gov.cn/xxgk/ndbg/index.html")  # the drop-down
            got = hrefs(page)
            for value in ("2022.html", "2021.html"):
                with page.expect_navigation():
                    page.select_option("#year", value)
                got |= hrefs(page)
            check("jtt", got, genuine_report_urls("unseen3/jtt"))

            page.goto("http://mzzj.unseen3.gov.cn/zwgk/ndbg/")  # the XML list
            page.wait_for_selector("#list a")
            check("mzzj", hrefs(page), genuine_report_urls("unseen3/mzzj"))

            page.goto("http://whhlyt.unseen3.gov.cn/")  # the menu from the array
            page.wait_for_selector("#menu a")
            page.click("#menu >> text=政府信息公开")
            page.click("text=政府信息公开年报")
            page.wait_for_url("**/xxgk/ndbg/")
            check("whhlyt", hrefs(page), genuine_report_urls("unseen3/whhlyt"))
        except Exception as error:  # any error of the browser is a failed check
            problems.append(f"browser: {error}")
            print(f"FAIL browser: {error}")
        finally:
            browser.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium checks")
    args = parser.parse_args(argv)
    with Unseen3Web() as web:
        problems = check_all(web)
        total = sum(len(genuine_report_urls(a["id"])) for a in agencies())
        print(f"{total} genuine reports on {len(web.sites)} sites")
        if not args.no_browser:
            problems += check_browser(web)
    print("all checks pass" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
