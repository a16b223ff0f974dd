"""The browser fetcher: scrapy-playwright driving Debian's Chromium, for the requests the
discovery rules send to it (``request.meta[RENDER]``, ``crawler.discovery.escalation``).

``BrowserDownloadHandler`` is the crawl's http/https handler: a plain request goes the
static way (``crawler.downloadhandlers.http11``), a render request to the browser. The
browser starts on the first render request, so a crawl that needs none starts none.
Each render gets a fresh browser context, closed with its page when the render ends:
memory stays bounded however many pages are rendered, and one page's state never leaks
into the next (the crawl's cookie jar is the one that lasts). A browser that crashed
is started again by scrapy-playwright (``PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER``) and
the page is tried once more. ``BROWSER_PAGES`` pages render at once (their own download
slot, ``browser``); what they request waits in its host's slot like any request.

Settings: ``BROWSER`` (``auto`` | ``never`` | ``always``: see ``browser_mode``),
``BROWSER_EXECUTABLE`` (default: ``chromium`` on the PATH), ``BROWSER_PAGES``,
``BROWSER_TIMEOUT`` (seconds a page may take to load and settle),
``BROWSER_PAGE_REQUESTS`` (requests one page may make), ``BROWSER_ACTIONS`` and
``BROWSER_ACTION_TIME`` (a reader's actions on a page, and the seconds they may take:
``behaviours.py``).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import shutil
import time
from typing import TYPE_CHECKING, Any

from scrapy.settings import BaseSettings

from ..downloadhandlers.http11 import HTTP11DownloadHandler
from ..meta import RENDER, RENDER_FROM, RENDERED_ANSWERS, ROLE
from ..middlewares.cookies import OfflineCookiesMiddleware
from .behaviours import Behaviours
from .pages import rendered_response, set_cookie_headers
from .traffic import PageTraffic

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

__all__ = ["BROWSER_SLOT", "BrowserDownloadHandler", "browser_executable", "browser_mode"]

logger = logging.getLogger(__name__)
BROWSER_SLOT = "browser"  # the download slot of render requests (concurrency BROWSER_PAGES)
_ACTED_ON = ("start", "area", "departments", "list")  # pages a reader acts on (behaviours.py)
_PLAYWRIGHT_KEYS = ("playwright", "playwright_include_page", "playwright_context",
                    "playwright_page_init_callback", "playwright_page_methods",
                    "playwright_page_goto_kwargs", "playwright_page",
                    "playwright_security_details")
# Chromium reaches nothing by itself: every request is answered through the crawl
# (traffic.py); a proxy that does not exist catches whatever would slip past the route.
_LAUNCH_ARGS = ["--proxy-server=http://127.0.0.1:9", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--mute-audio"]


def browser_executable(settings: BaseSettings) -> str | None:
    """The Chromium to drive, or None when this machine has none."""
    configured = settings.get("BROWSER_EXECUTABLE")
    return shutil.which(configured) if configured else shutil.which("chromium") or \
        shutil.which("chromium-browser")


def browser_mode(settings: BaseSettings) -> str:
    """``auto``: pages the rules send; ``always``: every page on the way to reports too;
    ``never``: none (every page it would have rendered is named instead). ``auto`` and
    ``always`` on a machine without Chromium act as ``never``. ``archive`` (``scrapy crawl
    archive``): ``auto``, the rendered pages read from the archive, no browser needed."""
    mode = str(settings.get("BROWSER") or "auto").lower()
    if mode == "archive":
        return "auto"
    if mode not in ("auto", "never", "always"):
        raise ValueError(f"BROWSER must be auto, never or always, not {mode!r}")
    if mode != "never" and browser_executable(settings) is None:
        return "never"
    return mode


class BrowserDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.crawler = crawler
        settings = crawler.settings
        self.timeout = settings.getfloat("BROWSER_TIMEOUT")
        self.page_requests = settings.getint("BROWSER_PAGE_REQUESTS")
        self.max_actions = settings.getint("BROWSER_ACTIONS")
        self.action_time = settings.getfloat("BROWSER_ACTION_TIME")
        self.barren_steps = settings.getint("TRAP_PAGES")  # as a pager's barren pages
        self._playwright: ScrapyPlaywrightDownloadHandler | None = None
        self._starting = asyncio.Lock()
        self._pages = asyncio.Semaphore(max(1, settings.getint("BROWSER_PAGES")))
        self._contexts = itertools.count(1)

    async def download_request(self, request: Request) -> Response:
        if request.meta.get(RENDER):
            return await self._render(request)
        return await super().download_request(request)

    async def close(self) -> None:
        if self._playwright is not None:
            await self._playwright.close()
        await super().close()

    async def _render(self, request: Request) -> Response:
        async with self._pages:
            return await self._render_or_retry(request)

    async def _render_or_retry(self, request: Request) -> Response:
        try:
            return await self._render_once(request)
        except Exception as exc:  # noqa: BLE001 - a crashed page or browser: once more
            if not _crashed(exc):
                raise
            logger.warning("The browser crashed rendering %s (%s): trying it once more",
                           request.url, exc)
            self._count("browser/crashed")
            return await self._render_once(request)

    async def _render_once(self, request: Request) -> Response:
        playwright = await self._started()
        started = time.monotonic()
        traffic = PageTraffic(self.crawler, request, self.page_requests,
                              request.meta.get(RENDER_FROM))
        cookies = OfflineCookiesMiddleware.of(self.crawler)
        jar = cookies.browser_cookies(request.url, request.meta.get("cookiejar")) \
            if cookies else []

        async def init(page: Any, request: Request) -> None:
            await traffic.attach(page, request)  # first: nothing may pass unrouted
            for cookie in jar:  # one the browser refuses is no reason to lose the others
                try:
                    await page.context.add_cookies([cookie])
                except Exception as exc:  # noqa: BLE001 - Playwright's Error
                    logger.debug("Cookie %s not given to the browser (%s)", cookie["name"], exc)

        from scrapy_playwright.page import PageMethod

        behaviours = Behaviours(traffic, self.max_actions, self.action_time, self.barren_steps)
        methods = [PageMethod(_settle, self.timeout)]
        if str(request.meta.get(ROLE)) in _ACTED_ON and self.max_actions > 0:
            methods.append(PageMethod(behaviours.run))
        request.meta.update(
            playwright=True, playwright_include_page=True,
            playwright_context=f"render-{next(self._contexts)}",
            playwright_page_init_callback=init,
            playwright_page_methods=methods,
            playwright_page_goto_kwargs={"wait_until": "load", "timeout": self.timeout * 1000})
        page = None
        try:
            answer = await playwright.download_request(request)
            page = request.meta.get("playwright_page")
            final_url = page.url if page is not None else answer.url
            set_cookies = set_cookie_headers(await page.context.cookies([final_url])) \
                if page is not None else []
        finally:
            page = page or request.meta.get("playwright_page")
            for key in _PLAYWRIGHT_KEYS:  # pages and callbacks never travel on in meta
                request.meta.pop(key, None)
            if page is not None:  # requests still on their way answer no closed page
                await page.unroute_all(behavior="ignoreErrors")
                await page.context.unroute_all(behavior="ignoreErrors")
                await page.context.close()
        self._count("browser/pages")
        if behaviours.actions and self.crawler.stats is not None:
            self.crawler.stats.inc_value("browser/actions", behaviours.actions)
            for kind, n in behaviours.kinds.items():
                self.crawler.stats.inc_value(f"browser/actions/{kind}", n)
        if self.crawler.stats is not None:  # what rendering costs, in the browser's time
            self.crawler.stats.inc_value("browser/render_ms",
                                         int((time.monotonic() - started) * 1000))
        info = {**traffic.info(final_url, str(request.meta[RENDER])), **behaviours.info()}
        request.meta[RENDERED_ANSWERS] = [(url, body, record) for _, url, _, body, record
                                          in traffic.answers]
        return rendered_response(request, answer.text, info, set_cookies)

    async def _started(self) -> ScrapyPlaywrightDownloadHandler:
        async with self._starting:
            if self._playwright is None:
                self._playwright = await self._start()
        return self._playwright

    async def _start(self) -> ScrapyPlaywrightDownloadHandler:
        from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

        executable = browser_executable(self.crawler.settings)
        handler = ScrapyPlaywrightDownloadHandler(self.crawler)
        handler.config.launch_options = {"executable_path": executable, "headless": True,
                                         "args": _LAUNCH_ARGS}
        handler.config.browser_type_name = "chromium"
        # Started by hand: it listens for engine_started, which has passed by the time a
        # first page needs rendering (scrapy-playwright 0.0.48, pinned in pyproject.toml).
        await handler._maybe_launch_in_thread()
        logger.info("Browser started: %s", executable)
        return handler

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


async def _settle(page: Any, timeout: float) -> None:
    """Wait until the page has made no request for half a second (its lists and APIs
    loaded), at most ``timeout`` seconds: a page that polls forever is read as it is."""
    try:
        await page.wait_for_load_state("networkidle", timeout=timeout * 1000)
    except Exception as exc:  # noqa: BLE001 - Playwright's TimeoutError: read it as it is
        logger.debug("%s did not settle in %s s (%s): read as it is", page.url, timeout, exc)


def _crashed(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}"
    return any(sign in text for sign in ("TargetClosed", "crash", "Target closed",
                                         "Browser closed", "browser has been closed"))
