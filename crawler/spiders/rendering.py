"""Which pages go to the browser, and how a JavaScript challenge is passed.

The spider asks here after reading a page statically; the rules are
``crawler.discovery.escalation``'s. A page that needs the browser gets a render request
(``meta[RENDER]``, answered by ``crawler.browser``) in the role it was fetched in, so
what the browser shows goes through the same discovery as any page. Without a browser
(``BROWSER=never``, no Chromium) the page is named in its agency's account instead, and
its status says how many pages needed one.

A challenge (HTTP 202/412/521 and a script) is passed in the browser once per host: the
cookies it sets go to the crawl's jar, so the host's other requests go the plain way.
Requests that met the challenge while it was being passed are asked again once it is;
when it comes back, it is passed again, up to ``BROWSER_CHALLENGE_PASSES`` times a host.
A challenge the browser cannot pass ends as ``blocked: JavaScript challenge`` (the
render's own error, through the agency's bookkeeping).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from ..agencies import Agency, CrawlAgencies
from ..browser import BROWSER_SLOT, browser_mode
from ..discovery import PRIORITY, Link, Role, url_key
from ..discovery.escalation import (
    ACTION_REASONS,
    PageView,
    agency_escalations,
    browser_shortfall,
    department_escalations,
    is_challenge,
    page_escalation,
)
from ..discovery.status import agency_status
from ..discovery.urls import app_address
from ..meta import (
    AGENCY,
    DONT_REVISIT,
    FRAGMENT,
    LINK_TEXT,
    LIST_API,
    LIST_COLUMN,
    PAGER,
    RENDER,
    RENDER_FROM,
    RENDERED,
    ROLE,
    WARC_RECORD,
)

__all__ = ["Rendering"]

logger = logging.getLogger(__name__)
_KEPT = (AGENCY, ROLE, LINK_TEXT, LIST_COLUMN, FRAGMENT, PAGER)  # a page's meta, rendered
_WALKED = (Role.START, Role.AREA, Role.DEPARTMENTS, Role.LIST)  # BROWSER=always renders these
_RETRIED = "challenge_retried"
# roles whose challenge page is rendered in their place (a document's is not a page)
_PAGES = (Role.START, Role.AREA, Role.DEPARTMENTS, Role.LIST, Role.REPORT)


class Rendering:
    def __init__(self, crawler: Crawler, agencies: CrawlAgencies,
                 callbacks: tuple[Callable[..., Any], Callable[..., Any]],
                 departments: bool = True) -> None:
        self.crawler = crawler
        self.departments = departments  # portals' departments are crawled
        self.agencies = agencies
        self.mode = browser_mode(crawler.settings)
        self.challenge_passes = crawler.settings.getint("BROWSER_CHALLENGE_PASSES")
        self.pass_timeout = 3 * crawler.settings.getfloat("BROWSER_TIMEOUT")
        self.callback, self.errback = callbacks
        self._passes: Counter[str] = Counter()  # host -> challenges passed (or tried)
        self._passing: dict[str, asyncio.Future[None]] = {}
        self._logged: set[str] = set()  # agencies whose first render is logged
        self._ended: set[str] = set()  # agencies escalated at their end
        crawler.signals.connect(self._idle, signal=signals.spider_idle)
        if self.mode == "never" and str(crawler.settings.get("BROWSER")).lower() != "never":
            logger.warning("No Chromium on this machine (BROWSER_EXECUTABLE=%s): pages that "
                           "need a browser are named in the summary, not rendered",
                           crawler.settings.get("BROWSER_EXECUTABLE") or "chromium")

    # --------------------------------------------------------------- pages
    def page(self, response: TextResponse, agency: Agency, role: Role,
             leads: int, planned: int = 0, reports: int = 0) -> scrapy.Request | None:
        """A statically read page that needs the browser: its render request. (Start and
        disclosure pages are noted: the agency's end may render them.) ``reports``: the
        report links it gave (a rendered list's, in every state the actions showed)."""
        account = self.agencies.account(agency.id)
        if role in (Role.START, Role.AREA, Role.DEPARTMENTS):
            account.page_seen(response.url, departments=role is Role.DEPARTMENTS)
        if response.meta.get(RENDER):
            # a rendered page: never sent again; its host's pass is over (the host asked,
            # wherever the page ended)
            self._passed(response.request.url if response.request else response.url)
            self._acted(response, account, role, reports)
            return None
        if self.mode == "always" and role in _WALKED:
            reason: str | None = "always"
        else:
            reason = page_escalation(PageView(response.status, response.text[:300_000],
                                              role.value, leads, False, planned,
                                              response.selector.root))
        if reason is None:
            return None
        return self._render(response.url, agency, reason, response.meta,
                            _first_load(response))

    def shown_links(self, response: Response) -> list[Link]:
        """What a rendered page showed besides its final DOM: where it went by itself on
        load (navigations, popups), and the links of every state a reader's actions took
        it through (each with the text it was shown with: a row's, an option's)."""
        info = response.meta.get(RENDERED) or {}
        urls = [*info.get("navigations", [])[:-1], *info.get("popups", [])]
        shown = [Link(url, "") for url in urls if url != response.url]
        return [*(Link(url, text) for url, text in info.get("links", [])), *shown]

    def _acted(self, response: Response, account: Any, role: Role, reports: int) -> None:
        """What a reader's actions did to the page's list: the pages a script pager
        showed count as its pages; a bound that stopped them with more to do leaves it
        short, saying how many records the browser read of how many the list states."""
        info = response.meta.get(RENDERED) or {}
        account.actions.update(info.get("action_kinds") or {})
        column = account.column(response.meta.get(LIST_COLUMN, response.url)) \
            if role is Role.LIST else None
        if column is not None and info.get("pages", 1) > 1:
            for n in range(2, info["pages"] + 1):
                column.page(f"{url_key(response.url)}#page {n}")  # one URL, posted N times
        if info.get("reason") in {*ACTION_REASONS, "departments"} and not info.get("acted"):
            account.lose("not acted on (BROWSER_ACTIONS=0)", response.url, role)
        stopped = ", ".join(info.get("stopped", []))
        if stopped:
            logger.warning("%s: the browser stopped acting on the page (%s): its list may be "
                           "short", response.url, stopped)
            said = browser_shortfall(reports, column.stated_records if column else None,
                                     stopped)
            if column is not None:
                column.unread.append(said)
            else:
                account.lose(said, response.url, role)
        for why, url in info.get("refused_actions", []):  # as a polite reader does
            account.decline(why, url)
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(f"browser/refused/{why}")

    def routed(self, request: scrapy.Request, agency: Agency) -> scrapy.Request:
        """A link to a single-page app's route (``#/zwgk/ndbg``): only a browser shows
        it, so it is rendered at that route (the plain request, for the page itself,
        when there is no browser or the route was rendered before)."""
        url = app_address(request.url, request.meta[FRAGMENT])
        render = self._render(url, agency, "hash route", request.meta, None)
        return render if render is not None else request

    # ----------------------------------------------------------- challenges
    async def challenged(self, failure: Failure) -> scrapy.Request | None:
        """A request answered by a challenge: its render (the host's pass), or, when a
        pass was under way, the same request again once it is done; None when the
        challenge cannot be passed here (no browser, passed too often, a rendered page
        still challenged): the error goes on as a failure."""
        error = failure.value
        request = failure.request  # type: ignore[attr-defined]
        if not isinstance(error, HttpError) or request.meta.get(RENDER):
            return None
        answer = error.response
        text = answer.text[:300_000] if isinstance(answer, TextResponse) else ""
        if not is_challenge(answer.status, text):
            return None
        host = urlsplit(request.url).hostname or ""
        passing = self._passing.get(host)
        retried = request.meta.get(_RETRIED, 0)
        if passing is not None and not passing.done():  # one pass a host at a time
            if retried >= 2:
                return None
            # the pass's own render ends it; one refused or lost on its way must not hold
            # this request for ever
            await asyncio.wait([passing], timeout=self.pass_timeout)
            return request.replace(dont_filter=True, meta={**request.meta, _RETRIED: retried + 1})
        agency = self.agencies.get(request.meta.get(AGENCY))
        role = Role(request.meta.get(ROLE, Role.START))
        if agency is None or self._passes[host] >= self.challenge_passes or \
                role not in _PAGES or request.meta.get(LIST_API) or request.method != "GET":
            return None  # a document, a list API's answer: not a page to render
        render = self._render(answer.url, agency, "challenge", request.meta,
                              _first_load(answer), once=False)
        if render is not None:
            self._passes[host] += 1
            self._passing[host] = asyncio.get_running_loop().create_future()
        return render

    def render_failed(self, request: scrapy.Request) -> None:
        """A render that ended in an error: whoever waited on its pass goes on."""
        if request.meta.get(RENDER):
            self._passed(request.url)

    def _passed(self, url: str) -> None:
        passing = self._passing.get(urlsplit(url).hostname or "")
        if passing is not None and not passing.done():
            passing.set_result(None)

    # ------------------------------------------------------------ at the end
    def ended(self) -> Iterator[scrapy.Request]:
        """Agencies whose crawl ended short (no column, no report, a list short of its
        size, a portal with no department found): their pages to render now, once an
        agency."""
        for agency in list(self.agencies):
            account = self.agencies.account(agency.id)
            if agency.id in self._ended or account.outstanding:
                continue
            self._ended.add(agency.id)  # its end is looked at once, not at every idle
            if account.blocked:
                continue
            for url, reason, role in [*self._portal(agency, account), *_short(agency, account)]:
                request = self._render(url, agency, reason, {ROLE: role}, None)
                if request is not None:
                    yield request

    def _portal(self, agency: Agency, account: Any) -> list[tuple[str, str, Role]]:
        """A portal's pages to render for the departments it showed no one."""
        if not (self.departments and agency.departments):
            return []
        start = (account.seen or [agency.start_url])[0]
        account.departments_sought = not account.department_links
        return [(url, why, Role.START if url == start else Role.DEPARTMENTS) for url, why in
                department_escalations(account.department_links, account.department_pages,
                                       start, account.escalated)]

    def _idle(self) -> None:
        """The crawl has nothing left to do: agencies that ended short get their pages
        rendered (``ended``) before it closes."""
        renders = list(self.ended())
        assert self.crawler.engine is not None
        for request in renders:
            self.crawler.engine.crawl(request)
        if renders:
            raise DontCloseSpider

    # ---------------------------------------------------------------- render
    def _render(self, url: str, agency: Agency, reason: str, meta: dict[str, Any],
                first_load: tuple[int, list[tuple[bytes, bytes]], bytes, str | None] | None,
                once: bool = True) -> scrapy.Request | None:
        account = self.agencies.account(agency.id)
        rendered = self.mode != "never"
        if once and not account.escalate(reason, url, rendered):
            return None
        if not once:
            (account.rendered if rendered else account.unrendered).add("browser", reason, url)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"browser/{reason}" if rendered
                                     else f"browser/not_rendered/{reason}")
        if agency.id not in self._logged:
            self._logged.add(agency.id)
            logger.info("%s (%s): %s needs a browser (%s)%s", agency.name, agency.id, url, reason,
                        "" if rendered else ": no browser, not rendered")
        if not rendered:
            return None
        role = Role(meta.get(ROLE, Role.START))
        kept = {key: meta[key] for key in _KEPT if key in meta}
        return scrapy.Request(
            url, callback=self.callback, errback=self.errback, dont_filter=True,
            priority=PRIORITY[role],
            meta={**kept, AGENCY: agency.id, ROLE: role, RENDER: reason, RENDER_FROM: first_load,
                  "download_slot": BROWSER_SLOT, DONT_REVISIT: True,
                  # a render's latency is the page's, not a server's: no delay learnt from it
                  "autothrottle_dont_adjust_delay": True})


def _short(agency: Agency, account: Any) -> list[tuple[str, str, Role]]:
    """An agency's pages to render because its crawl ended short of a complete one."""
    status = agency_status(account)
    if status == "complete" or status.startswith(("trapped", "unreachable")):
        return []
    columns = [column.url for column in account.columns]
    short = [column.url for column in account.columns if column.shortfall()]
    start = account.seen[:1] or [agency.start_url]
    return [(url, reason, Role.START if url in start else Role.LIST if url in columns
             else Role.AREA)
            for url, reason in agency_escalations(status, account.seen or [agency.start_url],
                                                  columns, short, [*account.escalated])]


def _first_load(response: Response) -> tuple[int, list[tuple[bytes, bytes]], bytes, str | None]:
    """The page as fetched, for the browser's first load of it: status, headers as
    received (still naming their encoding: the body is the decoded one), body, record."""
    record = response.meta.get(WARC_RECORD)
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    return (response.status, headers, response.body, getattr(record, "record_id", None))
