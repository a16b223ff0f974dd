"""The browser-only web (``tests/demoweb/browser/more/``): six Guangxi agency sites where one
step on the way to the reports needs a browser. Fast checks of the server (raw HTTP through
the proxy, no crawler), then headless Chromium following a reader's path on each site."""

from __future__ import annotations

import http.client
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.browser import CHROMEDRIVER, CHROMIUM
from tests.demoweb.browser.more import REGISTRY, BrowserMoreWeb, browser_more_sites
from tests.demoweb.browser.more import handlers as bm_handlers

SITES = browser_more_sites()
HOSTS = {"appshell-1": "jtt.bm.gov.cn", "appshell-2": "zrzyt.bm.gov.cn",
         "scriptnav-1": "sthjt.bm.gov.cn", "scriptnav-2": "wsjkw.bm.gov.cn",
         "challenge-1": "gxt.bm.gov.cn", "challenge-2": "swt.bm.gov.cn"}
CHALLENGES = {"gxt.bm.gov.cn": 521, "swt.bm.gov.cn": 412}
# (page, off-agency URL it references)
OFF_AGENCY = {
    "jtt.bm.gov.cn": ("/", "https://hm.baidu.com/hm.js?8f3c2a1b9d0e4f5a6b7c8d9e0f1a2b3c"),
    "zrzyt.bm.gov.cn": ("/", "https://cdn.bootcdn.net/ajax/libs/normalize/8.0.1/normalize.min.css"),
    "sthjt.bm.gov.cn": ("/", "https://s4.cnzz.com/z_stat.php?id=1281052052&amp;web_id=1281052052"),
    "wsjkw.bm.gov.cn": ("/", "https://zfwzgl.www.gov.cn/exposure/jiucuo.js"),
    "gxt.bm.gov.cn": ("/", "https://tj.gxzf.gov.cn/piwik.php?idsite=74&amp;rec=1"),
    "swt.bm.gov.cn": ("/", "https://at.alicdn.com/t/font_2231093_x1k2n.css"),
}
# A reader's path: the start page, then the links clicked (by their text).
READER_PATHS = {
    "jtt.bm.gov.cn": ["政府信息公开", "政府信息公开年报"],
    "zrzyt.bm.gov.cn": ["政务公开", "政府信息公开年报"],
    "sthjt.bm.gov.cn": ["政务公开", "政府信息公开年报"],
    "wsjkw.bm.gov.cn": ["政府信息公开", "政府信息公开年报"],
    "gxt.bm.gov.cn": ["政府信息公开", "政府信息公开年报"],
    "swt.bm.gov.cn": ["信息公开", "政府信息公开年报"],
}
ANCHOR = re.compile(r"<a\s[^>]*href\s*=", re.I)


@pytest.fixture(scope="module")
def web() -> Iterator[BrowserMoreWeb]:
    with BrowserMoreWeb() as server:
        yield server


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        match = re.search(r"charset=([\w-]+)", self.headers.get("content-type", ""))
        return self.body.decode(match.group(1) if match else "utf-8")


def get(web: BrowserMoreWeb, url: str, cookie: str | None = None) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
    headers = {"Host": urlsplit(url).netloc, "User-Agent": "Mozilla/5.0 test"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                      response.read())
    finally:
        connection.close()


def without_scripts(html: str) -> str:
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.S | re.I)


# ------------------------------------------------------ the challenges, re-implemented
def solve(page: str) -> str:
    """The cookie a challenge page's script sets, computed here from the page."""
    jsl = re.search(r"_0x7f2c=\[0x([0-9a-f]+),0x([0-9a-f]+),0x([0-9a-f]+)\],"
                    r"_0x39d1=0x([0-9a-f]+)", page)
    if jsl:
        b0, b1, b2, key = (int(g, 16) for g in jsl.groups())
        t = (b0 * 0x100 + b1) * 0x100 + b2
        for i in range(16):
            t = (t * 0x41C6 + key + i) % 0x7FFFFFFF
        name = "__jsl_clearance_s"
        assert f"'{hexed(name)}'" in page
        return f"{name}={t:x}"
    seed = re.search(r'<meta id="[^"]+" content="([0-9a-f]{16})"', page).group(1)
    name = re.search(r"\}\)\('[^']*','([A-Za-z0-9]+)'\)", page).group(1)[::-1]
    h = 5381
    for char in seed:
        h = (h * 33 + ord(char)) % 4294967291
    digits, text = "0123456789abcdefghijklmnopqrstuvwxyz", ""
    while True:
        h, r = divmod(h, 36)
        text = digits[r] + text
        if not h:
            break
    return f"{name}={text}{seed[:4]}"


