"""The action web (``tests/demoweb/browser/actions/``) behaves as its README says: fast
checks of the server through its proxy (no crawler, no browser), then headless Chromium
twice over every site: a browser that only renders pages (loads them, runs their
scripts, reads ``<a href>``) finds only the reports ``site.meta["rendered"]`` names, and
a reader who acts (下一页 postbacks, each year's option and each openDetail popup,
加载更多, scrolling, the 年报 tab) finds every genuine report."""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
import yaml

from tests.browser import CHROMEDRIVER, CHROMIUM
from tests.demoweb.browser.actions import ACTION_SITES, HANDLERS, REGISTRY, ActionWeb, action_sites
from tests.demoweb.browser.actions.handlers import HANDLERS as ACT_HANDLERS
from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS

# the five sites of a list read by acting on it (the app and the portal: tests at the end)
READERS = ("postback", "openDetail", "loadmore", "scroll", "tabs")
AGENCIES = [a for a in yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]
            if a["id"].split("/", 1)[1] in READERS]
KIND = {urlsplit(a["start_url"]).hostname: a["id"].split("/", 1)[1] for a in AGENCIES}
ALL_SITES = action_sites()
SITES = {host: site for host, site in ALL_SITES.items() if host in KIND}
PAGER = "ctl00$Main$pager"


# ------------------------------------------------------------------- helpers
class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(base: str, html: str) -> set[str]:
    """Every ``<a href>`` of a page that is a real URL (no ``javascript:``, no fragment)."""
    parser = _Links()
    parser.feed(html)
    return {urljoin(base, h).split("#", 1)[0] for h in parser.hrefs
            if not h.strip().lower().startswith(("javascript:", "#", "mailto:"))}


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def charset(self) -> str:
        match = re.search(r"charset=([\w-]+)", self.headers.get("Content-Type", ""))
        return match.group(1) if match else "utf-8"

    @property
    def text(self) -> str:
        return self.body.decode(self.charset)


def fetch(web: ActionWeb, url: str, data: bytes | None = None,
          headers: dict[str, str] | None = None) -> Answer:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": web.proxy_url}))
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


def postback(web: ActionWeb, url: str, page: object, target: str = PAGER,
             viewstate: bool = True) -> Answer:
    form = {"__EVENTTARGET": target, "__EVENTARGUMENT": str(page)}
    if viewstate:
        form["__VIEWSTATE"] = "/wEPDwUKMTY0NjU4MDk3Mg9kFgJmD2Q"
    return fetch(web, url, urlencode(form).encode(),
                 {"Content-Type": "application/x-www-form-urlencoded"})


def reports_in(site, urls: set[str]) -> set[str]:
    return set(site.report_urls()) & urls


def years_of(site, urls: set[str]) -> list[int]:
    truth = site.report_urls()
    return sorted((truth[u].year for u in urls if u in truth), reverse=True)


def column_url(site) -> str:
    return f"http://{site.host}{site.meta['column']}"


def site_of(kind: str):
    return next(SITES[h] for h, k in KIND.items() if k == kind)


@pytest.fixture(scope="module")
def web() -> Iterator[ActionWeb]:
    with ActionWeb() as served:
        yield served


# --------------------------------------------------------------- the package
def test_package_registry_and_sites_agree() -> None:
    assert not set(DEMO_HANDLERS) & set(ACT_HANDLERS)
    assert all(name.startswith("act_") for name in ACT_HANDLERS)
    assert HANDLERS == {**DEMO_HANDLERS, **ACT_HANDLERS}
    assert sorted(KIND.values()) == ["loadmore", "openDetail", "postback", "scroll", "tabs"]
    assert set(KIND) == set(SITES) < {d.name for d in ACTION_SITES.iterdir() if d.is_dir()}
    for agency in AGENCIES:
        host = urlsplit(agency["start_url"]).hostname
        site = SITES[host]
        assert host.endswith(".act.gov.cn")
        assert agency["id"] == f"action/{KIND[host]}"
        assert (agency["province"], agency["province_code"]) == ("贵州省", "520000")
        assert agency["name"] == site.meta["name"]
        assert agency["start_url"] == f"http://{host}/"
        assert agency["allowed_domains"] == [host]
        assert 3 <= len(site.reports) <= 6
        assert len({r.year for r in site.reports}) == len(site.reports)
        assert urlsplit(site.meta["offsite"]).hostname not in (host, None)
    assert sorted(s.encoding for s in SITES.values()) == ["gbk"] + ["utf-8"] * 4


