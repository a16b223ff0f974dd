"""The browser web's server (tests/demoweb/browser/): on each site one step on the way to the
reports needs a browser, as its README says. No crawler here: urllib through the server's
proxy port shows what a reader of static HTML gets (no report), the step redone by hand
(the script's path, the fragment, the JSON, the challenge's arithmetic, the data array)
leads to every genuine report; and headless Chromium, going from each start page by the
links it sees after scripts, finds every genuine report."""

from __future__ import annotations

import html
import json
import re
import time
import urllib.error
import urllib.request
from urllib.parse import quote, urljoin, urlsplit

import pytest
import yaml

from tests.browser import CHROMEDRIVER, CHROMIUM
from tests.demoweb.browser import BROWSER_SITES, REGISTRY, BrowserWeb, browser_sites
from tests.demoweb.browser.handlers import HANDLERS
from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS

SITES = browser_sites()
KINDS = {"scriptnav": "fgw.bw.gov.cn", "ajaxlist": "jyt.bw.gov.cn",
         "appshell": "zrzyt.bw.gov.cn", "challenge": "sthjt.bw.gov.cn",
         "docwrite": "wjw.bw.gov.cn"}
GENUINE = [(host, url) for host, site in sorted(SITES.items()) for url in site.report_urls()]
COOKIE = "FSSBBIl1UgzbN7N80T"
CHALLENGE = "http://sthjt.bw.gov.cn"
_ANCHOR = re.compile(r"<a\s[^>]*?href=\"([^\"]*)\"", re.S | re.I)
_ATTR_URL = re.compile(r"""(?:src|href)\s*=\s*["'](https?://[^"']+)["']""", re.I)


@pytest.fixture(scope="module")
def web():
    with BrowserWeb() as web:
        yield web


class Answer:
    def __init__(self, status: int, headers, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode("utf-8")


def fetch(web: BrowserWeb, url: str, cookie: str | None = None) -> Answer:
    """GET ``url`` through the server's proxy port, as urllib does (no scripts run);
    what a URL may not hold (spaces, quotes of a script's string) percent-encoded."""
    url = quote(url, safe=":/?&=%#;,+@")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": web.proxy_url}))
    headers = {"User-Agent": "browser-web-smoke"}
    if cookie:
        headers["Cookie"] = f"{COOKIE}={cookie}"
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def anchors(page: str, base: str) -> set[str]:
    """The absolute URLs of the ``<a href>`` in a page's static HTML (fragments cut)."""
    return {urljoin(base, html.unescape(href)).split("#")[0] for href in _ANCHOR.findall(page)}


def report_paths(host: str) -> set[str]:
    return {r.path for r in SITES[host].reports}


def static_crawl(web: BrowserWeb, start: str, cookie: str | None = None,
                 limit: int = 60) -> tuple[set[str], list[Answer]]:
    """Every same-host URL linked by ``<a href>`` in the static HTML reachable from
    ``start`` (what a crawler that runs no script finds), and the answers it read."""
    host = urlsplit(start).netloc
    queue, seen, answers = [start], {start}, []
    while queue and len(answers) < limit:
        url = queue.pop(0)
        answer = fetch(web, url, cookie)
        answers.append(answer)
        if answer.status != 200 or "html" not in answer.headers.get("Content-Type", ""):
            continue
        for link in anchors(answer.text, url):
            if urlsplit(link).netloc == host and link not in seen:
                seen.add(link)
                queue.append(link)
    return seen, answers


# ------------------------------------------------------------------ the challenge
def seed_of(page: str) -> str:
    return re.search(r'<meta id="9DhefwqG" content="([0-9a-f]+)"', page).group(1)


def token_for(seed: str) -> str:
    """The challenge script's arithmetic, redone: char codes XOR a 5-key, two running
    hashes, each as 8 hex digits, the 16 digits reversed."""
    keys = [0x3B, 0x11, 0x5D, 0x27, 0x6A]
    h, g = 0x1505, 0x2F1
    for i, char in enumerate(seed):
        c = ord(char) ^ keys[i % 5]
        h = (h * 33 + c) % 0xFFFFFFFB
        g = (g * 131 + c * 7) % 0x7FFFFFFF
    return (f"{h:08x}" + f"{g:08x}")[::-1]


def solve(web: BrowserWeb) -> str:
    """A valid cookie value for the challenge site: its 412 page's seed, computed."""
    answer = fetch(web, CHALLENGE + "/")
    assert answer.status == 412
    return token_for(seed_of(answer.text))


# ======================================================================== tests
def test_registry_one_hunan_agency_per_site():
    agencies = yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]
    assert sorted(a["id"] for a in agencies) == sorted(f"browser/{k}" for k in KINDS)
    for agency in agencies:
        host = KINDS[agency["id"].split("/", 1)[1]]
        assert host.endswith(".bw.gov.cn")
        assert agency["start_url"] == f"http://{host}/"
        assert agency["allowed_domains"] == [host]
        assert (agency["province"], agency["province_code"]) == ("湖南省", "430000")
        assert agency["name"] == SITES[host].meta["name"]
    assert sorted(SITES) == sorted(KINDS.values())
    assert sorted(p.name for p in BROWSER_SITES.iterdir() if p.is_dir()) == sorted(SITES)
    for host, site in SITES.items():
        assert 2 <= len(site.reports) <= 4, host
        assert site.meta["browser"] and len(site.meta["offsite"]) == 1, host


