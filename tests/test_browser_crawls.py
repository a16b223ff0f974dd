"""Crawls of the browser web (``tests/demoweb/browser``): sites a reader reads in a
browser and static reading cannot (a script-only navigation, a list fetched as an HTML
fragment, an app shell over a JSON API, a JavaScript cookie challenge, rows written by
``document.write``). With ``BROWSER=auto`` every genuine report is found and the browser's
traffic is the crawl's: archived, on the agency's hosts only; with ``BROWSER=never`` each
agency says which pages needed a browser; the archive re-extracts the same items with no
browser and no request."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import FAST, ROOT, CrawlResult
from tests.demoweb.__main__ import proxy_env
from tests.demoweb.browser import REGISTRY, BrowserWeb, browser_sites
from tests.test_reextract import by_url, differences

pytestmark = pytest.mark.slow


def crawl(web: BrowserWeb, out, *extra: str, spider: str = "disclosure",
          registry=REGISTRY) -> CrawlResult:
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"registry={registry}",
               "-O", str(out / "items.jsonl"), *FAST, *extra]
    before = len(web.log)
    proc = subprocess.run(command, cwd=ROOT, env=proxy_env(web), capture_output=True,
                          text=True, timeout=300)
    (out / "crawl.log").write_text(proc.stderr, "utf-8")
    return CrawlResult(out, proc.returncode, proc.stderr, web.log[before:], web)


@pytest.fixture(scope="module")
def web():
    with BrowserWeb() as served:
        yield served


@pytest.fixture(scope="module")
def rendered(web, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser-auto")
    return crawl(web, out, "-s", f"WARC_DIR={out / 'warc'}")


def genuine() -> set[str]:
    return {url for site in browser_sites().values() for url in site.report_urls()}


def rows(result: CrawlResult) -> dict[str, dict]:
    return {row["agency_id"]: row for row in result.summary()["agencies"]}


def records(result: CrawlResult) -> list:
    found = []
    for path in result.warcs:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                found.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                              record.rec_headers))
    return found


def test_with_a_browser_every_report_is_found_and_every_agency_complete(rendered):
    assert rendered.returncode == 0, rendered.log[-3000:]
    assert {item["url"] for item in rendered.items()} == genuine()
    for agency, row in rows(rendered).items():
        assert row["status"] == "complete", (agency, row["status"])
        assert row["rendered"], f"{agency} needed the browser and says nothing of it"


def test_without_a_browser_each_agency_names_the_pages_that_needed_one(web, tmp_path):
    result = crawl(web, tmp_path, "-s", f"WARC_DIR={tmp_path / 'warc'}", "-s", "BROWSER=never")
    assert result.returncode == 1
    assert len(result.items()) < len(genuine()) // 2
    for agency, row in rows(result).items():
        assert row["status"] != "complete"
        assert "need a browser, not rendered" in row["status"], (agency, row["status"])
        assert row["not_rendered"] and not row["rendered"]
    challenge = rows(result)["browser/challenge"]["status"]
    assert challenge.startswith("blocked: JavaScript challenge (HTTP 412) at http://sthjt")


@pytest.mark.parametrize(("package", "web_class", "sites"), [
    ("tests.demoweb.browser.variants", "BrowserVariantWeb", "browser_variant_sites"),
    ("tests.demoweb.browser.more", "BrowserMoreWeb", "browser_more_sites")])
def test_sites_written_from_the_descriptions_alone_are_read_whole(package, web_class, sites,
                                                                   tmp_path):
    """Sixteen more sites of these kinds, written by people who had not read the crawler
    (other markup, routers, challenge statuses, encodings): every report, every agency
    complete."""
    module = importlib.import_module(package)
    with getattr(module, web_class)() as other:
        result = crawl(other, tmp_path, "-s", f"WARC_DIR={tmp_path / 'warc'}",
                       registry=module.REGISTRY)
    expected = {url for site in getattr(module, sites)().values() for url in site.report_urls()}
    assert {item["url"] for item in result.items()} == expected
    assert {row["status"] for row in rows(result).values()} == {"complete"}
    assert result.returncode == 0


def test_a_machine_without_chromium_crawls_statically_and_says_so(web, tmp_path):
    result = crawl(web, tmp_path, "-a", "agency=browser/scriptnav",
                   "-s", f"WARC_DIR={tmp_path / 'warc'}",
                   "-s", "BROWSER_EXECUTABLE=/nonexistent/chromium")
    assert result.returncode == 1
    assert "no browser, not rendered" in result.log
    status = rows(result)["browser/scriptnav"]["status"]
    assert status == ("no report column found (1 page(s) need a browser, not rendered: "
                      "script navigation)")


def test_every_request_the_browser_made_is_in_the_warc_and_none_left_the_agency(rendered):
    """The demo web is the crawl's only way out (its proxy): whatever reached it was sent by
    the crawler, the browser's requests included, and each must be archived."""
    archived = Counter((headers.get_header("WARC-Target-URI"))
                       for kind, _, headers in records(rendered) if kind == "request")
    sent = Counter(entry.url for entry in rendered.requests)
    assert sent and sent == archived  # each request as often as it went out
    hosts = {urlsplit(url).hostname for url in sent}
    assert hosts == {site.host for site in browser_sites().values()}
    infos = [json.loads(r.content_stream().read()) for r in _page_infos(rendered)]
    browser_asked = {url for info in infos for url in info["requests"]}
    assert browser_asked and browser_asked <= set(sent)  # went through the crawl's downloader
    refused = {url for info in infos for url, _ in info["refused"]}
    assert any("example" in urlsplit(url).hostname for url in refused), infos  # not fetched


