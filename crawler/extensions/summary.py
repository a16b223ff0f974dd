"""End-of-crawl summary, per agency: CMS family, pages fetched, reports by year,
attachments, errors. Logged at the end and written as JSON next to the item feed
(``summary.json`` in the first local feed's folder), or to ``CRAWL_SUMMARY_FILE``.
Progress: every ``CRAWL_SUMMARY_PROGRESS`` seconds (default 60; 0 for none) one
log line with pages, reports and agencies so far.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import signals

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["CrawlSummary"]

logger = logging.getLogger(__name__)


class CrawlSummary:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.pages: Counter[str] = Counter()
        self.reports: dict[str, Counter[str]] = defaultdict(Counter)
        self.attachments: Counter[str] = Counter()
        self.path = self._path(crawler.settings)
        self.interval = crawler.settings.getfloat("CRAWL_SUMMARY_PROGRESS", 60)
        self._tick = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummary:
        summary = cls(crawler)
        crawler.signals.connect(summary.response_received, signal=signals.response_received)
        crawler.signals.connect(summary.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(summary.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(summary.spider_closed, signal=signals.spider_closed)
        return summary

    @staticmethod
    def _path(settings) -> Path:
        if settings.get("CRAWL_SUMMARY_FILE"):
            return Path(settings.get("CRAWL_SUMMARY_FILE"))
        for uri in settings.getdict("FEEDS"):
            parts = urlsplit(str(uri))
            if parts.scheme in ("", "file") and "%(" not in str(uri):
                return Path(parts.path).parent / "summary.json"
        return Path("var") / "summary.json"

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        agency = request.meta.get("agency_id")
        if agency:
            self.pages[agency] += 1

    def item_scraped(self, item: Any, spider: Spider) -> None:
        adapter = ItemAdapter(item)
        agency = adapter.get("agency_id") or "?"
        self.reports[agency][str(adapter.get("year"))] += 1
        self.attachments[agency] += len(adapter.get("attachments") or [])

    def spider_opened(self, spider: Spider) -> None:
        if self.interval > 0:
            from twisted.internet import task

            self._tick = task.LoopingCall(self._progress, spider)
            self._tick.start(self.interval, now=False)

    def _progress(self, spider: Spider) -> None:
        agencies = getattr(spider, "agencies", {})
        logger.info("Progress: %d pages, %d reports, %d agencies (%d found on portals)",
                    sum(self.pages.values()), sum(sum(c.values()) for c in self.reports.values()),
                    len(agencies), sum(1 for a in agencies.values() if a.parent))

    def table(self, spider: Spider) -> list[dict[str, Any]]:
        rows = []
        families = getattr(spider, "families", {})
        errors = getattr(spider, "errors", {})
        for agency in getattr(spider, "agencies", {}).values():
            family = families.get(agency.id)
            rows.append({
                "agency_id": agency.id, "agency": agency.name, "province": agency.province,
                "host": agency.allowed_domains[0],
                "cms": family.most_common(1)[0][0] if family else agency.cms or "plain",
                "pages": self.pages[agency.id],
                "reports": sum(self.reports[agency.id].values()),
                "reports_by_year": dict(sorted(self.reports[agency.id].items())),
                "attachments": self.attachments[agency.id],
                "errors": dict(errors.get(agency.id, Counter())),
            })
        return rows

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._tick is not None and self._tick.running:
            self._tick.stop()
        rows = self.table(spider)
        lines = [f"Crawl summary ({reason}): {len(rows)} agencies, "
                 f"{sum(r['pages'] for r in rows)} pages, {sum(r['reports'] for r in rows)} reports"]
        for r in rows:
            years = ", ".join(f"{y}:{n}" for y, n in r["reports_by_year"].items()) or "none"
            errors = ", ".join(f"{k}×{v}" for k, v in r["errors"].items()) or "no errors"
            lines.append(f"  {r['agency_id']:<32} {r['cms']:<10} pages {r['pages']:>4}  "
                         f"reports {r['reports']:>3} [{years}]  attachments "
                         f"{r['attachments']}  {errors}")
        logger.info("\n".join(lines))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps({"reason": reason, "agencies": rows},
                                        ensure_ascii=False, indent=2), "utf-8")
        logger.info("Crawl summary written to %s", self.path)