def test_handlers_are_the_demos_plus_ours():
    assert set(DEMO_HANDLERS) <= set(HANDLERS)
    assert {"list_fragment", "app_api", "docwrite_list", "challenge"} <= set(HANDLERS)


@pytest.mark.parametrize(("host", "url"), GENUINE)
def test_every_genuine_report_is_a_whole_report(web, host, url):
    cookie = solve(web) if host == "sthjt.bw.gov.cn" else None
    answer = fetch(web, url, cookie)
    report = SITES[host].report_urls()[url]
    assert answer.status == 200
    assert report.title == f"{SITES[host].meta['name']}{report.year}年政府信息公开工作年度报告"
    assert f"<title>{report.title}</title>" in answer.text
    assert answer.text.count("<table") >= 3 and "总体情况" in answer.text


@pytest.mark.parametrize("host", sorted(SITES))
def test_static_html_alone_reaches_no_report(web, host):
    """A reader of static HTML following every <a href> from the start URL: no report."""
    seen, answers = static_crawl(web, f"http://{host}/")
    assert not seen & set(SITES[host].report_urls()), host
    for answer in answers:  # and no report's path anywhere in what it read
        assert not any(path in answer.text for path in report_paths(host)), host


@pytest.mark.parametrize("host", sorted(SITES))
def test_the_real_home_page_has_the_national_meta_tags(web, host):
    home = f"http://{host}/portal/index.html" if host == "fgw.bw.gov.cn" else f"http://{host}/"
    answer = fetch(web, home, solve(web) if host == "sthjt.bw.gov.cn" else None)
    assert answer.status == 200
    for tag in (f'name="SiteName" content="{SITES[host].meta["name"]}"',
                f'name="SiteDomain" content="{host}"', 'name="SiteIDCode" content="43'):
        assert tag in answer.text
    assert ">政府信息公开<" in answer.text or ">信息公开<" in answer.text


@pytest.mark.parametrize("host", sorted(SITES))
def test_one_reference_to_another_host_that_is_not_needed(web, host):
    """Exactly one absolute URL of another host in the site's pages (its ``offsite``),
    where the site says; the server has no such host (a page works without it)."""
    (offsite,) = SITES[host].meta["offsite"]
    cookie = solve(web) if host == "sthjt.bw.gov.cn" else None
    start = "http://fgw.bw.gov.cn/portal/index.html" if host == "fgw.bw.gov.cn" else None
    _, answers = static_crawl(web, start or f"http://{host}/", cookie)
    found = {url for a in answers if a.status == 200 for url in _ATTR_URL.findall(a.text)}
    assert found == {offsite["url"]}, host
    assert offsite["url"] in fetch(web, offsite["page"], cookie).text
    assert urlsplit(offsite["url"]).netloc not in SITES
    assert fetch(web, offsite["url"]).status == 502


# ------------------------------------------------------------------ scriptnav
def test_scriptnav_start_page_moves_on_by_script_only(web):
    page = fetch(web, "http://fgw.bw.gov.cn/").text
    assert "<a" not in page.lower() and "http-equiv" not in page.lower()
    assert "window.location.href" in page and "/portal/index.html" not in page
    assert '"por", "tal"' in page  # the path is assembled
    seen, _ = static_crawl(web, "http://fgw.bw.gov.cn/portal/index.html")
    assert set(SITES["fgw.bw.gov.cn"].report_urls()) <= seen