def test_a_rendered_page_is_kept_as_its_dom_beside_the_response_it_came_from(rendered):
    found = records(rendered)
    responses = {headers.get_header("WARC-Record-ID"): uri for kind, uri, headers in found
                 if kind == "response"}
    doms = [(uri, headers) for kind, uri, headers in found if kind == "resource"]
    assert doms and all(uri.startswith("urn:dom:http://") for uri, _ in doms)
    for uri, headers in doms:
        assert headers.get_header("Content-Type") == "text/html; charset=utf-8"
        assert headers.get_header("WARC-Refers-To") in responses, uri
    infos = [uri for kind, uri, _ in found if kind == "metadata"]
    assert sorted(infos) == sorted(uri.replace("urn:dom:", "urn:pageinfo:") for uri, _ in doms)


def test_a_challenge_is_passed_once_and_the_host_is_read_the_plain_way(rendered):
    row = rows(rendered)["browser/challenge"]
    assert [(r["kind"], r["count"]) for r in row["rendered"]] == [("challenge", 1)]
    challenged = [e for e in rendered.requests  # robots.txt is challenged too: read as none
                  if urlsplit(e.url).hostname == "sthjt.bw.gov.cn" and e.status == 412
                  and not e.url.endswith("/robots.txt")]
    passed = [e for e in rendered.requests
              if urlsplit(e.url).hostname == "sthjt.bw.gov.cn" and e.status == 200]
    assert len(challenged) == 1 and len(passed) >= 5  # the pass, then plain requests


def test_the_archive_gives_the_live_items_with_no_browser_and_no_request(rendered, tmp_path):
    again = crawl(rendered.web, tmp_path, "-a", f"warc={rendered.warc_dir}",
                  "-s", "BROWSER_EXECUTABLE=/nonexistent/chromium", spider="archive")
    assert again.requests == [], "re-extraction reached the web"
    assert again.returncode == 0, again.log[-3000:]
    assert "Browser started" not in again.log
    live, archived = by_url(rendered.items()), by_url(again.items())
    assert set(archived) == set(live)
    assert differences(live, archived) == []


def _page_infos(result: CrawlResult) -> list:
    found = []
    for path in result.warcs:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "metadata":
                    record.content_stream().read()
                    found.append(_Reread(path, record))
    return found


