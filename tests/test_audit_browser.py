"""The audit page as a reader sees it: Debian's headless Chromium, over HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from selenium.webdriver.common.by import By

from crawler.dataset import build, write_audit
from tests.browser import headless_chromium
from tests.conftest import ROOT
from tests.test_audit import AGENCY, TODAY, scenario
from tests.test_dataset_factory import make_item, write_feed

SCREENSHOT = ROOT / "var" / "screenshots" / "audit.png"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_audit_page_renders_sorts_and_links_in_chromium(tmp_path):
    feeds = [write_feed(tmp_path / f"run{n}.jsonl", items) for n, items in enumerate(scenario())]
    db = build(feeds, tmp_path / "reports.sqlite", TODAY).path
    write_audit(db, tmp_path / "audit")
    with serve(tmp_path / "audit") as base, headless_chromium(tmp_path / "profile") as browser:
        browser.get(base + "index.html")
        matrix = browser.find_element(By.ID, "audit-matrix")
        assert matrix.is_displayed()
        names = [th.text for th in matrix.find_elements(By.CSS_SELECTOR, "tbody th")]
        assert sorted(names) == sorted(["浙江省示范局", "浙江省停更局", "浙江省旧局",
                                        "浙江省扫描局"])
        missing = matrix.find_elements(By.CSS_SELECTOR, "td.missing")
        assert missing and all(td.text == "✗" for td in missing)
        chart = browser.find_element(By.CSS_SELECTOR, "#chart-on-time svg")
        assert chart.size["width"] > 300 and chart.size["height"] > 100
        assert len(chart.find_elements(By.CSS_SELECTOR, "path")) > 10  # bars drawn

        # the script made the headers buttons; twice on Problems: the most problems first
        problems = matrix.find_element(By.XPATH, ".//thead//th[last()]//button")
        problems.click()
        problems.click()
        first = matrix.find_element(By.CSS_SELECTOR, "tbody tr:first-child th")
        assert first.text == "浙江省旧局"  # 2019-2024 missing

        browser.execute_script("document.getElementById('matrix').scrollIntoView()")
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))

        row = matrix.find_element(By.XPATH, ".//tbody/tr[normalize-space(th)='浙江省示范局']")
        row.find_elements(By.CSS_SELECTOR, "td a.json")[-1].click()  # 2024's item
        item = json.loads(browser.find_element(By.TAG_NAME, "body").text)
        assert item["report_id"] == make_item(AGENCY, 2024)["report_id"]
        browser.back()
        # a mark opens its year on the agency's page: no replay server needed
        row = browser.find_element(By.XPATH, "//table[@id='audit-matrix']//tbody/tr"
                                   "[normalize-space(th)='浙江省示范局']")
        row.find_elements(By.CSS_SELECTOR, "td a.mark")[-1].click()  # 2024
        assert browser.current_url.endswith("agencies/330000_demo.zj.gov.cn.html#y2024")
        year = browser.find_element(By.ID, "y2024")
        assert "version 2 (latest)" in year.text and "WARC record" in year.text
        browser.back()
        browser.find_element(By.LINK_TEXT, "浙江省示范局").click()
        assert browser.find_element(By.TAG_NAME, "h1").text == "浙江省示范局"
        assert "no report found" in browser.find_element(By.ID, "y2021").text
    assert SCREENSHOT.stat().st_size > 10_000
