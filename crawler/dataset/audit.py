"""The transparency audit: per agency and year, what researchers score.

Published or missing (every year from an agency's first report to its last, and to
the latest year due), on time (by 31 January of the next year; unknown without a
date), the six sections and the statutory tables (both required from the 2019
format on), the identities of table 三 and 四, the carry-over from the year before and
to the year after, spam-injected copies, and edits after publication. Plain
functions of the versions; ``today`` is an argument so that the latest year due is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..extract.checks import UNVERIFIED
from ..extract.sections import SECTION_KEYS
from .cells import TABLES
from .crossyear import CarryOverBreak, carry_over
from .versions import Version

__all__ = ["STATUTORY_FROM", "Audit", "agency_key", "audit", "deadline", "latest_year_due"]

STATUTORY_FROM = 2019  # the first year of the national format (国办公开办函〔2019〕60号)


@dataclass
class Audit:
    as_of: date
    latest_due: int
    rows: list[dict[str, Any]] = field(default_factory=list)  # one per agency and year
    breaks: list[CarryOverBreak] = field(default_factory=list)


def latest_year_due(today: date) -> int:
    """The last report year whose deadline (31 January of the next year) has passed."""
    return today.year - 1 if today > date(today.year, 1, 31) else today.year - 2


def deadline(year: int) -> date:
    return date(year + 1, 1, 31)


def agency_key(item: dict[str, Any]) -> str:
    return item.get("agency_id") or item.get("agency") or "unknown"


def audit(all_versions: Iterable[Version], agencies: dict[str, dict[str, Any]],
          today: date) -> Audit:
    """Every agency-year of ``all_versions``' agencies and of those the crawl summaries
    name (``agencies``: an agency with no report at all owes the latest year due)."""
    result = Audit(today, latest_year_due(today))
    everything = list(all_versions)
    revised = _revisions(everything)
    years = _by_agency_year([v for v in everything if v.is_latest])
    for agency_id in sorted(years.keys() | agencies.keys()):
        reports = years.get(agency_id, {})
        primary = {year: found[0] for year, found in reports.items()}
        compared, breaks = carry_over(agency_id, primary)
        result.breaks += breaks
        info = _agency_info(agency_id, reports, agencies.get(agency_id, {}))
        for year in _span(reports, result.latest_due):
            found = reports.get(year, [])
            marks = _marks(found[0], compared, breaks, revised) if found else \
                {"status": "missing"}
            result.rows.append({**info, "year": year, "reports": len(found),
                                "deadline": deadline(year).isoformat(), **marks})
    return result


def _by_agency_year(latest: list[Version]) -> dict[str, dict[int, list[Version]]]:
    """Each agency's reports by year, the one the audit judges first: the earliest
    published (a report re-issued under a new address does not make the first on time)."""
    grouped: dict[str, dict[int, list[Version]]] = {}
    for version in latest:
        year = version.item.get("year")
        if isinstance(year, int):
            grouped.setdefault(agency_key(version.item), {}).setdefault(year, []).append(
                version)
    for reports in grouped.values():
        for found in reports.values():
            found.sort(key=lambda v: (v.item.get("publish_date") or "9999",
                                      v.item.get("url") or ""))
    return grouped


def _span(reports: dict[int, list[Version]], latest_due: int) -> range:
    first = min(reports, default=latest_due)
    return range(first, max([*reports, latest_due]) + 1)


def _agency_info(agency_id: str, reports: dict[int, list[Version]],
                 summary: dict[str, Any]) -> dict[str, Any]:
    item = next((found[0].item for found in reports.values()), summary)
    return {"agency_id": agency_id, "agency": item.get("agency"),
            "province": item.get("province"), "province_code": item.get("province_code")}


def _revisions(everything: list[Version]) -> dict[str, str]:
    """Per report, its strongest revision: substantive over cosmetic."""
    kinds: dict[str, str] = {}
    for version in everything:
        if version.kind == "substantive" or (version.kind and version.report_id not in kinds):
            kinds[version.report_id] = version.kind
    return kinds


def _marks(version: Version, compared: list[tuple[int, int]], breaks: list[CarryOverBreak],
           revised: dict[str, str]) -> dict[str, Any]:
    item = version.item
    year = item["year"]
    mine = [b for b in breaks if year in (b.year, b.next_year)]
    return {
        "status": "published", "report_id": version.report_id, "version": version.number,
        "url": item.get("url"), "title": item.get("title"),
        "publish_date": item.get("publish_date"), "on_time": _on_time(item),
        **_sections(item), **_tables(item), **_identities(item),
        "cross_year": "broken" if mine else "consistent" if any(
            year in pair for pair in compared) else "not compared",
        "carry_over_breaks": len(mine),
        "spam": int(any(f.startswith("injected_spam") for f in item.get("flags") or [])),
        "revised": revised.get(version.report_id, "no"),
    }


def _on_time(item: dict[str, Any]) -> str:
    try:
        published = date.fromisoformat(item.get("publish_date") or "")
    except ValueError:
        return "unknown"
    return "yes" if published <= deadline(item["year"]) else "late"


def _sections(item: dict[str, Any]) -> dict[str, Any]:
    sections = item.get("sections") or {}
    missing = [key for key in SECTION_KEYS if not sections.get(key)]
    judged = item["year"] >= STATUTORY_FROM
    return {"sections_present": len(SECTION_KEYS) - len(missing),
            "sections_missing": ",".join(missing) or None,
            "sections": ("incomplete" if missing else "complete") if judged
            else "not required"}


def _tables(item: dict[str, Any]) -> dict[str, Any]:
    missing = [table for table in TABLES if not item.get(table)]
    if item["year"] < STATUTORY_FROM:
        state = "not required"
    elif any(f.startswith("tables_as_images") for f in item.get("flags") or []):
        state = "images"
    else:
        state = "missing" if missing else "present"
    return {"tables": state, "tables_missing": ",".join(missing) or None}


def _identities(item: dict[str, Any]) -> dict[str, Any]:
    """``broken`` only by numbers read with confidence (the agency's own); ``unverified``
    when every break uses a number OCR was unsure of (the reading's, perhaps)."""
    found = item.get("checks") or []
    unverified = [c for c in found if c.startswith(UNVERIFIED)]
    broken = len(found) - len(unverified)
    has_tables = bool(item.get("requests") or item.get("appeals"))
    state = "broken" if broken else "unverified" if unverified else \
        "hold" if has_tables else "no tables"
    return {"identities": state, "checks": broken, "unverified": len(unverified)}
