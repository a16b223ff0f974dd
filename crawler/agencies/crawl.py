"""The agencies of one crawl, each with its account.

A crawl starts with the registry's selection and grows as portals name their
departments' sites. The spider, the middlewares, the bookkeeping and the crawl
summary all need the same picture, so there is one ``CrawlAgencies`` per crawler
(``CrawlAgencies.of(crawler)``: made by whichever component asks first, the same
whatever order Scrapy builds them in), never a spider attribute read by ``getattr``.
What happened to each agency is its ``AgencyAccount`` (``account(agency_id)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from ..shared import shared
from .account import AgencyAccount
from .registry import Agency

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["CrawlAgencies", "stat_key"]

class CrawlAgencies:
    """Agencies by id, in the order they joined the crawl."""

    def __init__(self, agencies: Iterable[Agency] = ()) -> None:
        self._by_id: dict[str, Agency] = {}
        self._accounts: dict[str, AgencyAccount] = {}
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

    def account(self, agency_id: str) -> AgencyAccount:
        """What happened to the agency ``agency_id`` in this crawl (one account each)."""
        account = self._accounts.get(agency_id)
        if account is None:
            self._accounts[agency_id] = account = AgencyAccount(agency_id)
        return account

    def account_of(self, agency_id: str | None) -> AgencyAccount | None:
        """The account of an agency of this crawl, or None (no agency, or not one here)."""
        return self.account(agency_id) if agency_id in self._by_id else None

    def accounts(self) -> list[AgencyAccount]:
        """The accounts of every agency of the crawl, in the order they joined it."""
        return [self.account(agency_id) for agency_id in self._by_id]

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
    """``agency/<id>/<metric>`` or ``agency/<id>/<metric>/<detail>``: the stats that
    mirror an account (``crawler.extensions.summary``)."""
    key = f"agency/{agency_id}/{metric}"
    return key if detail is None else f"{key}/{detail}"
