"""``scrapy crawl disclosure``: find and archive agencies' annual disclosure reports.

    scrapy crawl disclosure [-a registry=PATH] [-a agency=ID[,ID]] [-a province=NAME|CODE]
                            [-a years=2019-2024] [-a departments=no] [-O items.jsonl]

From each agency's start page the spider walks towards its disclosure area
(政府信息公开), its annual-report column (年报) and the reports listed there.
What each link is for is decided in ``crawler.discovery`` (``link_role``), how
each CMS family pages its lists in ``crawler.discovery.families``, and how a
report becomes an item in ``crawler.extract``: the spider only routes
responses by their role and turns decisions into requests and items. A portal
marked ``departments: true`` also yields its departments' sites as new
agencies. Only the agencies' own hosts are requested
(``crawler.middlewares.scope``).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from ..agencies import CrawlAgencies, stat_key
from ..discovery import (
    PRIORITY,
    Link,
    Role,
    anchor_links,
    attachment_type,
    department_agency,
    in_years,
    is_report_title,
    link_role,
    page_title,
    renamed,
    report_year,
    trap_reason,
    unique_links,
)
from ..discovery.failures import failure_reason
from ..discovery.families import FAMILIES, detect_family, family_named
from ..extract import extract, report_id
from ..extract.pool import ExtractionPool
from ..items import ReportItem
from ..meta import AGENCY, LINK_TEXT, LIST_API, PENDING, REPORT_ITEM, ROLE, WARC_RECORD
from ..registry import Agency
from .arguments import CrawlArguments

logger = logging.getLogger(__name__)


class DisclosureSpider(scrapy.Spider):
    name = "disclosure"
    # Set by from_crawler: they need the crawler's settings and shared records.
    agencies: CrawlAgencies
    extraction: ExtractionPool
    attachment_maxsize: int

    def __init__(self, registry: str | None = None, agency: str | None = None,
                 province: str | None = None, years: str | None = None,
                 departments: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arguments = CrawlArguments.parse(registry, agency, province, years, departments)
        self._families_logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DisclosureSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.agencies = CrawlAgencies.of(crawler)
        spider.agencies.extend(spider.arguments.agencies)
        spider.attachment_maxsize = crawler.settings.getint("ATTACHMENT_MAXSIZE")
        spider.extraction = ExtractionPool(crawler.settings.getint("EXTRACT_PROCESSES"))
        crawler.signals.connect(spider.extraction.close, signal=signals.spider_closed)
        return spider

    # ------------------------------------------------------------- requests in
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for agency in self.agencies:
            yield self._request(agency.start_url, agency, Role.START)

    def _request(self, url: str, agency: Agency, role: Role, text: str = "",
                 **meta: Any) -> scrapy.Request:
        if role in (Role.DOCUMENT, Role.ATTACHMENT) and self.attachment_maxsize:
            meta.setdefault("download_maxsize", self.attachment_maxsize)
        return scrapy.Request(url, callback=self.parse, errback=self.on_error,
                              priority=PRIORITY[role],
                              meta={AGENCY: agency.id, ROLE: role, LINK_TEXT: text, **meta})

    def _scoped(self, request: scrapy.Request, agency: Agency, role: Role) -> scrapy.Request:
        """A request a CMS family made, given its agency, role and callbacks."""
        request.meta.update({AGENCY: agency.id, ROLE: role})
        request.priority = PRIORITY[role]
        request.callback, request.errback = self.parse, self.on_error
        return request

    # ------------------------------------------------------------ dispatch
    def parse(self, response: Response, **kwargs: Any) -> Any:
        """Every response comes here first and goes to its role's handler."""
        role = Role(response.meta.get(ROLE, Role.START))
        if role is Role.ATTACHMENT:
            return self.parse_attachment(response)
        if not isinstance(response, TextResponse):
            if role in (Role.REPORT, Role.DOCUMENT):  # a report link that served a file
                return self.parse_document(response)
            return self._not_a_page(response, role)
        if response.meta.get(LIST_API):
            return self.parse_list_api(response)
        return self.parse_page(response, role)

    def parse_page(self, response: TextResponse, role: Role) -> Iterator[Any]:
        """A page on the way to reports (start, area, list, departments) or a report."""
        agency = self._agency(response)
        self._note_family(agency, detect_family(response))
        if role is Role.START:
            self._rename(agency, response)
        links = list(anchor_links(response.selector, response.urljoin))
        title = page_title(response.selector) or ""
        if is_report_title(title):
            if in_years(title, self.arguments.years):
                yield from self._report(response, agency, title, links)
            else:
                self._count(agency, "other_years")
        elif role in (Role.REPORT, Role.DOCUMENT):
            self._count(agency, "not_reports")
            logger.info("Not a report after all: %s (%r)", response.url, title)
        for family in FAMILIES:
            links += family.links(response)
        yield from self._follow(response, agency, role, links)
        if role is Role.LIST:
            for family in FAMILIES:
                for request in family.pages(response):
                    yield self._scoped(request, agency, Role.LIST)

    def parse_list_api(self, response: TextResponse) -> Iterator[Any]:
        """Answers of a family's list API (Hanweb dataproxy XML, site-group JSON)."""
        agency = self._agency(response)
        family = family_named(response.meta[LIST_API])
        self._note_family(agency, family.name)
        yield from self._follow(response, agency, Role.LIST, family.api_links(response))
        for request in family.api_pages(response):
            yield self._scoped(request, agency, Role.LIST)

    # --------------------------------------------------------------- links
    def _follow(self, response: TextResponse, agency: Agency, role: Role,
                links: Iterable[Link]) -> Iterator[scrapy.Request]:
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
            if next_role is not None:
                yield self._request(link.url, agency, next_role, link.text)

    def _department(self, link: Link, portal: Agency) -> Iterator[scrapy.Request]:
        department = department_agency(link, portal)
        if department is None or not self.agencies.add(department):
            return  # not a department's site, or one in the registry or found before
        self.crawler.stats.inc_value("discovery/departments_found")
        logger.info("Found department %s (%s) on %s", department.name,
                    department.allowed_domains[0], portal.name)
        yield self._request(department.start_url, department, Role.START, link.text)

    def _rename(self, agency: Agency, response: TextResponse) -> None:
        name = renamed(agency, response.xpath('//meta[@name="SiteName"]/@content').get())
        if name:
            self.agencies.rename(agency.id, name)

    # ------------------------------------------------------------ items out
    def _report(self, response: TextResponse, agency: Agency, title: str,
                links: list[Link]) -> Iterator[Any]:
        """A report page: its item, once its attachments are fetched."""
        item = extract(response.body, response.url, _content_type(response))
        item.title = item.title or title
        self._identify(item, response, agency)
        documents = [link for link in unique_links(links, exclude=response.url)
                     if attachment_type(link.url) and agency.owns(link.url)]
        yield from self._next_attachment(item, documents, agency)

    def _next_attachment(self, item: ReportItem, pending: list[Link],
                         agency: Agency) -> Iterator[Any]:
        """Fetch a report's attachments one after another, then hand over the item."""
        if not pending:
            yield item
            return
        link, rest = pending[0], pending[1:]
        yield self._request(link.url, agency, Role.ATTACHMENT, link.text, dont_filter=True,
                            **{REPORT_ITEM: item, PENDING: rest})

    def parse_attachment(self, response: Response) -> Iterator[Any]:
        item: ReportItem = response.meta[REPORT_ITEM]
        item.attachments.append(_describe(response))
        yield from self._next_attachment(item, response.meta[PENDING], self._agency(response))

    async def parse_document(self, response: Response) -> AsyncIterator[Any]:
        """A report published only as a document (PDF, DOCX...), read in a worker process."""
        agency = self._agency(response)
        link_text = response.meta.get(LINK_TEXT) or ""
        future = self.extraction.submit(response.body, response.url, _content_type(response))
        try:
            item = await asyncio.wrap_future(future)
        except Exception as exc:  # a worker that died on a hostile file: keep the record
            logger.error("Extraction failed for %s", response.url, exc_info=exc)
            item = ReportItem(url=response.url, report_id=report_id(response.url, response.body),
                              source_type=attachment_type(response.url),
                              warnings=[f"extraction failed: {exc!r}"])
        if not item.title or not is_report_title(item.title):
            item.title = link_text or item.title  # scans and untitled files: the link says
        item.year = item.year or report_year(link_text)
        self._identify(item, response, agency)
        yield item

    def _identify(self, item: ReportItem, response: Response, agency: Agency) -> None:
        """Who published it (from the registry) and where its record is (from capture)."""
        agency = self.agencies[agency.id]  # renamed departments
        item.agency, item.agency_id = agency.name, agency.id
        item.province, item.province_code = agency.province, agency.province_code
        item.warc = response.meta.get(WARC_RECORD)

    # -------------------------------------------------------------- errors
    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        agency_id = request.meta.get(AGENCY, "?")
        reason = failure_reason(failure.value)
        self.crawler.stats.inc_value(stat_key(agency_id, "errors", reason))
        logger.info("Could not fetch %s (%s): %s", request.url, agency_id, failure.value)
        agency = self.agencies.get(agency_id)
        if REPORT_ITEM in request.meta and agency is not None:  # keep the report
            item: ReportItem = request.meta[REPORT_ITEM]
            item.warnings.append(f"attachment {request.url} not fetched: {reason}")
            yield from self._next_attachment(item, request.meta[PENDING], agency)

    def _not_a_page(self, response: Response, role: Role) -> None:
        agency_id = response.meta.get(AGENCY, "?")
        self.crawler.stats.inc_value(stat_key(agency_id, "errors", "not a web page"))
        logger.warning("Expected a %s page at %s, got %s: not read", role.value, response.url,
                       _content_type(response) or "no Content-Type")

    # ------------------------------------------------------------- records
    def _agency(self, response: Response) -> Agency:
        return self.agencies[response.meta[AGENCY]]

    def _note_family(self, agency: Agency, family: str | None) -> None:
        if not family:
            return
        if agency.id not in self._families_logged:
            self._families_logged.add(agency.id)
            logger.info("%s (%s): CMS family %s", agency.name, agency.id, family)
        self._count(agency, "family", family)

    def _count(self, agency: Agency, metric: str, detail: object = None) -> None:
        self.crawler.stats.inc_value(stat_key(agency.id, metric, detail))


def _content_type(response: Response) -> str:
    return (response.headers.get("Content-Type") or b"").decode("latin-1")


def _describe(response: Response) -> dict[str, Any]:
    """An attachment as the item lists it."""
    return {"url": response.url,
            "filename": response.meta.get(LINK_TEXT) or response.url.rsplit("/", 1)[-1],
            "media_type": _content_type(response).split(";")[0].strip() or None,
            "size": len(response.body), "sha1": hashlib.sha1(response.body).hexdigest()}