def hexed(word: str) -> str:
    return "".join(f"\\x{ord(c):02x}" for c in word)


def passed(web: BrowserMoreWeb, url: str) -> tuple[Answer, str | None]:
    """``url``'s answer, solving the host's challenge first if there is one."""
    answer = get(web, url)
    host = urlsplit(url).netloc
    if host not in CHALLENGES:
        return answer, None
    assert answer.status == CHALLENGES[host], (url, answer.status)
    cookie = solve(answer.text)
    return get(web, url, cookie), cookie


# ------------------------------------------------------------------------ the server
def test_registry_names_the_six_sites() -> None:
    agencies = yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]
    assert {a["id"]: a["allowed_domains"] for a in agencies} == {
        f"browsermore/{kind}": [host] for kind, host in HOSTS.items()}
    for agency in agencies:
        host = agency["allowed_domains"][0]
        assert agency["province"] == "广西壮族自治区" and agency["province_code"] == "450000"
        assert agency["start_url"] == f"http://{host}/" and host.endswith(".bm.gov.cn")
        assert agency["name"] == SITES[host].meta["name"]
        assert 2 <= len(SITES[host].reports) <= 4
    encodings = {kind: SITES[host].encoding for kind, host in HOSTS.items()}
    for kind in ("appshell", "scriptnav", "challenge"):
        pair = {encodings[f"{kind}-1"].lower(), encodings[f"{kind}-2"].lower()}
        assert "utf-8" in pair and pair & {"gbk", "gb18030"}, (kind, pair)


def test_home_pages_have_the_site_meta_tags(web: BrowserMoreWeb) -> None:
    for host, site in SITES.items():
        answer, _ = passed(web, f"http://{host}/")
        assert answer.status == 200
        for name, value in (("SiteName", site.meta["name"]), ("SiteDomain", host)):
            assert re.search(rf'<meta name="?{name}"? content="?{value}"?', answer.text), host
        assert re.search(r'<meta name="?SiteIDCode"? content="?45\d{8}"?', answer.text), host


def test_off_agency_reference_on_every_site(web: BrowserMoreWeb) -> None:
    for host, (path, url) in OFF_AGENCY.items():
        answer, _ = passed(web, f"http://{host}{path}")
        assert url in answer.text, host
        other = urlsplit(url.replace("&amp;", "&")).netloc
        assert other not in SITES and not other.endswith(".bm.gov.cn")
    assert len(OFF_AGENCY) == len(SITES)


def test_app_shells_have_no_links_and_apis_list_the_reports(web: BrowserMoreWeb) -> None:
    home = get(web, "http://jtt.bm.gov.cn/")
    assert home.status == 200 and '<div id=app></div>' in home.text
    assert "<a" not in home.text.lower()
    shell = get(web, "http://zrzyt.bm.gov.cn/zwgk/").text
    assert '<div id="root"></div>' in shell and "<a" not in shell.lower()
    for route in ("/zwgk", "/zwgk/ndbg", "/zwgk/gkzn", "/zwgk/fdzdgknr"):  # history router
        assert get(web, f"http://zrzyt.bm.gov.cn{route}").text == shell, route
    assert ANCHOR.search(get(web, "http://zrzyt.bm.gov.cn/").text)  # the home page is plain

    jtt = SITES["jtt.bm.gov.cn"]
    data = get(web, "http://jtt.bm.gov.cn/api/cms/channel/articles?channel=ndbg&page=1&size=10")
    records = data_json(data)["data"]["records"]
    assert {r["linkUrl"]: r["title"] for r in records} == {r.path: r.title for r in jtt.reports}
    empty = get(web, "http://jtt.bm.gov.cn/api/cms/channel/articles?channel=gkzn&page=1&size=10")
    assert data_json(empty)["data"]["records"] == []

    zrzyt = SITES["zrzyt.bm.gov.cn"]
    data = get(web, "http://zrzyt.bm.gov.cn/zwgk/api/v1/docs?channel=ndbg&pageIndex=1&pageSize=20")
    payload = data_json(data)
    assert payload["success"] is True
    assert {r["docPubUrl"]: r["docTitle"] for r in payload["data"]["rows"]} == {
        url: r.title for url, r in zrzyt.report_urls().items()}
    # the bundles name the API, not a report
    for host, bundle in (("jtt.bm.gov.cn", "/static/js/app.7d4b2e91.js"),
                         ("zrzyt.bm.gov.cn", "/zwgk/static/js/main.4f2a9c1d.js")):
        text = get(web, f"http://{host}{bundle}").text
        assert not any(r.path in text for r in SITES[host].reports)


