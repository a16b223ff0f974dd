"""``scrapy crawl disclosure``: find and archive agencies' annual disclosure reports.

    scrapy crawl disclosure [-a registry=PATH] [-a agency=ID[,ID]] [-a province=NAME|CODE]
                            [-a years=2019-2024] [-a departments=no] [-a emit=all]
                            [-O items.jsonl]

From each agency's start page the spider walks towards its disclosure area
(政府信息公开), its annual-report column (年报) and the reports listed there.
What each link is for is decided in ``crawler.discovery`` (``link_role``), how
each CMS family pages its lists in ``crawler.discovery.families``, what a list
says of its own size in ``crawler.discovery.completeness``, how a report's pages
and documents come together in ``crawler.discovery.reports``, and how a report
becomes an item in ``crawler.extract``: the spider routes responses by their
role and turns decisions into requests and items (reports: ``ReportRoles``).
A portal marked ``departments: true`` also yields its departments' sites as new
agencies. Only the agencies' own hosts are requested (``crawler.middlewares.scope``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Collection, Iterable, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from ..agencies import CrawlAgencies, stat_key
from ..discovery import (
    PRIORITY,
    Link,
    Role,
    anchor_links,
    department_agency,
    in_years,
    is_report_title,
    link_role,
    page_title,
    renamed,
    trap_reason,
    unique_links,
    url_key,
)
from ..discovery.completeness import ListTally
from ..discovery.families import FAMILIES, detect_family, family_named
from ..distributed import is_distributed
from ..extract.pool import ExtractionPool
from ..meta import AGENCY, FRAGMENT, LINK_TEXT, LIST_API, LIST_COLUMN, ROLE
from ..registry import Agency
from ..run import Run
from ..shared import shared
from .arguments import ArgumentError, CrawlArguments
from .reports import ReportRoles, is_document, report_documents

logger = logging.getLogger(__name__)
_SCHEDULER_ARGUMENTS = {"_job"}  # scrapyd names each job


class DisclosureSpider(ReportRoles, scrapy.Spider):
    name = "disclosure"
    # Set by from_crawler: they need the crawler's settings and shared records.
    agencies: CrawlAgencies
    lists: ListTally
    extraction: ExtractionPool
    attachment_maxsize: int
    distributed: bool

    def __init__(self, registry: str | None = None, agency: str | None = None,
                 province: str | None = None, years: str | None = None,
                 departments: str | None = None, emit: str | None = None,
                 **kwargs: Any) -> None:
        unknown = sorted(set(kwargs) - _SCHEDULER_ARGUMENTS)
        if unknown:
            raise ArgumentError(f"unknown argument(s) {', '.join(f'-a {n}' for n in unknown)};"
                                " known: registry, agency, province, years, departments, emit")
        if emit not in (None, "changed", "all"):
            raise ArgumentError(f"emit must be changed or all, got {emit!r}")
        super().__init__(**kwargs)
        self.arguments = CrawlArguments.parse(registry, agency, province, years, departments)
        self._asked = {"registry": registry, "agency": agency, "province": province,
                       "years": years, "departments": departments, "emit": emit}
        self._families_logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DisclosureSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        shared(crawler, Run).arguments = spider._asked  # a resumed run must be asked the same
        spider.agencies = CrawlAgencies.of(crawler)
        spider.distributed = is_distributed(crawler.settings)
        if not spider.distributed:  # else they come from the frontier, one at a time
            spider.agencies.extend(spider.arguments.agencies)
        spider.lists = shared(crawler, ListTally)
        spider.attachment_maxsize = crawler.settings.getint("ATTACHMENT_MAXSIZE")
        spider.extraction = ExtractionPool.from_settings(crawler.settings)
        crawler.signals.connect(spider._close_extraction, signal=signals.spider_closed)
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
        if role is Role.LIST:
            meta.setdefault(LIST_COLUMN, url)  # a column of its own (or a sub-column)
        return scrapy.Request(url, callback=self.parse, errback=self.on_error,
                              priority=PRIORITY[role], dont_filter=dont_filter,
                              meta={AGENCY: agency.id, ROLE: role, LINK_TEXT: text, **meta})

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
    def parse(self, response: Response, **kwargs: Any) -> Any:
        """Every response comes here first and goes to its role's handler."""
        role = Role(response.meta.get(ROLE, Role.START))
        if role is Role.ATTACHMENT:
            return self.parse_attachment(response)
        if role is Role.PART:
            return self.parse_part(response)
        if role in (Role.REPORT, Role.DOCUMENT) and is_document(response):
            return self.parse_document(response)  # a report link that served a file
        if not isinstance(response, TextResponse):
            return self._not_a_page(response, role)
        if response.meta.get(LIST_API):
            return self.parse_list_api(response)
        return self.parse_page(response, role)

    async def parse_page(self, response: TextResponse, role: Role) -> AsyncIterator[Any]:
        """A page on the way to reports (start, area, list, departments) or a report."""
        if len(response.body) > self.extraction.inline_max:  # parsing it takes a while:
            await asyncio.to_thread(lambda: response.selector)  # not on the event loop
        agency = self._agency(response)
        self._note_family(agency, detect_family(response))
        if role is Role.START:
            self._rename(agency, response)
        links = list(anchor_links(response.selector, response.urljoin))
        title = page_title(response.selector) or ""
        claimed: set[str] = set()  # a report's own documents: fetched with it, not apart
        if is_report_title(title):
            if in_years(title, self.arguments.years):
                documents = report_documents(links, agency, response.url)
                claimed = {url_key(link.url) for link in documents}
                async for output in self.report_page(response, agency, title, links,
                                                     documents):
                    yield output
            else:
                self._settle(response, agency, "a report of a year not asked for")
        elif role in (Role.REPORT, Role.DOCUMENT):
            self._settle(response, agency, "not a report")
            logger.info("Not a report after all: %s (%r)", response.url, title)
        pages = self._list_pages(response, agency) if role is Role.LIST else []
        for family in FAMILIES:
            links += family.links(response)
        for request in self._follow(response, agency, role, links,
                                    {url_key(r.url) for r in pages} | claimed):
            yield request
        for request in pages:
            yield request

    def parse_list_api(self, response: TextResponse) -> Iterator[Any]:
        """Answers of a family's list API (Hanweb dataproxy XML, JSON lists)."""
        agency = self._agency(response)
        family = family_named(response.meta[LIST_API])
        self._note_family(agency, family.name)
        column = self.lists.column(agency.id, response.meta.get(LIST_COLUMN, response.url))
        links = family.api_links(response)
        column.state(family.api_size(response), _answer(links, response))
        yield from self._follow(response, agency, Role.LIST, links)
        for request in family.api_pages(response):
            yield self._scoped(request, response, agency, Role.LIST)

    def _list_pages(self, response: TextResponse, agency: Agency) -> list[scrapy.Request]:
        """Tally a list page of its column (what it says of its size) and plan the rest."""
        sizes = {family.name: family.size(response) for family in FAMILIES}
        identity = next((s.column for s in sizes.values() if s and s.column), None)
        url = response.meta.get(LIST_COLUMN, response.url)
        column = self.lists.column(agency.id, url, _found_by(response), identity)
        self.lists.alias(agency.id, url, column)
        column.page(url_key(response.url))
        for family in FAMILIES:
            column.state(sizes[family.name], _answer(family.links(response), response))
        return [self._scoped(request, response, agency, Role.LIST)
                for family in FAMILIES for request in family.pages(response)]

    # --------------------------------------------------------------- links
    def _follow(self, response: TextResponse, agency: Agency, role: Role,
                links: Iterable[Link], planned: Collection[str] = ()) -> Iterator[Any]:
        on_portal = (agency.departments and self.arguments.departments
                     and role in (Role.START, Role.DEPARTMENTS))
        for link in unique_links(links, exclude=response.url):
            if not agency.owns(link.url):
                if on_portal:
                    yield from self._department(link, agency)
                continue
            reason = trap_reason(link.url)
            if reason:
                self.crawler.stats.inc_value("discovery/trap_links")
                logger.debug("Not following %s: %s", link.url, reason)
                continue
            next_role = link_role(link.url, link.text, role, agency, self.arguments.years)
            if next_role is not None and url_key(link.url) not in planned:
                yield self._request(link.url, agency, next_role, link.text, link.fragment)

    def _department(self, link: Link, portal: Agency) -> Iterator[scrapy.Request]:
        department = department_agency(link, portal)
        if department is None or not self.agencies.can_add(department) \
                or not self.joins(department):
            return  # not a department's site, or one in the registry or found before
        self.agencies.add(department)
        self.crawler.stats.inc_value("discovery/departments_found")
        logger.info("Found department %s (%s) on %s", department.name,
                    department.allowed_domains[0], portal.name)
        yield self._request(department.start_url, department, Role.START, link.text,
                            depth_reset=True)  # a site of its own: DEPTH_LIMIT starts again

    def _rename(self, agency: Agency, response: TextResponse) -> None:
        name = renamed(agency, response.xpath('//meta[@name="SiteName"]/@content').get())
        if name:
            self.agencies.rename(agency.id, name)

    def _close_extraction(self) -> None:
        self.extraction.close()
        if self.extraction.replaced:
            self.crawler.stats.set_value("extract/workers_replaced", self.extraction.replaced)

    # ------------------------------------------------------------- records
    def _agency(self, response: Response) -> Agency:
        return self.agencies[response.meta[AGENCY]]

    def _note_family(self, agency: Agency, family: str | None) -> None:
        if not family:
            return
        if agency.id not in self._families_logged:
            self._families_logged.add(agency.id)
            logger.info("%s (%s): CMS family %s", agency.name, agency.id, family)
        self.crawler.stats.inc_value(stat_key(agency.id, "family", family))

    def _not_a_page(self, response: Response, role: Role) -> None:
        agency_id = response.meta.get(AGENCY, "?")
        self.crawler.stats.inc_value(stat_key(agency_id, "errors", "not a web page"))
        logger.warning("Expected a %s page at %s, got %s: not read", role.value, response.url,
                       response.headers.get("Content-Type") or "no Content-Type")


def _answer(records: list[Link], response: Response) -> str:
    """Names one list answer by the records in it, so that the same records reached
    twice (a retried call, one page under two URLs) are counted once."""
    if not records:
        return response.url
    return " ".join(sorted({url_key(link.url) for link in records}))


def _found_by(response: Response) -> str:
    """How a column was reached: the link's text and the page it was on."""
    request = response.request
    referer = request.headers.get("Referer") if request is not None else None
    text = response.meta.get(LINK_TEXT) or ""
    where = f" on {referer.decode('latin-1')}" if referer else ""
    return f"link {text!r}{where}" if text else f"start page{where}"
