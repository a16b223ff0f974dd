"""The agencies of one crawl, and the per-agency counts kept in Scrapy's stats.

A crawl starts with the registry's selection and grows as portals name their
departments' sites. The spider, the scope middleware and the crawl summary all
need the same picture, so there is one ``CrawlAgencies`` per crawler
(``CrawlAgencies.of(crawler)``), never a spider attribute read by ``getattr``.
Counts per agency (pages, CMS families, errors, reports) live in the crawler's
stats under ``agency/<id>/<metric>[/<detail>]``, where every Scrapy tool (and a
shared stats collector) can see them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .registry import Agency
from .shared import shared

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["AgencyStats", "CrawlAgencies", "stat_key"]

class CrawlAgencies:
    """Agencies by id, in the order they joined the crawl."""

    def __init__(self, agencies: Iterable[Agency] = ()) -> None:
        self._by_id: dict[str, Agency] = {}
        for agency in agencies:
            self._by_id[agency.id] = agency

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlAgencies:
        """The record shared by every component of ``crawler`` (made on first use)."""
        return shared(crawler, cls)

    def extend(self, agencies: Iterable[Agency]) -> None:
        for agency in agencies:
            self._by_id[agency.id] = agency

    def __getitem__(self, agency_id: str) -> Agency:
        return self._by_id[agency_id]

    def get(self, agency_id: str | None) -> Agency | None:
        return self._by_id.get(agency_id) if agency_id else None

    def __contains__(self, agency_id: object) -> bool:
        return agency_id in self._by_id

    def __iter__(self) -> Iterator[Agency]:
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    def owner(self, url: str) -> Agency | None:
        """The agency one of whose hosts serves ``url``, if any."""
        return next((a for a in self._by_id.values() if a.owns(url)), None)

    def can_add(self, agency: Agency) -> bool:
        """Is ``agency`` new to the crawl: not known, and its site nobody's already?"""
        return agency.id not in self._by_id and self.owner(agency.start_url) is None

    def add(self, agency: Agency) -> bool:
        """Add an agency found during the crawl; False if its site is somebody's already."""
        if not self.can_add(agency):
            return False
        self._by_id[agency.id] = agency
        return True

    def rename(self, agency_id: str, name: str) -> Agency:
        self._by_id[agency_id] = agency = replace(self._by_id[agency_id], name=name)
        return agency

    @property
    def departments_found(self) -> int:
        return sum(1 for a in self._by_id.values() if a.parent)


def stat_key(agency_id: str, metric: str, detail: object = None) -> str:
    """``agency/<id>/<metric>`` or ``agency/<id>/<metric>/<detail>``."""
    key = f"agency/{agency_id}/{metric}"
    return key if detail is None else f"{key}/{detail}"


class AgencyStats:
    """The crawl's ``agency/<id>/<metric>/<detail>`` counts, asked one agency at a time.

    Asking every key whether it starts with one agency's prefix costs keys x agencies:
    at the end of a national crawl (3,200 agencies, ~70,000 keys, six metrics each) the
    summary took over a minute of the crawl's wall time. Here the keys are sorted once, and
    one agency's metric is a run of them found by bisection."""

    def __init__(self, stats: Mapping[str, Any]) -> None:
        pairs = sorted((key, value) for key, value in stats.items()
                       if key.startswith("agency/") and isinstance(value, int))
        self.keys = [key for key, _ in pairs]
        self.values = [value for _, value in pairs]

    def counts(self, agency_id: str, metric: str) -> Counter[str]:
        """The ``<detail> -> count`` pairs of one agency's metric (e.g. its errors by
        reason)."""
        prefix = stat_key(agency_id, metric) + "/"
        found: Counter[str] = Counter()
        at = bisect_left(self.keys, prefix)
        while at < len(self.keys) and self.keys[at].startswith(prefix):
            found[self.keys[at][len(prefix):]] = self.values[at]
            at += 1
        return found
