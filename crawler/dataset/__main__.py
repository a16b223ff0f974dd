"""python -m crawler.dataset: build the dataset, write the audit, explore it.

    python -m crawler.dataset build [FEED.jsonl ...] [--state STATE] [-o var/dataset/reports.sqlite]
                                    [--format csv] [--format parquet] [--today YYYY-MM-DD]
    python -m crawler.dataset audit [--db var/dataset/reports.sqlite] [-o var/audit/]
                                    [--replay http://127.0.0.1:8090/reports/]
                                    [--datasette http://127.0.0.1:8001/]
    python -m crawler.dataset explore [--db var/dataset/reports.sqlite] [--port 8001]

Without feeds, build reads every run's feed under var/items/ (<run id>.jsonl; an
interrupted attempt's *.attempt1.jsonl is left out, its run's feed has it all).
Without --db, explore opens var/dataset/reports.sqlite, built first (as build without
arguments does) when there is none yet, or else the demo's (var/demo/dataset/).
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from .build import DEFAULT_DB, build
from .explore import DEMO_DB, explore
from .export import EXPORTS
from .feeds import DEFAULT_FEEDS, DEFAULT_STATE, default_feeds
from .page import DEFAULT_AUDIT, DEFAULT_DATASETTE, DEFAULT_REPLAY, write_audit


def _formats(text: str) -> list[str]:
    formats = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [fmt for fmt in formats if fmt not in EXPORTS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown)} "
                                         f"(choose from {', '.join(EXPORTS)})")
    return formats


def _build(args: argparse.Namespace) -> int:
    feeds = args.feeds or default_feeds(DEFAULT_FEEDS)
    states = args.state or ([DEFAULT_STATE] if DEFAULT_STATE.is_file() else [])
    missing = [path for path in [*feeds, *states] if not path.is_file()]
    if not (feeds or states) or missing:
        nothing = f"no feed in {DEFAULT_FEEDS}/ and no crawl state at {DEFAULT_STATE}"
        print(f"no items: {', '.join(map(str, missing)) or nothing}", file=sys.stderr)
        return 2
    built = build(feeds, args.output, args.today, [f for group in args.format for f in group],
                  states)
    print(f"{built.path}: {built.reports} reports ({built.versions} versions) from "
          f"{len(feeds)} feeds and {len(states)} crawl states, {built.cells} cells, "
          f"{built.agency_years} agency-years, "
          f"{built.carry_over_breaks} carry-over breaks")
    for path in built.exports:
        print(f"{path}")
    return 0


def _no_dataset(args: argparse.Namespace) -> bool:
    """No dataset to read: say how to make one (the caller exits 2)."""
    if args.db.is_file():
        return False
    print(f"no dataset at {args.db}: run `python -m crawler.dataset build` first",
          file=sys.stderr)
    return True


def _audit(args: argparse.Namespace) -> int:
    if _no_dataset(args):
        return 2
    print(write_audit(args.db, args.output, args.replay, args.datasette))
    return 0


def dataset_to_explore() -> Path | None:
    """The dataset ``explore`` opens when none is named: the default one; else one built
    there as ``build`` without arguments builds it; else the demo's (``make demo`` writes
    it elsewhere, and a reader who only ran the demo has no other); else None."""
    if DEFAULT_DB.is_file() or _build(parser().parse_args(["build"])) == 0:
        return DEFAULT_DB
    if DEMO_DB.is_file():
        print(f"opening the demo's dataset, {DEMO_DB}", file=sys.stderr)
        return DEMO_DB
    return None


def _explore(args: argparse.Namespace) -> int:
    if args.db is None:
        args.db = dataset_to_explore()
        if args.db is None:
            print(f"no dataset at {DEFAULT_DB} nor the demo's at {DEMO_DB}: run `python -m "
                  "crawler.dataset build` (or `make demo`) first", file=sys.stderr)
            return 2
    if _no_dataset(args):
        return 2
    explore(args.db, args.port)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m crawler.dataset", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = main.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="item feeds -> the SQLite dataset (and exports)",
                            description="Build the dataset: one row per report version, "
                            "every statistics cell, checks, flags, attachments, WARC "
                            "pointers, cross-year checks and the audit. Rebuilding from "
                            "the same feeds gives the same file.")
    b.add_argument("feeds", nargs="*", type=Path, metavar="FEED",
                   help=f"item feeds (JSON lines); default: every run's in {DEFAULT_FEEDS}/")
    b.add_argument("--state", type=Path, action="append", default=[], metavar="STATE",
                   help="a crawl state (<WARC_DIR>/crawl-state.sqlite) whose every report "
                   f"version is read too (repeat for more; default {DEFAULT_STATE} if it "
                   "exists)")
    b.add_argument("-o", "--output", type=Path, default=DEFAULT_DB,
                   help=f"the SQLite file to write (default {DEFAULT_DB})")
    b.add_argument("--format", type=_formats, action="append", default=[],
                   help="also export beside it: csv, parquet (every cell; written as "
                   "<name>.cells.csv / .cells.parquet; the CSV with a UTF-8 byte-order mark "
                   "so that Excel reads its Chinese), xlsx (the reports and their cells, "
                   "latest versions, as <name>.xlsx); repeat or comma-separate")
    b.add_argument("--today", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="the audit's date: a year is due once 31 January after it has "
                   "passed (default: today)")
    b.set_defaults(func=_build)
    a = commands.add_parser("audit", help="the dataset -> the offline audit pages",
                            description="Write index.html (provinces, charts, the agency × "
                            "year matrix), a page per agency and each version's item JSON.")
    a.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"(default {DEFAULT_DB})")
    a.add_argument("-o", "--output", type=Path, default=DEFAULT_AUDIT,
                   help=f"the folder to write (default {DEFAULT_AUDIT}/)")
    a.add_argument("--replay", default=DEFAULT_REPLAY,
                   help="prefix of replay links, followed by <timestamp>/<url> "
                   f"(default {DEFAULT_REPLAY}: pywb, collection 'reports')")
    a.add_argument("--datasette", default=DEFAULT_DATASETTE, metavar="URL",
                   help="the Datasette serving the dataset, for the pages' links to it "
                   f"(default {DEFAULT_DATASETTE}: make explore)")
    a.set_defaults(func=_audit)
    e = commands.add_parser("explore", help="serve the dataset in Datasette on 127.0.0.1",
                            description="Datasette with table and column descriptions, "
                            "canned queries for the audit's questions and a full-text search "
                            "of the reports; the audit pages at /audit/ (written first when "
                            "missing or older than the dataset).")
    e.add_argument("--db", type=Path, default=None,
                   help=f"(default {DEFAULT_DB}, built first as build would when missing; "
                   f"else the demo's, {DEMO_DB})")
    e.add_argument("--port", type=int, default=8001, help="(default 8001)")
    e.set_defaults(func=_explore)
    return main


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
