"""What a list says of its own size (``ListSize``): plain data, read by the CMS families
(``crawler.discovery.families``) and tallied by ``crawler.discovery.completeness``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ListSize"]


@dataclass(frozen=True)
class ListSize:
    """What one list page or list-API answer says about its column."""

    here: int | None = None  # records in this very response (when the family can count)
    records: int | None = None  # records the column says it has
    pages: int | None = None  # pages the column says it has
    unread: str | None = None  # why some of the column cannot be requested
    column: str | None = None  # the column's own id, as its CMS names it (one column
    # reached under two URLs, ``index.html`` and ``index.html?uid=1&pageNum=1``, is one)
