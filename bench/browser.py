"""Benchmark: what a page costs in the browser, against a static fetch of the same pages,
in the same run.

A web of --hosts agency sites cloned from the demo web's department sites (as
``bench/national.py`` builds it, no delay) is crawled twice:

1. ``BROWSER=never``: every page read statically (the baseline);
2. ``BROWSER=always``: the same crawl, and every page on the way to reports (start,
   disclosure, list pages) rendered in Chromium too, its requests sent through the crawl.

It prints pages/s and CPU seconds (the crawl, its workers, the browser: every process
the crawl started, reaped) of both, the CPU of one rendered page against one static
page (the ratio), and the browser's memory: the summed PSS of the crawl's descendant
processes (Chromium and Playwright's driver), sampled every half second, its peak in
each fifth of the run (flat = no growth).

    .venv/bin/python bench/browser.py [--hosts 130]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from national import national_web  # noqa: E402


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def pss_mib(pids: list[int]) -> float:
    """Their proportional set size: shared pages (Chromium's processes share most of
    theirs) counted once, split between the processes that share them."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class BrowserMemory(threading.Thread):
    """(seconds, PSS of the crawl's descendants in MiB) every half second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples = pid, []
        self.done = threading.Event()
        self.started = time.monotonic()

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.samples.append((time.monotonic() - self.started,
                                 pss_mib(descendants(self.pid))))


def crawl(web, registry: Path, out: Path, browser: str) -> dict:
    from tests.demoweb.__main__ import proxy_env

    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosure", "-a", f"registry={registry}",
               "-O", str(out / "items.jsonl"), "-s", f"WARC_DIR={out / 'warc'}",
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", "LOG_LEVEL=WARNING", "-s", f"BROWSER={browser}",
               "-s", "CONCURRENT_REQUESTS=64", "-s", "EXTRACT_PROCESSES=1"]
    before, served = resource.getrusage(resource.RUSAGE_CHILDREN), len(web.log)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=proxy_env(web))
    memory = BrowserMemory(process.pid)
    memory.start()
    code = process.wait()
    wall = time.perf_counter() - started
    memory.done.set()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = json.loads((out / "items.summary.json").read_text("utf-8"))
    rendered = sum(r["count"] for row in summary["agencies"] for r in row.get("rendered", []))
    return {"code": code, "wall": wall, "requests": len(web.log) - served,
            "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "rendered": rendered, "reports": sum(r["reports"] for r in summary["agencies"]),
            "memory": memory.samples}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=130, help="agency sites (default 130)")
    args = parser.parse_args()
    from tests.demoweb.server import DemoWeb

    sites, agencies, _ = national_web(args.hosts, 0)
    with tempfile.TemporaryDirectory() as tmp, DemoWeb(sites=sites) as web:
        registry = Path(tmp) / "registry.yaml"
        registry.write_text(yaml.safe_dump({"agencies": agencies}, allow_unicode=True), "utf-8")
        static = crawl(web, registry, Path(tmp) / "never", "never")
        rendered = crawl(web, registry, Path(tmp) / "always", "always")
    print(f"{args.hosts} agencies; static: {static['requests']} requests in "
          f"{static['wall']:.1f} s ({static['requests'] / static['wall']:.1f} pages/s), "
          f"CPU {static['cpu']:.1f} s, {static['reports']} reports, exit {static['code']}")
    extra_cpu = rendered["cpu"] - static["cpu"]
    pages = max(rendered["rendered"], 1)
    per_static = static["cpu"] / max(static["requests"], 1)
    print(f"browser: {rendered['rendered']} pages rendered, {rendered['requests']} requests in "
          f"{rendered['wall']:.1f} s ({rendered['rendered'] / rendered['wall']:.2f} rendered "
          f"pages/s), CPU {rendered['cpu']:.1f} s, {rendered['reports']} reports, "
          f"exit {rendered['code']}")
    print(f"CPU per rendered page {extra_cpu / pages * 1000:.0f} ms vs per static page "
          f"{per_static * 1000:.1f} ms: ratio {extra_cpu / pages / per_static:.0f}x")
    samples = rendered["memory"]
    if samples:
        fifth = max(len(samples) // 5, 1)
        peaks = [max(rss for _, rss in samples[i:i + fifth]) for i in range(0, len(samples),
                                                                          fifth)][:5]
        print("browser PSS peak by fifth of the run (MiB): "
              + ", ".join(f"{peak:.0f}" for peak in peaks)
              + f"; last/first {peaks[-1] / max(peaks[0], 1):.2f}")
    return 0 if static["code"] == rendered["code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
