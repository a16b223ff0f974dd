"""Benchmark: re-extraction from the archive, in records/s read and reports/s extracted.

A generated web on 127.0.0.1 (--hosts agency sites, each a start page, a
disclosure area, an annual-report column and one report page per year, the
report pages being the real TRS/Word-paste reports of tests/fixtures/real/) is
crawled once, live, into WARCs. Then, over those WARCs only:

- records/s: ``CaptureIndex.build`` (what ``scrapy crawl archive`` and a resume
  read first), against warcio's ``ArchiveIterator`` reading every record's block,
  the floor for any reader of these files, measured in the same run;
- reports/s: ``scrapy crawl archive`` end to end (process start, discovery,
  extraction, feed) pinned to one core, against ``crawler.extract.extract`` called
  directly on the same report pages in this process (the extractor alone).

    .venv/bin/python bench/reextract.py [--hosts 60]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures" / "real"
YEARS = (2018, 2019, 2020, 2021, 2024, 2025)
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=ERROR",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def report_page(year: int) -> bytes:
    return (FIXTURES / f"pingtan-gwh-{year}-report.html").read_bytes()


def agency_files(name: str) -> dict[str, bytes]:
    links = "".join(f'<li><a href="/zwgk/ndbg/{y}.html">{name}{y}年政府信息公开工作年度报告'
                    "</a></li>" for y in YEARS)
    page = '<html><head><meta charset="utf-8"><title>{0}</title></head><body>{1}</body></html>'
    files = {
        "/": page.format(name, '<a href="/zwgk/">政府信息公开</a>').encode(),
        "/zwgk/": page.format("政府信息公开",
                                        '<a href="/zwgk/ndbg/">政府信息公开年报</a>').encode(),
        "/zwgk/ndbg/": page.format("政府信息公开年报", f"<ul>{links}</ul>").encode(),
    }
    files.update({f"/zwgk/ndbg/{y}.html": report_page(y) for y in YEARS})
    return files


def registry(hosts: list[str], path: Path) -> None:
    import yaml

    agencies = [{"id": f"350{n:03d}", "province": "福建省", "province_code": "350000",
                 "name": f"第{n}局", "start_url": f"http://{host}/", "allowed_domains": [host]}
                for n, host in enumerate(hosts)]
    path.write_text(yaml.safe_dump({"agencies": agencies}, allow_unicode=True), "utf-8")


def child_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def crawl(spider: str, registry_path: Path, out: Path, env: dict[str, str], *extra: str,
          one_core: bool = False) -> tuple[float, float, int]:
    """(wall s, CPU s, items) of ``scrapy crawl SPIDER``."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"registry={registry_path}",
               "-O", str(out / "items.jsonl"), "-s", f"WARC_DIR={out / 'warc'}", *FAST, *extra]
    pin = (lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})) if one_core else None
    cpu, started = child_seconds(), time.perf_counter()
    code = subprocess.call(command, cwd=ROOT, env=env, preexec_fn=pin)
    wall, cpu = time.perf_counter() - started, child_seconds() - cpu
    if code not in (0, 1):
        raise SystemExit(f"{spider} crawl failed (exit {code}); see its log above")
    return wall, cpu, sum(1 for _ in open(out / "items.jsonl", encoding="utf-8"))


def read_rates(warcs: Path) -> tuple[int, float, float]:
    from warcio.archiveiterator import ArchiveIterator

    from archive.lookup import CaptureIndex

    files = sorted(warcs.glob("*.warc.gz"))
    started, records = time.perf_counter(), 0
    for path in files:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                record.raw_stream.read()
                records += 1
    floor = time.perf_counter() - started
    started = time.perf_counter()
    CaptureIndex.build(files)
    return records, floor, time.perf_counter() - started


def extract_rate(rounds: int) -> tuple[int, float]:
    from crawler.extract import extract

    pages = [report_page(y) for y in YEARS]
    started = time.perf_counter()
    for _ in range(rounds):
        for year, body in zip(YEARS, pages, strict=True):
            extract(body, f"http://x.gov.cn/{year}.html", "text/html")
    return rounds * len(pages), time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=60, help="agency sites (6 reports each)")
    args = parser.parse_args()
    from tests.demoweb import DemoWeb, Site
    from tests.demoweb.__main__ import proxy_env

    hosts = [f"a{n}.bench.gov.cn" for n in range(args.hosts)]
    sites = {h: Site(host=h, files=agency_files(f"第{n}局")) for n, h in enumerate(hosts)}
    with tempfile.TemporaryDirectory(dir=ROOT / "var" if (ROOT / "var").is_dir() else None) as tmp:
        work = Path(tmp)
        registry(hosts, work / "registry.yaml")
        with DemoWeb(sites=sites) as web:
            live = crawl("disclosure", work / "registry.yaml", work / "live", proxy_env(web))
            requests = len(web.log)
            again = crawl("archive", work / "registry.yaml", work / "again", proxy_env(web),
                          "-a", f"warc={work / 'live' / 'warc'}", one_core=True)
            assert len(web.log) == requests, "the archive crawl reached the web"
        records, floor, indexed = read_rates(work / "live" / "warc")
        direct, direct_s = extract_rate(max(1, live[2] // len(YEARS)))
    print(json.dumps({"hosts": args.hosts, "reports_live": live[2], "reports_again": again[2],
                      "records": records}))
    print(f"records/s read:  CaptureIndex {records / indexed:,.0f}   warcio floor "
          f"{records / floor:,.0f}   ratio {floor / indexed:.2f}")
    crawled, alone = again[2] / again[0], direct / direct_s
    print(f"reports/s extracted (scrapy crawl archive, one core, process start included): "
          f"{crawled:.1f} ({again[0]:.1f} s wall, {again[1]:.1f} s CPU)   "
          f"extractor alone {alone:.1f}   ratio {crawled / alone:.2f}")
    print(f"live crawl of the same web for reference: {live[0]:.1f} s wall, {live[1]:.1f} s CPU")
    return 0 if again[2] == live[2] else 1


if __name__ == "__main__":
    sys.exit(main())
