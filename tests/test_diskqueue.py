"""Pending requests on disk with ``JOBDIR`` (``crawler.frontier.diskqueue``): the frontier grows
in one SQLite file, not in the process, and nothing is lost or fetched twice.

Real Scrapy crawls (in a subprocess, each with its own reactor) of a real server on
127.0.0.1, with the project's scheduler, queues and host queue, and a real crawl of
the demo web.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import Future

import pytest
import scrapy
from warcio.archiveiterator import ArchiveIterator

from archive import PendingRecord
from crawler.frontier.diskqueue import DiskFrontier
from crawler.frontier.scheduler import RunDupeFilter
from crawler.meta import WARC_RECORD
from crawler.reports import DraftStore, ReportDraft
from tests.conftest import FIXTURES, ROOT, report_url, run_crawl
from tests.pages import page_server

SPIDER = """
import json, sqlite3, sys, threading
from pathlib import Path
import scrapy
from scrapy.crawler import CrawlerProcess
from crawler import settings

jobdir = sys.argv[1] or None
LOCK = threading.Lock()  # cannot be pickled: the request stays in memory
seen = {"rows": [], "fingerprints": [], "pending": [], "same_lock": None}

class Many(scrapy.Spider):
    name = "many"
    start_urls = ["http://127.0.0.1:%(port)d/list"]

    async def parse(self, response):
        for n in range(300):
            yield scrapy.Request(f"http://127.0.0.1:%(port)d/{n}", callback=self.page,
                                 meta={"download_slot": f"h{n %% 3}", "n": n})
        yield scrapy.Request(f"http://127.0.0.1:%(port)d/held", callback=self.held,
                             meta={"download_slot": "h0", "lock": LOCK})
        for n in range(0, 300, 3):  # duplicates: filtered out
            yield scrapy.Request(f"http://127.0.0.1:%(port)d/{n}", callback=self.page,
                                 meta={"download_slot": f"h{n %% 3}", "n": n})

    async def page(self, response):
        seen["pending"].append(len(self.crawler.engine._slot.scheduler))
        path = Path(jobdir or ".", "frontier.sqlite")
        if jobdir:
            with sqlite3.connect(path) as db:
                seen["rows"].append(db.execute("SELECT count(*) FROM pending").fetchone()[0])
                seen["fingerprints"].append(
                    db.execute("SELECT count(*) FROM seen").fetchone()[0])
        yield {"n": response.meta["n"]}

    async def held(self, response):
        seen["same_lock"] = response.meta["lock"] is LOCK
        yield {"held": True}

names = ("SCHEDULER", "DUPEFILTER_CLASS", "SCHEDULER_MEMORY_QUEUE",
         "SCHEDULER_PRIORITY_QUEUE", "PENDING_ON_DISK", "REQUEST_FINGERPRINTER_CLASS")
process = CrawlerProcess({
    **{name: getattr(settings, name) for name in names},
    "JOBDIR": jobdir, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 6,
    "DOWNLOAD_SLOTS": {f"h{n}": {"delay": 0.005, "concurrency": 1} for n in range(3)},
})
crawler = process.create_crawler(Many)
process.crawl(crawler)
process.start()
stats = crawler.stats.get_stats()
print(json.dumps({**seen, "items": stats.get("item_scraped_count"),
                  "on_disk": stats.get("pending/on_disk"),
                  "in_memory": stats.get("pending/in_memory"),
                  "file_left": Path(jobdir or ".", "frontier.sqlite").exists()}))
