"""Benchmark: what an agency whose reports need a reader's actions costs, against one
read statically, in the same run.

Each agency of the action web (``tests/demoweb/browser/actions``: a postback pager,
``openDetail`` rows and a year drop-down, 加载更多, an infinite scroll, tabs, an app whose
reports exist only as JSON, a portal's department drop-down) is crawled on its own with
``BROWSER=auto``, and so is a static agency of the main demo web (福建省发展和改革委员会:
a TRS column of eight reports, no browser needed): the baseline. No politeness delay, so
the figures are the crawler's own work.

For each it prints the wall time, the CPU seconds of the crawl and every process it
started (Chromium included, reaped), the requests the web answered, pages rendered, the
browser's time (``browser/render_ms``: the sum over rendered pages, from load to the
last action) and the actions taken; then, per report found, wall and CPU against the
baseline's (the ratio).

    .venv/bin/python bench/actions.py [--repeat 1] [--only action/postback ...]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.demoweb.__main__ import proxy_env  # noqa: E402
from tests.demoweb.browser.actions import REGISTRY, ActionWeb  # noqa: E402
from tests.demoweb.server import DemoWeb, load_sites  # noqa: E402

STATIC = {"id": "bench/static-trs", "province": "福建省", "province_code": "350000",
          "name": "福建省发展和改革委员会", "start_url": "http://fgw.fujian.gov.cn/",
          "allowed_domains": ["fgw.fujian.gov.cn"]}
_STAT = re.compile(r"'(browser/render_ms|browser/actions)': (\d+)")


def crawl(web: DemoWeb, registry: Path, agency: str, out: Path) -> dict[str, float]:
    """One agency crawled alone: its costs."""
    before_log = len(web.log)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "disclosure", "-a", f"registry={registry}",
         "-a", f"agency={agency}", "-O", str(out / "items.jsonl"),
         "-s", f"WARC_DIR={out / 'warc'}", "-s", "DOWNLOAD_DELAY=0",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO"],
        cwd=ROOT, env=proxy_env(web), capture_output=True, text=True, timeout=600)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats = {key: int(value) for key, value in _STAT.findall(proc.stderr)}
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{agency}: the crawl failed (exit {proc.returncode})\n"
                         f"{proc.stderr[-2000:]}")
    summary = json.loads((out / "items.summary.json").read_text("utf-8"))
    return {"wall": wall, "cpu": (after.ru_utime - children.ru_utime)
            + (after.ru_stime - children.ru_stime),
            "requests": len(web.log) - before_log,
            "reports": sum(row["reports"] for row in summary["agencies"]),
            "rendered": sum(r["count"] for row in summary["agencies"] for r in row["rendered"]),
            "browser_s": stats.get("browser/render_ms", 0) / 1000,
            "actions": stats.get("browser/actions", 0), "exit": proc.returncode}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="crawls of each agency")
    parser.add_argument("--only", nargs="*", metavar="ID",
                        help="these action web agencies (default: all)")
    args = parser.parse_args()
    agencies = [a["id"] for a in yaml.safe_load(REGISTRY.read_text("utf-8"))["agencies"]
                if not args.only or a["id"] in args.only]
    results: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        static_registry = Path(tmp) / "static.yaml"
        static_registry.write_text(yaml.safe_dump({"agencies": [STATIC]}, allow_unicode=True))
        sites = load_sites(ROOT / "tests" / "demoweb" / "sites")
        for n in range(args.repeat):  # interleaved: the machine's noise falls on both
            with DemoWeb(sites={"fgw.fujian.gov.cn": sites["fgw.fujian.gov.cn"]}) as static_web:
                results.setdefault(STATIC["id"], []).append(
                    crawl(static_web, static_registry, STATIC["id"], Path(tmp) / f"s{n}"))
            with ActionWeb() as web:
                for agency in agencies:
                    out = Path(tmp) / f"{agency.replace('/', '_')}-{n}"
                    results.setdefault(agency, []).append(crawl(web, REGISTRY, agency, out))
    _print(results)


def _print(results: dict[str, list[dict[str, float]]]) -> None:
    def best(agency: str, key: str) -> float:
        """Of the agency's fastest crawl (the least noise)."""
        return min(results[agency], key=lambda run: run["wall"])[key]

    base_wall = best(STATIC["id"], "wall") / max(1, best(STATIC["id"], "reports"))
    base_cpu = best(STATIC["id"], "cpu") / max(1, best(STATIC["id"], "reports"))
    print(f"{'agency':<22} {'reports':>7} {'wall s':>7} {'CPU s':>6} {'requests':>8} "
          f"{'rendered':>8} {'browser s':>9} {'actions':>7} {'wall/report':>11} "
          f"{'CPU/report':>10}")
    for agency in results:
        reports = max(1, best(agency, "reports"))
        wall, cpu = best(agency, "wall"), best(agency, "cpu")
        print(f"{agency:<22} {best(agency, 'reports'):>7.0f} {wall:>7.1f} {cpu:>6.1f} "
              f"{best(agency, 'requests'):>8.0f} {best(agency, 'rendered'):>8.0f} "
              f"{best(agency, 'browser_s'):>9.1f} {best(agency, 'actions'):>7.0f} "
              f"{wall / reports / base_wall:>10.1f}x {cpu / reports / base_cpu:>9.1f}x")
    print(f"(ratios: per report found, against {STATIC['id']} in the same run; best of "
          f"{len(results[STATIC['id']])})")


if __name__ == "__main__":
    main()
