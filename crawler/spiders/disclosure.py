"""``scrapy crawl disclosure``: find and archive agencies' annual disclosure reports.

    scrapy crawl disclosure [-a registry=PATH] [-a agency=ID[,ID]] [-a province=NAME|CODE]
                            [-a years=2019-2024] [-a departments=no] [-a emit=all]
                            [-O items.jsonl]

From each agency's start page the spider walks towards its disclosure area
(政府信息公开), its annual-report column (年报) and the reports listed there. It
routes responses; it decides nothing itself and assembles no report:

- what each link is for: ``crawler.discovery`` (``link_role``), and which URL spaces
  never end (``crawler.discovery.traps``);
- which pages only a browser reads, and JavaScript challenges: ``crawler.spiders.rendering``
  (the rules in ``crawler.discovery.escalation``, the browser in ``crawler.browser``);
- how each CMS family pages its lists: ``crawler.discovery.families``;
- a report from its first page to its item: ``crawler.reports.ReportAssembler``;
- what happened to each agency: its account (``crawler.agencies.account``), which the
  spider tells what it saw (families, lists, links declined or refused).

A portal marked ``departments: true`` also yields its departments' sites as new
agencies. Only the agencies' own hosts are requested (``crawler.middlewares.scope``).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Collection, Iterator
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from ..agencies import Agency, AgencyAccount, CrawlAgencies
from ..browser.pages import app_report
from ..discovery import (
    PRIORITY,
    REPORT_ROLES,
    Link,
    Role,
    anchor_links,
    department_agency,
    hash_route,
    in_years,
    is_report_title,
    page_title,
    renamed,
    url_key,
)
from ..discovery.failures import failure_reason
from ..discovery.families import FAMILIES, detect_family, family_named
from ..discovery.reports import report_documents
from ..discovery.traps import url_template
from ..discovery.urls import app_address
from ..distributed import is_distributed
from ..extract.sniff import sniff
from ..meta import (
    AGENCY,
    FRAGMENT,
    LINK_TEXT,
    LIST_API,
    LIST_COLUMN,
    PAGER,
    RENDERED,
    RENDERED_ANSWERS,
    ROLE,
)
from ..reports import ReportAssembler, cut_reason
from ..run import Run
from ..signals import request_failed
from .arguments import SPIDER_ARGUMENTS, ArgumentError, CrawlArguments
from .following import Following
from .lists import ListPages
from .rendering import Rendering

logger = logging.getLogger(__name__)
_SCHEDULER_ARGUMENTS = {"_job"}  # scrapyd names each job
_DOCUMENT_KINDS = {"pdf", "docx", "doc", "wps", "ofd", "xls", "xlsx"}


def is_document(response: Response) -> bool:
    """A file rather than a web page, whatever its Content-Type claims."""
    return not isinstance(response, TextResponse) or sniff(response.body) in _DOCUMENT_KINDS


class DisclosureSpider(scrapy.Spider):
    name = "disclosure"
    # Set by from_crawler: they need the crawler's settings and shared records.
    agencies: CrawlAgencies
    reports: ReportAssembler
    following: Following
    lists: ListPages
    rendering: Rendering
    attachment_maxsize: int
    inline_max: int

    def __init__(self, registry: str | None = None, agency: str | None = None,
                 province: str | None = None, years: str | None = None,
                 departments: str | None = None, emit: str | None = None,
                 **kwargs: Any) -> None:
        unknown = sorted(set(kwargs) - _SCHEDULER_ARGUMENTS)
        if unknown:
            known = ", ".join(argument.name for argument in SPIDER_ARGUMENTS)
            raise ArgumentError(f"unknown argument(s) {', '.join(f'-a {n}' for n in unknown)};"
                                f" known: {known}")
        if emit not in (None, "changed", "all"):
            raise ArgumentError(f"emit must be changed or all, got {emit!r}")
        super().__init__(**kwargs)
        self.arguments = CrawlArguments.parse(registry, agency, province, years, departments)
        self._asked = {"registry": registry, "agency": agency, "province": province,
                       "years": years, "departments": departments, "emit": emit}
        self._families_logged: set[str] = set()

    @classmethod
    def check_arguments(cls, **kwargs: Any) -> None:
        """Raise ``ArgumentError`` (or ``RegistryError``) for ``-a`` arguments this spider
        cannot use, before Scrapy starts (``crawler.commands.crawl``, ``gov-archive
        crawl``): the spider's own ``__init__`` is the check, so it never differs from
        what the crawl would say, for a subclass's arguments too."""
        cls(**kwargs)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DisclosureSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        Run.of(crawler).arguments = spider._asked  # a resumed run must be asked the same
        spider.agencies = CrawlAgencies.of(crawler)
        if not is_distributed(crawler.settings):  # else they come from the frontier
            spider.agencies.extend(spider.arguments.agencies)
        settings = crawler.settings
        spider.attachment_maxsize = settings.getint("ATTACHMENT_MAXSIZE")
        spider.inline_max = settings.getint("EXTRACT_INLINE_MAX")
        spider.reports = ReportAssembler.from_crawler(crawler, spider._request)
        spider.following = Following(
            spider.agencies, spider._request, spider._department,
            max_pages=settings.getint("AGENCY_MAX_PAGES"),
            trap_pages=settings.getint("TRAP_PAGES"), years=spider.arguments.years,
            departments=spider.arguments.departments)
        spider.lists = ListPages(spider.agencies, spider.following, spider._scoped)
        spider.rendering = Rendering(crawler, spider.agencies, (spider.parse, spider.on_error),
                                     spider.arguments.departments)
        return spider

    # ------------------------------------------------------------- requests in
    async def start(self) -> AsyncIterator[scrapy.Request]:
        years = self.arguments.years
        if years is not None:  # the summary's span for missing years
            self.crawler.stats.set_value("crawl/years", [years[0], years[-1]])
        for agency in self.agencies:  # none when distributed: see start_agency
            yield self._request(agency.start_url, agency, Role.START)

    def start_agency(self, agency: Agency) -> scrapy.Request:
        """An agency joins this crawl now (``crawler.distributed``: claimed from the
        frontier): its start request."""
        self.agencies.extend([agency])
        return self._request(agency.start_url, agency, Role.START)

    def joins(self, agency: Agency) -> bool:
        """May a department found here join the crawl? Always, in one process; the
        distributed crawl asks the frontier whether another worker has it."""
        return True

    def _request(self, url: str, agency: Agency, role: Role, text: str = "",
                 fragment: str = "", dont_filter: bool = False, **meta: Any) -> scrapy.Request:
        if role in (Role.DOCUMENT, Role.ATTACHMENT) and self.attachment_maxsize:
            meta.setdefault("download_maxsize", self.attachment_maxsize)
        if fragment:
            meta[FRAGMENT] = fragment
        if role is Role.LIST:  # a column of its own (or a sub-column); an app's, at its route
            meta.setdefault(LIST_COLUMN, app_address(url, fragment))
        request = scrapy.Request(url, callback=self.parse, errback=self.on_error,
                                 priority=PRIORITY[role], dont_filter=dont_filter,
                                 meta={AGENCY: agency.id, ROLE: role, LINK_TEXT: text, **meta})
        return self.rendering.routed(request, agency) if hash_route(f"#{fragment}") else request

    def _scoped(self, request: scrapy.Request, response: Response, agency: Agency,
                role: Role) -> scrapy.Request:
        """A request a CMS family made for ``response``'s list, given its agency, role,
        column and callbacks."""
        request.meta.update({AGENCY: agency.id, ROLE: role,
                             LIST_COLUMN: response.meta.get(LIST_COLUMN, response.url)})
        request.priority = PRIORITY[role]
        request.callback, request.errback = self.parse, self.on_error
        return request

    # ------------------------------------------------------------ dispatch
    async def parse(self, response: Response, **kwargs: Any) -> AsyncIterator[Any]:
        """Every response comes here first and goes where its role says."""
        role = Role(response.meta.get(ROLE, Role.START))
        if role is Role.ATTACHMENT:
            yield await self.reports.attachment(response)
        elif role is Role.PART:
            yield await self.reports.part(response)
        elif role in (Role.REPORT, Role.DOCUMENT) and is_document(response):
            yield await self.reports.document(response)  # a report link that served a file
        elif not isinstance(response, TextResponse):
            self._not_a_page(response, role)
        elif response.meta.get(LIST_API):
            for output in self.parse_list_api(response):
                yield output
        else:
            async for output in self.parse_page(response, role):
                yield output

    async def parse_page(self, response: TextResponse, role: Role) -> AsyncIterator[Any]:
        """A page on the way to reports (start, area, list, departments) or a report."""
        if len(response.body) > self.inline_max:  # parsing it takes a while:
            await asyncio.to_thread(lambda: response.selector)  # not on the event loop
        agency = self._agency(response)
        self._note_family(agency, detect_family(response))
        if role is Role.START:
            self._rename(agency, response)
        read_from = None
        if role in REPORT_ROLES and response.meta.get(RENDERED_ANSWERS):
            app = app_report(response)  # a report that exists only in an app's JSON
            if app is not None:
                response, read_from = app
        links = [*anchor_links(response.selector, response.urljoin),
                 *self.rendering.shown_links(response)]
        title = page_title(response.selector) or ""
        claimed: set[str] = set()  # a report's own documents: fetched with it, not apart
        if is_report_title(title) and in_years(title, self.arguments.years):
            documents = report_documents(links, agency, response.url)
            claimed = {url_key(link.url) for link in documents}
            yield await self.reports.page(response, agency, title, links, documents, read_from)
        elif role in REPORT_ROLES:
            self.reports.not_a_report(response, agency, title)
        else:
            self._cut_page(response, agency, role)
        onward, leads, planned, reports = self._onward(response, agency, role, links, claimed)
        render = self.rendering.page(response, agency, role, leads, planned, reports)
        for request in [*onward, *([render] if render is not None else [])]:
            yield request

    def _onward(self, response: TextResponse, agency: Agency, role: Role, links: list[Link],
                claimed: Collection[str]) -> tuple[list[Any], int, int, int]:
        """Where a page leads: its links worth following (reports first), then, on a list,
        the rest of its column, as far as the agency's budget goes; and how many of them
        lead on (a list's records, or a page's ways towards them: the pages it was
        reached from are no way on), how many further list pages were planned, and how
        many report links it gave."""
        links = links + [link for family in FAMILIES for link in family.links(response)]
        column = self.lists.tally(response, agency) if role is Role.LIST else None
        chosen, departments = self.following.choose(response, agency, role, links, column,
                                                     claimed)
        reports = sum(1 for _, next_role in chosen if next_role in REPORT_ROLES)
        pages = self.lists.plan(response, agency, column, reserved=reports) if column else []
        planned = {url_key(request.url) for request in pages}
        chosen = [(link, r) for link, r in chosen if url_key(link.url) not in planned]
        behind = {url_key(url) for url in self._account(agency).seen}
        ahead = [r for link, r in chosen if url_key(link.url) not in behind
                 and (r in REPORT_ROLES or r is Role.LIST or column is None)]
        # a list's own next pages are no record of it; its list API's answers hold them
        apis = sum(1 for request in pages if request.meta.get(LIST_API))
        leads = len(ahead) + (apis if column is not None else len(departments) + len(pages))
        new_reports = Counter[str]()
        onward: list[Any] = [*departments, *self.following.follow(
            response, agency, chosen, new_reports, reserved=len(pages))]
        shown = response.meta.get(RENDERED) or {}  # acted on: the page's last state only
        if column is not None and not pages and not shown.get("acted"):  # (or an API's)
            self.lists.empty(response, column)
        revealed = {url_key(url) for url in shown.get("revealed", [])}  # by a tab, a choice
        found = sum(1 for link, r in chosen
                    if r in REPORT_ROLES and url_key(link.address) in revealed)
        if found and column is None:  # the list a reader's action showed: the column
            self._account(agency).column(response.url, "the browser's actions on the page") \
                .links += found
        if response.meta.get(PAGER):  # a page of a pager stating no size: is it barren?
            self._account(agency).template(url_template(response.url)).page(new_reports["new"])
        return [*onward, *pages], leads, len(pages), reports

    def parse_list_api(self, response: TextResponse) -> Iterator[Any]:
        """Answers of a family's list API (Hanweb dataproxy XML, JSON lists)."""
        agency = self._agency(response)
        family = family_named(response.meta[LIST_API])
        self._note_family(agency, family.name)
        self._cut_page(response, agency, Role.LIST)
        yield from self.lists.api_answer(response, agency, family)

    def _department(self, link: Link, portal: Agency) -> Iterator[scrapy.Request]:
        department = department_agency(link, portal)
        if department is None:
            return  # not a department's site
        self._account(portal).department_links += 1
        if not self.agencies.can_add(department) or not self.joins(department):
            return  # one in the registry or found before
        self.agencies.add(department)
        self.crawler.stats.inc_value("discovery/departments_found")
        logger.info("Found department %s (%s) on %s", department.name,
                    department.allowed_domains[0], portal.name)
        yield self._request(department.start_url, department, Role.START, link.text,
                            depth_reset=True)  # a site of its own: DEPTH_LIMIT starts again

    def _cut_page(self, response: Response, agency: Agency, role: Role) -> None:
        """A page on the way to reports that came cut short: what it would have led to
        may be missing (a list's, a loss that makes the agency incomplete)."""
        cut = cut_reason(response)
        if cut:
            logger.warning("A %s page came cut short: %s (%s)", role.value, response.url, cut[1])
            self._account(agency).lose(cut[0], response.url, role)

    def _rename(self, agency: Agency, response: TextResponse) -> None:
        name = renamed(agency, response.xpath('//meta[@name="SiteName"]/@content').get())
        if name:
            self.agencies.rename(agency.id, name)

    # ------------------------------------------------------------------ errors
    async def on_error(self, failure: Failure) -> AsyncIterator[Any]:
        """A request that ended in an error: its agency's account says so (through
        ``request_failed``), and a report goes on without what is missing."""
        request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        render = await self.rendering.challenged(failure)
        if render is not None:  # a JavaScript challenge: passed in the browser
            yield render
            return
        self.rendering.render_failed(request)
        self.crawler.signals.send_catch_log(request_failed, request=request, failure=failure)
        step = await self.reports.failed(request, failure_reason(failure.value))
        if step is not None:
            yield step

    # ------------------------------------------------------------- records
    def _agency(self, response: Response) -> Agency:
        return self.agencies[response.meta[AGENCY]]

    def _account(self, agency: Agency) -> AgencyAccount:
        return self.agencies.account(agency.id)

    def _note_family(self, agency: Agency, family: str | None) -> None:
        if not family:
            return
        if agency.id not in self._families_logged:
            self._families_logged.add(agency.id)
            logger.info("%s (%s): CMS family %s", agency.name, agency.id, family)
        self._account(agency).family(family)

    def _not_a_page(self, response: Response, role: Role) -> None:
        account = self.agencies.account_of(response.meta.get(AGENCY))
        if account is not None:
            account.lose("not a web page", response.url, role)
        logger.warning("Expected a %s page at %s, got %s: not read", role.value, response.url,
                       response.headers.get("Content-Type") or "no Content-Type")
