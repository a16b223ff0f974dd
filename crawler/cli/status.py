"""``gov-archive status [PATH]``: a crawl's status file (``crawler.extensions.status``),
for people.

PATH is the status file, the crawl's feed (``items.jsonl`` -> ``items.status.json``),
its summary, or a directory (the newest status file under it); without it, the newest
under ``var/``. A crawl that says it runs but whose process is gone (on this host), or
that has not written for a long while, is said to have stopped without a word.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..extensions.statusfile import find_status

__all__ = ["add", "describe"]

DEFAULT_ROOT = Path("var")


def add(commands: Any, name: str, help: str) -> None:  # argparse's subparsers action
    sub = commands.add_parser(
        name, help=help,
        description="Print what a crawl's status file says: agencies done, requests, "
        "reports, errors by kind, the pending requests, the rate and an ETA, and at the "
        "end the outcome. A crawl rewrites it every CRAWL_STATUS seconds (5) beside its "
        "summary: -O var/zj/items.jsonl writes var/zj/items.status.json. Exits 2 when "
        "there is no status file.")
    sub.add_argument("path", nargs="?", type=Path, metavar="PATH",
                     help="the status file, the crawl's feed or summary, or a directory "
                     f"(default: the newest status file under {DEFAULT_ROOT}/)")
    sub.add_argument("--json", action="store_true", help="print the file as it is")
    sub.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    asked = args.path or DEFAULT_ROOT
    path = find_status(asked)
    if path is None or not path.is_file():
        print(f"status: no crawl status {'under' if asked.is_dir() else 'at'} "
              f"{path or asked} (a crawl writes one beside its summary while it runs)",
              file=sys.stderr)
        return 2
    try:
        status = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        print(f"status: cannot read {path}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
    else:
        print(f"{path}\n" + "\n".join(describe(status)))
    return 0


def describe(status: dict[str, Any], now: datetime | None = None) -> list[str]:
    """The status in a few lines a person reads at a glance."""
    now = now or datetime.now(UTC)
    ago = (now - datetime.fromisoformat(status["updated"])).total_seconds()
    errors = status["errors"]
    kinds = ", ".join(f"{kind} ×{n}" for kind, n in errors["by_kind"].items())
    pending = status["pending"]
    rate = status.get("rate_per_second")
    lines = [_headline(status, ago),
             f"  agencies  {status['agencies']['done']} of {status['agencies']['total']} done",
             f"  requests  {status['requests']:,} sent ({status['revisits']:,} revisits), "
             f"{pending['queued'] + pending['downloading']:,} pending "
             f"({pending['downloading']} downloading)"
             + (f", {rate:g} finished a second" if rate and status["state"] == "running"
                else ""),
             f"  reports   {status['reports']:,} ({status['revised']} revised)",
             f"  errors    {errors['total']:,}" + (f": {kinds}" if kinds else "")]
    if status["state"] == "running" and status.get("eta_seconds") is not None:
        lines.append(f"  ETA       about {_duration(status['eta_seconds'])} (the pending "
                     "requests at the last minute's rate; pages found later add to it)")
    outcome = status.get("outcome")
    if outcome:
        lines.append(f"  outcome   {outcome.get('outcome')} (exit {outcome.get('exit_code')})")
    lines.append(f"  summary   {status['summary']}"
                 + ("" if outcome else " (written at the end)"))
    return lines


def _headline(status: dict[str, Any], ago: float) -> str:
    crawl = f"Crawl {status['run_id']} ({status['spider']})"
    elapsed = _duration(status["elapsed_seconds"])
    if status["state"] != "running":
        reason = (status.get("outcome") or {}).get("reason")
        ended = "finished" if reason == "finished" else f"closed ({reason})"
        return f"{crawl}: {ended} after {elapsed}"
    if _gone(status, ago):
        return (f"{crawl}: stopped without a word {_duration(ago)} ago, after {elapsed} "
                "(killed? run it again with the same JOBDIR to resume)")
    return (f"{crawl}: running for {elapsed}, updated {_duration(ago)} ago "
            f"(pid {status['pid']} on {status['host']})")


def _gone(status: dict[str, Any], ago: float) -> bool:
    """Its process is gone (when it ran on this host), or it is long overdue."""
    if ago > max(60.0, 10 * float(status.get("interval_seconds") or 5)):
        return True
    if status.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(status["pid"]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"
