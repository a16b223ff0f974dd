"""The action fresh web (``tests/demoweb/browser/actions/fresh/``) behaves as its README says:
fast checks of the server (no crawler, no browser), then headless Chromium through its
proxy, once only rendering each report column and once acting on it as a reader (opening
an app's routes, choosing departments, clicking pagers, iframes, accordions and trees),
and a polite reader never touching the traps that a careless one falls into."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from tests.browser import CHROMEDRIVER, CHROMIUM
from tests.demoweb.browser.actions.fresh import (
    HANDLERS,
    REGISTRY,
    ActionFreshWeb,
    action_fresh_sites,
    genuine_report_urls,
)
from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS

SITES = action_fresh_sites()
AGENCIES = yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]
HOSTS = sorted(urlsplit(a["start_url"]).hostname for a in AGENCIES)
DEPARTMENTS = sorted(h for h, s in SITES.items() if s.meta["kind"] == "department")
KINDS = ("app", "departments", "trap", "jump", "expand")
HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.I)
DISCLOSURE = re.compile(r'<a href="([^"]+)">(?:政府信息公开|政务公开|信息公开)</a>')


def _of(kind: str, *more: str) -> list[str]:
    return [h for h in HOSTS if SITES[h].meta["kind"] in (kind, *more)]


def _by_kind(kind: str) -> list[str]:
    return [h for h in HOSTS if SITES[h].meta["kind"] == kind]


@pytest.fixture(scope="module")
def web() -> Iterator[ActionFreshWeb]:
    with ActionFreshWeb() as server:
        yield server


def _fetch(web: ActionFreshWeb, url: str, body: str | None = None,
           content_type: str | None = None) -> tuple[int, bytes, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": web.proxy_url}))
    request = urllib.request.Request(url, data=body.encode() if body is not None else None,
                                     method="POST" if body is not None else "GET")
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with opener.open(request, timeout=10) as reply:
            return reply.status, reply.read(), reply.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


def _text(web: ActionFreshWeb, url: str) -> str:
    site = SITES[urlsplit(url).hostname]
    status, body, _ = _fetch(web, url)
    assert status == 200, url
    return body.decode(site.encoding)


def _links(html: str, base: str) -> set[str]:
    return {urljoin(base, unescape(href)) for href in HREF.findall(html)}


def _years(urls: set[str], reports: dict) -> set[int]:
    return {reports[u].year for u in urls if u in reports}


def _static_reports(web: ActionFreshWeb, start: str) -> set[str]:
    """A static reader from a home page: 政府信息公开 -> the 年报 column -> its <a href>s."""
    site = SITES[urlsplit(start).hostname]
    home = _text(web, start)
    disclosure = urljoin(start, DISCLOSURE.findall(home)[0])
    column = site.meta["list_url"]
    assert column in _links(_text(web, disclosure), disclosure)
    return _links(_text(web, column), column) & set(site.report_urls())


# ------------------------------------------------------------------ the server, fast
def test_registry_names_every_agency_once_and_no_department():
    assert len(AGENCIES) == 10
    assert sorted(a["id"] for a in AGENCIES) == sorted(
        f"actionfresh/{k}-{v}" for k in KINDS for v in "ab")
    for agency in AGENCIES:
        host = urlsplit(agency["start_url"]).hostname
        assert host in SITES and host.endswith(".actf.gov.cn")
        assert agency["allowed_domains"] == [host]
        assert (agency["province"], agency["province_code"]) == ("四川省", "510000")
        assert agency["name"] == SITES[host].meta["name"]
        kind = agency["id"].split("/")[1].rsplit("-", 1)[0]
        assert SITES[host].meta["kind"] == kind
        assert agency.get("departments", False) is (kind == "departments")
    assert len(set(HOSTS)) == 10
    assert len({a["name"] for a in AGENCIES}) == 10
    # the departments are served, on hosts of their own, and never in the registry
    assert len(DEPARTMENTS) == 5 and not set(DEPARTMENTS) & set(HOSTS)
    assert set(HOSTS) | set(DEPARTMENTS) == set(SITES)
    owned = [d for h in _by_kind("departments") for d in SITES[h].meta["departments"]]
    assert sorted(owned) == DEPARTMENTS
    for host in _by_kind("departments"):
        assert 2 <= len(SITES[host].meta["departments"]) <= 3
        for department in SITES[host].meta["departments"]:
            assert SITES[department].meta["portal"] == host
            assert department.endswith(".gov.cn") and department != host
    assert set(DEMO_HANDLERS) <= set(HANDLERS)
    assert all(name.startswith("af_") for name in set(HANDLERS) - set(DEMO_HANDLERS))


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_a_utf8_and_a_gb_variant(kind):
    encodings = sorted(SITES[h].encoding for h in _by_kind(kind))
    assert len(encodings) == 2
    assert encodings[1] == "utf-8" and encodings[0] in ("gbk", "gb18030")


def _home_checks(web, host: str) -> str:
    site = SITES[host]
    status, body, content_type = _fetch(web, f"http://{host}/")
    assert status == 200 and f"charset={site.encoding}" in content_type
    home = body.decode(site.encoding)
    for name, value in (("SiteName", site.meta["name"]), ("SiteDomain", host)):
        assert f'<meta name="{name}" content="{value}">' in home
    assert re.search(r'<meta name="SiteIDCode" content="51\d{8}">', home)
    offsite = urlsplit(site.meta["offsite"]).hostname
    assert offsite != host and not offsite.endswith(".actf.gov.cn")
    assert offsite in home  # the one off-agency reference, never needed
    for src in re.findall(r'<script[^>]*\bsrc="([^"]+)"', home):  # scripts: its own host's
        assert urlsplit(urljoin(f"http://{host}/", src)).hostname in (host, offsite)
    return home


@pytest.mark.parametrize("host", [h for h in HOSTS + DEPARTMENTS if SITES[h].meta["kind"] != "app"])
def test_home_leads_to_the_report_column_by_links(web, host):
    site = SITES[host]
    start = site.meta.get("home_url", f"http://{host}/")
    home = _home_checks(web, host)
    if start != f"http://{host}/":  # a department whose home is not at /
        assert _fetch(web, f"http://{host}/")[1].decode(site.encoding) == _text(web, start)
        home = _text(web, start)
    disclosure = DISCLOSURE.findall(home)
    assert len(disclosure) == 1
    zwgk = urljoin(start, disclosure[0])
    text = _text(web, zwgk)
    column = site.meta["list_url"]
    path = re.escape(column.split(host, 1)[1])
    assert re.search(rf'<a href="{path}">[^<]*年[^<]*报[^<]*</a>', text)


@pytest.mark.parametrize("host", _by_kind("app"))
def test_an_app_serves_only_its_shell(web, host):
    site = SITES[host]
    home = _home_checks(web, host)
    assert '<div id="app">' in home
    assert not DISCLOSURE.search(home)  # its links exist only once the app renders
    for url, report in site.report_urls().items():
        assert urlsplit(url).fragment.startswith(("/", "!/"))  # a hash URL
        status, body, _ = _fetch(web, url)  # the fragment never reaches the server
        assert status == 200 and body.decode(site.encoding) == home
        assert report.title not in home
    bundle = "".join(_text(web, urljoin(f"http://{host}/", src))
                     for src in re.findall(r'<script[^>]*\bsrc="(/[^"]+)"', home))
    for endpoint in site.meta["endpoints"][:2]:  # the list's and the detail's API
        assert urlsplit(endpoint["url"]).path in bundle


@pytest.mark.parametrize("host", HOSTS + DEPARTMENTS)
def test_every_genuine_report_answers_with_its_title(web, host):
    site = SITES[host]
    low, high = (1, 2) if site.meta["kind"] in ("department", "departments") else (3, 5)
    assert low <= len(site.reports) <= high
    for url, report in site.report_urls().items():
        assert report.title == f"{site.meta['name']}{report.year}年政府信息公开工作年度报告"
        if site.meta["kind"] == "app":
            continue  # test_an_app_api_carries_each_report
        status, body, content_type = _fetch(web, url)
        assert status == 200, url
        assert f"charset={site.encoding}" in content_type
        text = body.decode(site.encoding)
        assert f"<title>{report.title}</title>" in text
        assert "总体情况" in text and "<table" in text


@pytest.mark.parametrize("host", _by_kind("app"))
def test_an_app_api_carries_each_report(web, host):
    site = SITES[host]
    reports = site.report_urls()
    list_call = site.meta["endpoints"][0]
    status, body, content_type = _fetch(web, list_call["url"], list_call.get("body"),
                                        list_call.get("content_type"))
    assert status == 200 and "application/json" in content_type
    listed = json.dumps(json.loads(body), ensure_ascii=False)
    assert {r.title for r in site.reports} == set(re.findall(r"[^\"]+年度报告", listed))
    if list_call["method"] == "POST":  # the list answers a JSON body only
        assert _fetch(web, list_call["url"])[0] == 405
    assert sorted(a["url"] for a in site.meta["articles"]) == sorted(reports)
    pdfs = []
    for article in site.meta["articles"]:
        report = reports[article["url"]]
        key = re.search(r"(?:id=|/article/)(\w+)$", article["url"]).group(1)
        assert key in listed  # the list names the route's key
        status, body, content_type = _fetch(web, article["api"])
        assert status == 200 and "application/json" in content_type
        data = json.loads(body.decode("utf-8"))
        if "data" in data:
            assert data["code"] == 200
            title, content = data["data"]["title"], data["data"]["content"]
            assert data["data"]["publishTime"] == report.published
        else:
            assert data["status"] == "0000"
            answer = data["result"]["article"]
            title, content = answer["biaoti"], answer["zhengwen"]
        assert title == report.title
        assert "总体情况" in content and content.count("<table") == 3
        pdfs += [urljoin(article["url"], p) for p in re.findall(r'href="([^"]+\.pdf)"', content)]
    assert pdfs == site.meta["attachments"]
    for url in pdfs:
        status, body, content_type = _fetch(web, url)
        assert status == 200 and content_type == "application/pdf" and body.startswith(b"%PDF")


@pytest.mark.parametrize("host", [h for h in HOSTS + DEPARTMENTS if SITES[h].meta["kind"] != "app"])
def test_the_static_column_links_only_what_it_should(web, host):
    site = SITES[host]
    reports = site.report_urls()
    url = site.meta["list_url"]
    html = _text(web, url)
    assert "charset" in html[:300]
    static = _years(_links(html, url) & set(reports), reports)
    if "frame_url" in site.meta:  # the list lives in the iframe's document
        assert static == set() and 'id="listFrame"' in html and "src=" not in html.split(
            'id="listFrame"')[1].split(">")[0]
        frame = site.meta["frame_url"]
        static = _years(_links(_text(web, frame), frame) & set(reports), reports)
    if host == "whhlyt.actf.gov.cn":  # the tree page loads even its first list by script
        assert static == set() and 'id="docList"' in html
    else:
        assert static == set(site.meta["rendered"])
    hidden = [r for r in site.reports if r.year not in site.meta["rendered"]]
    if site.meta["kind"] in ("department", "departments"):
        assert not hidden
    else:
        assert len(hidden) >= 2
        for report in hidden:
            assert report.path not in html


@pytest.mark.parametrize("host", _of("trap", "jump", "expand"))
def test_the_scripts_endpoints_give_the_other_reports(web, host):
    site = SITES[host]
    reports = site.report_urls()
    found: set[str] = set()
    for endpoint in site.meta["endpoints"]:
        status, body, content_type = _fetch(web, endpoint["url"], endpoint.get("body"))
        assert status == 200
        if "json" in content_type:
            text = json.dumps(json.loads(body.decode("utf-8")), ensure_ascii=False)
        else:
            text = body.decode(site.encoding)
        found |= {u for u, r in reports.items() if f'"{r.path}"' in text}
    assert _years(found, reports) == {r.year for r in site.reports} - set(site.meta["rendered"])


def test_a_list_endpoint_wants_what_its_script_sends(web):
    site = SITES["zrzyt.actf.gov.cn"]
    url = site.meta["endpoints"][0]["url"]
    assert _fetch(web, url.replace("channelCode=c100193&", ""))[0] == 400


@pytest.mark.parametrize("host", _by_kind("departments"))
def test_a_portal_names_its_departments_only_through_scripts(web, host):
    site = SITES[host]
    urls = site.meta["department_urls"]
    assert [urlsplit(u).hostname for u in urls] == site.meta["departments"]
    page = site.meta["department_page"]
    html = _text(web, page)
    for department in site.meta["departments"]:
        assert department not in html  # no department URL in any static HTML
        named = SITES[department].meta["name"] in html  # an option's text, or not there yet
        assert named is not bool(site.meta["endpoints"])
    if site.meta["endpoints"]:  # departments-b: the JSON the box is built from
        status, body, _ = _fetch(web, site.meta["endpoints"][0]["url"])
        data = json.loads(body.decode("utf-8"))
        assert [i["wzdz"] for g in data["data"] for i in g["list"]] == urls
        assert any(a.endswith(("省政府部门", "部门网站")) for a in re.findall(r">([^<]+)</a>",
                                                                      _text(web, f"http://{host}/")))
    else:  # departments-a: option values are codes
        values = re.findall(r'<option value="([^"]*)"', html)
        assert values[0] == "" and all(re.fullmatch(r"\d{6}", v) for v in values[1:])
        assert len(values) - 1 == len(urls)
        assert 'onchange="openSite(this.value)"' in html
    for department, url in zip(site.meta["departments"], urls, strict=True):
        found = _static_reports(web, url)
        assert found == set(SITES[department].report_urls())
    genuine = genuine_report_urls(SITES, host)
    assert len(genuine) == len(site.reports) + sum(len(SITES[d].reports)
                                                   for d in site.meta["departments"])


def test_the_calendar_and_the_search_never_end(web):
    site = SITES["fgw.actf.gov.cn"]
    month, seen = "2025-01", set()
    for _ in range(30):  # thirty months forward, then back past the start
        data = json.loads(_fetch(web, f"http://fgw.actf.gov.cn/calendar/events.do?month={month}")[1])
        assert data["month"] == month and data["events"] and month not in seen
        seen.add(month)
        month = data["next"]
    data = json.loads(_fetch(web, "http://fgw.actf.gov.cn/calendar/events.do?month=1999-01")[1])
    assert data["prev"] == "1998-12"
    day = _text(web, "http://fgw.actf.gov.cn/calendar/day.do?date=2031-07-09")
    assert "7月9日" in day
    url = "http://fgw.actf.gov.cn/search.do?q=%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80"
    for page in range(1, 4):
        html = _text(web, url)
        assert "共找到" in html and f"第{page}页" in html
        assert not _links(html, url) & set(site.report_urls())
        url = next(u for u in _links(html, url) if f"page={page + 1}" in u)
    assert set(site.meta["traps"]) == {"http://fgw.actf.gov.cn/calendar/",
                                       "http://fgw.actf.gov.cn/search.do"}


def test_the_related_news_never_end_and_never_report(web):
    site = SITES["swt.actf.gov.cn"]
    seen: set[str] = set()
    for batch in range(1, 8):
        url = f"http://swt.actf.gov.cn/swt/news/related.do?batch={batch}"
        links = _links(_text(web, url), url)
        assert len(links) == 5 and not links & seen and not links & set(site.report_urls())
        seen |= links
    news = sorted(seen)[0]
    text = _text(web, news)
    assert "年度报告" not in text and "<title>" in text
    for trap in ("http://swt.actf.gov.cn/user/login.do", "http://swt.actf.gov.cn/hdjl/submit.do"):
        status, body, _ = _fetch(web, trap, "username=a&password=b")
        assert status == 200 and json.loads(body)["success"] is False


# ------------------------------------------------------------------ headless Chromium
@pytest.fixture(scope="module")
def chromium(web, tmp_path_factory):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("Chromium is not installed: run `make browser`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", f"--proxy-server={web.proxy_url}",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
                     "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


FRAME_LINKS = """
function collect(doc, out) {
  doc.querySelectorAll('a[href]').forEach(function (a) { out.push(a.href); });
  doc.querySelectorAll('iframe, frame').forEach(function (f) {
    try { if (f.contentDocument) { collect(f.contentDocument, out); } } catch (e) {}
  });
  return out;
}
return collect(document, []);
"""


def _dom_links(driver) -> set[str]:
    """Every <a href> of the page and of its same-origin frames, resolved."""
    try:
        return set(driver.execute_script(FRAME_LINKS))
    except Exception:  # a page still navigating
        return set()


def _until(condition, timeout: float = 8.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:
            pass
        time.sleep(0.1)
    return False


def _load(driver, url: str) -> None:
    if "#" in url:  # a new document, not a same-document hash change
        driver.get("about:blank")
    driver.get(url)
    _until(lambda: driver.execute_script("return document.readyState") == "complete")
    time.sleep(0.4)  # on-load scripts and their XHRs


def _rendered(driver, site) -> set[str]:
    """What a browser that only renders the column finds: its DOM's links, once settled."""
    reports = site.report_urls()
    _load(driver, site.meta["list_url"])
    expected = {u for u, r in reports.items() if r.year in site.meta["rendered"]}
    _until(lambda: expected <= _dom_links(driver), 5)
    time.sleep(0.3)
    return _dom_links(driver) & set(reports)


