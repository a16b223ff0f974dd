"""The crawl state of one crawler: what the archive last holds for each URL.

``CRAWL_STATE`` names an SQLite file (``archive.state``; by default
``crawl-state.sqlite`` in ``WARC_DIR``: the state of that collection, never of
another; empty to crawl without one), or a Redis (``redis://...``; by default the
crawl's ``REDIS_URL`` when it has one: workers on several machines share it,
``crawler.distributed.state``), that the revisit
middleware reads to ask only for what changed, and the WARC capture updates once
each record is on disk. Shared by the components of one crawler
(``CrawlStateStore.of(crawler)``), opened on first use, closed with the spider.
"""

from __future__ import annotations

import logging
import sqlite3
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from scrapy import signals

from archive.state import CrawlState, Stored

from .run.outcome import SetupError
from .shared import shared

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from archive import WrittenRecord


__all__ = ["Captures", "CrawlStateStore", "open_versions", "state_key", "state_path",
           "state_redis"]

logger = logging.getLogger(__name__)


class Captures(Protocol):
    """What the crawl reads and writes of a state: ``archive.state.CrawlState`` (SQLite)
    or ``crawler.distributed.state.RedisCrawlState``."""

    def get(self, url: str) -> Stored | None: ...
    def put(self, stored: Stored) -> None: ...
    def checked(self, url: str, date: str, etag: str | None,
                last_modified: str | None) -> None: ...
    def forget(self, url: str) -> None: ...
    def close(self) -> None: ...


_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def state_redis(settings: Any) -> str | None:
    """The Redis the crawl state lives in: ``CRAWL_STATE`` when it is a Redis URL, by
    default the distributed crawl's ``REDIS_URL``; None for a file or no state."""
    value = settings.get("CRAWL_STATE")
    if not settings.getbool("WARC_ENABLED") or value == "":
        return None
    if value is None:
        return settings.get("REDIS_URL") or None
    return str(value) if str(value).startswith(_REDIS_SCHEMES) else None


def state_key(settings: Any) -> str:
    """The prefix of the state's keys in Redis: ``CRAWL_STATE_KEY``, by default named
    after the collection (``WARC_DIR``, the same path on every machine that shares it),
    so two collections in one Redis never share a state."""
    return settings.get("CRAWL_STATE_KEY") or \
        f"crawl-state:{Path(settings['WARC_DIR']).resolve()}"


def _in_redis(settings: Any, url: str, kind: type) -> Any:
    """``kind`` (a class of ``crawler.distributed.state``) over the Redis at ``url``, named
    by the setting that gave it should it not answer."""
    from .distributed import reach
    from .distributed.outage import Outage

    setting = "CRAWL_STATE" if settings.get("CRAWL_STATE") else "REDIS_URL"
    return kind(reach(url, setting), state_key(settings),
                Outage.of(url, settings.getfloat("REDIS_OUTAGE_MAX")))


def state_path(settings: Any) -> Path | None:
    """The crawl state's file: ``CRAWL_STATE``, by default in ``WARC_DIR``; None when
    ``CRAWL_STATE`` is empty, no WARCs are written (nothing to refer to) or the
    state is in Redis."""
    value = settings.get("CRAWL_STATE")
    if value == "" or not settings.getbool("WARC_ENABLED") or state_redis(settings):
        return None
    return Path(value) if value else Path(settings["WARC_DIR"]) / "crawl-state.sqlite"


def open_versions(settings: Any) -> Any:
    """The report versions of the crawl state (``crawler.changes.ReportVersions`` or
    its Redis twin), or None without a state."""
    url = state_redis(settings)
    if url is not None:
        from .distributed.state import RedisReportVersions

        return _in_redis(settings, url, RedisReportVersions)
    path = state_path(settings)
    if path is None:
        return None
    from .changes import ReportVersions

    return ReportVersions(path)


def _open(path: Path, settings: Any) -> CrawlState:
    """The state file, or a one-line setup error naming the setting to fix."""
    try:
        return CrawlState(path)
    except (OSError, sqlite3.Error) as exc:
        if settings.get("CRAWL_STATE"):
            raise SetupError(f"CRAWL_STATE {path} cannot be opened: {exc}") from exc
        raise SetupError(f"WARC_DIR {path.parent} cannot be made: {exc}") from exc


class CrawlStateStore:
    def __init__(self) -> None:
        self.state: Captures | None = None
        self.warc_dir = Path()
        self._opened = False

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlStateStore:
        """The crawler's store; its ``state`` is None without ``CRAWL_STATE`` or WARCs."""
        store = shared(crawler, cls)
        if not store._opened:
            store._opened = True
            settings = crawler.settings
            path, url = state_path(settings), state_redis(settings)
            if url is not None:
                from .distributed.state import RedisCrawlState

                store.state = _in_redis(settings, url, RedisCrawlState)
                logger.info("Crawl state in Redis %s, under %s", url, state_key(settings))
            elif path is not None:
                store.state = _open(path, settings)
            if store.state is not None:
                store.warc_dir = Path(settings["WARC_DIR"])
                crawler.signals.connect(store.close, signal=signals.engine_stopped)
        return store

    def close(self) -> None:
        if self.state is not None:
            self.state.close()

    def written(self, url: str, status: int, headers: list[tuple[bytes, list[bytes]]],
                future: Future[WrittenRecord]) -> bool:
        """Note a GET's record once it is on disk (called on the writer thread): a new
        payload becomes the URL's; a revisit only says when it was checked. True for
        a revisit."""
        if self.state is None or future.exception() is not None:
            return False
        written = future.result()
        location = written.location
        etag, last_modified = _header(headers, b"etag"), _header(headers, b"last-modified")
        if written.refers_to is not None:
            self.state.checked(url, location.date, etag, last_modified)
            return True
        if not 200 <= status < 300 or location.payload_digest is None:
            return False
        self.state.put(Stored(url, status, etag, last_modified, location.payload_digest,
                              location.filename, location.offset, location.length,
                              location.record_id, location.date, location.date))
        return False


def _header(headers: list[tuple[bytes, list[bytes]]], name: bytes) -> str | None:
    for key, values in headers:
        if key.lower() == name and values:
            return values[-1].decode("latin-1")
    return None
