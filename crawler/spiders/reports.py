"""The report roles of the crawl spiders: report pages, their further pages and
attachments, documents, and failures, each ending in an item or a named error.

A mixin of ``DisclosureSpider`` (and of any spider that shares its requests and
records: ``agencies``, ``extraction``, ``_request``, ``_agency``). A report page's
``ReportDraft`` travels in ``request.meta`` from page to page and document to
document; the item leaves when the last one is in, whatever failed on the way.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from ..agencies import stat_key
from ..discovery import REPORT_ROLES, Link, Role, attachment_type, is_report_title, report_year
from ..discovery.failures import failure_reason
from ..discovery.reports import ReportDraft, order_documents, report_parts
from ..extract import fill_from_document, nothing_read, report_id
from ..extract.pool import ExtractionFailed
from ..extract.sniff import sniff
from ..items import ReportItem
from ..meta import AGENCY, LINK_TEXT, REPORT_DRAFT, ROLE, WARC_RECORD
from ..registry import Agency
from ..signals import report_settled, request_failed

if TYPE_CHECKING:
    import scrapy

    from ..agencies import CrawlAgencies
    from ..extract.pool import ExtractionPool

__all__ = ["ReportRoles", "is_document", "report_documents"]

logger = logging.getLogger(__name__)
_DOCUMENT_KINDS = {"pdf", "docx", "doc", "wps", "ofd", "xls", "xlsx"}


def is_document(response: Response) -> bool:
    """A file rather than a web page, whatever its Content-Type claims."""
    return not isinstance(response, TextResponse) or sniff(response.body) in _DOCUMENT_KINDS


def report_documents(links: list[Link], agency: Agency, page: str) -> list[Link]:
    """A report page's own documents on its agency's hosts, each once (an icon and a
    title link to one file are one document), the most readable first."""
    seen: dict[str, Link] = {}
    for link in links:
        if attachment_type(link.url) and agency.owns(link.url) and link.url != page:
            kept = seen.get(link.url)
            seen[link.url] = kept if kept is not None and kept.text else link
    return order_documents(list(seen.values()))


class ReportRoles:
    agencies: CrawlAgencies
    extraction: ExtractionPool
    crawler: Any

    def _request(self, url: str, agency: Agency, role: Role, text: str = "",
                 fragment: str = "", **meta: Any) -> scrapy.Request:
        raise NotImplementedError

    def _agency(self, response: Response) -> Agency:
        raise NotImplementedError

    # ------------------------------------------------------------ report pages
    async def report_page(self, response: TextResponse, agency: Agency, title: str,
                          links: list[Link], documents: list[Link]) -> AsyncIterator[Any]:
        """A report page: its further pages, then its documents, then its item."""
        code = "\n".join(response.xpath("//script/text()").getall())
        draft = ReportDraft(url=response.url, agency_id=agency.id, title=title,
                            content_type=_content_type(response),
                            parts=report_parts(response.url, links, code),
                            documents=list(documents), warc=response.meta.get(WARC_RECORD))
        draft.add_page(response.body)
        yield await self._next(draft)

    async def parse_part(self, response: Response) -> AsyncIterator[Any]:
        draft: ReportDraft = response.meta[REPORT_DRAFT]
        draft.add_page(response.body)
        draft.fetched_parts.append(response.url)
        yield await self._next(draft)

    async def parse_attachment(self, response: Response) -> AsyncIterator[Any]:
        draft: ReportDraft = response.meta[REPORT_DRAFT]
        draft.item.attachments.append(_describe(response))
        kind = sniff(response.body, attachment_type(response.url))
        if draft.wants_document(kind):
            draft.document_read = True
            document = await self._read(response)
            fill_from_document(draft.item, document, response.url)
        yield await self._next(draft)

    async def _next(self, draft: ReportDraft) -> Any:
        """The draft's next request, or its item when everything is in."""
        step = draft.next_request()
        if step is None or (draft.item is None and step[0] is not Role.PART):
            await self._build(draft)
        if step is None:
            return self._account(draft.item)
        role, link = step
        draft.pack()  # it waits for its host's delay, in the frontier and the downloader
        meta: dict[str, Any] = {REPORT_DRAFT: draft}
        return self._request(link.url, self.agencies[draft.agency_id], role, link.text,
                             dont_filter=True, **meta)

    async def _build(self, draft: ReportDraft) -> None:
        if draft.item is not None:
            return
        pages = draft.pages()
        try:  # in a worker when one is idle or the page is large (ExtractionPool.read_pages)
            item = await self.extraction.read_pages(pages, draft.url, draft.content_type)
        except ExtractionFailed as exc:
            item = self._unread(draft.url, b"".join(pages), draft.agency_id, exc)
        item.title = item.title or draft.title
        item.sha1 = hashlib.sha1(b"".join(pages)).hexdigest()
        item.parts = list(draft.fetched_parts)
        item.warc = draft.warc
        self._identify(item, self.agencies[draft.agency_id])
        draft.drop_pages()
        draft.item = item

    # --------------------------------------------------------------- documents
    async def parse_document(self, response: Response) -> AsyncIterator[Any]:
        """A report published only as a document (PDF, DOCX...), read in a worker process."""
        link_text = response.meta.get(LINK_TEXT) or ""
        item = await self._read(response)
        if not item.title or not is_report_title(item.title):
            item.title = link_text or item.title  # scans and untitled files: the link says
        item.year = item.year or report_year(link_text)
        item.sha1 = hashlib.sha1(response.body).hexdigest()
        item.warc = response.meta.get(WARC_RECORD)
        self._identify(item, self._agency(response))
        yield self._account(item)

    async def _read(self, response: Response) -> ReportItem:
        try:
            return await self.extraction.read(response.body, response.url,
                                              _content_type(response))
        except ExtractionFailed as exc:  # archived all the same: an item that says so
            return self._unread(response.url, response.body, response.meta.get(AGENCY, "?"), exc)

    def _unread(self, url: str, body: bytes, agency_id: str, exc: ExtractionFailed
                ) -> ReportItem:
        """The item of a report no worker could read, counted as the agency's error."""
        details = f"\n{exc.details}" if exc.details else ""  # the extractor's traceback
        logger.error("Could not read %s (%s): %s%s", url, agency_id, exc, details)
        for metric in ("errors", "report_errors"):
            self.crawler.stats.inc_value(stat_key(agency_id, metric, "extraction failed"))
        self.crawler.stats.inc_value("extract/failures")
        return ReportItem(url=url, report_id=report_id(url, body),
                          source_type=attachment_type(url) or "html",
                          warnings=[f"extraction failed: {exc}"])

    def _account(self, item: ReportItem) -> ReportItem:
        """An item that holds no text and no table is a report not read: its agency's error
        (the item still goes out: the archive holds the report, the data does not yet)."""
        if nothing_read(item) and not any(w.startswith("extraction failed") for w in
                                          item.warnings):  # counted when it failed
            agency_id = item.agency_id or "?"
            logger.warning("Nothing could be read from %s (%s): %s", item.url, agency_id,
                           "; ".join(item.warnings) or "no text, no tables")
            for metric in ("errors", "report_errors"):
                self.crawler.stats.inc_value(stat_key(agency_id, metric, "nothing read"))
        return item

    def _identify(self, item: ReportItem, agency: Agency) -> None:
        """Who published it, from the registry (as renamed since)."""
        agency = self.agencies[agency.id]
        item.agency, item.agency_id = agency.name, agency.id
        item.province, item.province_code = agency.province, agency.province_code

    # ------------------------------------------------------------------ errors
    async def on_error(self, failure: Failure) -> AsyncIterator[Any]:
        request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        self.crawler.signals.send_catch_log(request_failed, request=request)
        agency_id = request.meta.get(AGENCY, "?")
        reason = failure_reason(failure.value)
        self.crawler.stats.inc_value(stat_key(agency_id, "errors", reason))
        logger.info("Could not fetch %s (%s): %s", request.url, agency_id, failure.value)
        role = Role(request.meta.get(ROLE, Role.START))
        if role in (Role.REPORT, Role.DOCUMENT):
            self.crawler.stats.inc_value(stat_key(agency_id, "report_errors", reason))
        elif role is Role.LIST:
            self.crawler.stats.inc_value(stat_key(agency_id, "list_errors", reason))
        if role in REPORT_ROLES:
            self._settle_url(request.url, agency_id, reason)
        draft: ReportDraft | None = request.meta.get(REPORT_DRAFT)
        if draft is not None:  # keep the report; say what is missing
            if role is Role.PART:
                draft.parts.clear()  # the pages after a missing one are read as they are
            await self._build(draft)
            draft.item.warnings.append(f"{role.value} {request.url} not fetched: {reason}")
            yield await self._next(draft)

    def _settle(self, response: Response, agency: Agency, reason: str) -> None:
        if Role(response.meta.get(ROLE, Role.START)) in REPORT_ROLES:
            self.crawler.stats.inc_value(stat_key(agency.id, "settled", reason))
            self._settle_url(response.url, agency.id, reason)

    def _settle_url(self, url: str, agency_id: str, reason: str) -> None:
        self.crawler.signals.send_catch_log(report_settled, url=url, agency_id=agency_id,
                                            reason=reason)


def _content_type(response: Response) -> str:
    return (response.headers.get("Content-Type") or b"").decode("latin-1")


def _describe(response: Response) -> dict[str, Any]:
    """An attachment as the item lists it."""
    return {"url": response.url,
            "filename": response.meta.get(LINK_TEXT) or response.url.rsplit("/", 1)[-1],
            "media_type": _content_type(response).split(";")[0].strip() or None,
            "size": len(response.body), "sha1": hashlib.sha1(response.body).hexdigest()}
