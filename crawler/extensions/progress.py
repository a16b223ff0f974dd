"""Progress of a long crawl, one log line every few seconds: agencies done of all,
requests, reports, revisits, revisions, errors, read from the agencies' accounts
(``crawler.agencies.account``): an agency is done when none of its requests is
outstanding (``crawler.extensions.accounts`` keeps them).
Every ``CRAWL_PROGRESS`` seconds; by default 5 at a terminal and 60 otherwise (a
scheduled crawl's log stays readable); 0 for none.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from scrapy import signals
from twisted.internet import task

from ..agencies import CrawlAgencies
from ..pipelines.changes import Revisions
from ..shared import shared

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

__all__ = ["CrawlProgress"]

logger = logging.getLogger(__name__)


class CrawlProgress:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
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

    def done(self) -> int:
        return sum(1 for account in self.agencies.accounts() if not account.outstanding)

    def opened(self, spider: Spider) -> None:
        if self.interval > 0:
            self._tick = task.LoopingCall(self.log)
            self._tick.start(self.interval, now=False)

    def closed(self, spider: Spider) -> None:
        if self._tick is not None and self._tick.running:
            self._tick.stop()
            self.log()  # the last word: every agency done, unless the crawl was stopped

    def log(self) -> None:
        accounts = self.agencies.accounts()
        logger.info("Progress: %d/%d agencies done, %d requests (%d revisits), %d reports "
                    "(%d revised), %d errors", self.done(), len(accounts),
                    self.stats.get_value("downloader/request_count", 0),
                    self.stats.get_value("revisit/records", 0),
                    sum(a.report_count for a in accounts), len(self.revisions.revised),
                    sum(sum(a.errors().values()) for a in accounts))
