"""Benchmark: how long the crawler's event loop stands still on a huge report page.

Crawls the demo web's Jiangxi agencies, one of whose report pages carries a
~14 MB table (250,000 rows, as Word exports do), twice: with report pages read
on the event loop whatever their size (``EXTRACT_INLINE_MAX`` huge and
``EXTRACT_PAGES_WHEN_IDLE`` off: the old behaviour, the baseline) and with the
default (pages over 512 KiB read in a worker and parsed in a thread, smaller
ones in a worker when one is idle). Prints the longest stall of the loop (a timer due
every 50 ms, measured by how late it fires), the crawl's wall time and the
ratio of the stalls (these machines are noisy: compare ratios).

    .venv/bin/python bench/loop_lag.py [--rows 250000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TICK = 0.05


class LoopLag:
    """Extension: the longest the reactor was late for a 50 ms timer, in the stats
    (``bench/loop_max_lag``) and in ``LOOP_LAG_FILE``."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.worst = 0.0
        self.last = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals
        from twisted.internet import task

        lag = cls(crawler)
        lag.tick = task.LoopingCall(lag._tick)
        crawler.signals.connect(lag.started, signal=signals.engine_started)
        crawler.signals.connect(lag.closed, signal=signals.spider_closed)
        return lag

    def started(self) -> None:
        self.last = time.monotonic()
        self.tick.start(TICK)

    def _tick(self) -> None:
        now = time.monotonic()
        self.worst = max(self.worst, now - self.last - TICK)
        self.last = now

    def closed(self) -> None:
        self.crawler.stats.set_value("bench/loop_max_lag", round(self.worst, 3))
        Path(self.crawler.settings["LOOP_LAG_FILE"]).write_text(json.dumps(self.worst))


def crawl(web, out: Path, *settings: str) -> tuple[float, float, int]:
    """(longest stall, wall seconds, items) of one crawl of the Jiangxi agencies."""
    from crawler import settings as project
    from tests.demoweb.__main__ import crawl_command, proxy_env

    extensions = {**project.EXTENSIONS, "bench.loop_lag.LoopLag": 500}
    lag_file = out / "lag.json"
    command = crawl_command(out, "-a", "agency=360000", "-s", "DOWNLOAD_DELAY=0",
                            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING",
                            "-s", f"EXTENSIONS={json.dumps(extensions)}",
                            "-s", f"LOOP_LAG_FILE={lag_file}", *settings)
    started = time.monotonic()
    proc = subprocess.run(command, cwd=ROOT, env=proxy_env(web), capture_output=True,
                          text=True)
    elapsed = time.monotonic() - started
    if proc.returncode not in (0, 1):
        sys.exit(f"crawl failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    items = len((out / "items.jsonl").read_text("utf-8").splitlines())
    return json.loads(lag_file.read_text()), elapsed, items


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=250_000,
                        help="table rows added to one report page (250,000: ~14 MB)")
    args = parser.parse_args()

    from tests.demoweb import DemoWeb
    from tests.demoweb.server import Request

    reports = [url for url, r in _reports().items()
               if r.kind == "html" and "sthjt.jiangxi" in url]
    huge = reports[0]
    rows = b"".join(b"<tr><td>%d</td><td>\xe6\x94\xbf\xe5\xba\x9c</td><td>%d</td></tr>" % (i, i)
                    for i in range(args.rows))

    class HugePage(DemoWeb):
        def reply(self, request: Request):
            reply = super().reply(request)
            url = f"http://{request.host}{request.path}"
            if url == huge.split("?")[0] and b"</body>" in reply.body:
                reply.body = reply.body.replace(b"</body>", b"<table>" + rows + b"</table></body>")
            return reply

    with tempfile.TemporaryDirectory(prefix="loop-lag-") as tmp, HugePage() as web:
        print(f"one report page of {len(rows) / 1e6:.1f} MB more: {huge}")
        inline = crawl(web, Path(tmp) / "inline", "-s", f"EXTRACT_INLINE_MAX={1 << 40}",
                       "-s", "EXTRACT_PAGES_WHEN_IDLE=False")
        worker = crawl(web, Path(tmp) / "worker")
    sizes = [e for e in web.log if e.url == huge]
    print(f"(the huge page was asked for {len(sizes)} time(s) per crawl pair)")
    for name, (lag, elapsed, items) in (("on the loop (baseline)", inline),
                                        ("in a worker (default)", worker)):
        print(f"{name:<24} longest stall {lag:6.2f} s   crawl {elapsed:5.1f} s   {items} items")
    print(f"longest stall: {worker[0] / max(inline[0], 1e-3):.2f}x the baseline's")
    return 0


def _reports():
    from tests.conftest import demo_reports

    return demo_reports()


if __name__ == "__main__":
    sys.exit(main())
