"""The browser variant web's server (tests/demoweb/browser/variants/): on each site the step
its README names needs a browser (no report link in its static HTML), the endpoints
behind it give the report links, the challenges answer their status and let a solved
token through until it expires, every genuine report is served whole; and a real headless
Chromium, following the reader's path, finds every genuine report's link. No crawler
here: urllib through ``web.proxy_url``, and Chromium through it as its proxy."""

from __future__ import annotations

import html
import json
import re
import shutil
import time
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from tests.demoweb.browser.variants import (
    HANDLERS,
    REGISTRY,
    BrowserVariantWeb,
    browser_variant_sites,
)
from tests.demoweb.handlers import HANDLERS as DEMO_HANDLERS

SITES = browser_variant_sites()
GENUINE = [(host, url) for host, site in sorted(SITES.items()) for url in site.report_urls()]
CHALLENGES = sorted(host for host, site in SITES.items() if "challenge" in site.meta)
_ANCHOR = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a>", re.S | re.I)
_CHARSET = re.compile(r"charset=([\w-]+)", re.I)


@pytest.fixture(scope="module")
def web():
    with BrowserVariantWeb() as web:
        yield web


# ------------------------------------------------------------------ the test's own solver
def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def solve(page: str) -> tuple[str, str]:
    """(cookie name, value) a challenge page's script sets: the arithmetic done again here
    from the numbers in the page, not from the server's code."""
    ruishu = re.search(r'\$_ts\.nsd=(\d+);\$_ts\.cd="(\w+)"', page)
    if ruishu:
        h, cd = int(ruishu.group(1)), ruishu.group(2)
        for ch in cd:
            h = (h * 33 + ord(ch)) % 0x7FFFFFFF
        name = re.search(r"document\[_\$k\[0\]\]='((?:\\x[0-9a-f]{2})+)'", page).group(1)
        return bytes.fromhex(name.replace("\\x", "")).decode(), cd[:4] + base36(h)
    seed = re.search(r'var _0x5e="(\w+)"', page).group(1)
    a = 5381
    for i, ch in enumerate(seed):
        a = ((a ^ (ord(ch) << (i % 8))) * 31) % 1000003
    expression = re.search(r"document\['cookie'\]=(.*?)\+\('='\)", page).group(1)
    name = "".join(re.findall(r"\('(.)'\)", expression))
    return name, f"1735689600.{a}|0|{seed}"


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        match = _CHARSET.search(self.headers.get("content-type", ""))
        return self.body.decode(match.group(1) if match else "utf-8")

    def links(self, url: str) -> dict[str, str]:
        """Absolute URL of every <a href> in the static HTML -> its text."""
        return {urljoin(url, html.unescape(href)): re.sub(r"<[^>]+>", "", text).strip()
                for href, text in _ANCHOR.findall(self.text)}


class Client:
    """urllib through the web's proxy, with a cookie jar; ``solve=True`` answers a
    challenge the way the page's script would and asks again."""

    def __init__(self, web: BrowserVariantWeb) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": web.proxy_url}))
        self.cookies: dict[str, dict[str, str]] = {}

    def get(self, url: str, solve_challenge: bool = True) -> Answer:
        answer = self._get(url)
        host = urlsplit(url).hostname
        config = SITES[host].meta.get("challenge")
        if solve_challenge and config and answer.status == config["status"]:
            name, value = solve(answer.text)
            self.cookies.setdefault(host, {})[name] = value
            answer = self._get(url)
        return answer

    def _get(self, url: str) -> Answer:
        host = urlsplit(url).hostname
        request = urllib.request.Request(url)
        jar = self.cookies.get(host, {})
        if jar:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in jar.items()))
        try:
            with self.opener.open(request, timeout=10) as response:
                headers = {k.lower(): v for k, v in response.headers.items()}
                answer = Answer(response.status, headers, response.read())
        except urllib.error.HTTPError as error:
            with error:
                answer = Answer(error.code, {k.lower(): v for k, v in error.headers.items()},
                                error.read())
        for cookie in answer.headers.get("set-cookie", "").split(","):
            name, _, rest = cookie.strip().partition("=")
            if name:
                self.cookies.setdefault(host, {})[name] = rest.split(";")[0]
        return answer


