"""Progress of a long crawl, one log line every few seconds: agencies done of all,
requests, reports, revisits, revisions, errors.

An agency is done when none of its requests is outstanding: each one the spider
schedules gets a token (a redirect or a retry copies it: the same request goes
on) that ends, once, with its final response, its errback or the duplicate
filter dropping it.
Every ``CRAWL_PROGRESS`` seconds; by default 5 at a terminal and 60 otherwise (a
scheduled crawl's log stays readable); 0 for none.
"""

from __future__ import annotations

import itertools
import logging
import sys
from typing import TYPE_CHECKING, Any

from scrapy import signals
from twisted.internet import task

from ..agencies import CrawlAgencies
from ..meta import AGENCY
from ..pipelines.changes import Revisions
from ..shared import shared
from ..signals import request_failed

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["CrawlProgress"]

logger = logging.getLogger(__name__)
_TOKEN = "progress_token"


class CrawlProgress:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.agencies = CrawlAgencies.of(crawler)
        self.revisions = shared(crawler, Revisions)
        self.interval = interval
        self.outstanding: dict[str, set[int]] = {}  # agency -> tokens of requests in flight
        self._tokens = itertools.count()
        self._tick: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        interval = crawler.settings.get("CRAWL_PROGRESS")
        if interval is None:
            interval = 5 if sys.stderr.isatty() else 60
        progress = cls(crawler, float(interval))
        for handler, signal in ((progress.scheduled, signals.request_scheduled),
                                (progress.received, signals.response_received),
                                (progress.dropped, signals.request_dropped),
                                (progress.failed, request_failed),
                                (progress.opened, signals.spider_opened),
                                (progress.closed, signals.spider_closed)):
            crawler.signals.connect(handler, signal=signal)
        return progress

    def scheduled(self, request: Request, spider: Spider) -> None:
        agency = request.meta.get(AGENCY)
        if agency and _TOKEN not in request.meta:
            request.meta[_TOKEN] = token = next(self._tokens)
            self.outstanding.setdefault(agency, set()).add(token)

    def received(self, response: Response, request: Request, spider: Spider) -> None:
        self._ended(request)

    def failed(self, request: Request) -> None:
        self._ended(request)

    def dropped(self, request: Request, spider: Spider) -> None:
        self._ended(request)  # Scrapy signals "scheduled" before its duplicate filter

    def _ended(self, request: Request) -> None:
        agency = request.meta.get(AGENCY)
        if agency in self.outstanding:
            self.outstanding[agency].discard(request.meta.get(_TOKEN, -1))

    def done(self) -> int:
        return sum(1 for tokens in self.outstanding.values() if not tokens)

    def opened(self, spider: Spider) -> None:
        if self.interval > 0:
            self._tick = task.LoopingCall(self.log)
            self._tick.start(self.interval, now=False)

    def closed(self, spider: Spider) -> None:
        if self._tick is not None and self._tick.running:
            self._tick.stop()
            self.log()  # the last word: every agency done, unless the crawl was stopped

    def log(self) -> None:
        stats: dict[str, Any] = self.stats.get_stats()
        reports = sum(v for k, v in stats.items() if k.startswith("agency/")
                      and "/reports/" in k and isinstance(v, int))
        errors = sum(v for k, v in stats.items() if k.startswith("agency/")
                     and "/errors/" in k and isinstance(v, int))
        logger.info("Progress: %d/%d agencies done, %d requests (%d revisits), %d reports "
                    "(%d revised), %d errors", self.done(), len(self.agencies),
                    stats.get("downloader/request_count", 0), stats.get("revisit/records", 0),
                    reports, len(self.revisions.revised), errors)