class _Reread:
    """A metadata record's content, read again (warcio streams once)."""

    def __init__(self, path, record) -> None:
        self.uri = record.rec_headers.get_header("WARC-Target-URI")
        self.path = path

    def content_stream(self):
        import io

        with open(self.path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_headers.get_header("WARC-Target-URI") == self.uri:
                    return io.BytesIO(record.content_stream().read())
        raise LookupError(self.uri)


def test_a_challenge_that_comes_back_is_passed_again(tmp_path):
    sites = browser_sites()
    sites["sthjt.bw.gov.cn"].meta["challenge"]["uses"] = 3  # a cookie good for 3 requests
    with BrowserWeb(sites=sites) as web:
        result = crawl(web, tmp_path, "-a", "agency=browser/challenge",
                       "-s", f"WARC_DIR={tmp_path / 'warc'}")
    row = rows(result)["browser/challenge"]
    assert row["status"] == "complete" and result.returncode == 0, row["status"]
    assert {item["url"] for item in result.items()} == set(
        sites["sthjt.bw.gov.cn"].report_urls())
    passes = sum(r["count"] for r in row["rendered"] if r["kind"] == "challenge")
    assert passes >= 2


def test_pywb_replays_the_rendered_pages_as_a_reader_saw_them(rendered, tmp_path):
    """The traffic the browser made is archived, so pywb, running the page's scripts in a
    browser again, shows the list the crawl read: the fragment, the app's JSON API."""
    from selenium.webdriver.common.by import By

    from tests.browser import headless_chromium
    from tests.test_replay_pywb import wayback_over

    pages = {"jyt.bw.gov.cn": "http://jyt.bw.gov.cn/col/col4010/index.html",
             "zrzyt.bw.gov.cn": "http://zrzyt.bw.gov.cn/xxgk/ndbg/index.html"}
    (tmp_path / "pywb").mkdir()
    with wayback_over(tmp_path / "pywb", rendered.warcs) as port, \
            headless_chromium(tmp_path / "profile") as driver:
        for host, page in pages.items():
            expected = set(browser_sites()[host].report_urls())
            driver.get(f"http://127.0.0.1:{port}/demo/{page}")  # pywb's frame, then the page
            shown: set[str] = set()
            for _ in range(40):
                time.sleep(0.25)
                frames = driver.find_elements(By.ID, "replay_iframe")
                if not frames:
                    continue
                driver.switch_to.frame(frames[0])
                shown = {href for a in driver.find_elements(By.TAG_NAME, "a")
                         if (href := a.get_attribute("href"))}  # wombat shows the originals
                driver.switch_to.default_content()
                if expected <= shown:
                    break
            assert expected <= shown, (page, sorted(shown))


REPLAYWEB = ROOT / ".venv-replayweb" / "package"
_REPLAYED_LINKS = """
function find(root) {  // the replayed page's frame, through ReplayWeb.page's shadow roots
  for (const el of root.querySelectorAll('*')) {
    if (el.tagName === 'IFRAME') {
      if (el.src.includes('mp_/')) return el;
      try { const r = el.contentDocument && find(el.contentDocument); if (r) return r; }
      catch (e) {}
    }
    if (el.shadowRoot) { const r = find(el.shadowRoot); if (r) return r; }
  }
  return null;
}
const frame = find(document);
const doc = frame && frame.contentDocument;
return doc ? Array.from(doc.querySelectorAll('a')).map(a => a.getAttribute('href')) : [];
"""


def test_replayweb_page_replays_the_rendered_pages_from_the_wacz(rendered, tmp_path):
    """ReplayWeb.page (its own ui.js and service worker, from `make install`), opening the
    crawl's WACZ as a reader does, runs the pages' scripts against the archive and shows
    the reports the crawl found there."""
    import functools
    import http.server

    from tests.browser import headless_chromium

    if not (REPLAYWEB / "ui.js").exists():
        pytest.fail("ReplayWeb.page is not installed: run `make install`")
    site = tmp_path / "site"
    (site / "replay").mkdir(parents=True)
    (site / "ui.js").write_bytes((REPLAYWEB / "ui.js").read_bytes())
    (site / "replay" / "sw.js").write_bytes((REPLAYWEB / "sw.js").read_bytes())
    subprocess.run([sys.executable, "-m", "archive", "wacz", str(rendered.warc_dir),
                    "-o", str(site / "crawl.wacz"), "--items", str(rendered.out / "items.jsonl")],
                   cwd=ROOT, check=True, capture_output=True)
    pages = {"zrzyt.bw.gov.cn": "http://zrzyt.bw.gov.cn/xxgk/ndbg/index.html",
             "jyt.bw.gov.cn": "http://jyt.bw.gov.cn/col/col4010/index.html"}
    for host, page in pages.items():
        (site / f"{host}.html").write_text(
            '<!doctype html><script src="./ui.js"></script><replay-web-page source="crawl.wacz"'
            f' url="{page}" embed="replayonly" replayBase="./replay/"></replay-web-page>')
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with headless_chromium(tmp_path / "profile") as driver:
            for host, page in pages.items():
                expected = {urlsplit(u).path for u in browser_sites()[host].report_urls()}
                driver.get(f"http://127.0.0.1:{server.server_address[1]}/{host}.html")
                shown: set[str] = set()
                for _ in range(60):
                    time.sleep(0.5)
                    shown = {urlsplit(h).path for h in driver.execute_script(_REPLAYED_LINKS)}
                    if expected <= shown:
                        break
                assert expected <= shown, (page, sorted(shown))
    finally:
        server.shutdown()
        server.server_close()


def test_a_browser_killed_mid_crawl_is_started_again_and_its_page_read(web, tmp_path):
    """Chromium killed as its first page renders: a new one is started and the page is
    rendered again; the agency ends complete."""
    import os
    import signal

    killed: list[int] = []

    def kill_the_first_browser() -> None:
        deadline = time.monotonic() + 60
        while not any("/static/js/" in e.url for e in web.log[before:]):  # a page renders
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)
        while not killed and time.monotonic() < deadline:
            for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
                try:
                    args = cmdline.read_bytes().split(b"\0")
                except OSError:
                    continue
                if args and args[0].endswith(b"chromium") and b"--remote-debugging-pipe" in args:
                    os.kill(int(cmdline.parent.name), signal.SIGKILL)
                    killed.append(int(cmdline.parent.name))
                    return
            time.sleep(0.05)

    before = len(web.log)
    killer = threading.Thread(target=kill_the_first_browser, daemon=True)
    killer.start()
    result = crawl(web, tmp_path, "-a", "agency=browser/appshell",
                   "-s", f"WARC_DIR={tmp_path / 'warc'}")
    killer.join()
    assert killed, "no browser was started"
    row = rows(result)["browser/appshell"]
    assert row["status"] == "complete" and result.returncode == 0, result.log[-3000:]
    assert {i["url"] for i in result.items()} == set(browser_sites()["zrzyt.bw.gov.cn"]
                                                      .report_urls())
    assert "'playwright/browser_count': 2" in result.log
