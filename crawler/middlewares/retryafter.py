"""Honour ``Retry-After`` on ``429 Too Many Requests`` and ``503 Service Unavailable``.

Scrapy's ``RetryMiddleware`` retries these at once; a government server that
says "come back in 120 s" means the whole host, counted from its answer. Scrapy
spaces a host's requests from the last one *sent*, with a random jitter, so
merely widening the host's delay lets the retry leave early, and nothing ever
narrows it again (unless AutoThrottle happens to be on).

This middleware (before ``RetryMiddleware`` in the response chain) holds the
host's download slot instead: until ``Retry-After`` seconds after the response,
the slot's delay reaches exactly that moment (jitter off); then the slot's own
delay and jitter come back and its queue moves on. Responses still arriving
during the hold re-assert it (AutoThrottle adjusts delays as they come). A wait
longer than ``RETRY_AFTER_MAX`` seconds is not retried.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy.utils.asyncio import call_later

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.core.downloader import Downloader, Slot
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["RetryAfterMiddleware", "retry_after_seconds"]

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP-date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


@dataclass
class _Hold:
    until: float  # time.monotonic(), the clock of Scrapy's slots
    delay: float  # the slot's own delay and jitter, restored afterwards
    jitter: float
    timer: Any = None


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler, clock: Callable[[], float] = time.monotonic,
                 schedule: Callable[..., Any] = call_later) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("RETRY_AFTER_MAX")
        self.codes = {429, 503}
        self.clock, self.schedule = clock, schedule
        self._held: dict[str, _Hold] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    @property
    def downloader(self) -> Downloader:
        assert self.crawler.engine is not None
        return self.crawler.engine.downloader

    def process_response(self, request: Request, response: Response) -> Response:
        key = self.downloader.get_slot_key(request)
        if key in self._held:
            self._apply(key)
        if response.status not in self.codes:
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None:
            return response
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"retry_after/{response.status}")
        if wait > self.max_wait:
            logger.warning("%s asks to wait %.0f s (Retry-After), more than RETRY_AFTER_MAX=%.0f:"
                           " not retrying %s", response.status, wait, self.max_wait, request.url)
            request.meta["dont_retry"] = True
            return response
        self._hold(key, self.clock() + wait)
        logger.info("%s %s: server asks to wait %.0f s (Retry-After); host %s held until then",
                    response.status, request.url, wait, key)
        return response

    def _hold(self, key: str, until: float) -> None:
        slot = self.downloader.slots.get(key)
        if slot is None:
            return
        hold = self._held.get(key)
        if hold is None:
            hold = self._held[key] = _Hold(until, slot.delay, slot.jitter)
        elif until > hold.until:
            hold.until = until
            hold.timer.cancel()
        else:
            return
        hold.timer = self.schedule(max(0.0, until - self.clock()), self._release, key)
        self._apply(key)

    def _apply(self, key: str) -> None:
        """Make the slot's next request wait until the hold ends: Scrapy sends it once
        ``slot.lastseen + slot.delay`` has passed."""
        slot = self.downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(self._held[key].until - slot.lastseen, 0.0)
            slot.jitter = 0.0

    def _release(self, key: str) -> None:
        hold = self._held.pop(key)
        slot = self.downloader.slots.get(key)
        if slot is None:
            return
        slot.delay, slot.jitter = hold.delay, hold.jitter
        self._wake(slot)

    def _wake(self, slot: Slot) -> None:
        """Let the slot's queue move now. A timer the slot set under the held delay may
        not fire for a whole held delay more: cancel it. Scrapy has no public call for
        this; ``Downloader._process_queue`` is what its own timers call."""
        if slot.latercall is not None:
            slot.latercall.cancel()
            slot.latercall = None
        self.downloader._process_queue(slot)
