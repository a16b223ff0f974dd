"""Extraction workers: one that dies is replaced and its document read again; time and
memory limits fail one document alone; an extractor's error arrives as itself."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import time
from pathlib import Path

import pytest
from itemadapter import ItemAdapter

from crawler.extract import extract_pages
from crawler.extract import pool as pool_module
from crawler.extract.pool import ExtractionFailed, ExtractionPool
from crawler.items import ReportItem
from tests.conftest import FIXTURES, demo_reports
from tests.test_extract_real_cells import scanned
from tests.test_resume import DemoWebWithKiller, children, start, url_of

SCAN = scanned((FIXTURES / "hongze-qzf-2024-report.pdf").read_bytes(), dpi=100)
PDF = (FIXTURES / "hongze-qzf-2024-report.pdf").read_bytes()


def cpu_seconds(pid: int) -> float:
    """CPU time the process used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def workers(pid: int) -> list[int]:
    return [child for child in children(pid)
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()]


SCANNED = "http://jtt.jiangxi.gov.cn/xxgk/ndbg/files/2023nb73111844.pdf"


class ScanServed(DemoWebWithKiller):
    """The demo web where one report published as a PDF is a scan: OCR keeps a worker
    busy for seconds, and other documents come after it."""

    def reply(self, request):
        reply = super().reply(request)
        if url_of(request) == SCANNED:
            reply.body = SCAN
        return reply


@pytest.mark.slow
def test_a_worker_killed_mid_document_is_replaced_and_the_document_read_again(tmp_path):
    out = tmp_path / "out"
    with ScanServed() as web:
        web.kill_on, web.kill_after = (lambda url, n: url == SCANNED), None  # only noted
        crawl = web.crawl = start(web, out)
        assert web.killed.wait(120)
        killed = None
        deadline = time.monotonic() + 120
        while killed is None and time.monotonic() < deadline and crawl.poll() is None:
            busy = {pid: cpu_seconds(pid) for pid in workers(crawl.pid)}
            time.sleep(1.0)
            for pid, before in busy.items():
                if cpu_seconds(pid) - before > 0.5:  # reading something right now
                    os.kill(pid, signal.SIGKILL)
                    killed = pid
        assert killed, "no worker was ever busy"
        assert crawl.wait(timeout=600) == 1  # the demo's incomplete agencies, nothing else
        log = sorted(out.glob("crawl-*.log"))[-1].read_text("utf-8")
    [died] = re.findall(r"The extraction worker died reading (\S+); reading it again", log)
    summary = json.loads((out / "items.summary.json").read_text("utf-8"))
    assert summary["extraction"] == {"failures": 0, "workers_replaced": 1}
    items = {item["url"]: item for item in _items(out)}
    assert set(items) == set(demo_reports())  # every document after the death too
    unread = [u for u, i in items.items() if any("extraction failed" in w for w in i["warnings"])]
    assert unread == []
    named = [i for i in items.values() if i["url"] == died or died in
             {a["url"] for a in i["attachments"]}]
    assert named and named[0]["year"]  # the document it was reading, read in full again


def _items(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "items.jsonl").read_text("utf-8").splitlines()]


# -------------------------------------------------------------- the pool itself
def read(pool: ExtractionPool, body: bytes, url: str = "http://a.gov.cn/r.pdf"):
    return asyncio.run(_read_closing(pool, body, url))


async def _read_closing(pool, body, url):
    try:
        return await pool.read(body, url, "application/pdf")
    finally:
        pool.close()


@pytest.mark.slow
def test_a_document_over_the_time_limit_fails_alone():
    pool = ExtractionPool(1, timeout=1.0)

    async def both():
        try:
            with pytest.raises(ExtractionFailed, match=r"took longer than 1 s"):
                await pool.read(SCAN, "http://a.gov.cn/scan.pdf", "application/pdf")
            return await pool.read(PDF, "http://a.gov.cn/r.pdf", "application/pdf")
        finally:
            pool.close()

    item = asyncio.run(both())
    assert item.year == 2024 and item.requests  # a fresh worker read the next one


@pytest.mark.slow
def test_a_document_over_the_memory_limit_fails_alone():
    """OCR wants ~1-2 GiB; under 150 MiB of address space its libraries cannot even
    load: the scan fails with a reason (the worker dies, or OCR says it cannot load),
    and the next document reads in full."""
    pool = ExtractionPool(1, memory_limit=150 * 1024**2)

    async def both():
        try:
            try:
                scan = await pool.read(SCAN, "http://a.gov.cn/scan.pdf", "application/pdf")
            except ExtractionFailed as exc:
                why = str(exc)
            else:
                why = " ".join(scan.warnings)
            return why, await pool.read(PDF, "http://a.gov.cn/r.pdf", "application/pdf")
        finally:
            pool.close()

    why, item = asyncio.run(both())
    assert ("died reading it, twice" in why or "OCR could not be loaded" in why), why
    assert item.year == 2024 and item.requests


def test_an_extractor_error_arrives_as_its_type_and_message(monkeypatch):
    class Unpicklable(Exception):
        def __reduce__(self):
            raise TypeError("cannot pickle 'lxml.etree._Element' object")

    def broken(*args):
        raise Unpicklable("the PDF's cross-reference table is missing")

    monkeypatch.setattr(pool_module, "extract", broken)
    outcome = pool_module._work(False, b"%PDF-", "http://a.gov.cn/r.pdf", None)
    with pytest.raises(ExtractionFailed) as failed:
        pool_module._result(outcome)
    assert str(failed.value) == "Unpicklable: the PDF's cross-reference table is missing"


