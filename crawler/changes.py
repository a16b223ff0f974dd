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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .distributed.outage import Outage

__all__ = ["DIFF_LINES", "ReportVersions", "Version", "compare", "content_fingerprint",
           "table_cells"]

DIFF_LINES = 60  # of the unified text diff kept in an item
_TABLES = ("proactive", "requests", "appeals")
_SPACE = re.compile(r"\s+")
_SCHEMA = """
create table if not exists versions (
    url text, run_id text, captured text, fingerprint text, bytes text, item text,
    primary key (url, run_id));
create table if not exists seen (url text primary key, agency_id text, run_id text);
create index if not exists seen_run on seen (run_id);
create table if not exists runs (run_id text primary key, finished integer);
create table if not exists crawled (agency_id text, run_id text, primary key (agency_id, run_id));
"""
# A state file from before ``crawled``: each agency's runs as far as ``seen`` still tells.
_BACKFILL = """
insert or ignore into crawled select distinct agency_id, run_id from seen
where not exists (select 1 from crawled)"""
# Per agency, the last finished run (but this one) that found any of its reports, and
# the reports it found that no run found since.
_GONE = """
with last as (select c.agency_id, max(r.rowid) as run from crawled c
              join runs r on r.run_id = c.run_id
              where r.finished and c.run_id != :run group by c.agency_id)
select s.agency_id, s.url from seen s join runs r on r.run_id = s.run_id
join last on last.agency_id = s.agency_id and last.run = r.rowid order by s.url"""


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
    """The bytes it was read from, decoded (a server that gzips one week and not the
    next changes nothing): its own (``sha1``) and its attachments'."""
    parts = [item.get("sha1") or "", *sorted(_attachments(item).values())]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def _attachments(item: dict[str, Any]) -> dict[str, str]:
    return {a.get("url") or "": a.get("sha1") or "" for a in item.get("attachments") or []}


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
    """(``new`` | ``changed`` | ``unchanged``, the revision block for a change). An
    attachment added, removed or replaced is a substantive change even when the one
    read is the same: an annex may be what was edited."""
    if previous is None:
        return "new", None
    same_content = content_fingerprint(item) == previous.fingerprint
    if same_content and bytes_fingerprint(item) == previous.bytes:
        return "unchanged", None
    old = previous.item
    before, after = table_cells(old), table_cells(item)
    cells = {key: [before.get(key), after.get(key)] for key in before.keys() | after.keys()
             if before.get(key) != after.get(key)}
    old_files, new_files = _attachments(old), _attachments(item)
    files = {url: [old_files.get(url), new_files.get(url)]
             for url in old_files.keys() | new_files.keys()
             if old_files.get(url) != new_files.get(url)}
    text_changed = _text(old) != _text(item)
    return "changed", {
        "kind": "cosmetic" if same_content and not files else "substantive",
        "previous": {"run_id": previous.run_id, "captured": previous.captured,
                     "report_id": old.get("report_id"), "warc": old.get("warc")},
        "captured": (item.get("warc") or {}).get("date"),
        "cells": dict(sorted(cells.items())),
        "attachments": dict(sorted(files.items())),  # url: [old sha1, new sha1]
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
    """Each report's versions, in the crawl state's file: a version is stored when a
    run reads other content (or other bytes) than the last version, and counts as
    one only once its run finished (everything archived and delivered), so an edit
    that a killed run saw is still an edit to the next one."""

    outage: Outage | None = None  # a local file has no outages (Redis's twin has)

    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("pragma journal_mode=wal")
        self._db.execute("pragma synchronous=normal")
        self._db.executescript(_SCHEMA)
        self._db.execute(_BACKFILL)
        self._lock = threading.Lock()

    def begin(self, run_id: str) -> None:
        self._run("insert or ignore into runs (run_id, finished) values (?, 0)", run_id)

    def finish(self, run_id: str) -> None:
        self._run("update runs set finished = 1 where run_id = ?", run_id)

    def previous(self, url: str, run_id: str) -> Version | None:
        """The latest version a finished earlier run read."""
        with self._lock:
            row = self._db.execute(
                "select v.run_id, v.captured, v.fingerprint, v.bytes, v.item from versions v "
                "join runs r on r.run_id = v.run_id where v.url = ? and r.finished "
                "and v.run_id != ? order by v.rowid desc limit 1", (url, run_id)).fetchone()
        return Version(row[0], row[1], row[2], row[3], json.loads(row[4])) if row else None

    def record(self, url: str, run_id: str, item: dict[str, Any],
               previous: Version | None) -> None:
        """This run found it; a version if it differs from ``previous``."""
        fingerprint, content = content_fingerprint(item), bytes_fingerprint(item)
        with self._lock:
            self._db.execute("insert or replace into seen values (?, ?, ?)",
                             (url, item.get("agency_id"), run_id))
            self._db.execute("insert or ignore into crawled values (?, ?)",
                             (item.get("agency_id"), run_id))
            if previous is None or (previous.fingerprint, previous.bytes) != (fingerprint,
                                                                              content):
                self._db.execute(
                    "insert or replace into versions values (?, ?, ?, ?, ?, ?)",
                    (url, run_id, (item.get("warc") or {}).get("date") or "", fingerprint,
                     content, json.dumps(item, ensure_ascii=False)))

    def gone(self, run_id: str) -> dict[str, list[str]]:
        """Per agency, the reports its last finished crawl found and this one did not.
        Per agency, not per run: a run over other agencies in between (another
        province, another worker's share of a distributed crawl) hides nothing. Its
        last crawl is the last that found any of its reports (an agency whose column
        is now empty has its reports named gone again by each run until one is back)."""
        with self._lock:
            rows = self._db.execute(_GONE, {"run": run_id}).fetchall()
        found: dict[str, list[str]] = {}
        for agency, url in rows:
            found.setdefault(agency, []).append(url)
        return found

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _run(self, sql: str, run_id: str) -> None:
        with self._lock:
            self._db.execute(sql, (run_id,))
