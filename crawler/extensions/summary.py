"""End-of-crawl summary, per agency: CMS family, pages fetched, how its report column
was found, what its lists state against what was collected, reports by year, years
missing, attachments, errors, and a status (``complete``, ``incomplete: <why>``,
``no report column found``), and the crawl's outcome (``crawler.outcome``: the
exit code and why). Logged at the end and written as JSON named after the item
feed (``items.jsonl`` -> ``items.summary.json``; without a local feed
``var/summary-<run id>.json``), or to ``CRAWL_SUMMARY_FILE``, so no run
overwrites another's.
Progress lines while it runs: ``crawler.extensions.progress``.

Everything it reports comes from the crawler's stats (``agency/<id>/...``, see
``crawler.agencies``) and the crawl's one record of agencies, so it reads the
same whichever spider ran and however many processes shared the stats.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals

from ..agencies import AgencyStats, CrawlAgencies, stat_key
from ..closing import Closing
from ..discovery.completeness import ListTally, agency_status, missing_years
from ..meta import AGENCY
from ..outcome import crawl_outcome
from ..pipelines.changes import Revisions, Unchanged
from ..run import Run, summary_path
from ..shared import shared

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["CrawlSummary"]

logger = logging.getLogger(__name__)


class CrawlSummary:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.agencies = CrawlAgencies.of(crawler)
        self.lists = shared(crawler, ListTally)
        self.run = shared(crawler, Run)
        self.closing = Closing.of(crawler)
        self.revisions = shared(crawler, Revisions)
        self.path = summary_path(crawler.settings, self.run)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummary:
        summary = cls(crawler)
        crawler.signals.connect(summary.response_received, signal=signals.response_received)
        crawler.signals.connect(summary.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(summary.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(summary.spider_closed, signal=signals.spider_closed)
        return summary

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

    def item_dropped(self, item: Any, exception: BaseException, spider: Spider) -> None:
        if isinstance(exception, Unchanged):  # found and archived: a report all the same
            self.item_scraped(item, spider)

    # ----------------------------------------------------------- reporting
    def table(self) -> list[dict[str, Any]]:
        stats = self.stats.get_stats()
        asked = stats.get("crawl/years")
        years = range(asked[0], asked[1] + 1) if asked else None
        counts = AgencyStats(stats)
        revised: dict[str, list[dict[str, Any]]] = {}
        for revision in self.revisions.revised:
            revised.setdefault(revision["agency_id"], []).append(
                {"url": revision["url"], "kind": revision["kind"]})
        return [self._row(agency, stats, counts, years, revised.get(agency.id, []))
                for agency in self.agencies]

    def _row(self, agency: Any, stats: dict[str, Any], counts: AgencyStats,
             years: range | None, revised: list[dict[str, Any]]) -> dict[str, Any]:
        families = counts.counts(agency.id, "family")
        reports = counts.counts(agency.id, "reports")
        columns = self.lists.columns(agency.id)
        status = agency_status(columns, sum(reports.values()),
                               counts.counts(agency.id, "report_errors"),
                               counts.counts(agency.id, "list_errors"))
        return {
            "agency_id": agency.id, "agency": agency.name, "province": agency.province,
            "host": agency.allowed_domains[0],
            "cms": families.most_common(1)[0][0] if families else agency.cms or "plain",
            "pages": stats.get(stat_key(agency.id, "pages"), 0),
            "status": status,
            "report_column": columns[0].found_by if columns else None,
            "lists": [column.as_dict() for column in columns],
            "reports": sum(reports.values()),
            "reports_by_year": dict(sorted(reports.items())),
            "years_missing": missing_years(reports, years),
            "attachments": stats.get(stat_key(agency.id, "attachments"), 0),
            "errors": dict(counts.counts(agency.id, "errors")),
            "changes": dict(sorted(counts.counts(agency.id, "changes").items())),
            "revised": revised,
            # only where the crawl is sure it looked everywhere
            "reports_gone": self.revisions.gone.get(agency.id, []) if status == "complete"
                            else [],
        }

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        await self.closing.wait()  # the last records' and the feeds' fate is the outcome's
        rows = self.table()
        code, outcome = crawl_outcome(reason, rows, self.stats.get_stats())
        self.stats.set_value("crawl/exit_code", int(code))
        logger.info("\n".join([*_lines(rows, reason), f"Outcome: {outcome} (exit {int(code)})"]))
        summary = {"run_id": self.run.id, "attempt": self.run.attempt, "reason": reason,
                   "exit_code": int(code), "outcome": outcome,
                   "complete": sum(1 for r in rows if r["status"] == "complete"),
                   "incomplete": [r["agency_id"] for r in rows if r["status"] != "complete"],
                   "extraction": {"failures": self.stats.get_value("extract/failures", 0),
                                  "workers_replaced":
                                      self.stats.get_value("extract/workers_replaced", 0)},
                   "resume": self._resume_facts(), "agencies": rows}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(summary, ensure_ascii=False, indent=2), "utf-8")
        logger.info("Crawl summary written to %s", self.path)

    def _resume_facts(self) -> dict[str, Any] | None:
        """What a resumed attempt took from the earlier ones (None on a first attempt
        that repaired nothing)."""
        run = self.run
        if not run.resumed and not run.repaired:
            return None
        return {"replayed": self.stats.get_value("resume/replayed", 0),
                "repaired_files": run.repaired, "feeds_set_aside": run.feeds_set_aside}


def _lines(rows: list[dict[str, Any]], reason: str) -> list[str]:
    complete = sum(1 for r in rows if r["status"] == "complete")
    lines = [f"Crawl summary ({reason}): {len(rows)} agencies ({complete} complete), "
             f"{sum(r['pages'] for r in rows)} pages, {sum(r['reports'] for r in rows)} reports"]
    for r in rows:
        years = ", ".join(f"{y}:{n}" for y, n in r["reports_by_year"].items()) or "none"
        missing = f"  years missing {_years(r['years_missing'])}" if r["years_missing"] else ""
        errors = ", ".join(f"{k}×{v}" for k, v in r["errors"].items())
        if not errors and r["status"] == "complete":
            errors = "no errors"
        lines.append(f"  {r['agency_id']:<32} {r['cms']:<10} pages {r['pages']:>4}  "
                     f"reports {r['reports']:>3} [{years}]{missing}  attachments "
                     f"{r['attachments']}  {errors}")
        if set(r["changes"]) - {"new"}:  # a recrawl: what changed since the last one
            lines.append("    changes: " + ", ".join(f"{k} {v}" for k, v in r["changes"].items())
                         + "".join(f"\n    revised ({x['kind']}): {x['url']}"
                                   for x in r["revised"]))
        if r["reports_gone"]:
            lines.append(f"    no longer found: {', '.join(r['reports_gone'])}")
        if r["status"] != "complete":
            lines.append(f"    {r['status']}")
    return lines


def _years(years: list[int]) -> str:
    return ", ".join(map(str, years))