def test_home_pages_are_agency_home_pages(web: ActionWeb) -> None:
    for host, site in SITES.items():
        answer = fetch(web, f"http://{host}/")
        assert answer.status == 200, host
        assert answer.charset == site.encoding
        html = answer.text
        for name, value in (("SiteName", site.meta["name"]), ("SiteDomain", host)):
            assert re.search(rf'<meta name="{name}" content="{re.escape(value)}"', html), host
        assert re.search(r'<meta name="SiteIDCode" content="52\d{8}"', html), host
        assert urlsplit(site.meta["offsite"]).hostname in html, host  # the off-agency one
        assert ">政府信息公开</a>" in html, host


def test_every_genuine_report_answers_with_its_title(web: ActionWeb) -> None:
    count = 0
    for site in SITES.values():
        for url, report in site.report_urls().items():
            answer = fetch(web, url)
            assert answer.status == 200, url
            assert answer.charset == site.encoding, url
            assert report.title == f"{site.meta['name']}{report.year}年政府信息公开工作年度报告"
            assert f"<title>{report.title}</title>" in answer.text, url
            assert "本年新收政府信息公开申请数量" in answer.text or report.year < 2019, url
            count += 1
    assert count == sum(len(s.reports) for s in SITES.values()) == 27


def test_static_pages_link_only_the_rendered_reports(web: ActionWeb) -> None:
    """Following ``<a href>`` from the start page through every page of the site (no
    script run) reaches exactly the reports of ``meta["rendered"]``; the report column's
    first page links them and no other report."""
    for host, site in SITES.items():
        seen: set[str] = set()
        queue, found, offsite = [f"http://{host}/"], set(), set()
        while queue:
            url = queue.pop(0)
            if url in seen or url in site.report_urls():
                found |= {url} & set(site.report_urls())
                continue
            seen.add(url)
            answer = fetch(web, url)
            assert answer.status == 200, url
            if urlsplit(site.meta["offsite"]).hostname in answer.text:
                offsite.add(url)
            if answer.headers.get("Content-Type", "").startswith("text/html"):
                queue += sorted(u for u in links(url, answer.text) if urlsplit(u).hostname == host)
        assert column_url(site) in seen, host
        assert offsite == {f"http://{host}/"}, host  # one reference, on the home page
        assert years_of(site, found) == site.meta["rendered"], host
        column = fetch(web, column_url(site))
        assert years_of(site, links(column_url(site), column.text)) == site.meta["rendered"]


def test_postback_pages_come_only_from_a_form_post(web: ActionWeb) -> None:
    site = site_of("postback")
    url = column_url(site)
    first = fetch(web, url)
    assert first.charset == "gbk" and first.body.decode("gbk") == first.text
    html = first.text
    for field in ("__VIEWSTATE", "__EVENTTARGET", "__EVENTARGUMENT"):
        assert f'name="{field}"' in html
    assert '<form method="post" action="./List.aspx" id="form1">' in html
    assert f"javascript:__doPostBack('{PAGER}','2')" in html
    assert "function __doPostBack(eventTarget, eventArgument)" in html
    pages = {1: years_of(site, links(url, html))}
    for n in (2, 3):
        answer = postback(web, url, n)
        assert answer.status == 200
        pages[n] = years_of(site, links(url, answer.text))
        if n < 3:
            assert f"javascript:__doPostBack('{PAGER}','{n + 1}')\">下一页</a>" in answer.text
        else:
            assert "<span>下一页</span>" in answer.text
    assert pages == {1: [2024, 2023], 2: [2022, 2021], 3: [2020, 2019]}
    # no GET reaches pages 2-3; a POST for another control, or without a view state, is page 1
    for other in (fetch(web, url + "?page=2"), fetch(web, url + "?__EVENTARGUMENT=2"),
                  postback(web, url, 2, target="ctl00$Main$other"),
                  postback(web, url, 2, viewstate=False)):
        assert years_of(site, links(url, other.text)) == [2024, 2023]
    assert years_of(site, links(url, postback(web, url, 9).text)) == [2020, 2019]
    assert any(e.method == "POST" and b"__EVENTARGUMENT=2" in e.body for e in web.log)


