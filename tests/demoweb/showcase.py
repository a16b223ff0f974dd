"""The demo web as ``make demo`` serves it: the bundled sites brought up to the years due
on the day it runs, and one report of each problem the audit marks.

The sites under ``sites/`` stop at 2024 and have nothing wrong that the audit marks, so
a demo run after January 2026 painted every agency ✗ for the year due and showed none
of the audit's other marks. The tests keep the bundled sites as they are (their truth
must not depend on the date); the demo gets a copy, changed the way the recrawl test
changes one (``site.yaml`` edited), crawled twice: once as published, once after an
agency quietly corrected a report, so a revision and its diff exist.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from crawler.dataset.audit import latest_year_due

from .server import SITES_DIR

__all__ = ["PROBLEMS", "REVISED", "showcase_sites"]

# host: the change to its newest report, and the audit's mark it shows
PROBLEMS = {
    "fgw.fujian.gov.cn": ({"render": {"problem": "broken_identity"}}, "≠"),
    "gdj.zj.gov.cn": ({"render": {"problem": "carry_over"}}, "↔"),
    "www.zj.gov.cn": ({"render": {"problem": "spam"}}, "☣"),
    "sthjt.jiangxi.gov.cn": ({"render": {"problem": "tables_missing"}}, "T"),
    "fzggw.zj.gov.cn": ({"late": True}, "L"),
}
REVISED = "www.gd.gov.cn"  # its newest report's numbers corrected before the second crawl
# what a new year's report keeps of the newest one: how it is published, not its faults
# (a 404, a redirect loop) nor its address
_PUBLISHED_LIKE = ("kind", "attachments", "parts", "part_style", "layout")


def showcase_sites(out: Path, today: date, edited: bool = False) -> Path:
    """A copy of the demo sites under ``out``: each site's reports through the latest
    year due on ``today``, the problems above on the newest ones, and with ``edited``
    the revised report's second edition."""
    sites = out / ("sites-edited" if edited else "sites")
    shutil.rmtree(sites, ignore_errors=True)
    shutil.copytree(SITES_DIR, sites)
    due = latest_year_due(today)
    for path in sorted(sites.glob("*/site.yaml")):
        config = yaml.safe_load(path.read_text("utf-8"))
        reports = config.get("reports") or []
        if not reports:
            continue
        if not any("years" in column for column in (config.get("columns") or {}).values()):
            _bring_up_to(reports, due)  # (a column per year has none for a new year: ✗)
        host = path.parent.name
        newest = max(reports, key=lambda r: r["year"])
        change, _ = PROBLEMS.get(host, ({}, ""))
        if change.get("late"):
            newest["published"] = f"{newest['year'] + 1}-04-{15:02d}"
        newest.setdefault("render", {}).update(change.get("render", {}))
        if edited and host == REVISED:
            newest["render"]["edition"] = 2
        path.write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return sites


def _bring_up_to(reports: list[dict], due: int) -> None:
    """A report for each year after the site's newest, through ``due``, published
    like the newest (same kind and attachments, its own address)."""
    newest = max(reports, key=lambda r: r["year"])
    template = {k: v for k, v in newest.items() if k in _PUBLISHED_LIKE}
    for year in range(newest["year"] + 1, due + 1):
        reports.insert(0, {**template, "year": year})