# --------------------------------------------------------------------------------- data
def test_registry_names_each_site_once():
    agencies = yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]
    assert sorted(urlsplit(a["start_url"]).hostname for a in agencies) == sorted(SITES)
    kinds = sorted(a["id"].split("/")[1] for a in agencies)
    assert kinds == sorted(f"{k}-{v}" for k in ("scriptnav", "ajaxlist", "appshell",
                                                 "challenge", "docwrite") for v in "ab")
    for agency in agencies:
        host = urlsplit(agency["start_url"]).hostname
        site = SITES[host]
        assert host.endswith(".bv.gov.cn") and agency["allowed_domains"] == [host]
        assert (agency["province"], agency["province_code"]) == ("四川省", "510000")
        assert agency["name"] == site.meta["name"]
        assert agency["id"].split("/")[1].split("-")[0] == site.meta["kind"]
        assert 2 <= len(site.reports) <= 4
    assert not set(DEMO_HANDLERS) & {k for k in HANDLERS if k.startswith("bv_")}
    assert {site.encoding for site in SITES.values()} == {"utf-8", "gbk"}
    for kind in {site.meta["kind"] for site in SITES.values()}:  # one GBK, one utf-8 each
        assert sorted(s.encoding for s in SITES.values() if s.meta["kind"] == kind) == \
            ["gbk", "utf-8"]


def test_challenge_sites_route_every_path_through_the_challenge():
    for host in CHALLENGES:
        site = SITES[host]
        assert list(site.routes)[-1] == "^/"
        assert all(options["handler"] == "bv_challenge" for options in site.routes.values())


# ----------------------------------------------------------------------- static reading
@pytest.mark.parametrize("host", sorted(SITES))
def test_home_page_is_an_agency_home_with_one_offsite_reference(web, host):
    client = Client(web)
    site = SITES[host]
    page = client.get(f"http://{host}/")
    assert page.status == 200
    for name, value in (("SiteName", site.meta["name"]), ("SiteDomain", host)):
        assert re.search(rf'<meta name="{name}" content="{re.escape(value)}"', page.text)
    assert re.search(r'<meta name="SiteIDCode" content="5100000\d{3}"', page.text)
    offsite = site.meta["offsite"]
    assert urlsplit(offsite).hostname != host and not urlsplit(offsite).hostname.endswith(
        ".bv.gov.cn")
    assert html.escape(offsite, quote=False) in page.text or offsite in page.text
    assert web.sites.get(urlsplit(offsite).hostname) is None  # nothing serves it


@pytest.mark.parametrize("host", sorted(SITES))
def test_reader_path_needs_the_browser_at_its_marked_step(web, host):
    """Static HTML: the steps a crawler can read link the next step; the step marked
    ``browser`` links neither a report nor where it leads."""
    client = Client(web)
    site = SITES[host]
    reports = set(site.report_urls())
    steps = site.meta["reader"]
    assert any("browser" in step for step in steps) or "challenge" in site.meta
    for step in steps:
        page = client.get(step["url"])
        assert page.status == 200, step["url"]
        links = page.links(step["url"])
        if "browser" in step:
            assert not reports & set(links), step["url"]
            for target in (step.get("next"), step.get("lands")):
                if target:
                    assert target not in links
                    path = urlsplit(target).path
                    assert path in ("", "/") or path not in page.text, target
            for report in reports:
                assert urlsplit(report).path not in page.text
        elif step.get("reports"):
            assert reports <= set(links), step["url"]
            for url in reports:
                assert links[url] == site.report_urls()[url].title
        else:
            assert links.get(step["next"]) == step["link"], step["url"]


@pytest.mark.parametrize("host", sorted(h for h, s in SITES.items() if s.meta.get("endpoints")))
def test_endpoints_answer_the_report_links(web, host):
    client = Client(web)
    site = SITES[host]
    reports = site.report_urls()
    for endpoint in site.meta["endpoints"]:
        answer = client.get(endpoint)
        assert answer.status == 200
        if answer.headers["content-type"].startswith("application/json"):
            text = json.dumps(json.loads(answer.body), ensure_ascii=False)
            urls = {urljoin(endpoint, u) for u in re.findall(r'"(?:link|staticUrl)": "([^"]+)"',
                                                             text)}
            assert urls == set(reports)
            for report in reports.values():
                assert report.title in text
        else:
            links = answer.links(endpoint)
            assert set(links) == set(reports)
            assert all(links[u] == reports[u].title for u in reports)
        # another column: nothing
        other = client.get(re.sub(r"=(4417|zfxxgknb|ndbg|1024)&", "=1&", endpoint))
        assert not set(reports) & set(other.links(endpoint))
        assert not any(urlsplit(u).path in other.text for u in reports)


@pytest.mark.parametrize("host, url", GENUINE)
def test_every_genuine_report_is_served_whole(web, host, url):
    report = SITES[host].report_urls()[url]
    answer = Client(web).get(url)
    assert answer.status == 200
    assert report.title == f"{SITES[host].meta['name']}{report.year}年政府信息公开工作年度报告"
    if report.kind == "pdf":
        assert answer.body.startswith(b"%PDF") and answer.headers["content-type"] == \
            "application/pdf"
        return
    assert re.search(rf"<title>{re.escape(report.title)}", answer.text)
    assert answer.text.count("<table") >= 3
    assert "四、政府信息公开行政复议、行政诉讼情况" in answer.text


