"""``scrapy crawl disclosure``: find and archive agencies' annual disclosure reports.

    scrapy crawl disclosure [-a registry=PATH] [-a agency=ID[,ID]] [-a province=NAME|CODE]
                            [-a years=2019-2024] [-a departments=no] [-O items.jsonl]

From each agency's start page the spider walks towards its disclosure area
(政府信息公开), its annual-report column (年报) and the reports listed there,
by link text and URL slugs; on list pages every CMS family's pagination is
applied (``crawler.discovery.families``). A portal marked ``departments: true``
also yields its departments' sites as new agencies. Only the agencies' own
hosts are requested (``crawler.middlewares.scope``).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from ..discovery import (
    FAMILIES,
    Link,
    anchor_links,
    attachment_type,
    canonical_url,
    department_agency,
    detect_family,
    family_named,
    is_department_link,
    is_area_text,
    is_area_url,
    is_column_text,
    is_column_url,
    is_departments_text,
    is_report_candidate,
    is_report_title,
    report_year,
    trap_reason,
)
from ..discovery.families import API_META
from ..extensions.warc import META_KEY as WARC_META_KEY
from ..extract import extract, report_id
from ..extract.pool import ExtractionPool
from ..items import ReportItem
from ..middlewares.scope import OffScope
from ..registry import DEFAULT_REGISTRY, Agency, load_registry

logger = logging.getLogger(__name__)

AGENCY = "agency_id"
ROLE = "role"  # start | area | list | departments | report | document | attachment
PRIORITY = {"report": 40, "document": 40, "attachment": 50, "list": 30, "area": 20,
            "departments": 20}


def _parse_years(value: str | None) -> range | None:
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", value)
    if not match:
        raise ValueError(f"years must look like 2021 or 2019-2024, got {value!r}")
    start, end = int(match.group(1)), int(match.group(2) or match.group(1))
    return range(min(start, end), max(start, end) + 1)


def _flag(value: str | bool | None, default: bool) -> bool:
    if value is None:
        return default
    return str(value).lower() not in ("0", "no", "false", "off")


def _reason(error: BaseException) -> str:
    """A short, countable name for why a request failed."""
    response = getattr(error, "response", None)
    if response is not None:
        if b"$_ts" in response.body[:20000]:  # 瑞数 (Riversecurity) JS challenge
            return f"HTTP {response.status} anti-bot JavaScript challenge"
        return f"HTTP {response.status}"
    if isinstance(error, OffScope):
        return "off the agency's hosts" if "not a host" in str(error) else "page budget"
    if isinstance(error, IgnoreRequest) and "robots.txt" in str(error):
        return "robots.txt"
    if "larger than download max size" in str(error):
        return "too large"
    return error.__class__.__name__


class DisclosureSpider(scrapy.Spider):
    name = "disclosure"

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> DisclosureSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Report documents may be large scans; pages are not.
        spider.attachment_maxsize = crawler.settings.getint("ATTACHMENT_MAXSIZE")
        spider.extraction = ExtractionPool(crawler.settings.getint("EXTRACT_PROCESSES", 1))
        crawler.signals.connect(spider.extraction.close, signal=signals.spider_closed)
        return spider

    def __init__(self, registry: str | None = None, agency: str | None = None,
                 province: str | None = None, years: str | None = None,
                 departments: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.agencies = {a.id: a for a in self._select(load_registry(registry or DEFAULT_REGISTRY),
                                                        agency, province)}
        self.years = _parse_years(years)
        self.find_departments = _flag(departments, True)
        # Read by the crawl summary (crawler.extensions.summary).
        self.families: dict[str, Counter[str]] = defaultdict(Counter)
        self.errors: dict[str, Counter[str]] = defaultdict(Counter)

    @staticmethod
    def _select(agencies: list[Agency], wanted: str | None, province: str | None) -> list[Agency]:
        if wanted:
            ids = {a.strip() for a in wanted.split(",") if a.strip()}
            unknown = ids - {a.id for a in agencies}
            if unknown:
                raise ValueError(f"unknown agency id(s): {', '.join(sorted(unknown))}")
            agencies = [a for a in agencies if a.id in ids]
        if province:
            agencies = [a for a in agencies if province in (a.province, a.province_code)]
        if not agencies:
            raise ValueError("no agency matches the -a registry/agency/province arguments")
        return agencies

    # ------------------------------------------------------------ requests
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for agency in list(self.agencies.values()):
            yield self._request(agency.start_url, agency, "start", "")

    def _request(self, url: str, agency: Agency, role: str, text: str,
                 callback: Any = None, **meta: Any) -> scrapy.Request:
        if role in ("document", "attachment") and getattr(self, "attachment_maxsize", 0):
            meta.setdefault("download_maxsize", self.attachment_maxsize)
        return scrapy.Request(
            url, callback=callback or self.parse, errback=self.on_error,
            priority=PRIORITY.get(role, 0),
            meta={AGENCY: agency.id, ROLE: role, "link_text": text, **meta})

    def agency_of(self, response: Response) -> Agency:
        return self.agencies[response.meta[AGENCY]]

    # ------------------------------------------------------------- parsing
    def parse(self, response: Response) -> Iterator[Any]:
        agency = self.agency_of(response)
        role = response.meta.get(ROLE, "start")
        if not isinstance(response, TextResponse):
            return  # documents come through parse_document
        family = detect_family(response)
        if family:
            if not self.families[agency.id]:
                logger.info("%s (%s): CMS family %s", agency.name, agency.id, family)
            self.families[agency.id][family] += 1
        title = self._title(response)
        if role == "start":
            self._rename(agency, response)
        links = list(anchor_links(response.selector, response.urljoin))
        if is_report_title(title) and self._wanted(title):
            yield from self._report(response, agency, title, links)
        for family_ in FAMILIES:
            links += family_.links(response)
        yield from self._follow(response, agency, role, links)
        if role == "list":
            for family_ in FAMILIES:
                for request in family_.pages(response, self.parse_list_api):
                    yield self._scoped(request, agency, "list")

    def parse_list_api(self, response: Response) -> Iterator[Any]:
        """Answers of a family's list API (Hanweb dataproxy XML, site-group JSON);
        plain list pages (TRS index_N, next links) come back to ``parse``."""
        agency = self.agency_of(response)
        name = response.meta.get(API_META)
        if not name or not isinstance(response, TextResponse):
            yield from self.parse(response)
            return
        family = family_named(name)
        self.families[agency.id][name] += 1
        yield from self._follow(response, agency, "list", family.api_links(response))
        for request in family.api_pages(response, self.parse_list_api):
            yield self._scoped(request, agency, "list")

    def _scoped(self, request: scrapy.Request, agency: Agency, role: str) -> scrapy.Request:
        request.meta.update({AGENCY: agency.id, ROLE: role})
        request.priority = PRIORITY[role]
        request.errback = request.errback or self.on_error
        if request.callback is None:
            request.callback = self.parse
        return request

    def _follow(self, response: TextResponse, agency: Agency, role: str,
                links: Iterable[Link]) -> Iterator[scrapy.Request]:
        on_portal = agency.departments and self.find_departments and role in ("start", "departments")
        seen: set[str] = set()
        for link in links:
            url = canonical_url(link.url)
            if url in seen or url == response.url:
                continue
            seen.add(url)
            if not agency.owns(url):
                if on_portal:
                    yield from self._department(Link(url, link.text), agency)
                continue
            reason = trap_reason(url)
            if reason:
                self.crawler.stats.inc_value("discovery/trap_links")
                logger.debug("Not following %s: %s", url, reason)
                continue
            request = self._classify(url, link.text, agency, role)
            if request is not None:
                yield request

    def _classify(self, url: str, text: str, agency: Agency, role: str) -> scrapy.Request | None:
        kind = attachment_type(url)
        if is_report_title(text) or (role == "list" and is_report_candidate(text)):
            if not self._wanted(text):
                return None
            if kind:
                return self._request(url, agency, "document", text, callback=self.parse_document)
            return self._request(url, agency, "report", text)
        if kind or report_year(text) is not None:
            return None  # other documents, and dated articles: not the way to reports
        if is_column_text(text) or (role in ("area", "list") and is_column_url(url)):
            return self._request(url, agency, "list", text)
        if is_area_text(text) or (role == "start" and is_area_url(url)):
            return self._request(url, agency, "area", text)
        if agency.departments and role == "start" and is_departments_text(text):
            return self._request(url, agency, "departments", text)
        return None

    def _department(self, link: Link, portal: Agency) -> Iterator[scrapy.Request]:
        if not is_department_link(link, portal):
            return
        department = department_agency(link, portal)
        if any(a.owns(department.start_url) for a in self.agencies.values()):
            return  # in the registry already, or found before
        self.agencies[department.id] = department
        self.crawler.stats.inc_value("discovery/departments_found")
        logger.info("Found department %s (%s) on %s", department.name,
                    department.allowed_domains[0], portal.name)
        yield self._request(department.start_url, department, "start", link.text)

    def _wanted(self, title: str) -> bool:
        return self.years is None or report_year(title) in self.years

    @staticmethod
    def _title(response: TextResponse) -> str:
        for query in ('//meta[@name="ArticleTitle"]/@content', "//ucaptitle//text()",
                      "//title/text()"):
            value = " ".join(response.xpath(query).getall()).strip()
            if value:
                return value
        return ""

    def _rename(self, agency: Agency, response: TextResponse) -> None:
        """A department found by its link text gets its site's own name (SiteName)."""
        site_name = (response.xpath('//meta[@name="SiteName"]/@content').get() or "").strip()
        if agency.parent and site_name and site_name != agency.name:
            self.agencies[agency.id] = Agency(**{**agency.__dict__, "name": site_name})

    # ------------------------------------------------------------- reports
    def _report(self, response: TextResponse, agency: Agency, title: str,
                links: list[Link]) -> Iterator[Any]:
        item = extract(response.body, response.url, self._content_type(response))
        item.title = item.title or title
        self._identify(item, response, agency)
        documents = [link for link in links
                     if attachment_type(link.url) and agency.owns(link.url)]
        yield from self._next_attachment(item, documents, agency)

    def _next_attachment(self, item: ReportItem, pending: list[Link],
                         agency: Agency) -> Iterator[Any]:
        """Fetch a report's attachments one after another, then hand over the item."""
        if not pending:
            yield item
            return
        link, rest = pending[0], pending[1:]
        yield self._request(link.url, agency, "attachment", link.text,
                            callback=self.parse_attachment, dont_filter=True,
                            report_item=item, pending=rest)

    def parse_attachment(self, response: Response) -> Iterator[Any]:
        item: ReportItem = response.meta["report_item"]
        item.attachments.append(self._describe(response))
        yield from self._next_attachment(item, response.meta["pending"], self.agency_of(response))

    def _describe(self, response: Response) -> dict[str, Any]:
        return {"url": response.url,
                "filename": response.meta.get("link_text") or response.url.rsplit("/", 1)[-1],
                "media_type": self._content_type(response).split(";")[0].strip() or None,
                "size": len(response.body), "sha1": hashlib.sha1(response.body).hexdigest()}

    async def parse_document(self, response: Response) -> AsyncIterator[Any]:
        """A report published only as a document (PDF, DOCX...), read in a worker process."""
        agency = self.agency_of(response)
        link_text = response.meta.get("link_text") or ""
        future = self.extraction.submit(response.body, response.url, self._content_type(response))
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
        if not self._wanted(item.title or link_text):
            return
        self._identify(item, response, agency)
        yield item

    def _identify(self, item: ReportItem, response: Response, agency: Agency) -> None:
        """Who published it (from the registry) and where its record is (from capture)."""
        agency = self.agencies[agency.id]  # renamed departments
        item.agency, item.agency_id = agency.name, agency.id
        item.province, item.province_code = agency.province, agency.province_code
        item.warc = response.meta.get(WARC_META_KEY)

    @staticmethod
    def _content_type(response: Response) -> str:
        return response.headers.get("Content-Type", b"").decode("latin-1")

    # -------------------------------------------------------------- errors
    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        agency_id = request.meta.get(AGENCY, "?")
        reason = _reason(failure.value)
        self.errors[agency_id][reason] += 1
        logger.info("Could not fetch %s (%s): %s", request.url, agency_id, failure.value)
        if "report_item" in request.meta:  # keep the report; say what is missing
            item: ReportItem = request.meta["report_item"]
            item.warnings.append(f"attachment {request.url} not fetched: {reason}")
            yield from self._next_attachment(item, request.meta["pending"],
                                             self.agencies[agency_id])
