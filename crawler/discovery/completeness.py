"""Did the crawl get every report an agency lists? What its lists say, against what came.

Sites state their own size: Hanweb's ``totalRecord``, TRS's page count, a JSON
``total``, "共N条 / 共N页". For each report column (and each of its list APIs)
the tally keeps the largest size stated and what was collected: the records
counted in each answer, the list pages fetched. A column that says more than
arrived, a list the crawler could not ask for, reports it could not fetch: the
agency's status says ``incomplete`` and why (``crawler.discovery.status``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .sizes import ListSize

__all__ = ["BUDGET", "Column", "ColumnSet", "missing_years", "shows_empty"]

BUDGET = "page budget"  # the refusal of a request over its agency's AGENCY_MAX_PAGES


@dataclass
class Column:
    """One report column of one agency."""

    url: str
    found_by: str = ""
    stated_records: int | None = None
    stated_pages: int | None = None
    unread: list[str] = field(default_factory=list)
    counted: dict[str, int] = field(default_factory=dict)  # records per answer
    pages: set[str] = field(default_factory=set)  # list pages fetched
    links: int = 0  # report and sub-column links its pages and API answers gave
    shown_empty: bool = False  # a page of it said, in so many words, it lists nothing

    def page(self, url: str) -> None:
        self.pages.add(url)

    def state(self, size: ListSize | None, answer: str) -> None:
        """What one list page or API answer (named by ``answer``) says."""
        if size is None:
            return
        if size.here is not None:
            self.counted[answer] = size.here
        if size.records is not None:
            self.stated_records = max(self.stated_records or 0, size.records)
        if size.pages is not None:
            self.stated_pages = max(self.stated_pages or 0, size.pages)
        if size.unread and size.unread not in self.unread:
            self.unread.append(size.unread)

    @property
    def records(self) -> int:
        return sum(self.counted.values())

    def shortfall(self) -> str | None:
        """Why this column was not collected whole, or None."""
        if self.unread:
            return f"{self.url}: {'; '.join(self.unread)}"
        if self.stated_records is not None and self.counted:
            if self.records < self.stated_records:
                return (f"{self.url}: the list states {self.stated_records} records, "
                        f"{self.records} collected")
        elif self.stated_pages is not None and len(self.pages) < self.stated_pages:
            return (f"{self.url}: the list states {self.stated_pages} pages, "
                    f"{len(self.pages)} fetched")
        if self.pages and not self.links and not self.records and not self.is_empty:
            return (f"{self.url}: no records read from its {len(self.pages)} page(s), which "
                    "do not say they list none (a list made by script?)")
        return None

    @property
    def is_empty(self) -> bool:
        """Shown empty: in words (暂无数据), or by a stated size of none."""
        return self.shown_empty or self.stated_records == 0 or self.stated_pages == 0

    def as_dict(self) -> dict[str, Any]:
        return {"url": self.url, "found_by": self.found_by,
                "stated_records": self.stated_records, "collected_records": self.records
                if self.counted else None, "stated_pages": self.stated_pages,
                "pages_fetched": len(self.pages), "links": self.links,
                "shown_empty": self.is_empty, "shortfall": self.shortfall()}


class ColumnSet:
    """One agency's report columns, in the order they were found; one column reached
    under several URLs (its CMS names it by one id) is tallied once."""

    def __init__(self) -> None:
        self._columns: dict[str, Column] = {}
        self._aliases: dict[str, str] = {}  # URL or CMS id -> column URL

    def column(self, url: str, found_by: str = "", identity: str | None = None) -> Column:
        url = self._aliases.get(url, url)
        if identity is not None:
            url = self._aliases.setdefault(identity, url)
        if url not in self._columns:
            self._columns[url] = Column(url, found_by)
        return self._columns[url]

    def alias(self, url: str, column: Column) -> None:
        """Requests made for ``url``'s list count for ``column``."""
        self._aliases[url] = column.url

    def __iter__(self) -> Iterator[Column]:
        return iter(list(self._columns.values()))

    def __len__(self) -> int:
        return len(self._columns)


_EMPTY = re.compile(r"暂无(?:相关)?(?:数据|信息|内容|记录|文章|公开信息)"
                    r"|没有(?:找到)?(?:相关|符合条件的)?(?:数据|信息|内容|记录)"
                    r"|无(?:相关)?(?:数据|记录)|共\s*0\s*(?:条|篇|页)")


def shows_empty(text: str) -> bool:
    """Does a list page say it lists nothing (暂无数据, 没有记录, 共0条...)?"""
    return bool(_EMPTY.search(text or ""))


def missing_years(years: Iterable[int | str], asked: range | None = None) -> list[int]:
    """Years without a report within the span the agency has published (or that was
    asked for with ``-a years``)."""
    found = {int(y) for y in years if str(y).isdigit()}
    if not found:
        return list(asked or [])
    span = asked or range(min(found), max(found) + 1)
    return [year for year in span if year not in found]
