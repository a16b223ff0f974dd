"""What a crawl's verdict waits for when its spider closes: the WARC files, the feeds,
the frontier's last word and the summary.

Scrapy runs the ``spider_closed`` handlers side by side, so the summary and the
resume state could otherwise decide before the last WARC records are written or
the feeds are stored, and a failure in either would change nothing they said; and
a run must not be called finished before its summary is on disk. Each part a crawl
has is expected when its component starts (``WarcCapture``; the feeds when ``FEEDS``
is set, done at Scrapy's ``feed_exporter_closed``; the summary; a distributed
worker's frontier) and marked done when it has closed; ``await
Closing.of(crawler).wait()`` returns once all are (``wait(but=part)`` for a part
that waits for the others).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from scrapy import signals

from ..shared import shared

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["Closing"]


class Closing:
    def __init__(self) -> None:
        self._parts: dict[str, asyncio.Event] = {}
        self._watching_feeds = False
        self.failed: set[str] = set()  # parts that closed without storing what they hold

    @classmethod
    def of(cls, crawler: Crawler) -> Closing:
        """The crawler's one ``Closing``, watching its feeds if it has any."""
        closing = shared(crawler, cls)
        if not closing._watching_feeds and crawler.settings.getdict("FEEDS"):
            closing._watching_feeds = True
            closing.expect("feeds")
            crawler.signals.connect(closing._feeds_closed, signal=signals.feed_exporter_closed)
        return closing

    def expect(self, part: str) -> None:
        self._parts.setdefault(part, asyncio.Event())

    def done(self, part: str, ok: bool = True) -> None:
        self.expect(part)
        if not ok:
            self.failed.add(part)
        self._parts[part].set()

    async def wait(self, but: str | None = None) -> None:
        """Until every part is done (but ``but``, the caller's own)."""
        for part, event in list(self._parts.items()):
            if part != but:
                await event.wait()

    def _feeds_closed(self) -> None:
        self.done("feeds")
