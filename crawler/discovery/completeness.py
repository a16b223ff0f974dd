"""Did the crawl get every report an agency lists? What its lists say, against what came.

Sites state their own size: Hanweb's ``totalRecord``, TRS's page count, a JSON
``total``, "共N条 / 共N页". For each report column (and each of its list APIs)
the tally keeps the largest size stated and what was collected: the records
counted in each answer, the list pages fetched. A column that says more than
arrived, a list the crawler could not ask for, reports it could not fetch: the
agency's status says ``incomplete`` and why. An agency with neither a report
column nor a report says ``no report column found``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .families.base import ListSize

__all__ = ["Column", "ListTally", "agency_status", "missing_years"]


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
        return None

    def as_dict(self) -> dict[str, Any]:
        return {"url": self.url, "found_by": self.found_by,
                "stated_records": self.stated_records, "collected_records": self.records
                if self.counted else None, "stated_pages": self.stated_pages,
                "pages_fetched": len(self.pages), "shortfall": self.shortfall()}


class ListTally:
    """Columns by agency, in the order they were found; one column reached under
    several URLs (its CMS names it by one id) is tallied once."""

    def __init__(self) -> None:
        self._columns: dict[str, dict[str, Column]] = {}
        self._aliases: dict[str, dict[str, str]] = {}  # URL or CMS id -> column URL

    def column(self, agency_id: str, url: str, found_by: str = "",
               identity: str | None = None) -> Column:
        columns = self._columns.setdefault(agency_id, {})
        aliases = self._aliases.setdefault(agency_id, {})
        url = aliases.get(url, url)
        if identity is not None:
            url = aliases.setdefault(identity, url)
        if url not in columns:
            columns[url] = Column(url, found_by)
        return columns[url]

    def alias(self, agency_id: str, url: str, column: Column) -> None:
        """Requests made for ``url``'s list count for ``column``."""
        self._aliases.setdefault(agency_id, {})[url] = column.url

    def columns(self, agency_id: str) -> list[Column]:
        return list(self._columns.get(agency_id, {}).values())


def missing_years(years: Iterable[int | str], asked: range | None = None) -> list[int]:
    """Years without a report within the span the agency has published (or that was
    asked for with ``-a years``)."""
    found = {int(y) for y in years if str(y).isdigit()}
    if not found:
        return list(asked or [])
    span = asked or range(min(found), max(found) + 1)
    return [year for year in span if year not in found]


def agency_status(columns: list[Column], reports: int, report_errors: Mapping[str, int],
                  list_errors: Mapping[str, int]) -> str:
    """``complete``, ``incomplete: <why>`` or ``no report column found``."""
    if not columns and not reports:
        return "no report column found"
    why = [short for column in columns if (short := column.shortfall())]
    why += [f"{n} list page(s) not fetched ({reason})"
            for reason, n in sorted(list_errors.items())]
    why += [f"{n} report(s) not fetched or not read ({reason})"
            for reason, n in sorted(report_errors.items())]
    return f"incomplete: {'; '.join(why)}" if why else "complete"