def data_json(answer: Answer) -> dict:
    assert answer.status == 200 and answer.headers["content-type"].startswith("application/json")
    return json.loads(answer.body)


def test_script_navigation_has_no_static_target(web: BrowserMoreWeb) -> None:
    jump = get(web, "http://sthjt.bm.gov.cn/")
    assert jump.status == 200 and "window.location.assign(" in jump.text
    assert not ANCHOR.search(jump.text) and "refresh" not in jump.text.lower()
    assert "/sthjt/portal/index.shtml" not in jump.text and "portal" in jump.text
    portal = get(web, "http://sthjt.bm.gov.cn/sthjt/portal/index.shtml")
    assert portal.status == 200 and 'href="/sthjt/zwgk/index.shtml">政务公开' in portal.text

    disclosure = get(web, "http://wsjkw.bm.gov.cn/xxgk/index.html").text
    assert '<a href="/xxgk/tz.html?c=ndbg">政府信息公开年报</a>' in disclosure
    jump = get(web, "http://wsjkw.bm.gov.cn/xxgk/tz.html?c=ndbg")
    assert jump.status == 200 and "top.location.href" in jump.text
    assert "d.write('<meta http-equiv=\"refresh\"" in jump.text  # document.write, in script
    assert not ANCHOR.search(jump.text)
    assert "refresh" not in without_scripts(jump.text).lower()
    assert "/xxgk/zfxxgknb" not in jump.text  # only the slug, in a lookup table
    for host, pages in (("sthjt.bm.gov.cn", ["/"]),
                        ("wsjkw.bm.gov.cn", ["/", "/xxgk/index.html", "/xxgk/tz.html"])):
        column = next(iter(SITES[host].columns))
        for path in pages:  # the column is reached only through the script
            assert column not in get(web, f"http://{host}{path}").text, (host, path)
        listing = get(web, f"http://{host}{column}").text
        for report in SITES[host].reports:
            assert f'href="{report.path}"' in listing


def test_challenges_answer_their_status_until_solved(web: BrowserMoreWeb) -> None:
    for host, status in CHALLENGES.items():
        site = SITES[host]
        column = next(iter(site.columns))
        paths = ["/", column, *(r.path for r in site.reports), "/no/such/page.html",
                 "/favicon.ico"]
        for path in paths:
            answer = get(web, f"http://{host}{path}")
            assert answer.status == status, (host, path)
            text = answer.text
            assert len(answer.body) < 2000 and not ANCHOR.search(text)
            if status == 521:  # strings hex-escaped: cookie, location, href
                assert all(f"'{hexed(word)}'" in text for word in ("cookie", "location", "href"))
                assert "window[_0x1c3b(0x6)][_0x1c3b(0x5)]=window[_0x1c3b(0x6)][_0x1c3b(0x5)]" \
                    in text  # location.href = location.href
            else:
                assert "document.cookie=" in text
                assert "location[String.fromCharCode(114,101,108,111,97,100)]()" in text
        answer = get(web, f"http://{host}{column}")
        cookie = solve(answer.text)
        real = get(web, f"http://{host}{column}", cookie)
        assert real.status == 200 and "no-cache" in real.headers["cache-control"]
        for report in site.reports:
            assert f'href="{report.path}"' in real.text
        assert get(web, f"http://{host}{column}", cookie + "0").status == status
        assert get(web, f"http://{host}/no/such/page.html", cookie).status == 404


