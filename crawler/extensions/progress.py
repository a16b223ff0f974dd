"""Progress of a long crawl, one log line every few seconds: agencies done of all,
requests, reports, revisits, revisions, errors by kind as they happen, the requests
pending and an ETA from the frontier, read from the agencies' accounts
(``crawler.agencies.account``): an agency is done when it has started and none of its
requests is outstanding (``crawler.extensions.accounts`` keeps them).
Every ``CRAWL_PROGRESS`` seconds; by default 5 at a terminal and 60 otherwise (a
scheduled crawl's log stays readable); 0 for none. ``count_progress`` is what the
line says, also written to the crawl's ``status.json`` (``crawler.extensions.status``).
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scrapy import signals
from twisted.internet import task

from ..agencies import CrawlAgencies
from ..pipelines.changes import Revisions
from ..shared import shared

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

__all__ = ["CrawlProgress", "Progress", "Rate", "count_progress", "finished_requests",
           "pending_requests"]

logger = logging.getLogger(__name__)
RATE_WINDOW = 60.0  # seconds of finished requests the rate (and the ETA) is taken over


@dataclass(frozen=True)
class Progress:
    done: int  # agencies started with nothing outstanding
    agencies: int
    requests: int  # sent to the downloader (Scrapy's count)
    revisits: int
    reports: int  # items, from the accounts
    revised: int
    errors: Counter[str]  # requests refused or lost, reports cut short, by kind


def count_progress(agencies: CrawlAgencies, stats: StatsCollector,
                   revisions: Revisions) -> Progress:
    """Where the crawl is, from the accounts (never re-counted from the stats' keys)."""
    accounts = agencies.accounts()
    errors: Counter[str] = Counter()
    for account in accounts:
        errors.update(account.errors())
    return Progress(done=sum(1 for account in accounts if account.done),
                    agencies=len(accounts),
                    requests=stats.get_value("downloader/request_count", 0),
                    revisits=stats.get_value("revisit/records", 0),
                    reports=sum(account.report_count for account in accounts),
                    revised=len(revisions.revised), errors=errors)


class Rate:
    """Requests finished per second over the last ``RATE_WINDOW`` seconds."""

    def __init__(self) -> None:
        self._samples: deque[tuple[float, int]] = deque()

    def add(self, now: float, finished: int) -> float | None:
        self._samples.append((now, finished))
        while len(self._samples) > 2 and now - self._samples[1][0] >= RATE_WINDOW:
            self._samples.popleft()
        start, before = self._samples[0]
        return (finished - before) / (now - start) if now > start else None


def finished_requests(stats: StatsCollector) -> int:
    return int(stats.get_value("downloader/response_count", 0)
               + stats.get_value("downloader/exception_count", 0))


def pending_requests(crawler: Crawler) -> tuple[int, int]:
    """Requests waiting in the scheduler, and in the downloader (0 before the engine
    runs or after it closed)."""
    engine = crawler.engine
    if engine is None:
        return 0, 0
    scheduler = engine.scheduler
    queued = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
    return queued, len(engine.downloader.active)


def _eta(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


class CrawlProgress:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        assert crawler.stats is not None
        self.crawler, self.stats = crawler, crawler.stats
        self._rate = Rate()
        self.agencies = CrawlAgencies.of(crawler)
        self.revisions = shared(crawler, Revisions)
        self.interval = interval
        self._tick: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        interval = crawler.settings.get("CRAWL_PROGRESS")
        if interval is None:
            interval = 5 if sys.stderr.isatty() else 60
        progress = cls(crawler, float(interval))
        crawler.signals.connect(progress.opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.closed, signal=signals.spider_closed)
        return progress

    def opened(self, spider: Spider) -> None:
        if self.interval > 0:
            self._tick = task.LoopingCall(self.log)
            self._tick.start(self.interval, now=False)

    def closed(self, spider: Spider) -> None:
        if self._tick is not None and self._tick.running:
            self._tick.stop()
            self.log()  # the last word: every agency done, unless the crawl was stopped

    def log(self) -> None:
        """The line: errors by kind as they happen (the three most frequent), and while
        requests are pending, how many and an ETA at the last minute's rate (a lower
        bound: pages not yet found are not counted)."""
        now = count_progress(self.agencies, self.stats, self.revisions)
        kinds = ", ".join(f"{n} {kind}" for kind, n in now.errors.most_common(3))
        queued, downloading = pending_requests(self.crawler)
        rate = self._rate.add(time.monotonic(), finished_requests(self.stats))
        pending = queued + downloading
        eta = f", {pending} pending, ETA {_eta(pending / rate)}" if pending and rate else ""
        logger.info("Progress: %d/%d agencies done, %d requests (%d revisits), %d reports "
                    "(%d revised), %d errors%s%s", now.done, now.agencies, now.requests,
                    now.revisits, now.reports, now.revised, sum(now.errors.values()),
                    f" ({kinds})" if kinds else "", eta)
