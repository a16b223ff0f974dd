"""Benchmark: building the dataset from 10,000 reports, on one core.

A feed of --reports items like the demo crawl's (tests/test_dataset_factory.py: real
tables of the 2019 and 2021 formats, --text-chars of report text each, years
2016-2025 so that three in ten predate the tables, 31 provinces, one report in twenty
revised by a second run) is built into SQLite with ``crawler.dataset.build``. The
baseline, measured in the same run, is reading the same feed with a plain
``json.loads`` per line: the ratio says what the dataset costs over merely reading
its input. The issue's target: under 30 s for 10,000 reports on one core.

    .venv/bin/python bench/dataset_build.py [--reports 10000] [--exports] [--audit]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_FILLER = "本机关认真贯彻落实《条例》，依法依规做好政府信息公开工作，主动公开政府信息。"


def items(reports: int, text_chars: int):
    """The bench's reports: ten years per agency, a revision for one in twenty."""
    from tests.test_dataset_factory import make_item

    text = (_FILLER * (text_chars // len(_FILLER) + 1))[:text_chars]
    for n in range(reports):
        agency, year = f"{110000 + (n // 10) % 31 * 10000}/a{n // 10}.gov.cn", 2016 + n % 10
        item = make_item(agency, year, agency=f"机关{n // 10}", province=f"省{(n // 10) % 31}",
                         received=(n % 40, n % 7), text=text)
        item["sections"] = {k: v and text[:text_chars // 6] for k, v in item["sections"].items()}
        yield item
        if n % 20 == 0:
            yield {**item, "run_id": "20250401T020000Z-bbbbbb", "sha1": "edited",
                   "warc": {**item["warc"], "date": "2025-04-01T02:00:00Z"},
                   "change": "changed", "revision": {"kind": "cosmetic", "cells": {}}}


def write_feed(path: Path, reports: int, text_chars: int) -> int:
    with open(path, "w", encoding="utf-8") as feed:
        for item in items(reports, text_chars):
            feed.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path.stat().st_size


def baseline(path: Path) -> float:
    started = time.perf_counter()
    with open(path, encoding="utf-8") as feed:
        for line in feed:
            json.loads(line)
    return time.perf_counter() - started


def timed(label: str, function, *args):
    started = time.perf_counter()
    result = function(*args)
    elapsed = time.perf_counter() - started
    print(f"{label:<28} {elapsed:7.2f} s", flush=True)
    return result, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--text-chars", type=int, default=6_000,
                        help="characters of report text per item (the demo web's: ~2,000)")
    parser.add_argument("--exports", action="store_true", help="time CSV and Parquet too")
    parser.add_argument("--audit", action="store_true", help="time the audit pages too")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the issue asks
    from crawler.dataset import build, write_audit

    with tempfile.TemporaryDirectory(prefix="bench-dataset-") as tmp:
        feed = Path(tmp) / "items.jsonl"
        size = write_feed(feed, args.reports, args.text_chars)
        print(f"feed: {args.reports} reports, {size / 1e6:.1f} MB")
        _, floor = timed("baseline: json.loads", baseline, feed)
        built, elapsed = timed("build (SQLite)", build, [feed], Path(tmp) / "r.sqlite",
                               date(2026, 12, 1))
        print(f"  {built.reports} reports, {built.versions} versions, {built.cells:,} cells, "
              f"{built.agency_years} agency-years, "
              f"{built.path.stat().st_size / 1e6:.1f} MB")
        print(f"build: {elapsed / floor:.1f} x the baseline's time; "
              f"{elapsed / args.reports * 1000:.2f} s per 1,000 reports "
              f"(target for 10,000: under 30 s)")
        if args.exports:
            timed("build + CSV + Parquet", build, [feed], Path(tmp) / "e.sqlite",
                  date(2026, 12, 1), ["csv", "parquet"])
        if args.audit:
            timed("audit pages", write_audit, built.path, Path(tmp) / "audit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
