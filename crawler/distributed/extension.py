"""The Scrapy side of a distributed crawl: agencies claimed from the frontier, crawled,
given back; a heartbeat that keeps the lease; dead workers' agencies taken back.

Each worker pushes the registry's selection into the frontier (agencies already
known to the crawl are not added twice), then claims ``FRONTIER_CLAIM`` agencies a
tick (every second) while it has fewer than ``FRONTIER_CAPACITY`` in hand, and
starts each. When it runs dry (``spider_idle``: nothing scheduled, downloading or
being processed) everything it claimed is crawled to the end: it marks them done,
takes back the agencies of workers whose heartbeat stopped, and claims more. It
closes once nothing is pending and no live worker holds an agency (a live one may
still find departments, or die and leave its agencies to the others).

Redis calls are a few milliseconds each, made on the event loop (redis-py is
synchronous, and there are a handful a second).

Settings: ``REDIS_URL``; ``FRONTIER`` (the crawl's name, default
``<spider>:<UTC date>``: workers started the same day share it); ``FRONTIER_TTL``
(seconds a dead worker keeps its lease, default 30); ``FRONTIER_CLAIM`` (16);
``FRONTIER_CAPACITY`` (512).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet.task import LoopingCall

from ..registry import Agency
from . import is_distributed, reach
from .frontier import AgencyFrontier

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

__all__ = ["DistributedCrawl"]

logger = logging.getLogger(__name__)


def _agency(entry: dict[str, Any]) -> Agency:
    return Agency(**{**entry, "allowed_domains": tuple(entry["allowed_domains"])})


class DistributedCrawl:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.worker = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(2)}"
        self.claim_size = settings.getint("FRONTIER_CLAIM")
        self.capacity = settings.getint("FRONTIER_CAPACITY")
        self.in_hand = 0
        self.frontier: AgencyFrontier | None = None
        self.redis: Any = None
        self.ticks = LoopingCall(self._tick)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedCrawl:
        if not is_distributed(crawler.settings):
            raise NotConfigured("no REDIS_URL: this process crawls every agency itself")
        extension = cls(crawler)
        extension.redis = reach(crawler.settings["REDIS_URL"])
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        settings = self.crawler.settings
        today = time.strftime("%Y-%m-%d", time.gmtime())
        name = settings.get("FRONTIER") or f"{spider.name}:{today}"
        self.frontier = AgencyFrontier(self.redis, name, self.worker,
                                       settings.getfloat("FRONTIER_TTL"))
        self.frontier.beat()
        spider.joins = self.joins  # type: ignore[attr-defined]  # the spider asks it
        selection = spider.arguments.agencies  # type: ignore[attr-defined]
        added = self.frontier.add(asdict(a) for a in selection)
        logger.info("Worker %s in crawl %s (Redis %s): %d agencies added to the frontier, "
                    "%d pending", self.worker, name, settings["REDIS_URL"], len(added),
                    self.frontier.pending())
        self.crawler.stats.set_value("distributed/worker", self.worker)
        self.ticks.start(1.0, now=True)

    def _tick(self) -> None:
        assert self.frontier is not None
        self.frontier.beat()
        room = min(self.claim_size, self.capacity - self.in_hand)
        if room > 0:
            self._start(self.frontier.claim(room))

    def _start(self, entries: list[dict[str, Any]]) -> int:
        spider, engine = self.crawler.spider, self.crawler.engine
        assert spider is not None and engine is not None
        for entry in entries:
            engine.crawl(spider.start_agency(_agency(entry)))  # type: ignore[attr-defined]
        self.in_hand += len(entries)
        self.crawler.stats.inc_value("distributed/agencies_claimed", len(entries))
        return len(entries)

    def joins(self, agency: Agency) -> bool:
        """A department found here joins the crawl with its portal, unless the registry
        or another portal has it."""
        assert self.frontier is not None
        return self.frontier.department(agency.id, agency.parent or "")

    def spider_idle(self, spider: Spider) -> None:
        assert self.frontier is not None
        done = self.frontier.finish()
        self.in_hand = 0
        if done:
            logger.info("Worker %s finished %d agencies", self.worker, len(done))
        returned = self.frontier.reclaim()
        if returned:
            logger.warning("Took back %d agencies of workers that stopped: %s", len(returned),
                           ", ".join(returned))
            self.crawler.stats.inc_value("distributed/agencies_reclaimed", len(returned))
        if self._start(self.frontier.claim(self.claim_size)) or self.frontier.busy_elsewhere():
            raise DontCloseSpider

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.ticks.running:
            self.ticks.stop()
        if self.frontier is not None:
            if reason == "finished":
                self.frontier.finish()
            self.frontier.leave()  # an interrupted worker's agencies go back at once
            if reason != "finished":
                self.frontier.reclaim_own()
