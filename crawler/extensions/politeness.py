"""A host's delay counted from its last answer, not from the last request sent.

Scrapy waits ``DOWNLOAD_DELAY`` (or a ``DOWNLOAD_SLOTS`` entry's ``delay``)
between *sending* two requests to a host. A host that took 0.8 s to answer then
gets the next request 0.2 s after its answer with a 1 s delay, and a busy host
sees the gaps between arrivals shrink below the delay (measured at the demo
server by ``bench/national.py``: 0.92 of the delay). Heritrix and other polite
crawlers count the delay from the end of the previous fetch; so does this one:
when a response arrives (``response_downloaded``, which Scrapy sends before it
looks at the slot's queue again), the slot's ``lastseen`` becomes now. For that
to hold, a host with a delay gets one request at a time (its slot's concurrency
becomes 1 when a request reaches it, before it is sent): otherwise the next one
leaves, a delay after the last was sent, while the host is still answering.
Hosts without a delay keep ``CONCURRENT_REQUESTS_PER_DOMAIN``.

Setting: ``DELAY_FROM_RESPONSE`` (default True).
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.core.downloader import Slot
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["DelayFromResponse"]


class DelayFromResponse:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DelayFromResponse:
        if not crawler.settings.getbool("DELAY_FROM_RESPONSE"):
            raise NotConfigured("DELAY_FROM_RESPONSE is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.request_reached_downloader,
                                signal=signals.request_reached_downloader)
        crawler.signals.connect(extension.response_downloaded,
                                signal=signals.response_downloaded)
        return extension

    def request_reached_downloader(self, request: Request) -> None:
        slot = self._slot(request)
        if slot is not None and slot.delay:
            slot.concurrency = 1

    def response_downloaded(self, response: Response, request: Request) -> None:
        slot = self._slot(request)
        if slot is not None and slot.delay:
            slot.lastseen = monotonic()  # the clock Scrapy's slots use

    def _slot(self, request: Request) -> Slot | None:
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        if downloader is None:
            return None
        key = downloader.get_slot_key(request)
        if key == "browser":  # render requests send nothing themselves (crawler/browser/)
            return None
        return downloader.slots.get(key)
