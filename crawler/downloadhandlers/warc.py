"""A download handler that answers from WARC files instead of the network.

``scrapy crawl archive`` (``crawler.spiders.archive``) puts it in place of the
HTTP handlers, so every request the same discovery roles make is answered from
the archive: the response record that answered the same request (method, URL,
body), a revisit resolved to its original's payload, byte for byte as it came
off the wire; everything downstream (redirects, cookies, decompression, the
spider) sees what the live crawl saw. A request the archive holds no lasting
answer for raises ``NotArchived``: nothing is ever sent.

Scrapy has no handler of this kind (its ``file://`` handler reads plain files), and
scrapy-webarchive's replays only a WACZ's pages, not a crawl's own requests.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.core.downloader.handlers.base import BaseDownloadHandler

from archive.lookup import CaptureIndex, read_capture
from archive.rendered import read_rendered

from ..browser.pages import archived_answers, archived_rendering
from ..exceptions import NotArchived
from ..meta import RENDER
from ..middlewares.replay import replayed_response

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["WarcDownloadHandler"]

logger = logging.getLogger(__name__)


class WarcDownloadHandler(BaseDownloadHandler):
    """Answers from the spider's ``warc_paths`` (and ``warc_run``: one run's records),
    indexed once, on the first request, off the event loop."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._index: asyncio.Future[CaptureIndex] | None = None

    async def download_request(self, request: Request) -> Response:
        index = await self._captures()
        if request.meta.get(RENDER):
            return await self._rendered(index, request)
        capture = index.get(request.method, request.url, request.body)
        if capture is None:
            self._count("archive/not_archived")
            raise NotArchived(f"{request.method} {request.url} is not in the archive")
        try:  # off the event loop: a record may hold a 200 MB attachment
            message = await asyncio.to_thread(read_capture, capture)
        except (OSError, ValueError) as exc:  # moved or damaged since it was indexed
            self._count("archive/unreadable")
            raise NotArchived(f"{request.url}: its record in {capture.path} cannot be read "
                              f"({exc})") from exc
        self._count("archive/replayed")
        return replayed_response(request, capture, message)

    async def _rendered(self, index: CaptureIndex, request: Request) -> Response:
        """A page the crawl rendered: its DOM and page info as the browser showed them
        (``archive.rendered``), no browser needed."""
        capture = index.rendered(request.url)
        if capture is None:
            self._count("archive/not_archived")
            raise NotArchived(f"{request.url} was not rendered in the archived crawl")
        try:
            dom, info = await asyncio.to_thread(read_rendered, capture.path, capture.offset)
        except (OSError, ValueError) as exc:
            self._count("archive/unreadable")
            raise NotArchived(f"{request.url}: its rendered page in {capture.path} cannot be "
                              f"read ({exc})") from exc
        self._count("archive/replayed_rendered")
        answers = await asyncio.to_thread(archived_answers, index, info)
        return archived_rendering(request, capture, dom, info, answers)

    def _captures(self) -> asyncio.Future[CaptureIndex]:
        if self._index is None:
            spider = self.crawler.spider
            paths: Sequence[Path] = getattr(spider, "warc_paths", ())
            run_id: str | None = getattr(spider, "warc_run", None)
            self._index = asyncio.ensure_future(asyncio.to_thread(_index, paths, run_id))
        return self._index

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


def _index(paths: Sequence[Path], run_id: str | None) -> CaptureIndex:
    index = CaptureIndex.build(paths, run_id=run_id)
    for path, why in index.unreadable:
        logger.error("Cannot read %s (%s): its records are left out", path, why)
    logger.info("Reading the archive: %d requests answered by %d WARC file(s)%s",
                len(index), len(index.files), f" of run {run_id}" if run_id else "")
    return index
