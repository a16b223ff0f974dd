"""WARC capture: every downloaded response, and the request that got it, into WARC files.

The capture point is the ``response_downloaded`` signal, which the downloader
sends before any downloader middleware sees the response: the body is exactly
as it came off the wire (still gzip-compressed, ``Content-Encoding`` kept,
de-chunked by Twisted, which also drops ``Transfer-Encoding``), and the request
carries every header the middlewares added (User-Agent, Accept-Encoding,
Cookie...). On the event loop this extension only snapshots those parts; a
``archive.BackgroundWriter`` thread digests, compresses and writes them.

A file an earlier, killed process left open (``*.warc.gz.open``) is repaired
when the capture starts (``archive.repair``): cut back to its last whole
exchange and closed, so the collection is whole before anything is added.
Every warcinfo record names the run (``run-id``, ``crawler.run``).

Each captured request gets ``request.meta[crawler.meta.WARC_RECORD]``, an
``archive.PendingRecord`` that the report assembler (``crawler.reports``)
resolves into the item's ``warc`` field.

Settings: ``WARC_ENABLED``, ``WARC_DIR``, ``WARC_PREFIX`` (default: the spider's
name), ``WARC_MAX_SIZE``, ``WARC_GZIP_LEVEL``, ``WARC_OPERATOR``,
``WARC_DESCRIPTION``, ``WARC_QUEUE_MAX_BYTES``.
"""

from __future__ import annotations

import json
import logging
import platform
import socket
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from archive import BackgroundWriter, HttpExchange, WarcWriter, WrittenRecord
from archive.rendered import RenderedPage
from archive.repair import repair_paths

from .. import __version__
from ..meta import CONDITIONAL, HTTP_REASON, PREVIOUS, RENDERED, WARC_RECORD
from ..middlewares.useragent import user_agent
from ..run import Run
from ..run.closing import Closing
from ..run.outcome import SetupError
from ..state import CrawlStateStore

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Headers, Response

__all__ = ["WarcCapture"]

logger = logging.getLogger(__name__)

# Never archive credentials meant for the proxy, not for the agency's server.
_PRIVATE_REQUEST_HEADERS = frozenset({b"Proxy-Authorization"})
# Recorded in each warcinfo record, so a WARC says how it was crawled.
_WARCINFO_SETTINGS = (
    "ROBOTSTXT_OBEY", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_TARGET_CONCURRENCY", "DOWNLOAD_MAXSIZE", "DEPTH_LIMIT",
)


def _arguments(asked: dict[str, Any]) -> dict[str, Any]:
    """The crawl's ``-a`` arguments as given, the registry's path made absolute (a
    re-extraction runs from anywhere)."""
    found = {key: value for key, value in asked.items() if value is not None}
    if found.get("registry"):
        found["registry"] = str(Path(found["registry"]).resolve())
    return found


def _snapshot(headers: Headers,
              skip: frozenset[bytes] = frozenset()) -> list[tuple[bytes, list[bytes]]]:
    """A copy of every header value, repeated ones included (``getlist``, not ``[]``).

    Taken now because middlewares edit headers in place later (the compression
    middleware deletes ``Content-Encoding`` from the very object downloaded)."""
    return [(name, headers.getlist(name)) for name in headers if name not in skip]


