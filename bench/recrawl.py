"""Benchmark: what a recrawl of an unchanged web costs, against the first crawl.

A generated site on 127.0.0.1 (a process of its own) with --reports report pages
of real sizes (HTML 30-110 KB, each with a PDF attachment of 200-400 KB, as in
tests/fixtures/real/) and validators on every answer (ETag, Last-Modified), is
crawled twice with this project's WARC capture, revisit middleware and crawl
state (a fresh process each time, one collection and one state). The first crawl
is the baseline: the second's WARC bytes and received response bytes are
printed as ratios of the first's (the issue asks for at most 0.10 of each).

    .venv/bin/python bench/recrawl.py [--reports 200]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "bench.gov.cn"
_WORDS = "政府信息公开工作年度报告主动公开依申请行政复议诉讼规章规范性文件许可处罚强制收费"


# ------------------------------------------------------------------- the site
def site_files(reports: int) -> dict[str, bytes]:
    rng = random.Random(20261201)
    links = "".join(f'<li><a href="/r/{i}.html">2024年报{i}</a></li>' for i in range(reports))
    files = {"/index.html": f"<html><body><ul>{links}</ul></body></html>".encode()}
    for i in range(reports):
        size = rng.randrange(30_000, 110_000)
        text = "".join(rng.choice(_WORDS) for _ in range(size // 3))  # 3 bytes a character
        files[f"/r/{i}.html"] = (f'<html><head><meta charset="utf-8"><title>年报{i}</title>'
                                 f'</head><body><p>{text}</p><a href="/f/{i}.pdf">附件</a>'
                                 "</body></html>").encode()
        files[f"/f/{i}.pdf"] = b"%PDF-1.4\n" + rng.randbytes(rng.randrange(200_000, 400_000))
    return files


def serve(reports: int) -> None:
    from tests.demoweb import DemoWeb, Site

    with DemoWeb(sites={HOST: Site(host=HOST, files=site_files(reports))}) as web:
        print(web.port, flush=True)
        sys.stdin.read()  # serve until the parent closes our stdin


# ------------------------------------------------------------------ one crawl
def crawl(port: int, out: Path) -> dict:
    import os

    import scrapy
    from scrapy.crawler import CrawlerProcess

    from crawler import settings as project

    os.environ["http_proxy"] = f"http://127.0.0.1:{port}"

    class BenchSpider(scrapy.Spider):
        name = "recrawl"
        start_urls = [f"http://{HOST}/index.html"]

        def parse(self, response):
            if isinstance(response, scrapy.http.TextResponse):
                for href in response.css("a::attr(href)").getall():
                    yield response.follow(href)

    before = {p.name for p in out.glob("warc/*.warc.gz")}
    process = CrawlerProcess({
        **{name: getattr(project, name) for name in dir(project) if name.startswith("WARC_")},
        "ROBOTSTXT_OBEY": False, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False, "DOWNLOAD_MAXSIZE": 0,
        "DOWNLOAD_HANDLERS": {"http": "crawler.downloadhandlers.http11.HTTP11DownloadHandler"},
        "EXTENSIONS": {"crawler.extensions.warc.WarcCapture": 100},
        "DOWNLOADER_MIDDLEWARES": {"crawler.middlewares.revisits.RevisitMiddleware": 740},
        "WARC_DIR": str(out / "warc"), "CRAWL_STATE": str(out / "state.sqlite"),
    })
    crawler = process.create_crawler(BenchSpider)
    started = time.perf_counter()
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    written = [p for p in out.glob("warc/*.warc.gz") if p.name not in before]
    return {"seconds": time.perf_counter() - started,
            "responses": stats.get("downloader/response_count", 0),
            "not_modified": stats.get("revisit/not_modified", 0),
            "received": stats.get("downloader/response_bytes", 0),
            "warc": sum(p.stat().st_size for p in written)}


# ------------------------------------------------------------------- driver
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--crawl", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.reports)
        return 0
    if args.crawl:
        print(json.dumps(crawl(args.port, Path(args.out))))
        return 0
    server = subprocess.Popen([sys.executable, __file__, "--serve", "--reports",
                               str(args.reports)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    port = int(server.stdout.readline())
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-recrawl-") as tmp:
            for name in ("first crawl", "recrawl"):
                proc = subprocess.run([sys.executable, __file__, "--crawl", "--port", str(port),
                                       "--out", tmp], cwd=tmp, capture_output=True, text=True)
                if proc.returncode:
                    print(proc.stderr[-3000:], file=sys.stderr)
                    return 1
                result = json.loads(proc.stdout.strip().splitlines()[-1])
                results.append(result)
                print(f"{name:<12} {result['responses']:5d} responses "
                      f"({result['not_modified']} not modified)  received "
                      f"{result['received'] / 1e6:8.2f} MB  WARC {result['warc'] / 1e6:8.2f} MB"
                      f"  {result['seconds']:6.1f} s", flush=True)
    finally:
        server.stdin.close()
        server.wait(10)
    first, second = results
    if not first["warc"]:
        print("the first crawl wrote no WARC: the ratios would mean nothing", file=sys.stderr)
        return 1
    print(f"recrawl / first crawl: WARC bytes {second['warc'] / first['warc']:.3f}, "
          f"received bytes {second['received'] / first['received']:.3f}, "
          f"time {second['seconds'] / first['seconds']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
