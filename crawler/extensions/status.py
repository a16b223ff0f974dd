"""The crawl's status while it runs, machine-readable: ``status.json``.

Where: beside the crawl summary and named after it (``-O var/zj/items.jsonl`` writes
``var/zj/items.summary.json`` at the end and ``var/zj/items.status.json`` meanwhile;
without a local feed ``var/summary-<run id>.json`` and ``var/status-<run id>.json``),
or ``CRAWL_STATUS_FILE``. The summary's place is already the one a reader knows (it
follows their own feed) and no two runs share it; ``JOBDIR`` is optional, and
``WARC_DIR`` is a collection that many runs and workers write into at once.

Rewritten every ``CRAWL_STATUS`` seconds (5; 0 for none), whole: written beside it
under a temporary name and renamed over it (``os.replace``), so a reader never sees
half of it. A few kilobytes, not synced: it is a view of the crawl, not a record of
it, so it is written on the event loop like a log line. It holds what the progress
line says (``crawler.extensions.progress.count_progress``: the agencies' accounts),
the errors by kind, the frontier (requests queued and downloading), the rate of
finished requests over the last minute and an ETA (pending ÷ rate: requests found
later are not in it, so while the crawl still finds pages it is a lower bound), and,
once the summary is stored, the outcome (reason, exit code, the summary's words).
``gov-archive status`` prints it for people.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from ..agencies import CrawlAgencies
from ..pipelines.changes import Revisions
from ..run import Run, summary_path
from ..run.closing import Closing
from ..shared import shared
from .progress import Rate, count_progress, finished_requests, pending_requests
from .statusfile import replace_json, status_path

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

__all__ = ["CrawlStatus"]

logger = logging.getLogger(__name__)


class CrawlStatus:
    def __init__(self, crawler: Crawler, path: Path, summary: Path, interval: float) -> None:
        assert crawler.stats is not None
        self.crawler, self.stats = crawler, crawler.stats
        self.agencies = CrawlAgencies.of(crawler)
        self.revisions = shared(crawler, Revisions)
        self.closing = Closing.of(crawler)
        self.run = Run.of(crawler)
        self.path, self.summary, self.interval = path, summary, interval
        self._rate = Rate()
        self._started = time.monotonic()
        self._started_at = datetime.now(UTC)
        self._tick: task.LoopingCall | None = None
        self._failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlStatus:
        interval = crawler.settings.getfloat("CRAWL_STATUS", 5)
        if interval <= 0:
            raise NotConfigured("CRAWL_STATUS=0: no status file")
        summary = summary_path(crawler.settings, Run.of(crawler))
        path = Path(crawler.settings.get("CRAWL_STATUS_FILE") or status_path(summary))
        status = cls(crawler, path, summary, interval)
        crawler.signals.connect(status.opened, signal=signals.spider_opened)
        crawler.signals.connect(status.closed, signal=signals.spider_closed)
        return status

    def opened(self, spider: Spider) -> None:
        self._started, self._started_at = time.monotonic(), datetime.now(UTC)
        self._tick = task.LoopingCall(self.write)
        # a fault that stops the loop is said, not left for `status` to call the crawl dead
        self._tick.start(self.interval, now=True).addErrback(
            lambda failure: logger.error("The crawl status is no longer written to %s: %s",
                                         self.path, failure.getTraceback()))

    async def closed(self, spider: Spider, reason: str) -> None:
        """The last word, once the summary has decided the outcome and stored it."""
        if self._tick is not None and self._tick.running:
            self._tick.stop()
        await self.closing.wait()
        self.write({"reason": reason, "exit_code": self.stats.get_value("crawl/exit_code"),
                    "outcome": self.stats.get_value("crawl/outcome")})

    def write(self, outcome: dict[str, Any] | None = None) -> None:
        """The status as of now, replacing the last one whole."""
        try:
            replace_json(self.path, self.document(outcome))
        except OSError as exc:
            self.stats.inc_value("status/write_errors")
            if not self._failed:
                self._failed = True
                logger.warning("The crawl status could not be written to %s: %s", self.path,
                               exc)

    def document(self, outcome: dict[str, Any] | None = None) -> dict[str, Any]:
        now = count_progress(self.agencies, self.stats, self.revisions)
        queued, downloading = pending_requests(self.crawler)
        rate = self._rate.add(time.monotonic(), finished_requests(self.stats))
        eta = round((queued + downloading) / rate) if rate and outcome is None else None
        return {
            "state": "running" if outcome is None else "finished",
            "run_id": self.run.id, "attempt": self.run.attempt,
            "spider": self.crawler.spider.name if self.crawler.spider else None,
            "pid": os.getpid(), "host": socket.gethostname(),
            "started": _iso(self._started_at), "updated": _iso(datetime.now(UTC)),
            "elapsed_seconds": round(time.monotonic() - self._started, 1),
            "interval_seconds": self.interval,
            "agencies": {"done": now.done, "total": now.agencies},
            "requests": now.requests, "revisits": now.revisits,
            "reports": now.reports, "revised": now.revised,
            "errors": {"total": sum(now.errors.values()),
                       "by_kind": dict(now.errors.most_common())},
            "pending": {"queued": queued, "downloading": downloading},
            "rate_per_second": round(rate, 2) if rate is not None else None,
            "eta_seconds": eta,
            "summary": str(self.summary),
            "outcome": outcome,
        }


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
