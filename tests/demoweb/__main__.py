"""``python -m tests.demoweb``: serve the demo web, or run the demo crawl end to end.

    python -m tests.demoweb serve [--port 8080]
    python -m tests.demoweb demo [--out var/demo] [--browser]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from crawler.dataset.audit import latest_year_due

from .server import DemoWeb, load_sites
from .showcase import PROBLEMS, REVISED, showcase_sites

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
    for old in out.glob("items*"):
        old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    today = date.today()
    sites = load_sites(showcase_sites(out, today))
    with DemoWeb(sites) as web:
        print(f"demo web: {len(web.sites)} sites on {web.proxy_url}, reports through "
              f"{latest_year_due(today)} (the latest year due on {today})", flush=True)
        started = time.monotonic()
        code = subprocess.call(crawl_command(out), cwd=ROOT, env=proxy_env(web))
        elapsed = time.monotonic() - started
        requests = len(web.log)
    if code not in (0, 1):  # 1: finished with errors, as three demo agencies are built to
        print(f"demo crawl failed (exit {code})", file=sys.stderr)
        return code
    summary = json.loads((out / "items.summary.json").read_text("utf-8"))
    items = (out / "items.jsonl").read_text("utf-8").splitlines()
    print()
    print(f"Crawled {requests} URLs in {elapsed:.1f} s.")
    _agencies(summary, items, out, code)
    again = _second_crawl(out, today)
    if again not in (0, 1):
        return again
    from archive import verify_paths, write_index

    report = verify_paths([out / "warc"])
    index = out / "index.cdxj"
    write_index([out / "warc"], index)
    print(f"WARC files ({report.summary()}):")
    for path in sorted((out / "warc").glob("*.warc.gz")):
        print(f"  {_show(path)}  ({path.stat().st_size:,} bytes)")
    print(f"CDXJ index: {_show(index)}")
    _dataset(out, today)
    print(f"Replay it: make replay WARC_DIR={_show(out / 'warc')}  (the listing at "
          "http://127.0.0.1:8090/static/index.html)")
    print("Explore it: make explore  (Datasette: search, the audit's questions)")
    for problem in report.problems:
        print(f"  WARC problem: {problem}", file=sys.stderr)
    if args.browser:
        return 0 if report.ok and _browser_demo(out / "browser") else 1
    print("Sites only a browser reads, or only a reader who acts: make demo-browser")
    return 0 if report.ok else 1


def _agencies(summary: dict, items: list[str], out: Path, code: int) -> None:
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


_LOCAL = ("-s", "AUTOTHROTTLE_START_DELAY=0.1", "-s", "DOWNLOAD_DELAY=0")


def _second_crawl(out: Path, today: date) -> int:
    """The weekly recrawl: the same command, after one agency corrected its newest
    report in place. Only what changed is archived again and emitted. Its politeness
    delays are shortened (the demo web is on this machine; the first crawl showed them)
    so that the demo stays within a minute."""
    with DemoWeb(load_sites(showcase_sites(out, today, edited=True))) as web:
        started = time.monotonic()
        code = subprocess.call(crawl_command(out, "-s", "LOG_LEVEL=WARNING", *_LOCAL),
                               cwd=ROOT, env=proxy_env(web))
        elapsed = time.monotonic() - started
    if code not in (0, 1):
        print(f"demo recrawl failed (exit {code})", file=sys.stderr)
        return code
    summary = json.loads((out / "items.summary.json").read_text("utf-8"))
    revised = [r for row in summary["agencies"] for r in row.get("revised", [])]
    print(f"Crawled again a week later in {elapsed:.1f} s (politeness delays shortened; one "
          f"report corrected in place on "
          f"{REVISED}): {len(revised)} revised "
          f"({', '.join(r['kind'] + ' ' + r['url'] for r in revised) or 'none'}); the feed "
          f"holds only what changed, the crawl state every report")
    return code


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


def _dataset(out: Path, today: date) -> None:
    """The demo crawls as a dataset and an audit (python -m crawler.dataset): every
    feed of both runs and the crawl state."""
    from crawler.dataset import build, write_audit
    from crawler.dataset.feeds import default_feeds

    built = build(default_feeds(out), out / "dataset" / "reports.sqlite", today,
                  formats=["csv", "xlsx"], states=[out / "warc" / "crawl-state.sqlite"])
    print(f"Dataset: {_show(built.path)} ({built.reports} reports, {built.cells:,} cells, "
          f"{built.carry_over_breaks} carry-over breaks); cells also as "
          f"{', '.join(_show(path) for path in built.exports)}")
    print(f"Audit: {_show(write_audit(built.path, out / 'audit'))}  (one agency of each "
          f"problem it marks: {', '.join(f'{mark} {host}' for host, (_, mark) in PROBLEMS.items())}"
          f", R {REVISED})")


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
    demo.add_argument("--browser", action="store_true",
                      help="also crawl the webs only a browser reads (a few minutes more)")
    demo.set_defaults(func=_demo)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
