"""``python -m archive``: tools for the WARC collection."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import get, packaging, replay
from .index import write_index
from .repair import open_files, repair_paths, writer_alive
from .state import CrawlState
from .verify import verify_paths

__all__ = ["main"]


def _verify(args: argparse.Namespace) -> int:
    report = verify_paths(args.paths)
    for problem in report.problems:
        print(problem)
    print(report.summary(), file=sys.stderr if args.quiet else sys.stdout)
    return 0 if report.ok else 1


def _repair(args: argparse.Namespace) -> int:
    found = list(open_files(args.paths))
    busy = [p for p in found if not args.force and writer_alive(p)]
    for path in busy:
        print(f"{path}: its writer is still running, or it was written on another host; "
              "not touched (--force to repair anyway)",
              file=sys.stderr)
    for report in repair_paths(args.paths, force=args.force):
        print(report)
    if not found:
        print("no unfinished (.open) WARC files", file=sys.stderr)
    return 1 if busy else 0


def _index(args: argparse.Namespace) -> int:
    try:
        inputs = write_index(args.paths, args.output)
    except FileNotFoundError as exc:
        print(f"index: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - cdxj-indexer's errors on a file that is no WARC
        print(f"index: cannot index {', '.join(map(str, args.paths))}: not readable as WARC "
              f"({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
    if args.output:
        print(f"indexed {len(inputs)} WARC file(s) into {args.output}", file=sys.stderr)
    return 0


def _state_rebuild(args: argparse.Namespace) -> int:
    state = CrawlState.rebuild(args.paths, args.output)
    print(f"{args.output}: {len(state)} URL(s) from {', '.join(map(str, args.paths))}")
    state.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m archive",
        description="Tools for the disclosure-report WARC collection.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    verify = commands.add_parser(
        "verify", help="check WARCs: parse, digests, request/response pairing, references",
        description="Parse every record, check WARC-Block-Digest and WARC-Payload-Digest, "
        "check that each file starts with warcinfo, that every request has its response in "
        "the same file and that every WARC-Concurrent-To / WARC-Refers-To resolves. "
        "Directories are searched for *.warc.gz and *.warc; an unfinished *.open file is a "
        "problem (repair it). Prints FILE:OFFSET: PROBLEM for each problem and a summary; "
        "exits 1 if there was any problem.")
    verify.add_argument("paths", nargs="+", metavar="PATH", help="WARC file or directory")
    verify.add_argument("-q", "--quiet", action="store_true",
                        help="print the summary on stderr, problems only on stdout")
    verify.set_defaults(func=_verify)

    repair = commands.add_parser(
        "repair", help="close WARC files a killed writer left open (*.open)",
        description="Cut each unfinished *.warc.gz.open file back to the end of its last "
        "whole exchange (a torn record, or a response whose request did not follow, is "
        "removed), sync it and rename it to its finished name. Directories are searched "
        "recursively. A file whose writer is still running, or written on another host, "
        "is left alone.")
    repair.add_argument("paths", nargs="+", metavar="PATH", help="*.open file or directory")
    repair.add_argument("--force", action="store_true",
                        help="repair files even if their writer seems alive")
    repair.set_defaults(func=_repair)

    index = commands.add_parser(
        "index", help="write a sorted CDXJ index (cdxj-indexer) that pywb reads",
        description="Index WARC files (or directories of them) into one sorted CDXJ index, "
        "the format pywb and wacz read. POST requests get their body appended to the URL "
        "key as pywb expects.")
    index.add_argument("paths", nargs="+", metavar="PATH", help="WARC file or directory")
    index.add_argument("-o", "--output", metavar="FILE", help="index file (default: stdout)")
    index.set_defaults(func=_index)

    state = commands.add_parser(
        "state", help="the crawl state recrawls start from (CRAWL_STATE)",
        description="The SQLite file that tells a recrawl, per URL, the last answer's "
        "ETag and Last-Modified and the record holding its payload.")
    actions = state.add_subparsers(dest="action", required=True, metavar="ACTION")
    rebuild = actions.add_parser(
        "rebuild", help="make it anew from the WARC files alone",
        description="Read every WARC file (directories searched) and write, per URL, its "
        "last 2xx GET response, with the validators of later revisits, in one transaction "
        "replacing the file's captures (its report versions are kept).")
    rebuild.add_argument("paths", nargs="+", metavar="PATH", help="WARC file or directory")
    rebuild.add_argument("-o", "--output", metavar="FILE", required=True,
                         help="state file, e.g. var/warc/crawl-state.sqlite (CRAWL_STATE); "
                              "its report versions are kept")
    rebuild.set_defaults(func=_state_rebuild)
    get.register(commands)
    replay.register(commands)
    packaging.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `python -m archive index DIR | head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 0
