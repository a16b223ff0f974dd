"""The Scrapy side of a distributed crawl: agencies claimed from the frontier, crawled,
given back; a heartbeat that keeps the lease; dead workers' agencies taken back; a
Redis outage waited out.

Each worker pushes the registry's selection into the frontier (agencies already
known to the crawl are not added twice), then claims ``FRONTIER_CLAIM`` agencies a
tick (every second) while it has fewer than ``FRONTIER_CAPACITY`` in hand, and
starts each. When it runs dry (``spider_idle``: nothing scheduled, downloading or
being processed) everything it claimed is crawled to the end: it marks them done
(with their statuses, from their accounts), takes back the agencies of workers whose
heartbeat stopped, and claims more. It closes once nothing is pending and no live
worker holds an agency (a live one may still find departments, or die and leave its
agencies to the others), and says in its summary whether the whole crawl is done
(``crawler.run.outcome.FrontierState``): a worker exits 0 only then.

Redis down (``crawler.distributed.outage``): the tick tries once and waits for the
next (never sleeping on the event loop), the worker does not close while Redis cannot
say the crawl is done, and the crawl goes on with the agencies in hand. Redis back
without its data (a restart without persistence): the worker puts back what it knows
(``AgencyFrontier.restore``): its agencies in hand, those it finished, its selection.

Redis calls are a few milliseconds each, made on the event loop (redis-py is
synchronous, and there are a handful a second).

Settings: ``REDIS_URL``; ``FRONTIER`` (the crawl's name, default
``<spider>:<UTC date>``: workers started the same day share it); ``FRONTIER_TTL``
(seconds a dead worker keeps its lease, default 30); ``FRONTIER_CLAIM`` (16);
``FRONTIER_CAPACITY`` (512); ``REDIS_OUTAGE_MAX`` (seconds to wait for Redis, 600).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet.task import LoopingCall

from ..agencies import Agency, CrawlAgencies
from ..discovery.status import agency_status
from ..run.closing import Closing
from ..run.outcome import FrontierState
from ..shared import shared
from . import is_distributed, reach
from .frontier import AgencyFrontier
from .outage import Outage, backoff

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

__all__ = ["DistributedCrawl"]

logger = logging.getLogger(__name__)
T = TypeVar("T")


def _agency(entry: dict[str, Any]) -> Agency:
    return Agency(**{**entry, "allowed_domains": tuple(entry["allowed_domains"])})


class DistributedCrawl:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.worker = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(2)}"
        self.claim_size = settings.getint("FRONTIER_CLAIM")
        self.capacity = settings.getint("FRONTIER_CAPACITY")
        self.outage = Outage.of(settings["REDIS_URL"], settings.getfloat("REDIS_OUTAGE_MAX"))
        self.agencies = CrawlAgencies.of(crawler)
        self.state = shared(crawler, FrontierState)
        self.state.distributed = True
        self.closing = Closing.of(crawler)
        self.closing.expect("frontier")
        self.in_hand: dict[str, dict[str, Any]] = {}  # claimed, not yet finished
        self.finished: set[str] = set()  # finished by this worker
        self.selection: list[dict[str, Any]] = []
        self.frontier: AgencyFrontier | None = None
        self.redis: Any = None
        self.ticks = LoopingCall(self._tick)
        self._next_try = 0.0
        self._tries = 0

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
        self.selection = [asdict(a) for a in spider.arguments.agencies]  # type: ignore[attr-defined]
        added = self.frontier.add(self.selection)
        logger.info("Worker %s in crawl %s (Redis %s): %d agencies added to the frontier, "
                    "%d pending", self.worker, name, settings["REDIS_URL"], len(added),
                    self.frontier.pending())
        self.crawler.stats.set_value("distributed/worker", self.worker)
        self.ticks.start(1.0, now=True)

    # -------------------------------------------------------------- Redis calls
    def _try(self, what: str, call: Callable[[], T]) -> T | None:
        """``call()`` once, or None while Redis is out (said once; the next try waits
        its backoff). Never raises: a heartbeat that raised would stop for good."""
        if time.monotonic() < self._next_try:
            return None
        try:
            result = call()
        except self.outage.errors as exc:
            self.outage.failed(what, exc)
            self._next_try = time.monotonic() + backoff(self._tries)
            self._tries += 1
            return None
        except Exception:  # a bug must not stop the heartbeat: said, tried again
            logger.exception("Distributed crawl: %s failed", what)
            return None
        self._tries = 0
        self.outage.ok()
        return result

    def _tick(self) -> None:
        self._try("heartbeat", self._beat_and_claim)

    def _beat_and_claim(self) -> None:
        assert self.frontier is not None
        self.frontier.beat()
        if self.frontier.lost():
            self._restore()
        room = min(self.claim_size, self.capacity - len(self.in_hand))
        if room > 0:
            self._start(self.frontier.claim(room))

    def _restore(self) -> None:
        assert self.frontier is not None
        added = self.frontier.restore(self.selection, self.in_hand.values(), self.finished)
        logger.warning("Redis lost the frontier (restarted without its data): put back %d "
                       "agencies in hand, %d finished, %d pending again", len(self.in_hand),
                       len(self.finished), len(added))
        self.crawler.stats.inc_value("distributed/frontier_restored")

    def _start(self, entries: list[dict[str, Any]]) -> int:
        spider, engine = self.crawler.spider, self.crawler.engine
        assert spider is not None and engine is not None
        for entry in entries:
            self.in_hand[entry["id"]] = entry
            engine.crawl(spider.start_agency(_agency(entry)))  # type: ignore[attr-defined]
        self.crawler.stats.inc_value("distributed/agencies_claimed", len(entries))
        return len(entries)

    def joins(self, agency: Agency) -> bool:
        """A department found here joins the crawl with its portal, unless the registry
        or another portal has it (while Redis is out: it does, it is not lost)."""
        assert self.frontier is not None
        frontier = self.frontier
        answer = self._try("department", lambda: frontier.department(agency.id,
                                                                      agency.parent or ""))
        return True if answer is None else answer

    # ----------------------------------------------------------------- idle, close
    def spider_idle(self, spider: Spider) -> None:
        keep_open = self._try("idle", self._idle)
        if keep_open is None and self.outage.over():
            logger.error("Redis %s has been out for over REDIS_OUTAGE_MAX; closing with the "
                         "agencies in hand crawled: the crawl's frontier is unknown",
                         self.outage.url)
            return
        if keep_open is None or keep_open:
            raise DontCloseSpider  # more to do, or Redis cannot say whether there is

    def _idle(self) -> bool:
        assert self.frontier is not None
        if self.frontier.lost():  # before finishing: its claimed list is gone with the rest
            self._restore()
        done = self.frontier.finish(self._statuses())
        self.finished.update(done)
        self.in_hand.clear()
        if done:
            logger.info("Worker %s finished %d agencies", self.worker, len(done))
        # After an outage every heartbeat has expired: live workers get a lease's time to
        # beat again before their agencies are taken back (they would be crawled twice).
        returned = [] if self.outage.recent(self.frontier.ttl) else self.frontier.reclaim()
        if returned:
            logger.warning("Took back %d agencies of workers that stopped: %s", len(returned),
                           ", ".join(returned))
            self.crawler.stats.inc_value("distributed/agencies_reclaimed", len(returned))
        return bool(self._start(self.frontier.claim(self.claim_size))
                    or self.frontier.busy_elsewhere())

    def _statuses(self) -> dict[str, str]:
        return {agency_id: agency_status(self.agencies.account(agency_id))
                for agency_id in self.in_hand if agency_id in self.agencies}

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        try:
            if self.ticks.running:
                self.ticks.stop()
            if self.frontier is not None:
                await self._leave(self.frontier, reason)
        finally:
            self.closing.done("frontier")

    async def _leave(self, frontier: AgencyFrontier, reason: str) -> None:
        """Give back the lease, and say whether the whole crawl is done."""
        try:
            if await self.outage.patiently("check", frontier.lost):
                self._restore()
            if reason == "finished":
                self.finished.update(await self.outage.patiently(
                    "finish", lambda: frontier.finish(self._statuses())))
            await self.outage.patiently("leave", frontier.leave)
            if reason != "finished":  # an interrupted worker's agencies go back at once
                await self.outage.patiently("give back", frontier.reclaim_own)
            known, done, pending, held = await self.outage.patiently("progress",
                                                                     frontier.progress)
        except self.outage.errors as exc:
            self.state.unreachable = f"Redis cannot be reached to tell the crawl's state: {exc}"
            return
        self.state.known, self.state.finished = known, done
        self.state.done = bool(known) and not pending and not held and done >= known
