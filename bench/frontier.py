"""Benchmark: what the frontier on disk (``crawler.frontier.diskqueue``, with ``JOBDIR``) costs
and saves, per pending request, against Scrapy's ``LifoMemoryQueue`` in the same run.

Pushes N requests shaped as the crawl's (an agency, a role, link text, a column,
the spider's callbacks) into one host queue of each kind and pops them all back,
in a fresh process per kind (so memory is measured from the same start). Prints,
per kind: microseconds per push and per pop, and the Python memory the queue
held with every request pending (tracemalloc, measured in a second pass so that
tracing does not slow the timed one); then the ratios to the memory queue.

    .venv/bin/python bench/frontier.py [--requests 20000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ONE_KIND = """
import json, sys, time, tracemalloc
import scrapy
from scrapy.utils.test import get_crawler
from scrapy.utils.misc import load_object
from crawler.discovery import Role

kind, jobdir, count = sys.argv[1], sys.argv[2] or None, int(sys.argv[3])

class Disclosure(scrapy.Spider):
    name = "disclosure"
    def parse(self, response): pass
    def on_error(self, failure): pass

def requests(spider):
    for n in range(count):
        host = f"a{n % 50}.jtt.p210000.gov.cn"
        yield scrapy.Request(f"http://{host}/xxgk/ndbg/2022nb{n}.html", callback=spider.parse,
                             errback=spider.on_error, priority=3,
                             meta={"agency_id": f"p210000-jtt-a{n % 50}", "role": Role.REPORT,
                                   "link_text": "2022年度政府信息公开工作年度报告", "depth": 3,
                                   "list_column": f"http://{host}/xxgk/ndbg/index.html"})

def queue_of(crawler):
    return load_object(kind).from_crawler(crawler, "bench")

crawler = get_crawler(Disclosure, {"JOBDIR": jobdir, "PENDING_ON_DISK": True})
crawler.spider = spider = Disclosure()
queue = queue_of(crawler)
pending = list(requests(spider))
started = time.perf_counter()
for request in pending:
    queue.push(request)
pushed = time.perf_counter() - started
del pending, request
started = time.perf_counter()
while queue.pop() is not None:
    pass
popped = time.perf_counter() - started
tracemalloc.start()
queue = queue_of(crawler)
for request in requests(spider):
    queue.push(request)
held = tracemalloc.get_traced_memory()[0]
print(json.dumps({"push_us": pushed / count * 1e6, "pop_us": popped / count * 1e6,
                  "held_mib": held / 2**20}))
"""

KINDS = {"memory (LifoMemoryQueue)": ("scrapy.squeues.LifoMemoryQueue", False),
         "disk (SpillingLifoQueue)": ("crawler.frontier.diskqueue.SpillingLifoQueue", True)}


def measure(kind: str, on_disk: bool, count: int) -> dict:
    with tempfile.TemporaryDirectory(dir=ROOT / "var") as jobdir:
        out = subprocess.run([sys.executable, "-c", ONE_KIND, kind, jobdir if on_disk else "",
                              str(count)], cwd=ROOT, check=True, capture_output=True,
                             text=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20000)
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    results = {}
    for name, (kind, on_disk) in KINDS.items():
        results[name] = result = measure(kind, on_disk, args.requests)
        print(f"{name:26} push {result['push_us']:6.1f} us   pop {result['pop_us']:6.1f} us   "
              f"{args.requests} pending hold {result['held_mib']:6.2f} MiB", flush=True)
    memory, disk = results.values()
    time_ratio = (disk["push_us"] + disk["pop_us"]) / (memory["push_us"] + memory["pop_us"])
    print(f"disk / memory: push+pop time x{time_ratio:.0f}, "
          f"memory held x{disk['held_mib'] / memory['held_mib']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
