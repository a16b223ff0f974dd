"""What changed in a report since the archive last read it: new, changed, unchanged,
and for a change, a revision that says which cells and which text.

Agencies edit reports after publishing them, usually without a word. A report
is compared with its last version from an earlier run (``ReportVersions``, in
the crawl state's SQLite file) by its content: the text with whitespace folded,
and every table cell. Same content in new bytes (site chrome, a counter, markup)
is a ``cosmetic`` revision; any other difference is ``substantive``, with the
cells that changed (old -> new) and a short unified diff of the text. Plain
functions and one table: no Scrapy here.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DIFF_LINES", "ReportVersions", "Version", "compare", "content_fingerprint",
           "table_cells"]

DIFF_LINES = 60  # of the unified text diff kept in an item
_TABLES = ("proactive", "requests", "appeals")
_SPACE = re.compile(r"\s+")
_SCHEMA = """
create table if not exists reports (
    url text, run_id text, captured text, fingerprint text, bytes text, item text,
    primary key (url, run_id)
)"""


def table_cells(item: dict[str, Any]) -> dict[str, Any]:
    """``{"requests.new_received.total": 12, ...}``: every cell of the three tables."""
    cells = {}
    for table in _TABLES:
        for row, columns in (item.get(table) or {}).items():
            for column, value in (columns or {}).items():
                cells[f"{table}.{row}.{column}"] = value
    return cells


def _text(item: dict[str, Any]) -> str:
    return _SPACE.sub(" ", item.get("text") or "").strip()


def content_fingerprint(item: dict[str, Any]) -> str:
    """The report's content, not its bytes: folded text and every cell."""
    content = json.dumps([_text(item), table_cells(item)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(content.encode()).hexdigest()


def bytes_fingerprint(item: dict[str, Any]) -> str:
    """The records it was read from: its page's payload and its attachments'."""
    warc = item.get("warc") or {}
    parts = [warc.get("payload_digest") or warc.get("record_id") or "",
             *sorted(a.get("sha1") or "" for a in item.get("attachments") or [])]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Version:
    """A report as an earlier run read it."""

    run_id: str
    captured: str
    fingerprint: str
    bytes: str
    item: dict[str, Any]


def compare(item: dict[str, Any], previous: Version | None
            ) -> tuple[str, dict[str, Any] | None]:
    """(``new`` | ``changed`` | ``unchanged``, the revision block for a change)."""
    if previous is None:
        return "new", None
    same_content = content_fingerprint(item) == previous.fingerprint
    if same_content and bytes_fingerprint(item) == previous.bytes:
        return "unchanged", None
    old = previous.item
    cells = {key: [table_cells(old).get(key), value] for key, value in table_cells(item).items()
             if table_cells(old).get(key) != value}
    cells.update({key: [value, None] for key, value in table_cells(old).items()
                  if key not in table_cells(item)})
    text_changed = _text(old) != _text(item)
    return "changed", {
        "kind": "cosmetic" if same_content else "substantive",
        "previous": {"run_id": previous.run_id, "captured": previous.captured,
                     "report_id": old.get("report_id"), "warc": old.get("warc")},
        "captured": (item.get("warc") or {}).get("date"),
        "cells": dict(sorted(cells.items())),
        "text_changed": text_changed,
        "diff": _diff(old.get("text") or "", item.get("text") or "") if text_changed else "",
    }


def _diff(old: str, new: str) -> str:
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), "before", "after",
                                      lineterm="", n=1))
    cut = len(lines) > DIFF_LINES
    return "\n".join(lines[:DIFF_LINES] + ([f"... {len(lines) - DIFF_LINES} more lines"]
                                           if cut else []))


class ReportVersions:
    """Each report as each run read it, in the crawl state's file (table ``reports``)."""

    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("pragma journal_mode=wal")
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()

    def previous(self, url: str, run_id: str) -> Version | None:
        """The latest version an earlier run read (a resumed attempt of this run is
        not earlier)."""
        with self._lock:
            row = self._db.execute(
                "select run_id, captured, fingerprint, bytes, item from reports where url = ? "
                "and run_id != ? order by rowid desc limit 1", (url, run_id)).fetchone()
        return Version(row[0], row[1], row[2], row[3], json.loads(row[4])) if row else None

    def record(self, url: str, run_id: str, item: dict[str, Any]) -> None:
        captured = (item.get("warc") or {}).get("date") or ""
        with self._lock:
            self._db.execute("insert or replace into reports values (?, ?, ?, ?, ?, ?)",
                             (url, run_id, captured, content_fingerprint(item),
                              bytes_fingerprint(item), json.dumps(item, ensure_ascii=False)))

    def urls(self, agency_id: str) -> set[str]:
        """The reports earlier runs found for an agency."""
        with self._lock:
            rows = self._db.execute("select distinct url from reports where "
                                    "json_extract(item, '$.agency_id') = ?", (agency_id,))
            return {row[0] for row in rows}

    def close(self) -> None:
        with self._lock:
            self._db.close()
