"""End-of-crawl summary, per agency, read from its account (``crawler.agencies.account``):
CMS family, pages fetched, how its report column was found, what its lists state
against what was collected, reports by year, years missing, attachments, what was
refused, lost, cut short or declined (each kind with its first URLs), and its status
(``crawler.discovery.completeness.agency_status``: one rule). Then the crawl's outcome
(``crawler.run.outcome``: the exit code and why).

Logged at the end and written as JSON named after the item feed (``items.jsonl`` ->
``items.summary.json``; without a local feed ``var/summary-<run id>.json``), or to
``CRAWL_SUMMARY_FILE``, so no run overwrites another's. The JSON is written, synced
and renamed into place before the run may be called finished
(``crawler.run.closing``: the ``summary`` part). Scrapy's stats mirror each account
(``agency/<id>/...``). Progress lines while it runs: ``crawler.extensions.progress``.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from ..agencies import Agency, AgencyAccount, CrawlAgencies, stat_key
from ..discovery.completeness import missing_years
from ..discovery.status import agency_status
from ..pipelines.changes import Revisions
from ..run import Run, summary_path
from ..run.closing import Closing
from ..run.outcome import ExitCode, FrontierState, crawl_outcome
from ..shared import shared

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

__all__ = ["CrawlSummary", "agency_row"]

logger = logging.getLogger(__name__)


def agency_row(agency: Agency, account: AgencyAccount, years: range | None,
               revised: list[dict[str, Any]], gone: list[str]) -> dict[str, Any]:
    """One agency's line of the summary, from its account."""
    columns = list(account.columns)
    status = agency_status(account)
    reports = {year: n for year, n in account.years.items()}
    return {
        "agency_id": agency.id, "agency": agency.name, "province": agency.province,
        "host": agency.allowed_domains[0],
        "cms": account.family_name or agency.cms or "plain",
        "pages": account.pages, "requests": account.requests,
        "status": status,
        "report_column": columns[0].found_by if columns else None,
        "lists": [column.as_dict() for column in columns],
        "reports": account.report_count,
        "reports_by_year": dict(sorted(reports.items())),
        "years_missing": missing_years(reports, years),
        "attachments": account.attachments,
        "errors": dict(account.errors()),
        "refused": _outcomes(account.refused), "lost": _outcomes(account.lost),
        "partial": _outcomes(account.partial), "declined": _outcomes(account.declined),
        "notes": _outcomes(account.notes), "rendered": _outcomes(account.rendered),
        "not_rendered": _outcomes(account.unrendered),
        "actions": dict(account.actions),
        "settled_without_item": dict(account.settled_without_item()),
        "traps": dict(account.traps),
        "changes": dict(sorted(account.changes.items())),
        "revised": revised,
        # only where the crawl is sure it looked everywhere
        "reports_gone": gone if status == "complete" else [],
    }


def _outcomes(outcomes: Any) -> list[dict[str, Any]]:
    return [{"kind": kind, "role": group, "count": n,
             "urls": outcomes.examples.get((group, kind), [])}
            for (group, kind), n in sorted(outcomes.counts.items())]


class CrawlSummary:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats: StatsCollector = crawler.stats
        self.agencies = CrawlAgencies.of(crawler)
        self.run = Run.of(crawler)
        self.closing = Closing.of(crawler)
        self.closing.expect("summary")
        self.revisions = shared(crawler, Revisions)
        self.frontier = shared(crawler, FrontierState)
        self.path = summary_path(crawler.settings, self.run)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummary:
        summary = cls(crawler)
        crawler.signals.connect(summary.spider_closed, signal=signals.spider_closed)
        return summary

    def table(self) -> list[dict[str, Any]]:
        asked = self.stats.get_value("crawl/years")
        years = range(asked[0], asked[1] + 1) if asked else None
        revised: dict[str, list[dict[str, Any]]] = {}
        for revision in self.revisions.revised:
            revised.setdefault(revision["agency_id"], []).append(
                {"url": revision["url"], "kind": revision["kind"]})
        return [agency_row(agency, self.agencies.account(agency.id), years,
                           revised.get(agency.id, []), self.revisions.gone.get(agency.id, []))
                for agency in self.agencies]

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        stored = False
        try:
            # The last records' and the feeds' fate is the outcome's.
            await self.closing.wait(but="summary")
            stored = self._write(reason)
        finally:
            self.closing.done("summary", ok=stored)

    def _write(self, reason: str) -> bool:
        """Log the summary and store it; False if it could not be stored (then the run
        is not finished: ``crawler.extensions.resume``)."""
        rows = self.table()
        code, outcome = crawl_outcome(reason, rows, self.stats.get_stats(), self.frontier)
        self.stats.set_value("crawl/exit_code", int(code))
        self.stats.set_value("crawl/outcome", outcome)  # for the crawl's status.json
        self._mirror(rows)
        logger.info("\n".join([*_lines(rows, reason), f"Outcome: {outcome} (exit {int(code)})"]))
        summary = {"run_id": self.run.id, "attempt": self.run.attempt, "reason": reason,
                   "exit_code": int(code), "outcome": outcome,
                   "complete": sum(1 for r in rows if r["status"] == "complete"),
                   "incomplete": [r["agency_id"] for r in rows if r["status"] != "complete"],
                   "extraction": {"failures": sum(r["errors"].get("extraction failed", 0)
                                                  for r in rows),
                                  "workers_replaced":
                                      self.stats.get_value("extract/workers_replaced", 0)},
                   "frontier": self.frontier.as_dict(),
                   "resume": self._resume_facts(), "agencies": rows}
        try:
            _write_json(self.path, summary)
        except OSError as exc:
            logger.error("The crawl summary could not be written to %s: %s", self.path, exc)
            if code == ExitCode.COMPLETE:
                self.stats.set_value("crawl/exit_code", int(ExitCode.ERRORS))
            return False
        logger.info("Crawl summary written to %s", self.path)
        return True

    def _mirror(self, rows: list[dict[str, Any]]) -> None:
        """The accounts in Scrapy's stats, for whatever reads stats."""
        for row in rows:
            agency = row["agency_id"]
            self.stats.set_value(stat_key(agency, "pages"), row["pages"])
            self.stats.set_value(stat_key(agency, "status"), row["status"])
            for year, n in row["reports_by_year"].items():
                self.stats.set_value(stat_key(agency, "reports", year), n)
            for kind, n in row["errors"].items():
                self.stats.set_value(stat_key(agency, "errors", kind), n)

    def _resume_facts(self) -> dict[str, Any] | None:
        """What a resumed attempt took from the earlier ones (None on a first attempt
        that repaired nothing)."""
        run = self.run
        if not run.resumed and not run.repaired:
            return None
        return {"replayed": self.stats.get_value("resume/replayed", 0),
                "repaired_files": run.repaired, "feeds_set_aside": run.feeds_set_aside}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Whole or not at all, and on disk before the run is called finished."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, path)


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
        lines += [f"    {o['kind']} ({o['role']}): {o['count']}, e.g. {', '.join(o['urls'])}"
                  for o in r["lost"] + r["refused"] + r["partial"]]
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