# ----------------------------------------------------------------------------- challenges
@pytest.mark.parametrize("host", CHALLENGES)
def test_challenge_without_cookie_then_with_token(web, host):
    config = SITES[host].meta["challenge"]
    client = Client(web)
    for path in ("/", SITES[host].meta["reader"][-1]["url"], next(iter(SITES[host].report_urls())),
                 "/no/such/page.html"):
        url = urljoin(f"http://{host}/", path)
        first = client.get(url, solve_challenge=False)
        assert first.status == config["status"], url
        assert len(first.body) < 2048 and "document" in first.text and "location" in first.text
        assert not first.links(url) and "<a" not in first.text
        assert first.text == client.get(url, solve_challenge=False).text  # deterministic
    wrong = Client(web)
    wrong.cookies[host] = {config["cookie"]: "0"}
    assert wrong.get(f"http://{host}/", solve_challenge=False).status == config["status"]
    solved = client.get(f"http://{host}/")
    assert solved.status == 200 and SITES[host].meta["name"] in solved.text
    assert client.get(f"http://{host}/no/such/page.html").status == 404


def test_ruishu_token_expires_after_30_requests():
    host = "wjw.bv.gov.cn"
    with BrowserVariantWeb() as web:
        client = Client(web)
        first = client.get(f"http://{host}/", solve_challenge=False)
        assert first.status == 412
        assert client.get(f"http://{host}/").status == 200  # solved: use 1
        token = dict(client.cookies[host])
        for n in range(29):
            assert client.get(f"http://{host}/wjw/zfxxgk/index.shtml",
                              solve_challenge=False).status == 200, n
        again = client.get(f"http://{host}/", solve_challenge=False)
        assert again.status == 412 and again.text != first.text  # a new seed
        assert solve(again.text)[1] != token["FSSBBIl1UgzbN7N80T"]
        assert client.get(f"http://{host}/").status == 200  # solved again


def test_jsl_clearance_expires_after_its_ttl():
    host = "scjgj.bv.gov.cn"
    sites = browser_variant_sites()
    assert sites[host].meta["challenge"]["ttl"] == 20
    sites[host].meta["challenge"]["ttl"] = 1.0  # the same gate, sooner
    with BrowserVariantWeb(sites=sites) as web:
        client = Client(web)
        first = client.get(f"http://{host}/", solve_challenge=False)
        assert first.status == 521 and "__jsluid_h" in client.cookies[host]
        for _ in range(5):
            assert client.get(f"http://{host}/").status == 200
        time.sleep(1.3)
        again = client.get(f"http://{host}/scjgj/xxgk/index.htm", solve_challenge=False)
        assert again.status == 521 and again.text != first.text
        assert client.get(f"http://{host}/scjgj/xxgk/index.htm").status == 200


# -------------------------------------------------------------------------------- Chromium
def _chromium(web: BrowserVariantWeb, profile):
    if not (shutil.which("/usr/bin/chromium") and shutil.which("/usr/bin/chromedriver")):
        pytest.fail("Chromium is not installed: run `make browser`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--proxy-server={web.proxy_url}", "--disable-background-networking",
                     "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable",
                     f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"),
                              options=options)
    driver.set_page_load_timeout(30)
    return driver


_HREFS = ("return Array.from(document.querySelectorAll('a[href]'), "
          "a => [a.href, a.textContent.trim()])")


def test_chromium_reader_finds_every_genuine_report(tmp_path):
    """Each site's reader path in a real Chromium: every step's page, after its scripts
    (and any challenge), shows the link to the next step, lands where a script sends it,
    and the last shows every genuine report's link."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    with BrowserVariantWeb() as web:
        driver = _chromium(web, tmp_path / "profile")
        try:
            for host, site in sorted(SITES.items()):
                reports = site.report_urls()
                for step in site.meta["reader"]:
                    driver.get(step["url"])

                    def arrived(d, step=step, reports=reports):
                        if step.get("lands") and d.current_url != step["lands"]:
                            return False
                        links = dict(d.execute_script(_HREFS))
                        if step.get("reports"):
                            return all(r.title in links.get(u, "") for u, r in reports.items())
                        if step.get("next"):
                            return links.get(step["next"]) == step["link"]
                        return True

                    WebDriverWait(driver, 15, poll_frequency=0.1,
                                  ignored_exceptions=(WebDriverException,)).until(
                        arrived, f"{host}: {step['url']}")
                final = dict(driver.execute_script(_HREFS))
                assert set(reports) <= set(final), host
        finally:
            driver.quit()
        asked = {urlsplit(u).hostname for u in web.urls()}
        assert set(SITES) <= asked
        for host in CHALLENGES:  # the browser met each challenge and got through it
            statuses = [e.status for e in web.log if urlsplit(e.url).hostname == host]
            assert SITES[host].meta["challenge"]["status"] in statuses and 200 in statuses