def test_open_detail_rows_and_year_fragments(web: ActionWeb) -> None:
    site = site_of("openDetail")
    url = column_url(site)
    html = fetch(web, url).text
    assert '<select id="year" name="year" onchange="changeYear(this.value)">' in html
    assert re.findall(r'<option value="(\d+)"', html) == ["2024", "2023", "2022", "2021", "2020"]
    assert re.findall(r"onclick=\"openDetail\('(\d+)'\)\"", html) == ["4711"]
    assert '<script src="/js/common.js"></script>' in html and "window.open" not in html
    script = fetch(web, f"http://{site.host}/js/common.js").text
    assert "window.open('/art/detail.jsp?id=' + id)" in script
    by_year = {}
    for year in (2024, 2023, 2022, 2021, 2020):
        fragment = fetch(web, f"{url.rsplit('/', 1)[0]}/list.jsp?year={year}&columnId=1173").text
        assert not links(url, fragment)
        by_year[year] = re.findall(r"openDetail\('(\d+)'\)", fragment)
    assert by_year == {2024: ["4711"], 2023: ["4523"], 2022: ["4307"], 2021: ["4102"], 2020: []}
    details = {f"http://{site.host}/art/detail.jsp?id={i}" for ids in by_year.values() for i in ids}
    assert details == set(site.report_urls())
    assert fetch(web, f"http://{site.host}/art/detail.jsp?id=4712").status == 404


def test_load_more_json(web: ActionWeb) -> None:
    site = site_of("loadmore")
    base = f"http://{site.host}/api/article/list?channelId=11089&size=2&page="
    batches = [json.loads(fetch(web, base + str(n)).body) for n in (2, 3, 4)]
    assert [b["hasMore"] for b in batches] == [True, False, False]
    assert batches[2]["list"] == [] and batches[0]["total"] == 6
    urls = {f"http://{site.host}{item['url']}" for b in batches for item in b["list"]}
    assert years_of(site, urls) == [2022, 2021, 2020, 2019]
    html = fetch(web, column_url(site)).text
    assert '<button type="button" class="load-more" id="loadMore">加载更多</button>' in html


def test_scroll_rows(web: ActionWeb) -> None:
    site = site_of("scroll")
    base = f"http://{site.host}/front/article/more?channelId=2231&size=2&start="
    rows = {n: fetch(web, base + str(n)).text for n in (3, 5, 6)}
    assert years_of(site, links(base, rows[3])) == [2021, 2020]
    assert years_of(site, links(base, rows[5])) == [2019]
    assert rows[6] == ""
    html = fetch(web, column_url(site)).text
    assert "new IntersectionObserver" in html and '<div id="sentinel">' in html


def test_tab_fragments(web: ActionWeb) -> None:
    site = site_of("tabs")
    html = fetch(web, column_url(site)).text
    assert '<li class="tab on" data-col="gkzn">' in html
    assert '<li class="tab" data-col="ndbg">政府信息公开年报</li>' in html
    tab = f"http://{site.host}/zfxxgk/tab.jsp?col="
    assert years_of(site, links(tab, fetch(web, tab + "ndbg").text)) == [2024, 2023, 2022, 2021,
                                                                        2020]
    for col in ("gkzn", "gkzd", "fdzdgknr"):
        answer = fetch(web, tab + col)
        assert answer.status == 200 and not reports_in(site, links(tab, answer.text))
        for url in links(tab, answer.text):
            assert fetch(web, url).status == 200, url
    assert fetch(web, tab + "nothing").status == 404


