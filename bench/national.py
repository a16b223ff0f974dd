"""Benchmark: a whole-country crawl on one machine, as fast as politeness allows.

A generated national web on 127.0.0.1: --hosts agency sites (one demo-web server
process), cloned from the demo web's department sites, so the CMS families are
mixed (TRS, Hanweb, gkmlpt, site-group JSON, Ucap, plain), spread over the 31
provincial-level divisions, each host with its own delay (``DOWNLOAD_SLOTS``,
no jitter: the delay is a floor). The full crawl (``scrapy crawl disclosure``,
WARC capture, discovery, extraction, JOBDIR) runs once, and prints:

- pages/s, CPU s (the crawl and its workers), peak RSS of the crawl process when
  10k, 25k and 50k pages had been served (target: < 20% growth from 10k to 50k);
- wall time / politeness limit, the limit being max over hosts of (pages on that
  host x its delay): what no polite crawl can beat (target <= 1.2);
- min over hosts of (observed spacing of its requests / its delay) (target >= 1.0).

With --workers 2 it measures instead where the limit is CPU (no delay): pages/s of
one plain crawl process, then of N workers sharing the crawl through a real Redis
(``crawler.distributed``, Debian's redis-server started on 127.0.0.1), and their
ratio (target >= 1.7 for 2 workers on 2 cores). Each crawl process reads its
documents inline (``EXTRACT_PROCESSES=0``), so a process is a core's worth of work;
the web server's own CPU, in this process, is printed beside.

    .venv/bin/python bench/national.py [--hosts 3200] [--delay 60]
    .venv/bin/python bench/national.py --workers 2 [--hosts 400]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PROVINCES = ROOT / "tests" / "fixtures" / "data" / "provinces.csv"
# Department sites of the demo web a crawl completes, by family, and their start pages.
TEMPLATES = {"fgw.fujian.gov.cn": "/", "sthjt.fujian.gov.cn": "/", "gdstc.gd.gov.cn": "/",
             "sthjt.jiangxi.gov.cn": "/jxssthjt/index.html",
             "fgw.jiangxi.gov.cn": "/fgw/index.shtml", "jtt.jiangxi.gov.cn": "/"}
MARKS = (10_000, 25_000, 50_000)


# The demo's hazards that leave an agency incomplete, as a national web's sites mostly
# would not have them: the Ucap site's old column, a redirect loop in the demo, moved
# to its new column here.
MENDED = {"fgw.jiangxi.gov.cn": {"/fgw/gknb/old/index.shtml": {
    "status": 301, "location": "/fgw/gknb/index.shtml"}}}


def clone(template: str, host: str):
    """The demo site ``template`` served under ``host`` (its hazards mended: every
    agency of the national web can be crawled complete)."""
    from tests.demoweb.server import SITES_DIR, Site

    site = Site.load(SITES_DIR / template, host)
    site.routes.update(MENDED.get(template, {}))
    return site


def national_web(hosts: int, delay: float, seed: int = 20261201):
    """(sites, registry entries, delay per host)."""
    rng = random.Random(seed)
    provinces = list(csv.DictReader(PROVINCES.open(encoding="utf-8")))
    sites, agencies, delays = {}, [], {}
    for n in range(hosts):
        template = list(TEMPLATES)[n % len(TEMPLATES)]
        province = provinces[n % len(provinces)]
        host = f"a{n}.{template.split('.')[0]}.p{province['code']}.gov.cn"
        site = sites[host] = clone(template, host)
        agencies.append({"id": f"{province['code']}/{host}", "province": province["name"],
                         "province_code": province["code"], "name": site.meta.get("name", host),
                         "start_url": f"http://{host}{TEMPLATES[template]}",
                         "allowed_domains": [host]})
        delays[host] = round(delay * rng.uniform(0.75, 1.0), 2)
    return sites, agencies, delays


class Sampler(threading.Thread):
    """Peak RSS of the crawl process (VmHWM) as the pages served pass each mark."""

    def __init__(self, pid: int, log: list) -> None:
        super().__init__(daemon=True)
        self.pid, self.log, self.peaks = pid, log, {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            try:
                status = Path(f"/proc/{self.pid}/status").read_text()
            except OSError:
                return
            hwm = next((int(line.split()[1]) for line in status.splitlines()
                        if line.startswith("VmHWM")), None)
            if hwm is None:  # the crawl has exited (a zombie has no memory lines)
                return
            for mark in MARKS:
                if mark not in self.peaks and len(self.log) >= mark:
                    self.peaks[mark] = hwm / 1024


def spacing(log, delays: dict[str, float]) -> tuple[float, dict[str, int]]:
    """min over hosts of (smallest gap between its requests / its delay); pages by host."""
    times: dict[str, list[float]] = defaultdict(list)
    for entry in log:
        times[entry.url.split("/")[2]].append(entry.time)
    ratios = [min(b - a for a, b in zip(sorted(t), sorted(t)[1:], strict=False)) / delays[h]
              for h, t in times.items() if len(t) > 1]
    return min(ratios), {h: len(t) for h, t in times.items()}


def crawl(web, registry: Path, out: Path, delays: dict[str, float], hosts: int,
          trace: Path | None = None, extra: tuple[str, ...] = ()):
    from tests.demoweb.__main__ import proxy_env

    # Too long for one command-line argument: a settings module of its own.
    slots = {host: {"delay": d, "jitter": 0, "concurrency": 1} for host, d in delays.items()}
    probe = ("EXTENSIONS = {**EXTENSIONS, 'probe.CrawlProbe': 999}  # noqa: F405\n"
             f"PROBE_FILE = {str(trace)!r}\n"
             f"PROBE_TRACEMALLOC = {float(os.environ.get('PROBE_TRACEMALLOC') or -1)}\n"
             ) if trace else ""
    (out / "national_settings.py").write_text(
        f"from crawler.settings import *  # noqa: F403\nDOWNLOAD_SLOTS = {slots!r}\n{probe}",
        "utf-8")
    env = dict(proxy_env(web), SCRAPY_SETTINGS_MODULE="national_settings",
               PYTHONPATH=f"{out}:{ROOT}:{ROOT / 'bench'}")
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosure",
               "-a", f"registry={registry}", "-O", str(out / "items.jsonl"),
               "-s", f"WARC_DIR={out / 'warc'}", "-s", f"JOBDIR={out / 'job'}",
               "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", f"CONCURRENT_REQUESTS={hosts + 64}", "-s", "LOG_LEVEL=WARNING",
               "-s", "CRAWL_PROGRESS=30",
               # Documents are read in worker processes: one per core on a machine that
               # does nothing else (the default, 1, leaves room for other work).
               "-s", f"EXTRACT_PROCESSES={os.cpu_count() or 1}",
               *(arg for setting in extra for arg in ("-s", setting))]
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    sampler = Sampler(process.pid, web.log)
    sampler.start()
    code = process.wait()
    wall = time.perf_counter() - started
    sampler.done.set()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime)
    return code, wall, seconds, sampler.peaks


def _self_cpu() -> float:
    """CPU seconds of this process: the national web's server (its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def scaling(hosts: int, workers: int) -> int:
    """pages/s of one plain crawl, then of ``workers`` distributed workers."""
    import shutil
    import uuid

    from tests.demoweb import DemoWeb
    from tests.demoweb.__main__ import proxy_env

    sites, agencies, _ = national_web(hosts, 0)
    rates = []
    with tempfile.TemporaryDirectory(dir=ROOT / "var") as tmp:
        out = Path(tmp)
        registry = out / "registry.yaml"
        registry.write_text(yaml.safe_dump({"agencies": agencies}, allow_unicode=True), "utf-8")
        port = 16379
        redis = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port",
                                  str(port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--dir", tmp], stdout=subprocess.DEVNULL)
        time.sleep(1)
        try:
            for n in (1, workers):
                with DemoWeb(sites=sites) as web:
                    extra = [] if n == 1 else ["-s", f"REDIS_URL=redis://127.0.0.1:{port}/0",
                                               "-s", f"FRONTIER=bench-{uuid.uuid4().hex[:6]}"]
                    started = time.perf_counter()
                    served_cpu = _self_cpu()
                    processes = [subprocess.Popen(
                        [sys.executable, "-m", "scrapy", "crawl", "disclosure",
                         "-a", f"registry={registry}", "-O", str(out / f"{n}-{w}.jsonl"),
                         "-s", f"WARC_DIR={out / f'warc{n}'}", "-s", "DOWNLOAD_DELAY=0",
                         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=ERROR",
                         # A worker is one process on one core: documents read inline.
                         "-s", "EXTRACT_PROCESSES=0", *extra],
                        cwd=ROOT, env=proxy_env(web)) for w in range(n)]
                    codes = [p.wait() for p in processes]
                    wall = time.perf_counter() - started
                    rates.append(len(web.log) / wall)
                    print(f"{n} worker(s): {len(web.log)} pages in {wall:.1f} s = "
                          f"{rates[-1]:.1f} pages/s (exit {codes}; the web server took "
                          f"{_self_cpu() - served_cpu:.0f} CPU s)", flush=True)
        finally:
            redis.terminate()
    print(f"pages/s, {workers} workers / 1 process: {rates[1] / rates[0]:.2f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=3200, help="agency hosts (default 3200)")
    parser.add_argument("--workers", type=int,
                        help="measure N distributed workers against one process instead")
    parser.add_argument("--delay", type=float, default=60.0,
                        help="the largest per-host delay, s (each host 0.75-1x of it)")
    parser.add_argument("--trace", type=Path,
                        help="write a JSON-lines timeline of the crawl (bench/probe.py) here")
    parser.add_argument("--set", "-s", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting for the crawl (repeatable)")
    args = parser.parse_args()
    if args.workers:
        return scaling(args.hosts, args.workers)
    from tests.demoweb import DemoWeb

    sites, agencies, delays = national_web(args.hosts, args.delay)
    (ROOT / "var").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "var") as tmp, DemoWeb(sites=sites) as web:
        out = Path(tmp)
        registry = out / "registry.yaml"
        registry.write_text(yaml.safe_dump({"agencies": agencies}, allow_unicode=True), "utf-8")
        code, wall, cpu, peaks = crawl(web, registry, out, delays, args.hosts,
                                         args.trace and args.trace.resolve(), tuple(args.set))
        least, pages = spacing(web.log, delays)
        with open(out / "items.jsonl", encoding="utf-8") as feed:
            items = sum(1 for _ in feed)
    limit = max(n * delays[h] for h, n in pages.items())
    served = sum(pages.values())
    print(json.dumps({"hosts": args.hosts, "pages": served, "items": items, "exit": code}))
    print(f"pages/s {served / wall:.1f}   wall {wall:.0f} s   CPU {cpu:.0f} s")
    print("peak RSS (MiB) at " + "   ".join(f"{m // 1000}k pages: {peaks[m]:.0f}"
                                           for m in MARKS if m in peaks))
    if MARKS[0] in peaks and MARKS[-1] in peaks:
        print(f"peak RSS growth 10k -> 50k pages: {peaks[MARKS[-1]] / peaks[MARKS[0]] - 1:+.1%}")
    print(f"wall / politeness limit ({limit:.0f} s): {wall / limit:.2f}")
    print(f"min over hosts of request spacing / delay: {least:.3f}")
    return 0 if code in (0, 1) else 1


if __name__ == "__main__":
    sys.exit(main())
