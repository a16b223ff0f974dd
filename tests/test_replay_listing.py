"""``python -m archive replay``: pywb over the collection, its index kept current, and
the listing page a reader starts from, opened in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from archive import WarcWriter
from archive.listing import render_listing
from archive.reports import ArchivedReport, archived_reports
from crawler.changes import ReportVersions
from tests.browser import headless_chromium
from tests.conftest import ROOT
from tests.test_archive_writer import exchange
from tests.test_replay_pywb import free_port

SCREENSHOTS = ROOT / "var" / "screenshots"


def item(url: str, date: str, **fields) -> dict:
    return {"url": url, "title": "某局2023年政府信息公开工作年度报告", "agency": "某局",
            "agency_id": "330000/x", "province": "浙江省", "province_code": "330000",
            "year": 2023, "flags": [], "checks": [], "attachments": [],
            "warc": {"date": date}, **fields}


def test_versions_in_the_crawl_state_list_every_capture_and_mark_a_revision(tmp_path):
    versions = ReportVersions(tmp_path / "crawl-state.sqlite")
    url = "http://x.zj.gov.cn/nb/2023.html"
    for run, date, total in (("r1", "2024-02-01T00:00:00Z", 5), ("r2", "2024-05-01T00:00:00Z", 6)):
        versions.begin(run)
        versions.record(url, run, item(url, date, requests={"total": {"total": total}}),
                        versions.previous(url, run))
        versions.finish(run)
    versions.begin("r3")  # an unfinished run's version is not one yet
    versions.record(url, "r3", item(url, "2024-09-01T00:00:00Z",
                                    requests={"total": {"total": 7}}), None)
    versions.close()
    (report,) = archived_reports([tmp_path])
    assert report.captured == ["2024-02-01T00:00:00Z", "2024-05-01T00:00:00Z"]
    assert report.revised and report.item["requests"] == {"total": {"total": 6}}


def test_the_listing_links_each_capture_and_shows_badges_without_script():
    spam = ArchivedReport("http://x.zj.gov.cn/nb/2023.html", item(
        "http://x.zj.gov.cn/nb/2023.html", "2024-02-01T08:00:00Z",
        flags=["injected_spam: 澳门赌场"], checks=["requests natural_person: 1 != 2"],
        attachments=[{"url": "http://x.zj.gov.cn/nb/2023.pdf"}]),
        ["2024-02-01T08:00:00Z"], revised=True)
    page = render_listing([spam])
    assert "<script" not in page and "http://" not in re.sub(r'href="[^"]+"', "", page)
    assert 'href="/reports/20240201080000/http://x.zj.gov.cn/nb/2023.html"' in page
    assert 'href="/reports/20240201080000/http://x.zj.gov.cn/nb/2023.pdf"' in page
    for badge in ("spam", "identities broken", "revised"):
        assert f">{badge}</span>" in page
    assert page.index("浙江省") < page.index("某局") < page.index("2023年")


def wait_for(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.3)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def replay(demo_crawl, tmp_path):
    warcs = tmp_path / "warc"
    shutil.copytree(demo_crawl.warc_dir, warcs)
    port = free_port()
    log = tmp_path / "replay.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "archive", "replay", str(warcs), "--port", str(port),
             "--root", str(tmp_path / "replay"), "--interval", "0.5"],
            cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(f"{base}/static/index.html") or process.poll() is not None,
                 "the replay to start")
        assert process.poll() is None, log.read_text()
        yield base, warcs
    finally:
        process.terminate()
        process.wait(20)


@pytest.mark.slow
def test_a_reader_opens_the_listing_and_clicks_through_to_a_report(replay, demo_crawl, tmp_path):
    base, _ = replay
    report = next(i for i in demo_crawl.items() if i["source_type"] == "html")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with headless_chromium(tmp_path / "profile") as browser:
        browser.get(f"{base}/static/index.html")
        headings = [h.text for h in browser.find_elements("tag name", "h2")]
        assert {i["province"] for i in demo_crawl.items()} <= set(headings)
        browser.save_screenshot(str(SCREENSHOTS / "replay-listing.png"))
        browser.find_element("link text", report["title"]).click()
        wait_for(lambda: report["title"] in browser.title,
                 f"the replayed report's title (the page says {browser.title!r})")
        # Served by the replay (pywb's wombat shows the original URL in the page).
        assert re.search(rf'"GET /reports/\d{{14}}/{re.escape(report["url"])} HTTP/1.1" 200',
                         (tmp_path / "replay.log").read_text())
        browser.save_screenshot(str(SCREENSHOTS / "replay-report.png"))


@pytest.mark.slow
def test_a_warc_that_lands_later_is_replayed_without_a_restart(replay, tmp_path):
    base, warcs = replay
    url = "http://late.zj.gov.cn/nb/2024.html"
    assert not answers(f"{base}/reports/id_/{url}")
    writer = WarcWriter(tmp_path / "incoming", "late")
    writer.write_exchange(exchange(url=url, body=b"<title>late</title>"))
    writer.close()
    for path in Path(writer.closed_files[0]).parent.glob("*.warc.gz"):
        shutil.move(path, warcs / path.name)
    wait_for(lambda: answers(f"{base}/reports/id_/{url}"), "the new WARC to be indexed", 30)
    with urllib.request.urlopen(f"{base}/reports/id_/{url}") as response:
        assert response.read() == b"<title>late</title>"
