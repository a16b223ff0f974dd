"""``python -m tests.demoweb``: serve the demo web, or run the demo crawl end to end.

    python -m tests.demoweb serve [--port 8080]
    python -m tests.demoweb demo [--out var/demo]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .server import DemoWeb

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = Path(__file__).with_name("registry.yaml")


def crawl_command(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "disclosure",
            "-a", f"registry={REGISTRY}",
            "-O", str(out / "items.jsonl"),
            "-s", f"WARC_DIR={out / 'warc'}",
            *extra]


def proxy_env(web: DemoWeb) -> dict[str, str]:
    env = dict(os.environ, http_proxy=web.proxy_url, https_proxy=web.proxy_url)
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    return env


def _serve(args: argparse.Namespace) -> int:
    with DemoWeb(port=args.port) as web:
        print(f"demo web on {web.proxy_url}: {', '.join(sorted(web.sites))}")
        print(f"crawl it with: http_proxy={web.proxy_url} scrapy crawl disclosure "
              f"-a registry={REGISTRY}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def _demo(args: argparse.Namespace) -> int:
    out = Path(args.out).resolve()
    shutil.rmtree(out / "warc", ignore_errors=True)  # a fresh demo: its archive and state
    out.mkdir(parents=True, exist_ok=True)
    with DemoWeb() as web:
        print(f"demo web: {len(web.sites)} sites on {web.proxy_url}", flush=True)
        started = time.monotonic()
        code = subprocess.call(crawl_command(out), cwd=ROOT, env=proxy_env(web))
        elapsed = time.monotonic() - started
        requests = len(web.log)
    if code not in (0, 1):  # 1: finished with errors, as three demo agencies are built to
        print(f"demo crawl failed (exit {code})", file=sys.stderr)
        return code
    from archive import verify_paths, write_index

    report = verify_paths([out / "warc"])
    index = out / "index.cdxj"
    write_index([out / "warc"], index)
    items = (out / "items.jsonl").read_text("utf-8").splitlines()
    summary = json.loads((out / "items.summary.json").read_text("utf-8"))
    print()
    print(f"Crawled {requests} URLs in {elapsed:.1f} s.")
    print(f"WARC files ({report.summary()}):")
    for path in sorted((out / "warc").glob("*.warc.gz")):
        print(f"  {_show(path)}  ({path.stat().st_size:,} bytes)")
    print(f"Items: {len(items)} reports -> {_show(out / 'items.jsonl')}")
    for row in summary["agencies"]:
        years = sorted(int(y) for y in row["reports_by_year"] if y != "None")
        span = f"{years[0]}-{years[-1]}" if years else "none"
        missing = f", missing {', '.join(map(str, row['years_missing']))}" \
            if row["years_missing"] else ""
        print(f"  {row['agency']:<14} {row['host']:<22} {row['cms']:<9} "
              f"{row['reports']:>2} reports ({span}{missing})  {row['status']}")
    print(f"Crawl summary: {_show(out / 'items.summary.json')} - {summary['outcome']} "
          f"(exit {code}; the demo web has agencies built to be incomplete)")
    reasons = sorted({r["kind"] for row in summary["agencies"] for r in row.get("rendered", [])})
    print(f"Pages rendered in the browser: {_rendered(summary)}"
          f"{' (' + ', '.join(reasons) + ')' if reasons else ''}")
    print(f"CDXJ index: {_show(index)}")
    _dataset(out)
    print(f"Replay it: make replay WARC_DIR={_show(out / 'warc')}  (the listing at "
          "http://127.0.0.1:8090/static/index.html)")
    for problem in report.problems:
        print(f"  WARC problem: {problem}", file=sys.stderr)
    browser_ok = _browser_demo(out / "browser")
    return 0 if report.ok and browser_ok else 1


def _browser_demo(out: Path) -> bool:
    """The browser web (``tests/demoweb/browser``) and the action web (``.../actions``):
    sites only a browser reads, or only a reader who acts; crawled without a browser and
    with one. True when the browser found every report of both."""
    from .browser import REGISTRY as BROWSER_REGISTRY
    from .browser import BrowserWeb, browser_sites
    from .browser.actions import REGISTRY as ACTION_REGISTRY
    from .browser.actions import ActionWeb, action_sites

    found_all = _web_demo(out, "The browser web: sites only a browser reads "
                          "(tests/demoweb/browser/README.md)", BrowserWeb, BROWSER_REGISTRY,
                          browser_sites())
    return _web_demo(out / "actions", "The action web: reports a reader finds only by acting "
                     "(tests/demoweb/browser/actions/README.md)", ActionWeb, ACTION_REGISTRY,
                     action_sites()) and found_all


def _web_demo(out: Path, title: str, web_class: type, registry: Path, sites: dict) -> bool:
    """One test web crawled with ``BROWSER=never`` and ``auto``: reports found, pages
    rendered, a reader's actions by kind, per agency."""
    print()
    rows: dict[str, dict[str, dict]] = {}
    with web_class() as web:
        for mode in ("never", "auto"):
            shutil.rmtree(out / mode, ignore_errors=True)
            command = crawl_command(out / mode, "-s", f"BROWSER={mode}", "-s", "LOG_LEVEL=WARNING")
            command[command.index(f"registry={REGISTRY}")] = f"registry={registry}"
            subprocess.call(command, cwd=ROOT, env=proxy_env(web), stderr=subprocess.DEVNULL)
            summary = json.loads((out / mode / "items.summary.json").read_text("utf-8"))
            rows[mode] = {row["agency_id"]: row for row in summary["agencies"]}
    genuine = {host: len(site.reports) for host, site in sites.items()}
    print(title)
    print(f"  {'agency':<36} {'reports':>7} {'BROWSER=never':>14} {'auto':>5} {'rendered':>9}"
          "  actions")
    for agency, row in rows["auto"].items():
        never = rows["never"].get(agency, {}).get("reports", 0)
        actions = ", ".join(f"{kind} {n}" for kind, n in sorted(row.get("actions", {}).items()))
        print(f"  {agency:<36} {genuine[row['host']]:>7} {never:>14} {row['reports']:>5} "
              f"{sum(r['count'] for r in row['rendered']):>9}  {actions or '-':<24} "
              f"{row['status'][:60]}")
    found = sum(row["reports"] for row in rows["auto"].values())
    print(f"  {sum(genuine.values())} reports: {sum(r['reports'] for r in rows['never'].values())}"
          f" found without a browser, {found} with one (WARCs, items: {_show(out)})")
    return found == sum(genuine.values())


def _rendered(summary: dict) -> int:
    return sum(r["count"] for row in summary["agencies"] for r in row.get("rendered", []))


def _dataset(out: Path) -> None:
    """The demo crawl as a dataset and an audit (python -m crawler.dataset)."""
    from crawler.dataset import build, write_audit

    built = build([out / "items.jsonl"], out / "dataset" / "reports.sqlite",
                  formats=["csv", "parquet"])
    print(f"Dataset: {_show(built.path)} ({built.reports} reports, {built.cells:,} cells, "
          f"{built.carry_over_breaks} carry-over breaks); cells also as "
          f"{', '.join(_show(path) for path in built.exports)}")
    print(f"Audit: {_show(write_audit(built.path, out / 'audit'))}")


def _show(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.demoweb", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the demo web until interrupted")
    serve.add_argument("--port", type=int, default=8080)
    serve.set_defaults(func=_serve)
    demo = commands.add_parser("demo", help="crawl the demo web; write WARCs, items, an index")
    demo.add_argument("--out", default="var/demo", help="output directory (default var/demo)")
    demo.set_defaults(func=_demo)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
