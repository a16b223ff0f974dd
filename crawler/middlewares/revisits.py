"""Recrawls ask for what changed only: conditional requests, and 304s read from the archive.

For a GET whose URL the archive already holds (``crawler.state``; its payload's
file still there), the request carries ``If-None-Match`` / ``If-Modified-Since``
from the last answer, and ``request.meta[PREVIOUS]`` names that capture, so the
WARC capture can write a ``304``, or the same payload again, as a revisit of it
(``archive.records.exchange_records``). A ``304`` then goes on as the original
response, read back from its record (status, headers and body as received; the
compression middleware decodes it as it did the first time): the spider follows
the page's links and reads the report as if it had been sent again, and the
item points at the record that holds its payload.

Placed after the scope and robots checks, before the replay of a resumed run.
Settings: ``CRAWL_STATE``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from archive.lookup import read_response

from ..meta import PREVIOUS, WARC_RECORD
from ..state import CrawlStateStore

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from archive.state import CrawlState, Stored

__all__ = ["RevisitMiddleware"]

logger = logging.getLogger(__name__)


class RevisitMiddleware:
    def __init__(self, crawler: Crawler, store: CrawlStateStore) -> None:
        assert crawler.stats is not None and store.state is not None
        self.stats = crawler.stats
        self.state: CrawlState = store.state
        self.warc_dir = store.warc_dir

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevisitMiddleware:
        store = CrawlStateStore.of(crawler)
        if store.state is None:
            raise NotConfigured("no CRAWL_STATE (or no WARCs): every URL is fetched whole")
        return cls(crawler, store)

    def process_request(self, request: Request) -> None:
        if request.method != "GET":
            return
        stored = self.state.get(request.url)
        if stored is None or not stored.available(self.warc_dir):
            return  # never refer to a record whose file is gone
        request.meta[PREVIOUS] = stored
        if stored.etag and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = stored.etag
        if stored.last_modified and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = stored.last_modified
        self.stats.inc_value("revisit/conditional_requests")

    async def process_response(self, request: Request, response: Response) -> Response:
        stored: Stored | None = request.meta.get(PREVIOUS)
        if response.status != 304 or stored is None:
            return response
        self.stats.inc_value("revisit/not_modified")
        try:  # off the event loop: the record may hold a 200 MB attachment
            message = await asyncio.to_thread(read_response, self.warc_dir / stored.filename,
                                              stored.offset)
        except (OSError, ValueError) as exc:
            logger.error("Not modified, but its archived payload cannot be read (%s, %s): %s",
                         request.url, stored.filename, exc)
            return response
        headers = Headers(message.headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=message.body)
        request.meta[WARC_RECORD] = stored.location()  # where the payload is
        return cls(url=request.url, status=message.status, headers=headers, body=message.body,
                   request=request, protocol=message.protocol, flags=["not modified"])