class WarcCapture:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.directory = settings.get("WARC_DIR")
        self.prefix = settings.get("WARC_PREFIX")
        self.max_size = settings.getint("WARC_MAX_SIZE")
        self.gzip_level = settings.getint("WARC_GZIP_LEVEL")
        self.queue_max_bytes = settings.getint("WARC_QUEUE_MAX_BYTES")
        self.writer: BackgroundWriter | None = None
        self.closing = Closing.of(crawler)
        self.closing.expect("warc")
        self.state = CrawlStateStore.of(crawler)
        self._failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCapture:
        if not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        capture = cls(crawler)
        # Fail now, with the path in the message, rather than crawl without archiving.
        try:
            Path(capture.directory).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SetupError(f"WARC_DIR {capture.directory} cannot be made: {exc}") from exc
        capture.repair_leftovers()
        capture.open(crawler.spidercls.name)
        crawler.signals.connect(capture.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(capture.spider_closed, signal=signals.spider_closed)
        return capture

    def repair_leftovers(self) -> None:
        """Close what a killed crawl left open in ``WARC_DIR`` (never a live writer's)."""
        run = Run.of(self.crawler)
        for report in repair_paths([self.directory]):
            logger.warning("Repaired a WARC file a killed crawl left open: %s", report)
            run.repaired.append(str(report.path))
        if run.repaired:
            assert self.crawler.stats is not None
            self.crawler.stats.set_value("warc/repaired_files", len(run.repaired))

    def open(self, spider_name: str) -> None:
        """The writer, now: a setting it cannot use (``WARC_GZIP_LEVEL=12``,
        ``WARC_PREFIX=a/b``, ``WARC_MAX_SIZE=0``) stops the start with one line (exit 2)
        before any request is sent, instead of a crawl that archives nothing."""
        prefix = self.prefix or spider_name
        try:
            writer = WarcWriter(self.directory, prefix, max_size=self.max_size,
                                info=self._warcinfo(prefix), gzip_level=self.gzip_level)
        except ValueError as exc:
            raise SetupError(f"WARC settings: {exc}") from exc
        except OSError as exc:
            raise SetupError(f"WARC_DIR {self.directory} cannot be written: {exc}") from exc
        self.writer = BackgroundWriter(writer, max_queue_bytes=self.queue_max_bytes,
                                       on_error=self._on_writer_error)
        logger.info("Writing WARC files to %s (prefix %r, rotating at %d bytes)",
                    writer.directory.resolve(), prefix, self.max_size)

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        if self.writer is None:
            return
        if "rendered" in response.flags:  # its traffic is archived already, as it came
            self._rendered(response, request)
            return
        previous = request.meta.get(PREVIOUS)  # what the archive holds: a revisit refers to it
        if response.status == 304 and not request.meta.get(CONDITIONAL):
            previous = None  # a 304 nobody asked for is archived as what it is
        exchange = HttpExchange(
            url=request.url,
            method=request.method,
            request_headers=_snapshot(request.headers, _PRIVATE_REQUEST_HEADERS),
            request_body=request.body,
            protocol=response.protocol or "HTTP/1.1",
            status=response.status,
            reason=request.meta.get(HTTP_REASON),
            response_headers=_snapshot(response.headers),
            body=response.body,
            ip_address=str(response.ip_address) if response.ip_address else None,
            truncated="disconnect" if "dataloss" in response.flags else None,
            previous=previous.original() if previous is not None else None,
        )
        pending = self.writer.submit(exchange)
        if (self.state.state is not None and pending.future is not None
                and request.method == "GET" and not exchange.truncated):
            pending.future.add_done_callback(partial(self._written, request.url,
                                                     response.status, exchange.response_headers))
        request.meta[WARC_RECORD] = pending

    def _rendered(self, response: Response, request: Request) -> None:
        """A page as the browser showed it: its DOM and page-info records
        (``archive.rendered``), next to the records of the traffic it made."""
        if "archived" in response.flags:
            return
        info = request.meta.get(RENDERED) or {}
        page = RenderedPage(request.url, response.text, info,
                            refers_to=info.get("document_record"))
        request.meta[WARC_RECORD] = self.writer.submit(page)  # type: ignore[union-attr]

    def _written(self, url: str, status: int, headers: list[tuple[bytes, list[bytes]]],
                 future: Future[WrittenRecord]) -> None:
        """On the writer thread: the crawl state learns where the URL's payload is."""
        if self.state.written(url, status, headers, future):  # a revisit: count it on the loop
            from twisted.internet import reactor

            assert self.crawler.stats is not None
            reactor.callFromThread(self.crawler.stats.inc_value, "revisit/records")

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        try:
            if self.writer is not None:
                # Joining the writer thread and fsyncing may take a moment: not on the loop.
                # The stats are set back on the loop: other spider_closed handlers read
                # them meanwhile, and a dict must not grow while another thread walks it.
                figures = await maybe_deferred_to_future(deferToThread(self._close))
                assert self.crawler.stats is not None
                for name, value in figures.items():
                    self.crawler.stats.set_value(name, value)
        finally:
            self.closing.done("warc")

    def _close(self) -> dict[str, int]:
        """On a thread: close the writer; the WARC stats to set."""
        assert self.writer is not None
        try:
            files = self.writer.close()
        except OSError as exc:
            if not self.writer.errors:
                raise
            # Said with its traceback when it first happened; the file stays ".open".
            logger.error("The last WARC file could not be closed after the write error: %s", exc)
            files = list(self.writer.writer.closed_files)
        for path in files:
            logger.info("WARC file: %s", path)
        figures = {"warc/records": self.writer.writer.records_written, "warc/files": len(files),
                   "warc/bytes": sum(f.stat().st_size for f in files),
                   "warc/queue_max_bytes": self.writer.queued_bytes_max}
        if self.writer.errors:
            figures["warc/errors"] = self.writer.errors
        return figures

    def _on_writer_error(self, exc: BaseException) -> None:
        # Called on the writer thread: hop to the reactor before touching the engine.
        from twisted.internet import reactor

        reactor.callFromThread(self._stop_crawl, exc)

    def _stop_crawl(self, exc: BaseException) -> None:
        if self._failed:
            return
        self._failed = True
        logger.error("Cannot write WARC records, stopping the crawl so nothing goes unarchived: "
                     "%s", exc, exc_info=exc)
        if self.crawler.engine is not None and self.crawler.spider is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_write_error"))

    def _warcinfo(self, prefix: str) -> dict[str, Any]:
        settings = self.crawler.settings
        return {
            "run-id": Run.of(self.crawler).id,
            "software": f"gov-disclosure-archive/{__version__} (Scrapy/{scrapy.__version__}; "
                        f"Python/{platform.python_version()})",
            "hostname": socket.gethostname(),
            "operator": settings.get("WARC_OPERATOR"),
            "isPartOf": prefix,
            "description": settings.get("WARC_DESCRIPTION"),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": user_agent(settings),
            "crawl-settings": json.dumps({k: settings.get(k) for k in _WARCINFO_SETTINGS},
                                         sort_keys=True),
            # what the spider was asked: re-extraction reads the same agencies from it
            "crawl-arguments": json.dumps(_arguments(Run.of(self.crawler).arguments),
                                          ensure_ascii=False, sort_keys=True),
        }
