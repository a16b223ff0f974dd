"""A report page's own parts: its further pages, its documents, and the order they
are fetched and read in (``ReportDraft``).

Real report pages split their text over ``…_1.html``/``…_2.html`` (TRS article
paging), publish the report only as an attachment (详见附件, a PDF icon and a title
link to the same file) or show it in a viewer (``viewer.html?file=/x.pdf``, an
``<embed>`` or ``<object>``), sometimes as both OFD and PDF. A draft gathers the
pages, then the attachments; the item is built from all the pages, and when the
page itself is only a shell, from its most readable document.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from posixpath import splitext
from typing import Any
from urllib.parse import urlsplit

from .links import Link
from .roles import Role
from .urls import attachment_type

__all__ = ["READ_ORDER", "ReportDraft", "order_documents", "report_parts"]

# Which of a report's documents to read when its page says only 详见附件.
READ_ORDER = ("pdf", "docx", "doc", "wps")
_CREATE_PAGE = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*0\s*,\s*['\"]([\w-]+)['\"]\s*,"
                          r"\s*['\"](\w+)['\"]")
_PAGE_TEXT = re.compile(r"^(?:\[?\d{1,2}\]?|下一页|下页)$")


def report_parts(url: str, links: list[Link], code: str) -> list[str]:
    """The further pages of the report page at ``url``: the TRS article pager's
    ``createPageHTML(3, 0, "t20240129_1", "html")`` over its own name, or numbered
    links to its own name with ``_2``, ``_3``..."""
    directory, name = url.rsplit("/", 1)
    stem, ext = splitext(urlsplit(name).path)
    created = _CREATE_PAGE.search(code)
    if created and created.group(2) == stem and int(created.group(1)) > 1:
        count, ext = int(created.group(1)), created.group(3)
        return [f"{directory}/{stem}_{n}.{ext}" for n in range(1, count)]
    own = re.compile(rf"^{re.escape(directory)}/{re.escape(stem)}_(\d{{1,2}}){re.escape(ext)}$")
    numbered = {int(m.group(1)): link.url for link in links
                if (m := own.match(link.url)) and _PAGE_TEXT.match(link.text.strip())}
    return [numbered[n] for n in sorted(numbered)]


@dataclass
class ReportDraft:
    """A report page on its way to an item: the pages and documents still to fetch.

    A draft waits for its host's delay once per further page or attachment, in the
    frontier (on disk with ``JOBDIR``: it pickles, its pending WARC records stay in
    memory, see ``crawler.diskqueue``) and in the downloader. Its pages wait
    compressed (``zlib``, level 1: real report pages shrink two to five times, at
    5-10 ms a megabyte): on a national crawl, hundreds of paged reports wait at once.
    They are compressed only when the draft is about to wait (``pack``): most drafts
    never do, their item built from the one page they have."""

    url: str
    agency_id: str
    title: str
    content_type: str
    packed: list[bytes] = field(default_factory=list)  # pages that waited, compressed
    fresh: list[bytes] = field(default_factory=list)  # pages since, as served
    parts: list[str] = field(default_factory=list)  # further pages still to fetch
    documents: list[Link] = field(default_factory=list)  # attachments still to fetch
    fetched_parts: list[str] = field(default_factory=list)
    warc: Any = None
    item: Any = None  # the ReportItem, once every page is in
    document_read: bool = False

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
                and not _has_content(self.item))


def order_documents(documents: list[Link]) -> list[Link]:
    """Readable documents first (PDF, DOCX, DOC, WPS), then the rest (OFD...)."""
    def rank(link: Link) -> int:
        kind = attachment_type(link.url)
        return READ_ORDER.index(kind) if kind in READ_ORDER else len(READ_ORDER)

    return sorted(documents, key=rank)


def _has_content(item: Any) -> bool:
    """A page that is the report itself: its tables, or (before 2019) its text."""
    if item.requests or item.proactive or item.appeals:
        return True
    return len(item.text or "") >= 400 and (item.year or 2019) < 2019
