"""The crawl state of one crawler: what the archive last holds for each URL.

``CRAWL_STATE`` names an SQLite file (``archive.state``; default
``var/crawl-state.sqlite``, empty to crawl without one) that the revisit
middleware reads to ask only for what changed, and the WARC capture updates once
each record is on disk. Shared by the components of one crawler
(``CrawlStateStore.of(crawler)``), opened on first use, closed with the spider.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals

from archive.state import CrawlState, Stored

from .shared import shared

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from archive import RecordLocation

__all__ = ["CrawlStateStore"]


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
            if settings.get("CRAWL_STATE") and settings.getbool("WARC_ENABLED"):
                store.state = CrawlState(settings["CRAWL_STATE"])
                store.warc_dir = Path(settings["WARC_DIR"])
                crawler.signals.connect(store.close, signal=signals.engine_stopped)
        return store

    def close(self) -> None:
        if self.state is not None:
            self.state.close()

    def written(self, url: str, status: int, headers: list[tuple[bytes, list[bytes]]],
                future: Future[RecordLocation]) -> str | None:
        """Note a GET's record once it is on disk (called on the writer thread): a new
        payload becomes the URL's; a revisit only says when it was checked. Returns
        ``"revisit"``, ``"payload"`` or None (not written, or nothing to remember)."""
        if self.state is None or future.exception() is not None:
            return None
        location = future.result()
        etag, last_modified = _header(headers, b"etag"), _header(headers, b"last-modified")
        if location.refers_to is not None:
            self.state.checked(url, location.date, etag, last_modified)
            return "revisit"
        if not 200 <= status < 300 or location.payload_digest is None:
            return None
        self.state.put(Stored(url, status, etag, last_modified, location.payload_digest,
                              location.filename, location.offset, location.length,
                              location.record_id, location.date, location.date))
        return "payload"


def _header(headers: list[tuple[bytes, list[bytes]]], name: bytes) -> str | None:
    for key, values in headers:
        if key.lower() == name and values:
            return values[-1].decode("latin-1")
    return None