# ------------------------------------------------------------------ a browser
@contextmanager
def chromium(profile: Path, proxy: str) -> Iterator:
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail("Chromium is not installed: run `make browser` (Debian chromium, "
                    "chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", f"--proxy-server={proxy}",
                     "--disable-features=HttpsUpgrades", f"--user-data-dir={profile}",
                     "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def driver(web: ActionWeb, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    with chromium(tmp_path_factory.mktemp("profile"), web.proxy_url) as browser:
        yield browser


def _hrefs(driver) -> set[str]:
    return {h.split("#", 1)[0] for h in driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(function (a) "
        "{ return a.href; });") or [] if h.startswith("http")}


def _wait(driver, condition, seconds: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.1).until(lambda d: condition())


def _settle(driver) -> None:
    """The page loaded and its on-load scripts (and their requests) done."""
    _wait(driver, lambda: driver.execute_script("return document.readyState") == "complete")
    time.sleep(0.6)


def test_a_browser_that_only_renders_finds_only_the_rendered_reports(driver) -> None:
    for host, site in SITES.items():
        queue, seen, found = [f"http://{host}/"], set(), set()
        while queue:
            url = queue.pop(0)
            if url in site.report_urls():
                found.add(url)
                continue
            if url in seen:
                continue
            seen.add(url)
            driver.get(url)
            _settle(driver)
            queue += sorted(u for u in _hrefs(driver) if urlsplit(u).hostname == host)
        assert column_url(site) in seen, host
        assert years_of(site, found) == site.meta["rendered"], host


def _go_to_column(driver, site) -> None:
    """From the start page to the report column, clicking the links a reader clicks."""
    from selenium.webdriver.common.by import By

    driver.get(f"http://{site.host}/")
    _settle(driver)
    for text in site.meta["reader_path"]:
        before = driver.current_url
        link = _wait(driver, lambda text=text: driver.find_elements(By.LINK_TEXT, text))[0]
        link.click()
        _wait(driver, lambda before=before: driver.current_url != before)
        _settle(driver)
    assert driver.current_url == column_url(site)


def _act_postback(driver, site) -> set[str]:
    from selenium.common.exceptions import NoSuchElementException
    from selenium.webdriver.common.by import By

    found, pages = _hrefs(driver), 1
    while True:
        try:
            link = driver.find_element(By.LINK_TEXT, "下一页")
        except NoSuchElementException:
            break
        assert "__doPostBack" in link.get_attribute("href")
        link.click()
        _wait(driver, lambda link=link: _stale(link))
        _settle(driver)
        assert driver.current_url == column_url(site)  # the same URL, another page
        found |= _hrefs(driver)
        pages += 1
    assert pages == 3
    return found


def _stale(element) -> bool:
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True


def _act_open_detail(driver, site) -> set[str]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    found: set[str] = set()
    main = driver.current_window_handle
    values = [o.get_attribute("value") for o in Select(driver.find_element(By.ID, "year")).options]
    for value in values:
        Select(driver.find_element(By.ID, "year")).select_by_value(value)
        _wait(driver, lambda value=value: driver.find_element(By.ID, "list")
              .get_attribute("data-year") == value)
        rows = driver.find_elements(By.CSS_SELECTOR, "#list a[onclick]")
        for row in rows:
            row.click()
            _wait(driver, lambda: len(driver.window_handles) == 2)
            popup = next(h for h in driver.window_handles if h != main)
            driver.switch_to.window(popup)
            _wait(driver, lambda: driver.current_url.startswith("http")
                  and driver.execute_script("return document.readyState") == "complete")
            report = site.report_urls().get(driver.current_url)
            assert report is not None and driver.title == report.title, driver.current_url
            found.add(driver.current_url)
            driver.close()
            driver.switch_to.window(main)
        found |= _hrefs(driver)
    return found


def _act_load_more(driver, site) -> set[str]:
    from selenium.webdriver.common.by import By

    button = driver.find_element(By.CSS_SELECTOR, "button.load-more")
    clicks = 0
    while button.text != "没有更多了":
        before = len(driver.find_elements(By.CSS_SELECTOR, "#articleList li"))
        button.click()
        clicks += 1
        _wait(driver, lambda before=before: len(driver.find_elements(
            By.CSS_SELECTOR, "#articleList li")) > before and button.text != "加载中...")
    assert clicks == 2 and not button.is_enabled()
    return _hrefs(driver)


def _act_scroll(driver, site) -> set[str]:
    from selenium.webdriver.common.by import By

    def scrolled_to_the_end() -> bool:
        driver.execute_script("window.scrollTo(0, document.body.scrollHeight);")
        return driver.find_element(By.ID, "sentinel").text == "已全部加载"

    _wait(driver, scrolled_to_the_end)
    return _hrefs(driver)


def _act_tabs(driver, site) -> set[str]:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, 'li.tab[data-col="ndbg"]').click()
    _wait(driver, lambda: driver.find_element(By.ID, "tabContent")
          .get_attribute("data-col") == "ndbg")
    return _hrefs(driver)


