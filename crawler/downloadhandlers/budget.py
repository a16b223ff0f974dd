"""A cap on the responses a crawl holds at once: on the wire, or downloaded and waiting
for the spider.

Scrapy bounds the requests in the downloader (``CONCURRENT_REQUESTS``) and backs
the scheduler out when the scraper holds more than 5 MB of bodies, but neither
bounds the responses themselves. A national crawl keeps a request for each of
thousands of hosts in the downloader, waiting out its delay; when the spider falls
behind (the CPU is the limit for a while), those requests keep going out as their
delays pass, and their responses, each with its parsed page (ten times its body),
pile up in front of the spider: on ``bench/national.py`` 1,100 responses and
600 MiB more within two minutes. Here a request that has waited out its delay is
sent only while fewer than ``RESPONSE_BUDGET`` responses are on the wire or in the
scraper; otherwise it waits, holding only its places in the downloader, and the
waiting requests go out oldest first, as many as there is room for, as the spider
catches up (never more than the budget at once). The wait starts after the host's
delay, so politeness only gains; the download timeout starts after the wait.
``RESPONSE_BUDGET = 0`` turns the cap off. A callback must not await a download of
its own while the budget is full (none here does: follow-ups are new requests).
It needs the asyncio reactor, Scrapy's default.

Why by hand: Scrapy's only knobs count requests (which mostly wait out delays
here) or body bytes (which are a tenth of what a response costs).
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import deque
from typing import TYPE_CHECKING

from ..shared import shared

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["ResponseBudget"]

_POLL = 0.02  # seconds between looks at the scraper while requests wait


class ResponseBudget:
    def __init__(self) -> None:
        self._crawler: weakref.ref[Crawler] | None = None  # (shared() is keyed by it)
        self.budget = 0
        self.on_wire = 0
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._answered: set[Request] = set()  # off the wire, not yet out of the downloader
        self._poll: asyncio.TimerHandle | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> ResponseBudget:
        """The crawler's one budget, shared by its download handlers (one per scheme)."""
        budget = shared(crawler, cls)
        if budget._crawler is None:
            budget._crawler = weakref.ref(crawler)
            budget.budget = crawler.settings.getint("RESPONSE_BUDGET")
        return budget

    async def admit(self) -> None:
        """Return once this request may be sent; call ``done`` when it has its answer."""
        if self.budget <= 0 or (not self._waiting and self._room() > 0):
            self.on_wire += 1
            return
        future = asyncio.get_running_loop().create_future()
        self._waiting.append(future)
        self._schedule()
        started = time.monotonic()
        try:
            await future
        except asyncio.CancelledError:
            if future in self._waiting:
                self._waiting.remove(future)
            elif future.done() and not future.cancelled():
                self.on_wire -= 1  # admitted in the same tick it was cancelled
            raise
        self._account(time.monotonic() - started)

    def done(self, request: Request, answered: bool) -> None:
        """Off the wire. An answer still counts on its way through the downloader
        middlewares, until the scraper has it (and it counts there)."""
        self.on_wire -= 1
        if answered and self.budget > 0:
            self._prune()
            self._answered.add(request)

    @property
    def crawler(self) -> Crawler | None:
        return self._crawler() if self._crawler is not None else None

    def _prune(self) -> None:
        """Those out of the downloader are in the scraper now (or done)."""
        engine = self.crawler.engine if self.crawler is not None else None
        if self._answered and engine is not None:
            self._answered &= engine.downloader.active

    def _room(self) -> int:
        engine = self.crawler.engine if self.crawler is not None else None
        if engine is None:
            return self.budget - self.on_wire
        self._prune()
        slot = engine.scraper.slot
        in_scraper = len(slot.queue) + len(slot.active) if slot is not None else 0
        return self.budget - self.on_wire - len(self._answered) - in_scraper

    def _on_poll(self) -> None:
        self._poll = None
        self._release()

    def _release(self) -> None:
        room = self._room()
        while self._waiting and room > 0:
            future = self._waiting.popleft()
            if not future.done():
                future.set_result(None)
                self.on_wire += 1
                room -= 1
        self._schedule()

    def _schedule(self) -> None:
        if self._waiting and self._poll is None:
            self._poll = asyncio.get_running_loop().call_later(_POLL, self._on_poll)

    def _account(self, waited: float) -> None:
        stats = self.crawler.stats if self.crawler is not None else None
        if stats is not None:
            stats.inc_value("response_budget/waited")
            stats.max_value("response_budget/longest_wait_s", round(waited, 1))
