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

from archive import PendingRecord
from archive.lookup import HttpMessage, read_response

from ..meta import CONDITIONAL, DONT_REVISIT, PREVIOUS, WARC_RECORD
from ..state import Captures, CrawlStateStore

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from archive.state import Stored

__all__ = ["RevisitMiddleware"]

logger = logging.getLogger(__name__)
_VALIDATORS = (b"If-None-Match", b"If-Modified-Since")
_BODY_HEADERS = {b"content-length", b"content-encoding", b"transfer-encoding",
                 b"content-type", b"content-range"}


class RevisitMiddleware:
    def __init__(self, crawler: Crawler, store: CrawlStateStore) -> None:
        assert crawler.stats is not None and store.state is not None
        self.stats = crawler.stats
        self.state: Captures = store.state
        self.warc_dir = store.warc_dir

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevisitMiddleware:
        store = CrawlStateStore.of(crawler)
        if store.state is None:
            raise NotConfigured("no CRAWL_STATE (or no WARCs): every URL is fetched whole")
        return cls(crawler, store)

    def process_request(self, request: Request) -> None:
        # These headers are this middleware's: a redirect or a retry carries the last
        # URL's along, and they must be this URL's or none.
        for name in _VALIDATORS:
            request.headers.pop(name, None)
        request.meta.pop(PREVIOUS, None)
        request.meta.pop(CONDITIONAL, None)
        if request.method != "GET" or request.meta.get(DONT_REVISIT):
            return
        stored = self.state.get(request.url)
        if stored is None or not stored.available(self.warc_dir):
            return  # never refer to a record whose file is gone
        request.meta[PREVIOUS] = stored  # a revisit of it, if the payload is the same
        if stored.etag:
            request.headers[b"If-None-Match"] = stored.etag
        if stored.last_modified:
            request.headers[b"If-Modified-Since"] = stored.last_modified
        if stored.etag or stored.last_modified:
            request.meta[CONDITIONAL] = True
            self.stats.inc_value("revisit/conditional_requests")

    async def process_response(self, request: Request, response: Response
                               ) -> Response | Request:
        stored: Stored | None = request.meta.get(PREVIOUS)
        if response.status != 304 or stored is None or not request.meta.get(CONDITIONAL):
            return response  # (a 304 nobody asked for is an error like any other)
        try:  # off the event loop: the record may hold a 200 MB attachment
            message = await asyncio.to_thread(self._original, stored)
        except Exception as exc:  # noqa: BLE001 - a torn, moved or foreign record alike
            return self._refetch(request, stored, exc)
        self.stats.inc_value("revisit/not_modified")
        headers = _updated(message.headers, response.headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=message.body)
        request.meta[WARC_RECORD] = PendingRecord.written(stored.location())  # the payload
        return cls(url=request.url, status=message.status, headers=headers, body=message.body,
                   request=request, protocol=message.protocol, flags=["not modified"])

    def _original(self, stored: Stored) -> HttpMessage:
        """The archived response, checked to be the record the state names."""
        message = read_response(self.warc_dir / stored.filename, stored.offset,
                                expect=stored.record_id)
        if not 200 <= message.status < 300:
            raise ValueError(f"the record holds a {message.status}")
        return message

    def _refetch(self, request: Request, stored: Stored, exc: BaseException) -> Request:
        """The archive cannot give back what the server says did not change: forget
        it and ask again, unconditionally (a revisit of it was written: it stays, a
        record of the answer the server gave)."""
        logger.error("Not modified, but its archived payload cannot be read (%s in %s: "
                     "%s): fetching it again", request.url, stored.filename, exc)
        self.state.forget(request.url)
        self.stats.inc_value("revisit/unreadable_originals")
        return request.replace(dont_filter=True, meta={**request.meta, DONT_REVISIT: True})


def _updated(stored: list[tuple[bytes, bytes]], fresh: Headers) -> Headers:
    """The stored response's headers updated by the 304's (RFC 9111, 4.3.4): its
    cookies, not the archived ones; its body's own headers stay the original's."""
    headers = Headers([(name, value) for name, value in stored
                       if name.lower() != b"set-cookie"])
    for name in fresh:
        if name.lower() not in _BODY_HEADERS:
            headers.setlist(name, fresh.getlist(name))
    return headers