ACTIONS = {"postback": _act_postback, "openDetail": _act_open_detail,
           "loadmore": _act_load_more, "scroll": _act_scroll, "tabs": _act_tabs}


def test_a_reader_who_acts_finds_every_report(driver, web: ActionWeb) -> None:
    for host, site in SITES.items():
        _go_to_column(driver, site)
        rendered = years_of(site, _hrefs(driver))
        assert rendered == site.meta["rendered"], host  # before acting: only these
        found = reports_in(site, ACTIONS[KIND[host]](driver, site))
        assert found == set(site.report_urls()), host
    chrome_posts = {e.body.decode() for e in web.log if e.method == "POST"
                    and "Chrome" in e.headers.get("User-Agent", "")}
    for page in (2, 3):
        assert any(f"__EVENTTARGET=ctl00%24Main%24pager&__EVENTARGUMENT={page}&" in body
                   for body in chrome_posts), chrome_posts


# ---------------------------------------------- an app's reports, a portal's departments
def test_an_apps_reports_exist_only_in_its_json(web: ActionWeb) -> None:
    """No URL serves a report of the app as a page: its list is a POSTed JSON API, each
    report the JSON of its article API, the report's HTML inside."""
    site = ALL_SITES["fgw.act.gov.cn"]
    home = fetch(web, "http://fgw.act.gov.cn/")
    assert '<div id="app"></div>' in home.text and "<a " not in home.text
    listed = fetch(web, "http://fgw.act.gov.cn/api/cms/article/page", json.dumps(
        {"channelCode": "ndbg", "pageNum": 1, "pageSize": 20}).encode(),
        {"Content-Type": "application/json;charset=UTF-8"})
    records = json.loads(listed.body)["data"]["records"]
    assert [r["title"] for r in records] == [r.title for r in
                                             sorted(site.reports, key=lambda r: -r.year)]
    for url, report in site.report_urls().items():
        detail = fetch(web, url.replace("/#/detail?", "/api/cms/article/detail?"))
        data = json.loads(detail.body)["data"]
        assert data["title"] == report.title and "本年新收政府信息公开申请数量" in data["content"]
        for path, _ in report.attachments:
            assert path in data["content"] and fetch(web, f"http://fgw.act.gov.cn{path}").status \
                == 200


def test_a_portal_names_its_departments_only_through_a_script(web: ActionWeb) -> None:
    site = ALL_SITES["www.act.gov.cn"]
    home = fetch(web, "http://www.act.gov.cn/").text
    script = fetch(web, "http://www.act.gov.cn/js/portal.js").text
    for host in site.meta["departments"]:
        assert host not in home and f"http://{host}/" in script
        department = ALL_SITES[host]
        assert department.meta["name"] in home  # the drop-down's label
        for url in department.report_urls():
            assert fetch(web, url).status == 200