@pytest.mark.parametrize("host", HOSTS)
def test_a_render_only_browser_finds_exactly_the_rendered_years(web, chromium, host):
    site = SITES[host]
    reports = site.report_urls()
    rendered = _rendered(chromium, site)
    assert _years(rendered, reports) == set(site.meta["rendered"])
    if site.meta["kind"] == "departments":
        _load(chromium, site.meta["department_page"])
        hosts = set(site.meta["rendered_departments"])
        _until(lambda: hosts <= {urlsplit(u).hostname for u in _dom_links(chromium)}, 5)
        shown = {u for u in _dom_links(chromium)
                 if urlsplit(u).hostname in site.meta["departments"]}
        assert {urlsplit(u).hostname for u in shown} == hosts
        if hosts:
            assert shown == set(site.meta["department_urls"])
    else:
        assert len(rendered) < len(reports) or site.meta["kind"] == "app"


@pytest.mark.parametrize("host", _by_kind("app"))
def test_an_app_home_leads_to_its_column_by_rendered_links(web, chromium, host):
    from selenium.webdriver.common.by import By

    site = SITES[host]
    _load(chromium, f"http://{host}/")
    xpath = "//a[normalize-space()='政府信息公开' or normalize-space()='政务公开']"
    assert _until(lambda: chromium.find_elements(By.XPATH, xpath))
    anchors = chromium.find_elements(By.XPATH, xpath)
    assert len(anchors) == 1
    disclosure = anchors[0].get_attribute("href")
    assert urlsplit(disclosure).fragment.startswith(("/", "!/"))
    _load(chromium, disclosure)
    assert _until(lambda: site.meta["list_url"] in _dom_links(chromium))