def test_a_broken_document_read_by_a_worker_says_what_is_wrong():
    item = read(ExtractionPool(1), b"%PDF-1.7\n1 0 obj <<\nthis is not a PDF")
    assert item.warnings and "pickle" not in " ".join(item.warnings)


def test_pages_go_to_an_idle_worker_and_stay_inline_when_every_worker_is_busy(monkeypatch):
    pool = ExtractionPool(1, inline_max=1000)
    sent = []
    monkeypatch.setattr(pool, "_run", lambda *args: sent.append(args) or _done())
    page = b"<html><body><p>" + b"x" * 2000 + b"</p></body></html>"
    small = [page[:900]]
    asyncio.run(pool.read_pages(small, "http://a.gov.cn/r.html", "text/html"))
    assert len(sent) == 1 and sent[0][0] is True  # no worker started yet: one is idle
    pool._idle = asyncio.Queue()
    pool._idle.put_nowait(pool._workers[0])
    asyncio.run(pool.read_pages(small, "http://a.gov.cn/r.html", "text/html"))
    assert len(sent) == 2  # the worker waits in the idle queue: it reads the page
    pool._idle = asyncio.Queue()  # the one worker is out of the idle queue: busy
    asyncio.run(pool.read_pages(small, "http://a.gov.cn/r.html", "text/html"))
    assert len(sent) == 2  # read inline, not queued behind the worker's document
    asyncio.run(pool.read_pages([page], "http://a.gov.cn/r.html", "text/html"))
    assert len(sent) == 3  # large: always a worker's
    for inline_only in (ExtractionPool(0, inline_max=1000),
                        ExtractionPool(1, inline_max=1000, pages_when_idle=False)):
        monkeypatch.setattr(inline_only, "_run", lambda *args: sent.append(args) or _done())
        asyncio.run(inline_only.read_pages(small, "http://a.gov.cn/r.html", "text/html"))
    assert len(sent) == 3


def test_a_document_waiting_for_the_worker_goes_before_pages_that_come_after_it():
    """The worker handed back is the waiting document's, though the document only runs
    on a later turn of the loop: pages meanwhile are read inline."""
    pool = ExtractionPool(1)
    order = []

    async def fake_in(worker, args):
        order.append(args[2])
        await asyncio.sleep(0.01)
        return ReportItem(url=args[2])

    pool._in = fake_in
    page = (FIXTURES / "pingtan-gwh-2021-report.html").read_bytes()

    async def crawl():
        first = asyncio.create_task(pool.read(b"%PDF", "http://a.gov.cn/1.pdf", None))
        await asyncio.sleep(0)
        second = asyncio.create_task(pool.read(b"%PDF", "http://a.gov.cn/2.pdf", None))
        await asyncio.sleep(0)
        pages = []
        while not second.done() and len(pages) < 50:  # pages keep coming meanwhile
            pages.append(asyncio.create_task(
                pool.read_pages([page], f"http://a.gov.cn/{len(pages)}.html", "text/html")))
            await asyncio.sleep(0.002)
        await asyncio.gather(first, second, *pages)

    asyncio.run(crawl())
    assert order[:2] == ["http://a.gov.cn/1.pdf", "http://a.gov.cn/2.pdf"]


def test_a_page_read_by_a_worker_gives_the_item_read_inline():
    page = (FIXTURES / "pingtan-gwh-2021-report.html").read_bytes()
    url = "http://a.gov.cn/r.html"
    pool = ExtractionPool(1)

    async def in_worker():
        try:
            item = await pool.read_pages([page], url, "text/html")
            assert pool._workers[0].executor is not None  # a worker process read it
            return item
        finally:
            pool.close()

    item = asyncio.run(in_worker())
    assert pool.replaced == 0 and item.requests and item.year == 2021
    assert ItemAdapter(item).asdict() == ItemAdapter(extract_pages([page], url, "text/html")
                                                     ).asdict()


def test_pages_are_read_inline_when_no_worker_can_start(monkeypatch, caplog):
    pool = ExtractionPool(1)

    async def cannot_start():
        raise pool_module.WorkerUnavailable("the worker did not start in 120 s")

    monkeypatch.setattr(pool._workers[0], "start", cannot_start)
    page = (FIXTURES / "pingtan-gwh-2021-report.html").read_bytes()
    items = [asyncio.run(pool.read_pages([page], "http://a.gov.cn/r.html", "text/html"))
             for _ in range(2)]
    assert all(item.requests and not item.warnings for item in items)
    said = [r for r in caplog.records if "read in the crawl's process" in r.getMessage()]
    assert len(said) == 1 and "did not start" in said[0].getMessage()


async def _done():
    return None


@pytest.mark.slow
def test_one_slow_document_holds_no_other_back():
    """A scan read by OCR keeps the one worker busy for seconds; the document after it is
    read by one more worker, started once the first has been on the scan ``slow``
    seconds, and comes back first; the extra worker is retired once nothing waits."""
    pool = ExtractionPool(1, slow=0.5, extra=1)
    done: list[str] = []

    async def crawl():
        async def read(name, body):
            item = await pool.read(body, f"http://a.gov.cn/{name}.pdf", "application/pdf")
            done.append(name)
            return item

        scan = asyncio.create_task(read("scan", SCAN))
        await asyncio.sleep(0.2)
        report = await read("report", PDF)
        await scan
        return report

    try:
        report = asyncio.run(crawl())
    finally:
        pool.close()
    assert report.year == 2024 and report.requests
    assert done == ["report", "scan"]  # not behind the scan
    assert len(pool._workers) == 1  # the extra one retired, its memory given back