def test_request_counted_challenge_expires_after_25_requests() -> None:
    with BrowserMoreWeb() as web:
        first = get(web, "http://gxt.bm.gov.cn/")
        assert first.status == 521
        cookie = solve(first.text)
        for _ in range(25):
            assert get(web, "http://gxt.bm.gov.cn/", cookie).status == 200
        again = get(web, "http://gxt.bm.gov.cn/", cookie)
        assert again.status == 521 and again.text != first.text  # a new seed
        assert solve(again.text) != cookie
        assert get(web, "http://gxt.bm.gov.cn/", cookie).status == 521
        assert get(web, "http://gxt.bm.gov.cn/", solve(again.text)).status == 200


def test_timed_challenge_expires_after_15_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(bm_handlers, "now", lambda: clock[0])
    with BrowserMoreWeb() as web:
        first = get(web, "http://swt.bm.gov.cn/")
        assert first.status == 412
        cookie = solve(first.text)
        for _ in range(40):  # any number of requests within 15 s
            assert get(web, "http://swt.bm.gov.cn/", cookie).status == 200
        clock[0] += 14.9
        assert get(web, "http://swt.bm.gov.cn/", cookie).status == 200
        clock[0] += 0.2
        again = get(web, "http://swt.bm.gov.cn/", cookie)
        assert again.status == 412 and again.text != first.text
        fresh = solve(again.text)
        assert fresh != cookie and get(web, "http://swt.bm.gov.cn/", cookie).status == 412
        assert get(web, "http://swt.bm.gov.cn/", fresh).status == 200


def test_every_genuine_report_answers_with_its_title(web: BrowserMoreWeb) -> None:
    count = 0
    for site in SITES.values():
        titles = {r.title for r in site.reports}
        assert len(titles) == len(site.reports)
        for url, report in site.report_urls().items():
            answer, _ = passed(web, url)
            assert answer.status == 200, url
            assert report.title == f"{site.meta['name']}{report.year}年政府信息公开工作年度报告"
            assert f"<title>{report.title}</title>" in answer.text, url
            assert "本年新收政府信息公开申请数量" in answer.text  # the real tables
            count += 1
    assert count == sum(len(s.reports) for s in SITES.values()) == 16


# ----------------------------------------------------------------------- a browser
@contextmanager
def chromium(profile: Path, proxy: str) -> Iterator:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", f"--proxy-server={proxy}",
                     "--disable-features=HttpsUpgrades",
                     f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _hrefs(driver) -> set[str]:
    return set(driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(function (a) "
        "{ return a.href; });") or [])


def _click(driver, text: str) -> None:
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        NoSuchElementException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + 20
    while True:
        try:
            driver.find_element(By.LINK_TEXT, text).click()
            return
        except (NoSuchElementException, StaleElementReferenceException,
                ElementClickInterceptedException):
            if time.monotonic() > deadline:
                raise AssertionError(f"no link {text!r} on {driver.current_url}: "
                                     f"{driver.page_source[:500]}") from None
            time.sleep(0.2)


def test_a_reader_in_chromium_finds_every_report(tmp_path: Path) -> None:
    import shutil

    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail("Chromium is not installed: run `make browser`")
    with BrowserMoreWeb() as web, chromium(tmp_path / "profile", web.proxy_url) as driver:
        for host, steps in READER_PATHS.items():
            site = SITES[host]
            driver.get(f"http://{host}/")
            for text in steps:
                _click(driver, text)
            wanted = set(site.report_urls())
            deadline = time.monotonic() + 20
            while not wanted <= _hrefs(driver):
                assert time.monotonic() < deadline, (host, driver.current_url,
                                                     wanted - _hrefs(driver))
                time.sleep(0.2)
            first = min(wanted)
            driver.get(first)
            deadline = time.monotonic() + 20
            while driver.title != site.report_urls()[first].title:
                assert time.monotonic() < deadline, (first, driver.title)
                time.sleep(0.2)
        log = [(urlsplit(e.url).hostname, urlsplit(e.url).path, e.status)
               for e in web.log if e.method == "GET"]
        for host, status in CHALLENGES.items():  # the browser met the challenge, solved it
            assert (host, "/", status) in log and (host, "/", 200) in log
        assert ("zrzyt.bm.gov.cn", "/zwgk/ndbg", 200) not in log  # pushState, not a request
        assert [path for host, path, _ in log if host == "jtt.bm.gov.cn"
                and path.endswith((".html", "/"))][:1] == ["/"]