def _open_app_rows(driver, site) -> set[str]:
    """Open each row of the app's column as a reader does and read the report it shows."""
    from selenium.webdriver.common.by import By

    reports = site.report_urls()
    selector = ".article-list a, .wj-list li"
    title_selector = ".article-title, .wj-detail-title"
    found = set()
    _load(driver, site.meta["list_url"])
    assert _until(lambda: driver.find_elements(By.CSS_SELECTOR, selector))
    count = len(driver.find_elements(By.CSS_SELECTOR, selector))
    assert count == len(reports)
    for i in range(count):
        _load(driver, site.meta["list_url"])
        _until(lambda: len(driver.find_elements(By.CSS_SELECTOR, selector)) == count)
        row = driver.find_elements(By.CSS_SELECTOR, selector)[i]
        expected = row.text.strip().split("\n")[0]
        row.click()
        assert _until(lambda: driver.find_elements(By.CSS_SELECTOR, title_selector))
        url = driver.current_url
        title = driver.find_element(By.CSS_SELECTOR, title_selector).text.strip()
        assert url in reports, url
        assert title == reports[url].title and expected.startswith(title[:20])
        body = driver.find_element(By.CSS_SELECTOR, ".article-content, .wj-detail-body")
        assert "总体情况" in body.text
        assert len(body.find_elements(By.TAG_NAME, "table")) == 3
        pdfs = [a.get_attribute("href")
                for a in body.find_elements(By.CSS_SELECTOR, "a[href$='.pdf']")]
        assert set(pdfs) <= set(site.meta["attachments"])
        found.add(url)
    return found


