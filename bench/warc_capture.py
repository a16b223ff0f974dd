"""Benchmark: what WARC capture costs a Scrapy crawl.

Crawls a generated site of --pages HTML pages (about 15 KB each) served on
127.0.0.1 from a separate process, three ways in one run, with every other
setting shared:

  bare        Scrapy as it comes, no WARC writing
  ours        this project's capture (crawler.extensions.warc + its download handler)
  webarchive  scrapy-webarchive's WaczExporter (its WACZ packaging at close is timed
              apart and left out of the figures, since "ours" does no packaging)

Each mode runs --rounds times, interleaved (bare, ours, webarchive, bare, ...),
each crawl in a fresh process; medians are printed with ratios to bare. pages/s
is counted from spider_opened until every WARC record is on disk; CPU seconds
are the crawl process's (all threads) over the same window.

    make bench                       # installs .venv-bench (adds scrapy-webarchive)
    .venv-bench/bin/python bench/warc_capture.py --pages 5000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "bench.gov.cn"
MODES = ("bare", "ours", "webarchive")
COMMON_SETTINGS = {
    "ROBOTSTXT_OBEY": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False,
}
_WORDS = "政府信息公开工作年度报告主动公开依申请行政复议诉讼规章规范性文件许可处罚强制收费"


# ------------------------------------------------------------------- the site
def page(i: int, pages: int, rng: random.Random) -> bytes:
    children = [c for c in range(i * 5 + 1, i * 5 + 6) if c < pages]
    others = [rng.randrange(pages) for _ in range(5)]
    links = "".join(f'<li><a href="/p/{n}.html">第{n}页</a></li>' for n in children + others)
    paras = "".join("<p>" + "".join(rng.choice(_WORDS) for _ in range(160)) + "</p>"
                    for _ in range(30))
    html = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>第{i}页</title>'
            f'<meta name="SiteName" content="基准测试站"></head><body><div class="nav">'
            f'<ul>{links}</ul></div><div class="content">{paras}</div></body></html>')
    return html.encode("utf-8")


def serve(pages: int) -> None:
    from tests.demoweb import DemoWeb, Site

    rng = random.Random(20260131)
    files = {f"/p/{i}.html": page(i, pages, rng) for i in range(pages)}
    site = Site(host=HOST, files=files)
    with DemoWeb(sites={HOST: site}) as web:
        print(web.port, flush=True)
        sys.stdin.read()  # serve until the parent closes our stdin


# ------------------------------------------------------------------ one crawl
def crawl(mode: str, port: int, out: Path, extra: dict[str, str]) -> dict:
    import os

    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    os.environ["http_proxy"] = f"http://127.0.0.1:{port}"
    marks: dict[str, float] = {}

    class BenchSpider(scrapy.Spider):
        name = "bench"
        start_urls = [f"http://{HOST}/p/0.html"]

        def parse(self, response):
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href)

    settings = dict(COMMON_SETTINGS)
    if mode == "ours":
        from crawler import settings as project  # its defaults live there and only there

        settings.update({
            **{name: getattr(project, name) for name in dir(project)
               if name.startswith("WARC_")},
            "DOWNLOAD_HANDLERS": {
                "http": "crawler.downloadhandlers.http11.HTTP11DownloadHandler"},
            "EXTENSIONS": {"crawler.extensions.warc.WarcCapture": 100},
            "WARC_DIR": str(out / "warc"),
            **extra,
        })
    elif mode == "webarchive":
        settings.update({
            "EXTENSIONS": {"bench.warc_capture.TimedWaczExporter": 100},
            "SW_EXPORT_URI": f"file://{out}/",
        })

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BenchSpider)

    def opened():
        marks["t0"], marks["cpu0"] = time.perf_counter(), time.process_time()

    def stopped():
        marks["t1"], marks["cpu1"] = time.perf_counter(), time.process_time()

    crawler.signals.connect(opened, signal=signals.spider_opened)
    crawler.signals.connect(stopped, signal=signals.engine_stopped)
    process.crawl(crawler)
    process.start()
    from bench.warc_capture import TimedWaczExporter as loaded  # the copy Scrapy loaded

    packaging = loaded.seconds
    stats = crawler.stats.get_stats()
    return {
        "mode": mode,
        "pages": stats.get("response_received_count", 0),
        "seconds": marks["t1"] - marks["t0"] - packaging[0],
        "cpu": marks["cpu1"] - marks["cpu0"] - packaging[1],
        "packaging_seconds": packaging[0],
        # scrapy-webarchive moves its WARC into a WACZ at the end: count both
        "warc_bytes": sum(p.stat().st_size for pattern in ("*.warc.gz", "*.wacz")
                          for p in out.rglob(pattern)),
        "queue_max_mb": stats.get("warc/queue_max_bytes", 0) / 1e6,
    }


try:  # only in the bench environment
    from scrapy_webarchive.extensions import WaczExporter
except ImportError:  # pragma: no cover
    WaczExporter = object


class TimedWaczExporter(WaczExporter):  # type: ignore[misc,valid-type]
    """scrapy-webarchive's exporter, with its close-time WACZ packaging timed."""

    seconds = [0.0, 0.0]

    def spider_closed(self, spider):
        t, c = time.perf_counter(), time.process_time()
        super().spider_closed(spider)
        TimedWaczExporter.seconds[:] = [time.perf_counter() - t, time.process_time() - c]


