"""End-of-crawl summary, per agency: CMS family, pages fetched, reports by year,
attachments, errors. Logged at the end and written as JSON next to the item feed
(``summary.json`` in the first local feed's folder), or to ``CRAWL_SUMMARY_FILE``.
Progress: every ``CRAWL_SUMMARY_PROGRESS`` seconds (0 for none) one log line with
pages, reports and agencies so far.

Everything it reports comes from the crawler's stats (``agency/<id>/...``, see
``crawler.agencies``) and the crawl's one record of agencies, so it reads the
same whichever spider ran and however many processes shared the stats.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import signals
from twisted.internet import task

from ..agencies import CrawlAgencies, agency_counts, stat_key
from ..meta import AGENCY

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

__all__ = ["CrawlSummary"]

logger = logging.getLogger(__name__)


class CrawlSummary:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.agencies = CrawlAgencies.of(crawler)
        self.path = self._path(crawler.settings)
        self.interval = crawler.settings.getfloat("CRAWL_SUMMARY_PROGRESS")
        self._tick: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummary:
        summary = cls(crawler)
        crawler.signals.connect(summary.response_received, signal=signals.response_received)
        crawler.signals.connect(summary.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(summary.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(summary.spider_closed, signal=signals.spider_closed)
        return summary

    @staticmethod
    def _path(settings: BaseSettings) -> Path:
        if settings.get("CRAWL_SUMMARY_FILE"):
            return Path(settings.get("CRAWL_SUMMARY_FILE"))
        for uri in settings.getdict("FEEDS"):
            parts = urlsplit(str(uri))
            if parts.scheme in ("", "file") and "%(" not in str(uri):
                return Path(parts.path).parent / "summary.json"
        return Path("var") / "summary.json"

    # ----------------------------------------------------------- counting
    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        agency = request.meta.get(AGENCY)
        if agency:
            self.stats.inc_value(stat_key(agency, "pages"))

    def item_scraped(self, item: Any, spider: Spider) -> None:
        adapter = ItemAdapter(item)
        agency = adapter.get("agency_id") or "?"
        self.stats.inc_value(stat_key(agency, "reports", adapter.get("year")))
        self.stats.inc_value(stat_key(agency, "attachments"),
                             len(adapter.get("attachments") or []))

    def spider_opened(self, spider: Spider) -> None:
        if self.interval > 0:
            self._tick = task.LoopingCall(self._progress)
            self._tick.start(self.interval, now=False)

    def _progress(self) -> None:
        rows = self.table()
        logger.info("Progress: %d pages, %d reports, %d agencies (%d found on portals)",
                    sum(r["pages"] for r in rows), sum(r["reports"] for r in rows),
                    len(self.agencies), self.agencies.departments_found)

    # ----------------------------------------------------------- reporting
    def table(self) -> list[dict[str, Any]]:
        stats = self.stats.get_stats()
        rows = []
        for agency in self.agencies:
            families = agency_counts(stats, agency.id, "family")
            reports = agency_counts(stats, agency.id, "reports")
            rows.append({
                "agency_id": agency.id, "agency": agency.name, "province": agency.province,
                "host": agency.allowed_domains[0],
                "cms": families.most_common(1)[0][0] if families else agency.cms or "plain",
                "pages": stats.get(stat_key(agency.id, "pages"), 0),
                "reports": sum(reports.values()),
                "reports_by_year": dict(sorted(reports.items())),
                "attachments": stats.get(stat_key(agency.id, "attachments"), 0),
                "errors": dict(agency_counts(stats, agency.id, "errors")),
            })
        return rows

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._tick is not None and self._tick.running:
            self._tick.stop()
        rows = self.table()
        logger.info("\n".join(_lines(rows, reason)))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps({"reason": reason, "agencies": rows},
                                        ensure_ascii=False, indent=2), "utf-8")
        logger.info("Crawl summary written to %s", self.path)


def _lines(rows: list[dict[str, Any]], reason: str) -> list[str]:
    lines = [f"Crawl summary ({reason}): {len(rows)} agencies, "
             f"{sum(r['pages'] for r in rows)} pages, {sum(r['reports'] for r in rows)} reports"]
    for r in rows:
        years = ", ".join(f"{y}:{n}" for y, n in r["reports_by_year"].items()) or "none"
        errors = ", ".join(f"{k}×{v}" for k, v in r["errors"].items()) or "no errors"
        lines.append(f"  {r['agency_id']:<32} {r['cms']:<10} pages {r['pages']:>4}  "
                     f"reports {r['reports']:>3} [{years}]  attachments "
                     f"{r['attachments']}  {errors}")
    return lines
