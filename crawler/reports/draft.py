"""A report on its way to an item (``ReportDraft``): its pages so far, what is still
to fetch, its WARC record.

A draft waits for its host's delay once per further page or attachment, held by
the report assembler (``crawler.reports.assembler``) under a key, never in a
request's meta; with ``JOBDIR`` it waits pickled in the frontier file
(``crawler.reports.store``). Its pages wait compressed (``zlib``, level 1: real
report pages shrink two to five times, at 5-10 ms a megabyte): on a national crawl,
hundreds of paged reports wait at once. They are compressed only when the draft is
about to wait (``pack``): most drafts never do, their item built from the one page
they have.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from archive import PendingRecord

from ..discovery.links import Link
from ..discovery.reports import READ_ORDER, has_content
from ..discovery.roles import Role
from ..items import ReportItem

__all__ = ["ReportDraft"]


@dataclass
class ReportDraft:
    """A report page on its way to an item: the pages and documents still to fetch."""

    url: str
    agency_id: str
    title: str
    content_type: str
    packed: list[bytes] = field(default_factory=list)  # pages that waited, compressed
    fresh: list[bytes] = field(default_factory=list)  # pages since, as served
    parts: list[str] = field(default_factory=list)  # further pages still to fetch
    documents: list[Link] = field(default_factory=list)  # attachments still to fetch
    fetched_parts: list[str] = field(default_factory=list)
    record: PendingRecord | None = None  # the report page's response record
    item: ReportItem | None = None  # once every page is in
    cut: list[tuple[str, str]] = field(default_factory=list)  # (kind, why) of cut downloads
    document_read: bool = False
    read_from: str | None = None  # what it was read from, when not its page (an app's JSON)

    def add_page(self, body: bytes) -> None:
        self.fresh.append(body)

    def pack(self) -> None:
        """Before the draft waits: its pages compressed."""
        self.packed += [zlib.compress(page, 1) for page in self.fresh]
        self.fresh = []

    def pages(self) -> list[bytes]:
        """The bodies of the report page and its further pages, in order."""
        return [zlib.decompress(page) for page in self.packed] + self.fresh

    def drop_pages(self) -> None:
        """Once its item is built: the pages need not be carried further."""
        self.packed, self.fresh = [], []

    def next_request(self) -> tuple[Role, Link] | None:
        """What to fetch next (pages before documents), or None when all is in."""
        if self.parts:
            return Role.PART, Link(self.parts.pop(0), "")
        if self.documents:
            return Role.ATTACHMENT, self.documents.pop(0)
        return None

    def wants_document(self, kind: str | None) -> bool:
        """Should a fetched document of ``kind`` be read into this page's item? Only
        the first readable one, in ``READ_ORDER``, and only for a shell page."""
        return (not self.document_read and kind in READ_ORDER and self.item is not None
                and not has_content(self.item))


