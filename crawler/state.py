"""The crawl state of one crawler: what the archive last holds for each URL.

``CRAWL_STATE`` names an SQLite file (``archive.state``; by default
``crawl-state.sqlite`` in ``WARC_DIR``: the state of that collection, never of
another; empty to crawl without one) that the revisit
middleware reads to ask only for what changed, and the WARC capture updates once
each record is on disk. Shared by the components of one crawler
(``CrawlStateStore.of(crawler)``), opened on first use, closed with the spider.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from archive.state import CrawlState, Stored

from .outcome import SetupError
from .shared import shared

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from archive import RecordLocation

__all__ = ["CrawlStateStore", "state_path"]


def state_path(settings: Any) -> Path | None:
    """The crawl state's file: ``CRAWL_STATE``, by default in ``WARC_DIR``; None when
    ``CRAWL_STATE`` is empty or no WARCs are written (nothing to refer to)."""
    value = settings.get("CRAWL_STATE")
    if value == "" or not settings.getbool("WARC_ENABLED"):
        return None
    return Path(value) if value else Path(settings["WARC_DIR"]) / "crawl-state.sqlite"


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
        self.state: CrawlState | None = None
        self.warc_dir = Path()
        self._opened = False

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlStateStore:
        """The crawler's store; its ``state`` is None without ``CRAWL_STATE`` or WARCs."""
        store = shared(crawler, cls)
        if not store._opened:
            store._opened = True
            settings = crawler.settings
            path = state_path(settings)
            if path is not None:
                store.state = _open(path, settings)
                store.warc_dir = Path(settings["WARC_DIR"])
                crawler.signals.connect(store.close, signal=signals.engine_stopped)
        return store

    def close(self) -> None:
        if self.state is not None:
            self.state.close()

    def written(self, url: str, status: int, headers: list[tuple[bytes, list[bytes]]],
                future: Future[RecordLocation]) -> bool:
        """Note a GET's record once it is on disk (called on the writer thread): a new
        payload becomes the URL's; a revisit only says when it was checked. True for
        a revisit."""
        if self.state is None or future.exception() is not None:
            return False
        location = future.result()
        etag, last_modified = _header(headers, b"etag"), _header(headers, b"last-modified")
        if location.refers_to is not None:
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