# ------------------------------------------------------------------ ajaxlist
def test_ajaxlist_column_is_filled_from_a_fragment(web):
    column = fetch(web, "http://jyt.bw.gov.cn/col/col4010/index.html").text
    assert '<ul class="list" id="list4010"></ul>' in column
    assert "list.jsp" not in column and "XMLHttpRequest" in column
    fragment = fetch(web, "http://jyt.bw.gov.cn/module/list.jsp?col=4010&page=1")
    assert fragment.status == 200 and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith("<li>")
    assert anchors(fragment.text, "http://jyt.bw.gov.cn/col/col4010/index.html") == \
        set(SITES["jyt.bw.gov.cn"].report_urls())
    assert fragment.headers["X-Page-Count"] == "1"
    other = fetch(web, "http://jyt.bw.gov.cn/module/list.jsp?col=4011&page=1")
    assert other.status == 200 and "<a" not in other.text


# ------------------------------------------------------------------ appshell
def test_appshell_pages_are_shells_over_a_json_api(web):
    host = "zrzyt.bw.gov.cn"
    home = fetch(web, f"http://{host}/").text
    assert f"http://{host}/xxgk/index.html" in anchors(home, f"http://{host}/")
    for path in ("/xxgk/index.html", "/xxgk/ndbg/index.html"):
        shell = fetch(web, f"http://{host}{path}").text
        assert '<div id="app"></div>' in shell and "<a " not in shell
        assert '<script src="/static/js/app.8c1f2e9a.js"></script>' in shell
    bundle = fetch(web, f"http://{host}/static/js/app.8c1f2e9a.js")
    assert bundle.status == 200 and "javascript" in bundle.headers["Content-Type"]
    assert "/art/" not in bundle.text and "/api/cms/article/list" not in bundle.text
    assert all(word in bundle.text for word in ("router", "routes", "$mount", 'app.$mount("#app")'))
    api = fetch(web, f"http://{host}/api/cms/article/list?channelId=ndbg&pageNo=1&pageSize=10")
    data = json.loads(api.text)
    assert data["code"] == 0 and data["data"]["total"] == len(SITES[host].reports)
    assert {f"http://{host}{item['url']}" for item in data["data"]["list"]} == \
        set(SITES[host].report_urls())
    assert {item["title"] for item in data["data"]["list"]} == \
        {r.title for r in SITES[host].reports}
    other = json.loads(fetch(web, f"http://{host}/api/cms/article/list?channelId=x").text)
    assert other["data"]["list"] == []


# ------------------------------------------------------------------ docwrite
def test_docwrite_rows_are_a_data_array_resolved_against_a_script_base(web):
    host, found = "wjw.bw.gov.cn", set()
    for page in ("index.html", "index_1.html"):
        url = f"http://{host}/col/col7010/{page}"
        text = fetch(web, url).text
        assert "document.write" in text
        static = {link for link in anchors(text, url) if "'" not in link}
        assert static == {f"http://{host}/", f"http://{host}/xxgk/index.html"}
        parts = re.search(r'var base = "/" \+ (.*?) \+ "/";', text).group(1)
        base = "/" + "/".join(json.loads(p) for p in parts.split(' + "/" + ')) + "/"
        for relative in re.findall(r'u: "([^"]+)"', text):
            found.add(f"http://{host}{base}{relative}")
            assert fetch(web, urljoin(url, relative)).status == 404  # naive resolution
        assert "var countPage = 2;" in text
    assert found == set(SITES[host].report_urls())
    assert fetch(web, f"http://{host}/col/col7010/index_2.html").status == 404


# ------------------------------------------------------------------ challenge
def test_challenge_on_every_path_without_a_valid_cookie(web):
    paths = ["/", "/index.html", "/zwgk/index.html", "/zwgk/ndbg/index.html", "/favicon.ico",
             "/no/such/page.html"] + sorted(report_paths("sthjt.bw.gov.cn"))
    for path in paths:
        for cookie in (None, "0123456789abcdef"):
            answer = fetch(web, CHALLENGE + path, cookie)
            assert answer.status == 412, path
            assert "Set-Cookie" not in answer.headers
            assert "document.cookie" not in answer.text  # the name is built from char codes
            assert "location.reload" not in answer.text and "_$b[_$f(" in answer.text
            visible = re.sub(r"<script.*?</script>|<[^>]+>|\s", "", answer.text, flags=re.S)
            assert visible == "", path
            assert len(answer.body) < 2000


