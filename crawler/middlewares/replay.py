"""Answer a resumed crawl's requests from its own WARCs (``crawler.extensions.resume``).

A request that an earlier attempt of the same run archived the answer to is
answered from that record: same status, headers and body bytes as they came off
the wire (still content-encoded: ``HttpCompressionMiddleware`` decodes them as
it decoded the original), so everything downstream, from redirects and cookies
to the spider, sees what it saw the first time. Nothing is sent, nothing is
archived twice; the item points at the original record. Placed after the scope,
robots and retry middlewares' request checks and before the address check and
the downloader. Answers a server gave only for the moment (5xx, 408, 429, the
codes in ``RETRY_HTTP_CODES``) and truncated records are not in the index: they
are asked again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from archive import PendingRecord
from archive.lookup import Capture, HttpMessage, read_capture
from archive.rendered import read_rendered

from ..browser.pages import archived_answers, archived_rendering
from ..meta import HTTP_REASON, RENDER, WARC_RECORD
from ..run import Run

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["ReplayMiddleware", "replayed_response"]

logger = logging.getLogger(__name__)


class ReplayMiddleware:
    def __init__(self, crawler: Crawler, run: Run) -> None:
        assert crawler.stats is not None and run.captures is not None
        self.stats = crawler.stats
        self.captures = run.captures

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        run = Run.of(crawler)
        if run.captures is None:  # set by the resume extension, built before middlewares
            raise NotConfigured("not a resumed run")
        return cls(crawler, run)

    async def process_request(self, request: Request) -> Response | None:
        if request.meta.get(RENDER) == "challenge":
            return None  # a pass is for its cookies, which a replay cannot give back
        if request.meta.get(RENDER):
            return await self._rendered(request)
        capture = self.captures.get(request.method, request.url, request.body)
        if capture is None:
            return None
        try:  # off the event loop: a record may hold a 200 MB attachment
            message = await asyncio.to_thread(read_capture, capture)
        except (OSError, ValueError) as exc:  # a file moved or damaged since: fetch again
            logger.warning("Cannot replay %s from %s (%s): fetching it again",
                           request.url, capture.path, exc)
            self.stats.inc_value("resume/unreadable")
            return None
        self.stats.inc_value("resume/replayed")
        return replayed_response(request, capture, message)


    async def _rendered(self, request: Request) -> Response | None:
        """A page an earlier attempt rendered: as it showed it (``archive.rendered``)."""
        capture = self.captures.rendered(request.url)
        if capture is None:
            return None
        try:
            dom, info = await asyncio.to_thread(read_rendered, capture.path, capture.offset)
        except (OSError, ValueError):
            return None  # rendered again
        self.stats.inc_value("resume/replayed")
        answers = await asyncio.to_thread(archived_answers, self.captures, info)
        return archived_rendering(request, capture, dom, info, answers)


def replayed_response(request: Request, capture: Capture, message: HttpMessage) -> Response:
    """The response ``capture`` holds, for ``request``, as the download handler would
    have made it: headers as received, the reason phrase kept, the item's ``warc``
    pointing at the record."""
    headers = Headers(message.headers)
    cls = responsetypes.from_args(headers=headers, url=request.url, body=message.body)
    request.meta[WARC_RECORD] = PendingRecord.written(capture.location())
    request.meta[HTTP_REASON] = message.reason  # bytes, as the download handler keeps it
    return cls(url=request.url, status=message.status, headers=headers, body=message.body,
               request=request, protocol=message.protocol, flags=["replayed"])
