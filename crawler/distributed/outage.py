"""Waiting out a Redis outage: said once, retried with backoff, said again when over.

A worker must neither quit nor drop an item because its Redis restarted. Calls made
on the event loop never sleep there: ``patiently`` awaits between tries, and the
frontier's heartbeat (``crawler.distributed.extension``) skips a tick instead. Past
``REDIS_OUTAGE_MAX`` seconds the error goes on, to be counted where it lands.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["Outage", "backoff", "outage_errors"]

logger = logging.getLogger(__name__)
T = TypeVar("T")


def outage_errors() -> tuple[type[BaseException], ...]:
    """What a Redis that is down or restarting raises (not a command's own error).
    Imported here, not with the module: a crawl without Redis loads no Redis client (the
    distributed extension's module is imported, and declines, in every crawl)."""
    from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError

    return (ConnectionError, TimeoutError, BusyLoadingError)


def backoff(attempt: int) -> float:
    """Seconds before try ``attempt + 1``: 0.25, 0.5, 1, 2, 4, 8, then 10."""
    return float(min(0.25 * 2 ** attempt, 10.0))


class Outage:
    """One Redis's outages, said once each however many components of the process meet
    them (``Outage.of``: one per Redis URL)."""

    _known: dict[str, Outage] = {}

    def __init__(self, url: str, limit: float = 600.0) -> None:
        self.url, self.limit = url, limit
        self.since: float | None = None
        self.back_at: float | None = None  # when the last outage ended
        self.errors = outage_errors()
        self._lock = threading.Lock()

    @classmethod
    def of(cls, url: str, limit: float = 600.0) -> Outage:
        """The process's one ``Outage`` of the Redis at ``url``."""
        outage = cls._known.get(url)
        if outage is None:
            cls._known[url] = outage = cls(url, limit)
        return outage

    def failed(self, what: str, exc: BaseException) -> None:
        with self._lock:
            if self.since is None:
                self.since = time.monotonic()
                logger.warning("Redis %s cannot be reached (%s: %s); waiting for it, retrying "
                               "with backoff (said once)", self.url, what, exc)

    def ok(self) -> None:
        with self._lock:
            if self.since is not None:
                logger.warning("Redis %s is back after %.0f s", self.url,
                               time.monotonic() - self.since)
                self.since, self.back_at = None, time.monotonic()

    def recent(self, seconds: float) -> bool:
        """Was Redis out, or back from an outage, within ``seconds``?"""
        now = time.monotonic()
        return self.since is not None or (self.back_at is not None
                                          and now - self.back_at < seconds)

    def over(self) -> bool:
        """Has this outage lasted past the limit?"""
        return self.since is not None and time.monotonic() - self.since > self.limit

    async def patiently(self, what: str, call: Callable[[], T]) -> T:
        """``call()``, tried again (awaiting, never sleeping on the loop) while Redis is
        out, up to the limit."""
        attempt = 0
        while True:
            try:
                result = call()
            except self.errors as exc:
                self.failed(what, exc)
                if self.over():
                    raise
                await asyncio.sleep(backoff(attempt))
                attempt += 1
            else:
                self.ok()
                return result
