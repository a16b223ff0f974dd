"""``python -m archive``: tools for the WARC collection."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .index import write_index
from .verify import verify_paths

__all__ = ["main"]


def _verify(args: argparse.Namespace) -> int:
    report = verify_paths(args.paths)
    for problem in report.problems:
        print(problem)
    print(report.summary(), file=sys.stderr if args.quiet else sys.stdout)
    return 0 if report.ok else 1


def _index(args: argparse.Namespace) -> int:
    try:
        inputs = write_index(args.paths, args.output)
    except FileNotFoundError as exc:
        print(f"index: {exc}", file=sys.stderr)
        return 1
    if args.output:
        print(f"indexed {len(inputs)} WARC file(s) into {args.output}", file=sys.stderr)
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
        "Directories are searched for *.warc.gz and *.warc (still-open *.open files are "
        "skipped and counted). Prints FILE:OFFSET: PROBLEM for each problem and a summary; "
        "exits 1 if there was any problem.")
    verify.add_argument("paths", nargs="+", metavar="PATH", help="WARC file or directory")
    verify.add_argument("-q", "--quiet", action="store_true",
                        help="print the summary on stderr, problems only on stdout")
    verify.set_defaults(func=_verify)

    index = commands.add_parser(
        "index", help="write a sorted CDXJ index (cdxj-indexer) that pywb reads",
        description="Index WARC files (or directories of them) into one sorted CDXJ index, "
        "the format pywb and wacz read. POST requests get their body appended to the URL "
        "key as pywb expects.")
    index.add_argument("paths", nargs="+", metavar="PATH", help="WARC file or directory")
    index.add_argument("-o", "--output", metavar="FILE", help="index file (default: stdout)")
    index.set_defaults(func=_index)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
