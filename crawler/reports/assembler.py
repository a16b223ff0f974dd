"""One report from its first page to its item: ``ReportAssembler``.

A report page may have further pages (``…_2.html``) and documents (its PDF, a DOCX);
a report may be only a document. The assembler keeps each report's draft under a key
(``crawler.reports.store``), asks for its next page or document, reads the pages and
documents (``crawler.extract.pool``: worker processes), and makes the item, with the
WARC record it came from (``archive.RecordLocation``), once everything is in or has
failed. Whatever went wrong on the way is in the item (a warning, ``partial``) and in
the agency's account (``crawler.agencies.account``). The spider only routes responses
here (``page``, ``part``, ``attachment``, ``document``, ``failed``); the requests it
makes come from the spider's own request factory, given at construction.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse

from archive import PendingRecord, RecordLocation, RecordNotWritten

from ..agencies import Agency, CrawlAgencies
from ..discovery import Link, Role, attachment_type, file_name_year, is_report_title, report_year
from ..discovery.reports import report_parts, table_pictures
from ..extract import NOT_A_REPORT, fill_from_document, nothing_read, report_id, says_not_a_report
from ..extract.pool import ExtractionFailed, ExtractionPool
from ..extract.sniff import sniff
from ..items import ReportItem
from ..meta import AGENCY, LINK_TEXT, REPORT_KEY, ROLE, WARC_RECORD
from ..middlewares.compression import CUT
from .draft import ReportDraft
from .store import DraftStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["LOST_MID_BODY", "ReportAssembler", "RequestFactory", "cut_reason"]

logger = logging.getLogger(__name__)
# The spider's request factory: (url, agency, role, link text, **meta) -> a request with
# the spider's callbacks.
RequestFactory = Callable[..., scrapy.Request]
Step = scrapy.Request | ReportItem


LOST_MID_BODY = "connection lost mid-body"


def cut_reason(response: Response) -> tuple[str, str] | None:
    """(kind, what happened) when a response's body is not all the server meant to
    send, or None: the connection lost mid-body (Scrapy's ``dataloss``), or a
    compressed body cut short (``crawler.middlewares.compression``)."""
    if "dataloss" in response.flags:
        stated = response.headers.get(b"Content-Length")
        of = f" of {stated.decode('latin-1')}" if stated else ""
        return LOST_MID_BODY, f"connection lost after {len(response.body)}{of} bytes"
    if CUT in response.flags:
        return CUT, CUT
    return None


class ReportAssembler:
    def __init__(self, crawler: Crawler, extraction: ExtractionPool, drafts: DraftStore,
                 make_request: RequestFactory) -> None:
        self.crawler = crawler  # its stats exist once the crawl starts, after the spider
        self.agencies = CrawlAgencies.of(crawler)
        self.extraction = extraction
        self.drafts = drafts
        self.make_request = make_request

    @classmethod
    def from_crawler(cls, crawler: Crawler, make_request: RequestFactory) -> ReportAssembler:
        assembler = cls(crawler, ExtractionPool.from_settings(crawler.settings),
                        DraftStore.from_crawler(crawler), make_request)
        crawler.signals.connect(assembler.close, signal=signals.spider_closed)
        return assembler

    # ------------------------------------------------------- what the spider routes
    async def page(self, response: TextResponse, agency: Agency, title: str,
                   links: list[Link], documents: list[Link], read_from: str | None = None
                   ) -> Step:
        """A report page: its further pages, then its documents, then its item
        (``read_from``: the JSON answer an app's report page was made from)."""
        code = "\n".join(response.xpath("//script/text()").getall())
        draft = ReportDraft(url=response.url, agency_id=agency.id, title=title,
                            content_type=_content_type(response),
                            parts=[*report_parts(response.url, links, code),
                                   *table_pictures(response.selector.root, response.url)],
                            documents=list(documents), record=response.meta.get(WARC_RECORD),
                            read_from=read_from)
        self._add_page(draft, response)
        return await self._next(draft)

    async def part(self, response: Response) -> Step | None:
        draft = self._draft(response.meta)
        if draft is None:
            return None
        self._add_page(draft, response)
        draft.fetched_parts.append(response.url)
        return await self._next(draft)

    async def attachment(self, response: Response) -> Step | None:
        draft = self._draft(response.meta)
        if draft is None:
            return None
        assert draft.item is not None  # built before its first document was asked for
        draft.item.attachments.append(_describe(response))
        self._note_cut(draft, response)
        if draft.wants_document(sniff(response.body, attachment_type(response.url))):
            draft.document_read = True
            fill_from_document(draft.item, await self._read(response), response.url)
        return await self._next(draft)

    async def document(self, response: Response) -> ReportItem | None:
        """A report published only as a document (PDF, DOCX...), read in a worker. One
        linked by its file name only (a directory listing) must show it is a report:
        read and found none, it is settled as not one, like a page whose title says so."""
        link_text = response.meta.get(LINK_TEXT) or ""
        item = await self._read(response)
        if file_name_year(link_text) is not None and says_not_a_report(item) and \
                not cut_reason(response):  # a cut file may have lost what says it is one
            account = self.agencies.account_of(response.meta.get(AGENCY, "?"))
            if account is not None:
                account.report_settled(response.url, NOT_A_REPORT)
            logger.info("Linked by its file name, not a report: %s", response.url)
            return None
        if not item.title or not is_report_title(item.title):
            item.title = link_text or item.title  # scans and untitled files: the link says
        item.year = item.year or report_year(link_text)
        item.sha1 = hashlib.sha1(response.body).hexdigest()
        cut = cut_reason(response)
        return await self._item(item, response.meta.get(AGENCY, "?"),
                                response.meta.get(WARC_RECORD),
                                [(cut[0], f"{response.url}: {cut[1]}")] if cut else [])

    def not_a_report(self, response: TextResponse, agency: Agency, title: str) -> None:
        """A page linked as a report whose own title says otherwise (or names a year not
        asked for): settled so, unless the download was cut short
        (its title may be what is missing) or a document's link answered with a page:
        then a loss."""
        account = self.agencies.account(agency.id)
        cut = cut_reason(response)
        if cut:
            logger.warning("Linked as a report, cut short before it could be read: %s (%s)",
                           response.url, cut[1])
            account.lose(cut[0], response.url, Role.REPORT)
        elif response.meta.get(ROLE) == Role.DOCUMENT:  # a file's link: a soft 404?
            logger.warning("A report's document link answered with a web page: %s (%r)",
                           response.url, title)
            account.lose("a web page, not the document", response.url, Role.DOCUMENT)
        else:
            why = "a report of a year not asked for" if is_report_title(title) else \
                "not a report"
            account.report_settled(response.url, why)
            logger.info("Linked as a report, %s: %s (%r)", why, response.url, title)

    async def failed(self, request: scrapy.Request, reason: str) -> Step | None:
        """A further page or document that could not be fetched: the report goes on
        without it, and its item says what is missing."""
        draft = self._draft(request.meta)
        if draft is None:
            return None
        role = Role(request.meta.get(ROLE, Role.PART))
        later = len(draft.parts) if role is Role.PART else 0
        draft.parts.clear()  # the pages after a missing one are not asked for: no gaps
        await self._build(draft)
        assert draft.item is not None
        after = f"; {later} page(s) after it not asked for" if later else ""
        draft.item.warnings.append(f"{role.value} {request.url} not fetched: {reason}{after}")
        return await self._next(draft)

    def close(self) -> None:
        self.extraction.close()
        if self.extraction.replaced:
            self.crawler.stats.set_value("extract/workers_replaced", self.extraction.replaced)

    # ------------------------------------------------------------------ drafts
    def _draft(self, meta: dict[str, Any]) -> ReportDraft | None:
        key = meta.get(REPORT_KEY)
        draft = self.drafts.take(key) if key else None
        if key and draft is None:  # a bug, not a site's doing: said, and counted by the
            logger.error("No report draft %s for %s", key, meta.get(ROLE))  # bookkeeping
        return draft

    def _add_page(self, draft: ReportDraft, response: Response) -> None:
        draft.add_page(response.body)
        self._note_cut(draft, response)

    def _note_cut(self, draft: ReportDraft, response: Response) -> None:
        cut = cut_reason(response)
        if cut:
            draft.cut.append((cut[0], f"{response.url}: {cut[1]}"))

    async def _next(self, draft: ReportDraft) -> Step:
        """The draft's next request, or its item when everything is in."""
        step = draft.next_request()
        if step is None or (draft.item is None and step[0] is not Role.PART):
            await self._build(draft)
        if step is None:
            assert draft.item is not None
            return await self._item(draft.item, draft.agency_id, draft.record, draft.cut)
        role, link = step
        key = self.drafts.put(draft)  # it waits for its host's delay
        return self.make_request(link.url, self.agencies[draft.agency_id], role, link.text,
                                 dont_filter=True, **{REPORT_KEY: key})

    async def _build(self, draft: ReportDraft) -> None:
        """The item from the report's pages (once)."""
        if draft.item is not None:
            return
        pages = draft.pages()
        try:  # in a worker when one is idle or the page is large (ExtractionPool.read_pages)
            item = await self.extraction.read_pages(pages, draft.url, draft.content_type)
        except ExtractionFailed as exc:
            item = self._unread(draft.url, b"".join(pages), draft.agency_id, exc)
        item.title = item.title or draft.title
        item.read_from = item.read_from or draft.read_from
        item.sha1 = hashlib.sha1(b"".join(pages)).hexdigest()
        item.parts = list(draft.fetched_parts)
        draft.drop_pages()
        draft.item = item

    async def _read(self, response: Response) -> ReportItem:
        try:
            return await self.extraction.read(response.body, response.url,
                                              _content_type(response))
        except ExtractionFailed as exc:  # archived all the same: an item that says so
            return self._unread(response.url, response.body, response.meta.get(AGENCY, "?"),
                                exc)

    def _unread(self, url: str, body: bytes, agency_id: str, exc: ExtractionFailed
                ) -> ReportItem:
        """The item of a report no worker could read, counted as the agency's loss."""
        details = f"\n{exc.details}" if exc.details else ""  # the extractor's traceback
        logger.error("Could not read %s (%s): %s%s", url, agency_id, exc, details)
        account = self.agencies.account_of(agency_id)
        if account is not None:
            account.lose("extraction failed", url, Role.REPORT)
        return ReportItem(url=url, report_id=report_id(url, body),
                          source_type=attachment_type(url) or "html",
                          warnings=[f"extraction failed: {exc}"])

    # -------------------------------------------------------------------- items
    async def _item(self, item: ReportItem, agency_id: str, record: PendingRecord | None,
                    cut: list[tuple[str, str]]) -> ReportItem:
        """The finished item: its agency, its WARC record, what it lacks."""
        item.warc = await _location(record, item)
        agency = self.agencies.get(agency_id)
        if agency is not None:
            item.agency, item.agency_id = agency.name, agency.id
            item.province, item.province_code = agency.province, agency.province_code
        account = self.agencies.account_of(agency_id)
        if cut:
            item.partial = True
            item.warnings += [f"partial: {why}" for _, why in cut]
            logger.warning("Report %s read from an incomplete download: %s", item.url,
                           "; ".join(why for _, why in cut))
            if account is not None:
                account.cut_short(cut[0][0], item.url)
        failed = any(w.startswith("extraction failed") for w in item.warnings)
        if nothing_read(item) and not failed:  # (a failure was counted when it failed)
            logger.warning("Nothing could be read from %s (%s): %s", item.url, agency_id,
                           "; ".join(item.warnings) or "no text, no tables")
            if account is not None:
                account.lose("nothing read", item.url, Role.REPORT)
        return item


async def _location(record: PendingRecord | None, item: ReportItem) -> RecordLocation | None:
    if record is None:
        return None  # archiving is off (WARC_ENABLED), or a spider reading the archive
    try:
        return await record.payload()
    except RecordNotWritten as exc:  # the writer said why, and is stopping the crawl
        item.warnings.append(f"WARC record not written: {exc}")
        return None


def _content_type(response: Response) -> str:
    return (response.headers.get("Content-Type") or b"").decode("latin-1")


def _describe(response: Response) -> dict[str, Any]:
    """An attachment as the item lists it."""
    return {"url": response.url,
            "filename": response.meta.get(LINK_TEXT) or response.url.rsplit("/", 1)[-1],
            "media_type": _content_type(response).split(";")[0].strip() or None,
            "size": len(response.body), "sha1": hashlib.sha1(response.body).hexdigest(),
            **({"partial": True} if cut_reason(response) else {})}