def _choose_departments(driver, site) -> set[str]:
    """departments-a: choose each option; the script window.open()s the department's site."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _load(driver, site.meta["department_page"])
    driver.execute_script(
        "window.__opened = []; window.open = function (u) {"
        " window.__opened.push(new URL(u, location.href).href); return null; };")
    select = Select(driver.find_element(By.TAG_NAME, "select"))
    values = [o.get_attribute("value") for o in select.options]
    for value in values[1:]:
        Select(driver.find_element(By.TAG_NAME, "select")).select_by_value(value)
    _until(lambda: driver.execute_script("return window.__opened.length") == len(values) - 1)
    return set(driver.execute_script("return window.__opened"))


def _click_until_gone(driver, find, reports, limit: int = 10) -> set[str]:
    """Click the control ``find()`` returns until there is none, collecting report links."""
    found = _dom_links(driver) & set(reports)
    for _ in range(limit):
        controls = find()
        if not controls:
            break
        before = _dom_links(driver) & set(reports)
        controls[0].click()
        assert _until(lambda b=before: (_dom_links(driver) & set(reports)) - b)
        found |= _dom_links(driver) & set(reports)
    return found


def _act(driver, web, site) -> set[str]:
    """Every report URL a reader finds by acting as the site's kind needs."""
    from selenium.webdriver.common.by import By

    reports = site.report_urls()
    kind, host = site.meta["kind"], urlsplit(site.meta["list_url"]).hostname
    if kind == "app":
        return _open_app_rows(driver, site)
    if kind == "departments":
        if site.meta["rendered_departments"]:
            _load(driver, site.meta["department_page"])
            hosts = set(site.meta["departments"])
            _until(lambda: hosts <= {urlsplit(u).hostname for u in _dom_links(driver)})
            urls = {u for u in _dom_links(driver) if urlsplit(u).hostname in hosts}
        else:
            urls = _choose_departments(driver, site)
        assert urls == set(site.meta["department_urls"])
        found = _static_reports(web, f"http://{host}/")
        for url in urls:
            found |= _static_reports(web, url)
        return found
    _load(driver, site.meta["list_url"])
    if kind == "trap":  # the pager only: 下一页, never the calendar, the search or 换一批
        xpath = "//a[normalize-space()='下一页']"
        return _click_until_gone(driver, lambda: driver.find_elements(By.XPATH, xpath), reports)
    if kind == "jump" and "frame_url" in site.meta:
        _until(lambda: _dom_links(driver) & set(reports))
        found = _dom_links(driver) & set(reports)
        driver.switch_to.frame(driver.find_element(By.ID, "listFrame"))
        try:
            xpath = "//a[normalize-space()='下一页']"
            found |= _click_until_gone(driver, lambda: driver.find_elements(By.XPATH, xpath),
                                       reports)
        finally:
            driver.switch_to.default_content()
        return found
    if kind == "jump":  # « 1 2 3 »: click » until it is disabled
        return _click_until_gone(driver, lambda: [
            e for e in driver.find_elements(By.XPATH, "//span[normalize-space()='»']")
            if "disabled" not in (e.get_attribute("class") or "")], reports)
    if kind == "expand":  # each closed year header; each year node of the tree
        _until(lambda: _dom_links(driver) & set(reports))
        found = _dom_links(driver) & set(reports)
        years = "//*[contains(@class, 'year-title') or contains(@class, 'node_name')]"
        labels = [e.text.strip() for e in driver.find_elements(By.XPATH, years)]
        for label in [x for x in labels if re.fullmatch(r"\d{4}年", x)]:
            target = driver.find_element(By.XPATH, f"({years})[normalize-space()='{label}']")
            if "open" in (target.find_element(By.XPATH, "..").get_attribute("class") or ""):
                continue  # the accordion's open year: clicking would close it
            target.click()
            assert _until(lambda y=int(label[:4]): y in _years(_dom_links(driver), reports)), label
            found |= _dom_links(driver) & set(reports)
        return found
    raise AssertionError(kind)


