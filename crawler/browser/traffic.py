"""Every request a rendered page makes, sent through the crawl's own downloader.

Chromium never touches the network here: each request a page makes is intercepted
(``page.route``) and sent as a Scrapy request with ``engine.download_async``, so it
goes through the same downloader middlewares as every static fetch (the agency's
scope, private addresses, robots.txt, the host's politeness slot, retries) and the
same WARC capture (``crawler.extensions.warc``: a request and a response record, the
body as it came off the wire). The answer is handed to the page (``route.fulfill``).
A refused request is aborted in the page and counted, never fetched; images, media
and fonts are not asked for at all (no report is read from them, and each would wait
out its host's delay). Browser crawlers
do the same with a recording proxy (brozzler with warcprox); here the proxy is
Scrapy's downloader itself, so there is one policy and one writer.

The page's first load is answered with the page as the crawl already fetched it
(``RENDER_FROM``): rendering costs no second request for it, and a challenge page is
run as it came. Redirects are handed to the page as they came (the browser follows
them, and each hop is archived); cookies are the page's own (``dont_merge_cookies``):
its context starts with the crawl's jar for the host and gives back what it set.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.exceptions import IgnoreRequest

from ..discovery.failures import failure_reason
from ..meta import AGENCY, ROLE, WARC_RECORD

if TYPE_CHECKING:
    from playwright.async_api import Page, Route
    from playwright.async_api import Request as PageRequest
    from scrapy.crawler import Crawler

__all__ = ["PageTraffic"]

logger = logging.getLogger(__name__)
# Set by the browser or by the connection itself: the downloader sets its own.
_HOP_HEADERS = frozenset({"host", "connection", "content-length", "accept-encoding",
                          "proxy-connection", "keep-alive", "transfer-encoding"})
# Never asked for: what no report is read from, and what costs a host's delay each.
_NOT_READ = frozenset({"image", "media", "font"})
_LATE = 3.0  # seconds after an action a popup it opened still comes from it
_DROPPED_ANSWER_HEADERS = frozenset({b"content-encoding", b"content-length",
                                     b"transfer-encoding"})
_ANSWER_MAX = 5 * 1024 * 1024  # a JSON answer kept for the report it may hold, at most


class PageTraffic:
    """The traffic of one rendered page: what it asked, what it was refused, where it went."""

    def __init__(self, crawler: Crawler, request: scrapy.Request, max_requests: int,
                 first_load: tuple[int, list[tuple[bytes, bytes]], bytes, str | None] | None
                 ) -> None:
        self.crawler = crawler
        self.page_url = request.url
        self.agency = request.meta.get(AGENCY)
        self.max_requests = max_requests
        self._first_load = first_load
        self.asked = 0  # requests the page made (its first load aside)
        self.skipped = 0  # images, media and fonts: not asked for
        self.requests: list[str] = []  # answered through the downloader
        self.refused: list[tuple[str, str]] = []  # (url, why): aborted in the page
        self.failed: list[tuple[str, str]] = []
        self.navigations: list[str] = []  # the main frame's documents, in order
        self.popups: list[str] = []
        self.document_status = 200  # the main frame's last document
        self.document_record: str | None = None  # its WARC response record
        self.page: Page | None = None
        self.caught: list[tuple[str, str]] = []  # (url, the text acted on): held navigations
        # a report page's JSON answers, kept: an app's report may exist only in one
        self.keeps_answers = str(request.meta.get(ROLE)) == "report"
        self.answers: list[tuple[str, str, bytes, bytes, Any]] = []  # method, url, sent, body,
        # record
        self._held: str | None = None  # the text of the control acted on, the page held
        self._released: tuple[str, float] = ("", 0.0)
        self._in_flight = 0
        self._last = time.monotonic()  # when a request last started or ended

    async def attach(self, page: Page, request: scrapy.Request) -> None:
        """``playwright_page_init_callback``: route the page's requests (and its popups',
        through its context), watch its popups."""
        self.page = page
        await page.route("**/*", self._route)
        await page.context.route("**/*", self._route)
        page.on("popup", self._popup)

    def hold(self, text: str) -> None:
        """Until ``release``: a navigation of the page is caught as a link, not made."""
        self._held = text
        self._last = time.monotonic()

    def release(self) -> None:
        """The page is let go; a popup the action opens late still takes its text."""
        self._released = (self._held or "", time.monotonic())
        self._held = None

    def _acted_on(self) -> str:
        """The text of the control whose action this navigation comes from."""
        if self._held is not None:
            return self._held
        text, when = self._released
        return text if time.monotonic() - when < _LATE else ""

    async def quiet(self, idle: float = 0.5, timeout: float = 60.0) -> bool:
        """Until the page has had no request on its way for ``idle`` seconds (what an
        action loaded has arrived: each request waits its host's delay), at most
        ``timeout`` (``idle`` at least: the requests an action starts come to the route
        a moment after it); False if requests were still on their way. Playwright's
        ``networkidle`` is reached once per load and then stays reached: no use after a
        click."""
        asked = time.monotonic()  # a request an action starts reaches us a moment later
        deadline = asked + timeout
        while time.monotonic() < deadline:
            if not self._in_flight and time.monotonic() - max(self._last, asked) >= idle:
                return True
            await asyncio.sleep(0.05)
        return not self._in_flight

    def info(self, final_url: str, reason: str) -> dict[str, Any]:
        """What the page did, for its page-info record (``archive.rendered``)."""
        return {"final_url": final_url, "status": self.document_status, "reason": reason,
                "navigations": self.navigations, "popups": self.popups,
                "requests": self.requests, "refused": [list(r) for r in self.refused],
                "failed": [list(f) for f in self.failed], "skipped": self.skipped,
                "document_record": self.document_record,
                "answers": [[method, url, sent.decode("latin-1")]
                            for method, url, sent, _, _ in self.answers]}

    async def _popup(self, popup: Page) -> None:
        if popup.url.startswith(("http://", "https://")):
            self.popups.append(popup.url)
            self.caught.append((popup.url, self._acted_on()))
        await popup.close()

    async def _route(self, route: Route, asked: PageRequest) -> None:
        url = asked.url
        if not url.startswith(("http://", "https://")):
            await route.continue_()  # data:, blob: never reach a network
            return
        frame = _frame_of(asked)  # None: a popup's first navigation, made before its frame
        document = asked.is_navigation_request() and (frame is None or frame.parent_frame is None)
        elsewhere = frame is None or frame.page is not self.page  # a popup's
        if elsewhere or (document and self._held is not None):
            self._last = time.monotonic()
            if document:  # where an action leads: a link, the page stays
                self.caught.append((url, self._acted_on()))
                if elsewhere:
                    self.popups.append(url)
            await route.abort("aborted")
            return
        if asked.resource_type in _NOT_READ:  # nothing a reader reads reports from
            self.skipped += 1
            await route.abort("blockedbyclient")
            return
        if document and self._first_load is not None:
            status, headers, body, record_id = self._first_load
            self._first_load = None
            self._answered_document(url, status, record_id)
            await route.fulfill(status=status, headers=_answer_headers(headers), body=body)
            return
        self.asked += 1
        self._in_flight += 1
        self._last = time.monotonic()
        try:
            await self._send(route, asked, url, document)
        finally:
            self._in_flight -= 1
            self._last = time.monotonic()

    async def _send(self, route: Route, asked: PageRequest, url: str, document: bool) -> None:
        if self.asked > self.max_requests:
            self.refused.append((url, "page request limit"))
            await route.abort("blockedbyclient")
            return
        try:
            response = await self.crawler.engine.download_async(
                await self._scrapy_request(asked))
        except IgnoreRequest as exc:  # the scope, robots.txt, private addresses, the budget
            self.refused.append((url, failure_reason(exc)))
            await route.abort("blockedbyclient")
            return
        except Exception as exc:  # noqa: BLE001 - a download error, named like any other
            self.failed.append((url, failure_reason(exc)))
            await route.abort("failed")
            return
        self.requests.append(url)
        if self.keeps_answers and not document and _is_json(response.body):
            record = response.request.meta.get(WARC_RECORD) if response.request else None
            self.answers.append((asked.method, url, asked.post_data_buffer or b"",
                                 response.body, record))
        if document:
            record = response.request.meta.get(WARC_RECORD) if response.request else None
            self._answered_document(url, response.status, getattr(record, "record_id", None))
        await route.fulfill(status=response.status, body=response.body,
                            headers=_answer_headers(list(response.headers.items())))

    async def _scrapy_request(self, asked: PageRequest) -> scrapy.Request:
        """The page's request as the crawl's: its headers but the crawl's own identity
        (``USER_AGENT``, not Chromium's), and on a recrawl the archive's validators like
        any fetch (a 304 comes back as the archived answer, and is written as a
        revisit: rendering archives only what changed)."""
        headers = {name: value for name, value in (await asked.all_headers()).items()
                   if name.lower() not in _HOP_HEADERS and name.lower() != "user-agent"}
        return scrapy.Request(
            asked.url, method=asked.method, headers=headers, body=asked.post_data_buffer,
            dont_filter=True, priority=1000,
            meta={AGENCY: self.agency, "dont_redirect": True, "dont_merge_cookies": True,
                  "handle_httpstatus_all": True, "browser_page": self.page_url})

    def _answered_document(self, url: str, status: int, record_id: str | None) -> None:
        self.navigations.append(url)
        self.document_status = status
        self.document_record = record_id


def _is_json(body: bytes) -> bool:
    return len(body) <= _ANSWER_MAX and body.lstrip()[:1] in (b"{", b"[")


def _frame_of(asked: PageRequest) -> Any:
    try:
        return asked.frame
    except Exception:  # noqa: BLE001 - a popup's first request, a service worker's: none
        return None


def _answer_headers(headers: list[tuple[bytes, Any]]) -> dict[str, str]:
    """Headers for the page: the body is handed over decoded, so no Content-Encoding
    or length of the wire's. Repeated headers are joined with commas (RFC 9110), cookies
    one a line (Playwright's way; a line break in another header stalls Chromium)."""
    joined: dict[str, list[str]] = {}
    for name, values in headers:
        if name.lower() in _DROPPED_ANSWER_HEADERS:
            continue
        for value in values if isinstance(values, list) else [values]:
            joined.setdefault(name.decode("latin-1"), []).append(value.decode("latin-1"))
    return {name: ("\n" if name.lower() == "set-cookie" else ", ").join(values)
            for name, values in joined.items()}
