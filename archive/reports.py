"""The reports a collection holds, as the listing and the WACZ pages show them.

A crawl that keeps its state (``CRAWL_STATE``, by default ``crawl-state.sqlite``
beside the WARCs) stores each report's versions there: table ``versions``, one
row per URL and run whose content differed, holding the item as JSON, counted
once its run finished (table ``runs``; see ``crawler.changes``). Read with plain
SQL here, so the archive library needs nothing of the crawler. Item feeds (JSON
Lines) can be given too, for collections crawled without a state.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ArchivedReport", "archived_reports", "badges", "timestamp14"]

_VERSIONS = ("select v.url, v.item from versions v join runs r on r.run_id = v.run_id "
             "where r.finished order by v.rowid")
BADGES = {  # an item's flag (before its colon) -> what the listing says
    "injected_spam": "spam", "tables_missing": "tables missing",
    "tables_as_images": "tables as images", "year_mismatch": "year mismatch",
    "published_early": "published early",
}


def timestamp14(warc_date: str) -> str:
    """``2024-01-31T12:00:00Z`` as pywb's ``20240131120000``."""
    return re.sub(r"\D", "", warc_date)[:14]


@dataclass
class ArchivedReport:
    url: str
    item: dict[str, Any]  # its latest version's
    captured: list[str] = field(default_factory=list)  # WARC-Dates of its versions
    revised: bool = False
    checked: str | None = None  # when a later crawl last found it unchanged (a revisit)
    # Each capture's own text (a revision's words differ): what the WACZ page list says.
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.item.get("title") or self.url

    @property
    def text(self) -> str:
        """The latest version's text (its item's ``text``); "" when none was read."""
        return self.item.get("text") or ""

    @property
    def anchor(self) -> str:
        """The report's fragment in the listing (``#report-ID``). The crawler's
        ``report_id`` is its URL without scheme, hashed, so it is the same in every
        recrawl and every rebuilt listing: a link others can keep."""
        key = self.item.get("report_id") or hashlib.sha1(self.url.encode()).hexdigest()[:20]
        return f"report-{key}"

    @property
    def attachments(self) -> list[str]:
        return [a["url"] for a in self.item.get("attachments") or [] if a.get("url")]


def badges(report: ArchivedReport) -> list[str]:
    """The flags a reader should see at a glance."""
    found = [BADGES.get(flag.split(":", 1)[0], flag.split(":", 1)[0])
             for flag in report.item.get("flags") or []]
    if report.item.get("checks"):
        found.append("identities broken")
    if report.revised:
        found.append("revised")
    return found


def archived_reports(warc_dirs: Iterable[str | Path] = (), items: Iterable[str | Path] = ()
                     ) -> list[ArchivedReport]:
    """Every report of the collections in ``warc_dirs`` (their crawl states' versions)
    and of the item feeds ``items``; ordered by province, agency, year (latest first)."""
    states = [Path(d) / "crawl-state.sqlite" for d in warc_dirs]
    reports: dict[str, ArchivedReport] = {}
    for item in [*(i for s in states for i in _state_items(s)), *_feed_items(items)]:
        _add(reports, item)
    for state in states:
        for url, checked in _checked(state).items():
            report = reports.get(url)
            if report is not None and checked and report.captured \
                    and checked > max(report.captured):
                report.checked = max(checked, report.checked or "")
    return sorted(reports.values(), key=_order)


def _add(reports: dict[str, ArchivedReport], item: dict[str, Any]) -> None:
    date = (item.get("warc") or {}).get("date")
    report = reports.get(item["url"])
    if report is None:
        report = reports[item["url"]] = ArchivedReport(item["url"], item)
    elif date and date not in report.captured:
        report.item = item
    if date and date not in report.captured:
        report.captured.append(date)
    if date and item.get("text"):
        report.texts[date] = item["text"]
    report.revised = report.revised or len(report.captured) > 1 or item.get(
        "change") == "changed"


def _state_items(path: Path) -> list[dict[str, Any]]:
    return [json.loads(item) for _, item in _query(path, _VERSIONS)]


def _checked(path: Path) -> dict[str, str]:
    return dict(_query(path, "select url, checked from captures"))


def _query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    if not path.is_file():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute(sql).fetchall()
    except sqlite3.OperationalError:  # a state without that table (never crawled so)
        return []
    finally:
        db.close()


def _feed_items(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    found = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            found += [json.loads(line) for line in fh if line.strip()]
    return [item for item in found if item.get("url")]


def _order(report: ArchivedReport) -> tuple[str, str, int]:
    item = report.item
    return (item.get("province_code") or "", item.get("agency_id") or "",
            -(item.get("year") or 0))