@pytest.mark.parametrize("host", HOSTS)
def test_a_reader_finds_every_report_and_never_a_trap(web, chromium, host):
    site = SITES[host]
    start = len(web.log)
    found = _act(chromium, web, site)
    genuine = genuine_report_urls(SITES, host)
    assert found == set(genuine), sorted(set(genuine) - found)
    requests = web.log[start:]
    for prefix, most in site.meta.get("trap_max", {}).items():
        hits = [e for e in requests if e.url.startswith(prefix)]
        assert len(hits) <= min(most, 1), [e.url for e in hits]  # only the page's own load


@pytest.mark.parametrize("host", _by_kind("trap"))
def test_the_traps_catch_a_careless_clicker(web, chromium, host):
    """What the traps do to a reader who clicks everything: endless months, a search
    submitted, a login and a 留言 posted, ever more news links."""
    from selenium.webdriver.common.by import By

    site = SITES[host]
    reports = set(site.report_urls())
    _load(chromium, site.meta["list_url"])
    start = len(web.log)

    def hits(prefix: str) -> list[str]:
        return [e.url for e in web.log[start:] if e.url.startswith(prefix)]

    if host == "fgw.actf.gov.cn":
        calendar, search = site.meta["traps"]
        titles = []
        for n in range(4):
            chromium.find_element(By.XPATH, "//a[normalize-space()='下一月']").click()
            _until(lambda n=n: len(hits(calendar)) > n)
            _until(lambda: chromium.find_element(By.ID, "calTitle").text not in titles, 3)
            titles.append(chromium.find_element(By.ID, "calTitle").text)
        assert titles == ["2025年2月", "2025年3月", "2025年4月", "2025年5月"]
        chromium.find_element(By.XPATH, "//a[normalize-space()='上一月']").click()
        assert _until(lambda: chromium.find_element(By.ID, "calTitle").text == "2025年4月")
        days = chromium.find_elements(By.CSS_SELECTOR, "#calBody td[onclick]")
        assert len(days) == 30
        days[11].click()
        assert _until(lambda: "4月12日" in chromium.find_element(By.ID, "calEvents").text)
        assert len(hits(calendar)) == 6
        chromium.find_element(By.XPATH, "//a[normalize-space()='政府信息公开年度报告']").click()
        assert _until(lambda: "/search.do?q=" in chromium.current_url)
        assert hits(search) and "共找到" in chromium.page_source
    else:
        login, comment, related = site.meta["traps"]
        seen: set[str] = set()
        for n in range(3):
            before = {a.get_attribute("href") for a in chromium.find_elements(
                By.CSS_SELECTOR, "#relatedList a")}
            seen |= before
            chromium.find_element(By.ID, "btnChange").click()
            assert _until(lambda b=before: {a.get_attribute("href") for a in chromium.find_elements(
                By.CSS_SELECTOR, "#relatedList a")} - b)
            assert len(hits(related)) == n + 1
        now = {a.get_attribute("href")
               for a in chromium.find_elements(By.CSS_SELECTOR, "#relatedList a")}
        assert not now & seen and not now & reports
        chromium.find_element(By.ID, "btnLogin").click()
        assert _until(lambda: chromium.find_element(By.ID, "loginMsg").text)
        assert hits(login)
        chromium.find_element(By.CSS_SELECTOR, "#msgForm textarea").send_keys("留言")
        chromium.find_element(By.XPATH, "//form[@id='msgForm']//button").click()
        assert _until(lambda: hits(comment))