def test_challenge_solved_serves_the_real_pages_then_comes_back_after_40():
    with BrowserWeb() as web:
        first = fetch(web, CHALLENGE + "/zwgk/ndbg/index.html")
        seed = seed_of(first.text)
        token = token_for(seed)
        assert fetch(web, CHALLENGE + "/", token[::-1]).status == 412  # wrong token
        paths = ["/", "/zwgk/index.html", "/zwgk/ndbg/index.html"] + sorted(
            report_paths("sthjt.bw.gov.cn"))
        for n in range(40):
            answer = fetch(web, CHALLENGE + paths[n % len(paths)], token)
            assert answer.status == 200, n
            assert "Set-Cookie" not in answer.headers
            assert 'name="SiteName" content="湖南省生态环境厅"' in answer.text
        assert fetch(web, CHALLENGE + "/zwgk/ndbg/index.html").status == 412  # no cookie
        again = fetch(web, CHALLENGE + "/", token)  # the 41st request with the token
        assert again.status == 412
        new_seed = seed_of(again.text)
        assert new_seed != seed
        new_token = token_for(new_seed)
        assert fetch(web, CHALLENGE + "/", token).status == 412  # worn out for good
        answer = fetch(web, CHALLENGE + "/zwgk/ndbg/index.html", new_token)
        assert answer.status == 200
        assert anchors(answer.text, CHALLENGE + "/zwgk/ndbg/index.html") >= set(
            SITES["sthjt.bw.gov.cn"].report_urls())


# ====================================================================== Chromium
def _chromium(web: BrowserWeb, profile):
    import shutil

    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail("Chromium is not installed: run `make browser`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", f"--proxy-server={web.proxy_url}",
                     "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable",
                     f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


_STATE = ("return [document.readyState, location.href, document.title,"
          " document.querySelectorAll('a[href]').length, !!document.getElementById('9DhefwqG')];")


def _settle(driver, timeout: float = 15) -> None:
    """Wait until scripts are done: the page loaded, not a challenge page, and its URL,
    title and links unchanged for a moment."""
    from selenium.common.exceptions import WebDriverException

    deadline, last, stable = time.monotonic() + timeout, None, 0
    while time.monotonic() < deadline:
        try:
            state = driver.execute_script(_STATE)
        except WebDriverException:  # between two documents
            state = None
        if state and state[0] == "complete" and not state[4] and state == last:
            stable += 1
            if stable >= 3:
                return
        else:
            stable = 0
        last = state
        time.sleep(0.2)
    raise AssertionError(f"page did not settle: {last}")


def _browse(driver, start: str, limit: int = 12) -> tuple[set[str], list[str]]:
    """Go from ``start`` by the same-host links in the DOM after scripts (not into the
    reports): (every same-host link seen, the pages visited)."""
    host = urlsplit(start).netloc
    queue, seen, visited = [start], {start}, []
    while queue and len(visited) < limit:
        url = queue.pop(0)
        driver.get(url)
        _settle(driver)
        visited.append(driver.current_url)
        links = driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);")
        for link in links:
            link = link.split("#")[0]
            if urlsplit(link).netloc != host or link in seen:
                continue
            seen.add(link)
            if not re.search(r"/t\d{8}_\d+\.html$|/art_\d+_\d+\.html$", link):
                queue.append(link)
    return seen, visited


@pytest.mark.slow
def test_chromium_finds_every_genuine_report_from_the_start_pages(tmp_path):
    with BrowserWeb() as web:
        driver = _chromium(web, tmp_path / "profile")
        try:
            for host, site in sorted(SITES.items()):
                seen, visited = _browse(driver, f"http://{host}/")
                assert set(site.report_urls()) <= seen, (host, visited)
                if host == "fgw.bw.gov.cn":  # the script moved on
                    assert visited[0] == "http://fgw.bw.gov.cn/portal/index.html"
            asked = [(e.url, e.status) for e in web.log]
            home = [status for url, status in asked if url == CHALLENGE + "/"]
            assert home[:2] == [412, 200]  # the script solved the challenge, reloaded
            assert ("http://jyt.bw.gov.cn/module/list.jsp?col=4010&page=1", 200) in asked
            assert ("http://zrzyt.bw.gov.cn/api/cms/article/list?channelId=ndbg&pageNo=1"
                    "&pageSize=10", 200) in asked
            # the challenge: a report page in the browser, then again once the cookie wore out
            report = sorted(SITES["sthjt.bw.gov.cn"].report_urls().items())[0]
            driver.get(report[0])
            _settle(driver)
            assert driver.title == report[1].title
            cookie = next(c["value"] for c in driver.get_cookies() if c["name"] == COOKIE)
            while fetch(web, CHALLENGE + "/", cookie).status == 200:
                pass  # use the browser's cookie up
            driver.get(report[0])
            _settle(driver)
            assert driver.title == report[1].title
            assert "<table" in driver.page_source
            renewed = next(c["value"] for c in driver.get_cookies() if c["name"] == COOKIE)
            assert renewed != cookie
            codes = [e.status for e in web.log if e.url == report[0]]
            assert codes[-2:] == [412, 200]
        finally:
            driver.quit()
