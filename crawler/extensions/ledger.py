"""Every fetched report ends in an item, or in an error that names it.

The ledger notes each response of a report role (report page, document,
attachment) as it arrives. An item settles its own URL, its further pages and its
attachments; the spider settles the rest with ``crawler.signals.report_settled``
(not a report after all, a report of a year not asked for, a failed download).
Whatever is still open when the spider closes went missing on some path between
download and item: each is logged with its URL and counted as the agency's error
``fetched, no item``, so no summary can say "no errors" over it.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals

from ..agencies import stat_key
from ..discovery import REPORT_ROLES, Role
from ..meta import AGENCY, ROLE
from ..pipelines.changes import Unchanged
from ..signals import report_settled

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["ReportLedger"]

logger = logging.getLogger(__name__)
LOST = "fetched, no item"


class ReportLedger:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.open: dict[str, str] = {}  # URL -> agency id
        self.settled: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReportLedger:
        ledger = cls(crawler)
        crawler.signals.connect(ledger.response_received, signal=signals.response_received)
        crawler.signals.connect(ledger.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ledger.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ledger.report_settled, signal=report_settled)
        crawler.signals.connect(ledger.spider_closed, signal=signals.spider_closed)
        return ledger

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        role = request.meta.get(ROLE)
        if role is not None and Role(role) in REPORT_ROLES:
            self.open[response.url] = request.meta.get(AGENCY, "?")

    def item_scraped(self, item: Any, spider: Spider) -> None:
        for url in _urls(ItemAdapter(item)):
            if self.open.pop(url, None) is not None:
                self.settled["item"] += 1

    def item_dropped(self, item: Any, exception: BaseException, spider: Spider) -> None:
        """A report as it was (``Unchanged``) is settled; any other drop is a loss."""
        if isinstance(exception, Unchanged):
            for url in _urls(ItemAdapter(item)):
                if self.open.pop(url, None) is not None:
                    self.settled["unchanged"] += 1

    def report_settled(self, url: str, agency_id: str, reason: str) -> None:
        if self.open.pop(url, None) is not None:
            self.settled[reason] += 1

    def spider_closed(self, spider: Spider, reason: str) -> None:
        for url, agency_id in sorted(self.open.items()):
            logger.error("Fetched but became no item and no error: %s (%s)", url, agency_id)
            self.stats.inc_value(stat_key(agency_id, "errors", LOST))
            self.stats.inc_value(stat_key(agency_id, "report_errors", LOST))
        self.stats.set_value("ledger/open", len(self.open))
        for how, n in self.settled.items():
            self.stats.set_value(f"ledger/settled/{how}", n)


def _urls(adapter: ItemAdapter) -> list[str]:
    """The URLs an item settles: its own, its further pages', its attachments'."""
    return [adapter.get("url"), *(adapter.get("parts") or []),
            *(a.get("url") for a in adapter.get("attachments") or [])]