"""


@pytest.fixture()
def server():
    with page_server() as (httpd, fetched):
        httpd.fetched = fetched  # type: ignore[attr-defined]
        yield httpd


def crawl(server, jobdir: str) -> dict:
    out = subprocess.run([sys.executable, "-c", SPIDER % {"port": server.server_port}, jobdir],
                         cwd=ROOT, check=True, capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_with_jobdir_pending_requests_wait_on_disk_and_all_arrive(server, tmp_path):
    (tmp_path / "frontier.sqlite").write_bytes(b"left by a killed run")  # made new, not read
    result = crawl(server, str(tmp_path))
    assert result["items"] == 301
    assert sorted(server.fetched) == sorted(["/list", "/held", *(f"/{n}" for n in range(300))])
    assert set(server.fetched.values()) == {1}  # nothing fetched twice, duplicates dropped
    assert max(result["fingerprints"]) == 301  # the duplicate filter's, in the file too
    assert result["on_disk"] == 300  # every page request went to the file...
    assert result["in_memory"] == 1  # ...but the one that cannot be pickled
    assert result["same_lock"] is True  # which kept its very objects
    assert max(result["rows"]) >= 290  # the frontier was in the file, not the process
    pairs = zip(result["rows"], result["pending"], strict=True)
    assert all(rows <= pending for rows, pending in pairs)
    assert result["file_left"] is False  # removed when the crawl ended


def test_without_jobdir_pending_requests_stay_in_memory(server):
    result = crawl(server, "")
    assert result["items"] == 301 and result["same_lock"] is True
    assert set(server.fetched.values()) == {1}
    assert result["on_disk"] is None and result["in_memory"] is None
    assert max(result["pending"]) >= 290


def test_a_paged_reports_draft_waits_on_disk_and_keeps_its_warc_record(demoweb, tmp_path):
    """A paged report's further pages are fetched with its draft (its pages so far) in
    ``request.meta``: with JOBDIR the draft waits in the file too, while the WARC record
    of its first page, still being written, stays in memory; the item points at it."""
    result = run_crawl(demoweb, tmp_path, "-a", "agency=350000", "-a", "years=2023",
                       "-s", f"JOBDIR={tmp_path / 'job'}")
    assert result.returncode == 0, result.log[-2000:]
    stats = {name: int(value) for name, value in
             re.findall(r"'pending/(on_disk|in_memory)': (\d+)", result.log)}
    assert stats.get("on_disk", 0) > 0 and stats.get("in_memory", 0) == 0
    paged = report_url("fgw.fujian.gov.cn", 2023)
    item = next(item for item in result.items() if item["url"] == paged)
    assert len(item["parts"]) == 2 and item["warnings"] == []
    assert {url.split("/")[-1] for url in item["parts"]} <= {
        entry.url.split("/")[-1] for entry in result.requests}
    with (result.warc_dir / item["warc"]["filename"]).open("rb") as fh:
        fh.seek(item["warc"]["offset"])
        record = next(iter(ArchiveIterator(fh)))
    assert record.rec_headers["WARC-Target-URI"] == paged
    assert record.rec_headers["WARC-Record-ID"] == item["warc"]["record_id"]


def _crawler(jobdir):
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(scrapy.Spider, {"JOBDIR": str(jobdir), "PENDING_ON_DISK": True})
    crawler.spider = scrapy.Spider("unit")
    return crawler


def test_a_pending_warc_record_stays_in_memory_and_comes_back_itself(tmp_path):
    frontier = DiskFrontier.of(_crawler(tmp_path))
    record = PendingRecord("<urn:uuid:1>", Future())  # still being written
    row = frontier.store(scrapy.Request("http://a.gov.cn/1_1.html", meta={WARC_RECORD: record}))
    assert row is not None and frontier.held[row] == [record]
    frontier.load(row, keep=True)  # a peek keeps it
    assert frontier.load(row).meta[WARC_RECORD] is record  # the very object
    assert frontier.held == {}  # nothing kept for a row that is gone


def test_a_waiting_draft_is_parked_in_the_file_and_comes_back_with_its_record(tmp_path):
    store = DraftStore(DiskFrontier.of(_crawler(tmp_path)))
    record = PendingRecord("<urn:uuid:1>", Future())  # still being written
    draft = ReportDraft(url="http://a.gov.cn/1.html", agency_id="a", title="t",
                        content_type="text/html", record=record)
    draft.add_page(b"<html>page one</html>")
    key = store.put(draft)  # it waits: its page compressed, the draft in the file
    assert store.frontier is not None and store.frontier.parked_held == {1: [record]}
    assert draft.packed and not draft.fresh
    again = store.take(key)
    assert again is not None and again is not draft and again.record is record
    assert again.pages() == [b"<html>page one</html>"]
    assert store.take(key) is None and len(store) == 0
    assert store.frontier.parked_held == {}


def test_fingerprints_the_file_cannot_take_are_kept_in_memory(tmp_path, caplog):
    dupefilter = RunDupeFilter.from_crawler(_crawler(tmp_path))
    first = scrapy.Request("http://a.gov.cn/1.html")
    assert dupefilter.request_seen(first) is False and dupefilter.request_seen(first) is True
    assert dupefilter.kept == set()  # in the file
    dupefilter.frontier.db.close()  # the file takes no more
    other = scrapy.Request("http://a.gov.cn/2.html")
    assert dupefilter.request_seen(other) is False and dupefilter.request_seen(other) is True
    assert len(dupefilter.kept) == 1
    assert caplog.text.count("Kept in memory, not in the frontier file") == 1  # said once


def test_a_waiting_drafts_real_report_pages_are_compressed_and_come_back_whole():
    pages = [path.read_bytes() for path in sorted(FIXTURES.glob("*report*.html"))]
    draft = ReportDraft(url="http://a.gov.cn/1.html", agency_id="a", title="t",
                        content_type="text/html")
    for page in pages:
        draft.add_page(page)
    draft.pack()
    assert len(pages) > 3 and draft.fresh == []
    assert sum(map(len, draft.packed)) < sum(map(len, pages)) / 2
    assert draft.pages() == pages