# ------------------------------------------------------------------- driver
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="extra Scrapy setting for the 'ours' runs (e.g. WARC_GZIP_LEVEL=1)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--crawl", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.pages)
        return 0
    if args.crawl:
        extra = dict(item.split("=", 1) for item in args.set)
        print(json.dumps(crawl(args.crawl, args.port, Path(args.out), extra)))
        return 0
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    server = subprocess.Popen([sys.executable, __file__, "--serve", "--pages", str(args.pages)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(server.stdout.readline())
    results: dict[str, list[dict]] = {m: [] for m in modes}
    try:
        for round_ in range(1, args.rounds + 1):
            for mode in modes:
                with tempfile.TemporaryDirectory(prefix=f"bench-{mode}-") as tmp:
                    proc = subprocess.run(
                        [sys.executable, __file__, "--crawl", mode, "--port", str(port),
                         "--out", tmp, *(f"--set={s}" for s in args.set)],
                        cwd=tmp, capture_output=True, text=True, check=False)
                    if proc.returncode:
                        print(proc.stderr[-3000:], file=sys.stderr)
                        return 1
                    result = json.loads(proc.stdout.strip().splitlines()[-1])
                if mode != "bare" and not result["warc_bytes"]:  # a figure of nothing
                    print(f"{mode} wrote no WARC: its figures would mean nothing",
                          file=sys.stderr)
                    return 1
                result["pages_per_s"] = result["pages"] / result["seconds"]
                results[mode].append(result)
                print(f"round {round_} {mode:10s} {result['pages']:6d} pages "
                      f"{result['seconds']:7.2f} s {result['pages_per_s']:7.1f} pages/s "
                      f"cpu {result['cpu']:6.2f} s  warc {result['warc_bytes'] / 1e6:7.1f} MB"
                      f"  writer backlog max {result['queue_max_mb']:5.1f} MB",
                      flush=True)
    finally:
        server.stdin.close()
        server.wait(10)
    print(f"\nmedians over {args.rounds} round(s), {args.pages} pages:")
    base = statistics.median(r["pages_per_s"] for r in results[modes[0]])
    base_cpu = statistics.median(r["cpu"] for r in results[modes[0]])
    for mode in modes:
        rate = statistics.median(r["pages_per_s"] for r in results[mode])
        cpu = statistics.median(r["cpu"] for r in results[mode])
        print(f"  {mode:10s} {rate:7.1f} pages/s ({rate / base:5.3f} x {modes[0]})  "
              f"cpu {cpu:6.2f} s ({cpu / base_cpu:5.3f} x {modes[0]})")
    if "ours" in results and "webarchive" in results:
        ours = statistics.median(r["pages_per_s"] for r in results["ours"])
        theirs = statistics.median(r["pages_per_s"] for r in results["webarchive"])
        print(f"  ours / webarchive pages/s: {ours / theirs:5.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
