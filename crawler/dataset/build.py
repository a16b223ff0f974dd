"""``build``: item feeds -> one SQLite file of report versions, cells, checks and the audit.

The file is made anew each time under a temporary name and moved into place, so a
rebuild from the same feeds gives the same rows (idempotent), a reader never sees a
half-built file, and a failed build leaves the last good one.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any

import sqlite_utils

from .audit import Audit, audit
from .export import export_cells
from .feeds import read_items, read_summaries, state_items
from .labels import label_rows
from .names import agency_pinyin, province_en
from .rows import child_rows, version_row
from .schema import COLUMNS, create_schema, finish_schema
from .versions import Version, versions

__all__ = ["DEFAULT_DB", "Built", "build"]

logger = logging.getLogger(__name__)

DEFAULT_DB = Path("var/dataset/reports.sqlite")
_CELL_COLUMNS = 8  # version_id, report_id, version, table, row, column, value, unit


@dataclass
class Built:
    path: Path
    feeds: int
    versions: int
    reports: int
    cells: int
    carry_over_breaks: int
    agency_years: int
    exports: list[Path] = field(default_factory=list)


def build(feeds: Sequence[Path], out: Path = DEFAULT_DB, today: date | None = None,
          formats: Iterable[str] = (), states: Sequence[Path] = ()) -> Built:
    """Build ``out`` from ``feeds`` and the crawl ``states`` (every version their
    finished runs read: a rerun's feed holds only what changed), as of ``today`` for
    the audit's latest year due, then write the cell table in each of ``formats``."""
    found = versions(chain(read_items(feeds), *(state_items(state) for state in states)))
    summaries = read_summaries(feeds)
    checked = audit(found, summaries, today or date.today())
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    db = sqlite_utils.Database(partial)
    try:
        db.execute("pragma journal_mode = off")  # a new file: a crash discards it whole
        db.execute("pragma synchronous = off")
        create_schema(db)
        with db.conn:
            cells = _write_versions(db, found)
            _write_audit(db, checked, found, summaries)
            _write_meta(db, [*feeds, *states], found, checked)
        finish_schema(db)
    finally:
        db.close()
    os.replace(partial, out)
    built = Built(out, len(feeds), len(found), sum(v.is_latest for v in found), cells,
                  len(checked.breaks), len(checked.rows))
    built.exports = [export_cells(out, fmt) for fmt in formats]
    return built


def _insert(db: sqlite_utils.Database, table: str, rows: Iterable[tuple[Any, ...]],
            width: int | None = None) -> None:
    width = width or len(COLUMNS[table])
    db.conn.executemany(f"insert into {table} values ({', '.join('?' * width)})", rows)


def _write_versions(db: sqlite_utils.Database, found: list[Version]) -> int:
    """Every version and its child rows; the number of cells."""
    order = list(COLUMNS["versions"])
    cells = 0
    for version_id, version in enumerate(found, 1):
        row = version_row(version, version_id)
        _insert(db, "versions", [tuple(row[name] for name in order)])
        for table, rows in child_rows(version, version_id).items():
            _insert(db, table, rows, _CELL_COLUMNS if table == "cells" else None)
            cells += len(rows) if table == "cells" else 0
    return cells


def _write_audit(db: sqlite_utils.Database, checked: Audit, found: list[Version],
                 summaries: dict[str, dict[str, Any]]) -> None:
    ids: dict[tuple[Any, Any], int] = {(v.report_id, v.number): version_id
                                       for version_id, v in enumerate(found, 1)}
    rows = [{**row, "version_id": ids.get((row.get("report_id"), row.get("version")))}
            for row in checked.rows]
    db["agency_years"].insert_all(rows)  # type: ignore[union-attr]
    agencies = {row["agency_id"]: row for row in checked.rows}
    db["carry_over_breaks"].insert_all(  # type: ignore[union-attr]
        {**b.row(), "agency": agencies[b.agency_id]["agency"],
         "province": agencies[b.agency_id]["province"]} for b in checked.breaks)
    db["agencies"].insert_all(  # type: ignore[union-attr]
        _agency_row(row, summaries.get(agency_id, {})) for agency_id, row in agencies.items())
    db["labels"].insert_all(label_rows())  # type: ignore[union-attr]


def _agency_row(audited: dict[str, Any], summary: dict[str, Any]) -> dict[str, Any]:
    """An agency as the audit names it, with what its latest crawl summary said."""
    return {**{name: audited[name] for name in
               ("agency_id", "agency", "province", "province_code")},
            "agency_pinyin": agency_pinyin(audited["agency"]),
            "province_en": province_en(audited["province_code"], audited["province"]),
            "host": summary.get("host"), "cms": summary.get("cms"),
            "crawl_status": summary.get("status"),
            "report_column": summary.get("report_column"),
            "summary_run_id": summary.get("run_id")}


def _write_meta(db: sqlite_utils.Database, feeds: Sequence[Path], found: list[Version],
                checked: Audit) -> None:
    meta = {"as_of": checked.as_of.isoformat(), "latest_year_due": checked.latest_due,
            "feeds": json.dumps([str(feed) for feed in feeds], ensure_ascii=False),
            "versions": len(found), "reports": sum(v.is_latest for v in found),
            # not in the audit, which is per year: the versions table still has them
            "reports_without_year": sum(v.is_latest and not isinstance(v.item.get("year"), int)
                                        for v in found)}
    db["meta"].insert_all({"key": k, "value": str(v)} for k, v in meta.items())  # type: ignore[union-attr]
