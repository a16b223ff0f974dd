"""The action variant web (``tests/demoweb/browser/actions/variants/``) behaves as its
README says: fast checks of the server (no crawler, no browser), then headless Chromium
through its proxy, once only rendering each report column and once acting on it as a
reader (pager, rows, 加载更多, each year, scrolling)."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from tests.browser import CHROMEDRIVER, CHROMIUM
from tests.demoweb.browser.actions.variants import (
    HANDLERS,
    REGISTRY,
    ActionVariantWeb,
    action_variant_sites,
)
from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS

SITES = action_variant_sites()
HOSTS = sorted(SITES)
KINDS = ("pager", "rows", "more", "choice", "scroll")
HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.I)


@pytest.fixture(scope="module")
def web() -> Iterator[ActionVariantWeb]:
    with ActionVariantWeb() as server:
        yield server


def _opener(web: ActionVariantWeb) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({"http": web.proxy_url}))


def _fetch(web: ActionVariantWeb, url: str, body: str | None = None) -> tuple[int, bytes, str]:
    request = urllib.request.Request(url, data=body.encode() if body is not None else None,
                                     method="POST" if body is not None else "GET")
    with _opener(web).open(request, timeout=10) as reply:
        return reply.status, reply.read(), reply.headers.get("Content-Type", "")


def _links(html: str, base: str) -> set[str]:
    return {urljoin(base, unescape(href)) for href in HREF.findall(html)}


def _years(site, urls: set[str]) -> set[int]:
    reports = site.report_urls()
    return {reports[u].year for u in urls if u in reports}


# ------------------------------------------------------------------ the server, fast
def test_registry_names_every_site_once():
    agencies = yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]
    assert len(agencies) == 10
    assert sorted(a["id"] for a in agencies) == sorted(
        f"actionvariant/{k}-{v}" for k in KINDS for v in "ab")
    for agency in agencies:
        host = urlsplit(agency["start_url"]).hostname
        assert host in SITES and host.endswith(".actv.gov.cn")
        assert agency["allowed_domains"] == [host]
        assert (agency["province"], agency["province_code"]) == ("云南省", "530000")
        assert agency["name"] == SITES[host].meta["name"]
        kind = agency["id"].split("/")[1].rsplit("-", 1)[0]
        assert SITES[host].meta["kind"] == kind
    assert len(HOSTS) == 10
    assert set(DEMO_HANDLERS) <= set(HANDLERS)
    assert all(name.startswith("av_") for name in set(HANDLERS) - set(DEMO_HANDLERS))


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_a_utf8_and_a_gb_variant(kind):
    encodings = sorted(s.encoding for s in SITES.values() if s.meta["kind"] == kind)
    assert len(encodings) == 2
    assert encodings[1] == "utf-8" and encodings[0] in ("gbk", "gb18030")


@pytest.mark.parametrize("host", HOSTS)
def test_home_leads_to_the_report_column_by_links(web, host):
    site = SITES[host]
    status, body, _ = _fetch(web, f"http://{host}/")
    home = body.decode(site.encoding)
    assert status == 200
    for name, value in (("SiteName", site.meta["name"]), ("SiteDomain", host)):
        assert f'<meta name="{name}" content="{value}">' in home
    assert re.search(r'<meta name="SiteIDCode" content="53\d{8}">', home)
    offsite = urlsplit(site.meta["offsite"]).hostname
    assert offsite != host and not offsite.endswith(".actv.gov.cn")
    assert offsite in home  # the one off-agency reference, never needed
    disclosure = re.findall(r'<a href="([^"]+)">(?:政府信息公开|政务公开|信息公开)</a>', home)
    assert len(disclosure) == 1
    zwgk = urljoin(f"http://{host}/", disclosure[0])
    status, body, _ = _fetch(web, zwgk)
    assert status == 200
    column = site.meta["list_url"]
    text = body.decode(site.encoding)
    path = re.escape(column.split(host, 1)[1])
    assert re.search(rf'<a href="{path}">[^<]*年[^<]*报[^<]*</a>', text)


@pytest.mark.parametrize("host", HOSTS)
def test_every_genuine_report_answers_with_its_title(web, host):
    site = SITES[host]
    assert 3 <= len(site.reports) <= 6
    for url, report in site.report_urls().items():
        status, body, content_type = _fetch(web, url)
        assert status == 200, url
        assert f"charset={site.encoding}" in content_type
        text = body.decode(site.encoding)
        assert report.title == f"{site.meta['name']}{report.year}年政府信息公开工作年度报告"
        assert f"<title>{report.title}</title>" in text
        assert "总体情况" in text


@pytest.mark.parametrize("host", HOSTS)
def test_the_static_list_links_only_the_rendered_reports(web, host):
    site = SITES[host]
    url = site.meta["list_url"]
    status, body, _ = _fetch(web, url)
    html = body.decode(site.encoding)
    assert status == 200 and "charset" in html[:200]
    linked = _links(html, url) & set(site.report_urls())
    assert _years(site, linked) == set(site.meta["rendered"])
    hidden = [r for r in site.reports if r.year not in site.meta["rendered"]]
    assert hidden, "every site hides some reports behind an action"
    for report in hidden:
        assert report.path not in html
    if site.meta["kind"] == "rows":  # the rows name the reports only by id
        for report in site.reports:
            token = report.hex_id if "data-id" in html else re.findall(r"\d{6,}", report.path)[-1]
            assert f"'{token}'" in html or f'"{token}"' in html


@pytest.mark.parametrize("host", [h for h in HOSTS if SITES[h].meta["kind"] != "rows"])
def test_the_scripts_endpoints_give_the_other_reports(web, host):
    site = SITES[host]
    found: set[str] = set()
    for endpoint in site.meta["endpoints"]:
        status, body, content_type = _fetch(web, endpoint["url"], endpoint.get("body"))
        assert status == 200
        if "json" in content_type:
            text = json.dumps(json.loads(body.decode("utf-8")), ensure_ascii=False)
        else:
            text = body.decode(site.encoding)
        found |= {u for u, r in site.report_urls().items() if f'"{r.path}"' in text}
    assert _years(site, found) == {r.year for r in site.reports} - set(site.meta["rendered"])


def test_a_get_never_reaches_the_postback_pages(web):
    site = SITES["fgw.actv.gov.cn"]
    url = site.meta["list_url"]
    for query in ("&page=2", "&__EVENTARGUMENT=2", "&Page=3"):
        _, body, _ = _fetch(web, url + query)
        assert _years(site, _links(body.decode(site.encoding), url)) <= set(site.meta["rendered"])


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


def _dom_links(driver) -> set[str]:
    try:
        return set(driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);"))
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
    driver.get(url)
    _until(lambda: driver.execute_script("return document.readyState") == "complete")
    time.sleep(0.3)  # on-load scripts


def _act(driver, site) -> set[str]:
    """Every report URL a reader finds on the column by acting as its kind needs."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url, reports = site.meta["list_url"], site.report_urls()
    kind = site.meta["kind"]
    _load(driver, url)
    found = _dom_links(driver) & set(reports)
    if kind == "pager":
        for _ in range(10):
            nexts = driver.find_elements(By.XPATH, "//a[@href and normalize-space()='下一页']")
            if not nexts:
                break
            before = _dom_links(driver) & set(reports)
            nexts[0].click()
            assert _until(lambda b=before: (_dom_links(driver) & set(reports)) - b)
            found |= _dom_links(driver) & set(reports)
    elif kind == "rows":
        rows = "[onclick*='openDetail'], [onclick*='showInfo'], [data-id]"
        count = len(driver.find_elements(By.CSS_SELECTOR, rows))
        for i in range(count):
            _load(driver, url)
            driver.execute_script(
                "window.__opened = []; window.open = function (u) {"
                " window.__opened.push(new URL(u, location.href).href); return null; };")
            driver.find_elements(By.CSS_SELECTOR, rows)[i].click()
            assert _until(lambda: driver.current_url != url
                          or driver.execute_script("return window.__opened.length"))
            if driver.current_url != url:
                found.add(driver.current_url)
            else:
                found |= set(driver.execute_script("return window.__opened"))
    elif kind == "more":
        labels = ("加载更多", "查看更多", "点击加载更多")
        xpath = " | ".join(f"//*[normalize-space()='{label}']" for label in labels)
        for _ in range(10):
            controls = [c for c in driver.find_elements(By.XPATH, xpath) if c.is_displayed()]
            if not controls:
                break
            before = len(_dom_links(driver) & set(reports))
            controls[0].click()
            assert _until(lambda b=before: len(_dom_links(driver) & set(reports)) > b or not [
                c for c in driver.find_elements(By.XPATH, xpath) if c.is_displayed()])
            found |= _dom_links(driver) & set(reports)
    elif kind == "choice":
        by_year = {r.year: u for u, r in reports.items()}
        selects = driver.find_elements(By.TAG_NAME, "select")
        if selects:
            values = [o.get_attribute("value") for o in Select(selects[0]).options]
            for value in values:
                Select(driver.find_element(By.TAG_NAME, "select")).select_by_value(value)
                _until(lambda v=value: by_year[int(v)] in _dom_links(driver))
                found |= _dom_links(driver) & set(reports)
        for i in range(len(driver.find_elements(By.CSS_SELECTOR, ".year-tab"))):
            tab = driver.find_elements(By.CSS_SELECTOR, ".year-tab")[i]
            year = int(tab.text.strip()[:4])
            tab.click()
            _until(lambda y=year: by_year[y] in _dom_links(driver))
            found |= _dom_links(driver) & set(reports)
    elif kind == "scroll":
        quiet = 0
        while quiet < 3:
            before = len(_dom_links(driver) & set(reports))
            driver.execute_script("window.scrollTo(0, 0);")
            time.sleep(0.2)
            driver.execute_script("window.scrollTo(0, document.documentElement.scrollHeight);")
            grew = _until(lambda b=before: len(_dom_links(driver) & set(reports)) > b, 3)
            found |= _dom_links(driver) & set(reports)
            quiet = 0 if grew else quiet + 1
    return found


@pytest.mark.parametrize("host", HOSTS)
def test_a_render_only_browser_misses_reports_a_reader_finds(web, chromium, host):
    site = SITES[host]
    reports = site.report_urls()
    _load(chromium, site.meta["list_url"])
    rendered = _dom_links(chromium) & set(reports)
    assert _years(site, rendered) == set(site.meta["rendered"])
    assert len(rendered) < len(reports)
    found = _act(chromium, site)
    assert found == set(reports), sorted(set(reports) - found)
