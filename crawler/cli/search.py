"""``gov-archive search WORD...``: the reports whose title or text say every word.

What it queries depends on what the dataset holds (``python -m crawler.dataset
build`` makes it, and it grows):

1. ``texts_fts``, the FTS5 trigram index of ``texts (title, text)``: the dataset's own
   query (``crawler.dataset.search.SEARCH_QUERY``, the one its Datasette runs), so the
   two never disagree;
2. ``texts`` without that index: ``LIKE`` on ``texts.title`` and ``texts.text``;
3. a dataset built before either: ``LIKE`` on ``versions.title`` and the item's text,
   ``json_extract(items.item, '$.text')``.

Latest versions only (``versions.is_latest = 1``); every word must appear. Which of
the three ran is said on stderr, so a reader knows what "no report" means.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

__all__ = ["add", "search"]

_COLUMNS = "v.year, v.province, v.agency, v.title, v.url, v.report_id"
_LIKE = {  # (the text searched, the join that reaches it, what to call it)
    "texts": ("coalesce(t.title, '') || char(10) || coalesce(t.text, '')",
              "join texts t on t.version_id = v.version_id",
              "LIKE on texts.title, texts.text"),
    "items": ("coalesce(v.title, '') || char(10) || "
              "coalesce(json_extract(i.item, '$.text'), '')",
              "join items i on i.version_id = v.version_id",
              "LIKE on versions.title, json_extract(items.item, '$.text')"),
}


def add(commands: Any, name: str, help: str) -> None:  # argparse's subparsers action
    from ..dataset.build import DEFAULT_DB
    from ..dataset.explore import DEMO_DB

    sub = commands.add_parser(
        name, help=help,
        description="Find the reports (latest versions) whose title or text contain every "
        "WORD, newest year first, each with a line of its text around the word. Uses the "
        "dataset's full-text index (texts_fts) when it has one, else a LIKE scan of the "
        "reports' text; which one is said on stderr. Exits 1 when nothing matches, 2 "
        "without a dataset.")
    sub.add_argument("words", nargs="+", metavar="WORD", help="a word or phrase, e.g. 行政复议")
    sub.add_argument("--db", type=Path, default=None, help=f"the dataset (default {DEFAULT_DB}"
                     f", or else the demo's, {DEMO_DB})")
    sub.add_argument("-n", "--limit", type=int, default=20,
                     help="at most this many reports (default 20; 0 for all)")
    sub.add_argument("--json", action="store_true", help="one JSON object per report")
    sub.set_defaults(func=run, defaults=(DEFAULT_DB, DEMO_DB))


def run(args: argparse.Namespace) -> int:
    db = args.db or next((p for p in args.defaults if p.is_file()), args.defaults[0])
    if not db.is_file():
        print(f"search: no dataset at {db}: run `gov-archive build` first", file=sys.stderr)
        return 2
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        connection.row_factory = sqlite3.Row
        how, rows = search(connection, args.words, args.limit)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False) if args.json else _show(row))
    print(f"search: {len(rows)} report(s) in {db} ({how})", file=sys.stderr)
    return 0 if rows else 1


def search(connection: sqlite3.Connection, words: list[str], limit: int = 0
           ) -> tuple[str, list[dict[str, Any]]]:
    """The reports saying every word, and how they were found."""
    from ..dataset.search import SEARCH_QUERY  # (the dataset's: loaded when searching)

    tables = {row[0] for row in connection.execute("select name from sqlite_master")}
    if "texts_fts" in tables:
        cursor = connection.execute(SEARCH_QUERY, {"words": " ".join(words)})
        how = "full-text index texts_fts"
    else:
        source = "texts" if "texts" in tables else "items"
        cursor, how = _like(connection, source, words), _LIKE[source][2]
    rows = cursor.fetchmany(limit) if limit > 0 else cursor.fetchall()
    return how, [_hit(dict(row), words) for row in rows]


def _like(connection: sqlite3.Connection, source: str, words: list[str]) -> sqlite3.Cursor:
    text, join, _ = _LIKE[source]
    where = " and ".join(f"({text}) like ? escape '\\'" for _ in words)
    return connection.execute(
        f"select {_COLUMNS}, {text} as body from versions v {join} "
        f"where v.is_latest = 1 and {where} order by v.year desc, v.province, v.agency, v.url",
        [f"%{_escape(word)}%" for word in words])


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _hit(row: dict[str, Any], words: list[str]) -> dict[str, Any]:
    """One report found: the columns both queries give, with a snippet."""
    body = row.pop("body", None)
    if body is not None:
        row["snippet"] = _snippet(body, max(words, key=len))
    keep = ("year", "province", "agency", "title", "url", "report_id", "snippet")
    return {key: row.get(key) for key in keep}


def _snippet(text: str, word: str, before: int = 24, width: int = 72) -> str:
    at = text.lower().find(word.lower())
    start = max(0, at - before)
    part = re.sub(r"\s+", " ", text[start:start + width])
    part = part.replace(word, f"【{word}】")
    return ("…" if start else "") + part + ("…" if start + width < len(text) else "")


def _show(row: dict[str, Any]) -> str:
    head = f"{row['year'] or '----'}  {row['province'] or ''}  {row['agency'] or ''}"
    return f"{head}\n  {row['title']}\n  {row['snippet'] or ''}\n  {row['url']}"
