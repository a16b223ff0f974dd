"""``python -m archive replay``: the collection in pywb on 127.0.0.1, with its listing.

pywb (its own environment, ``.venv-pywb``: it pins old libraries) serves
collection ``reports`` straight from ``WARC_DIR`` (no copy) with an index
directory kept here: one sorted CDXJ file per finished WARC, written by
cdxj-indexer to a temporary name and renamed into place. A WARC file never
changes once finished, so indexing each new file once keeps the index current
while crawls add files, and pywb, which lists the directory again when it
changes, never reads a half-written or unsorted index (pywb #982: one CDXJ
appended to unsorted silently loses lookups). pywb's own ``--autoindex`` would
want the WARCs copied into its collection directory, and re-indexes them all.

The listing (``archive.listing``) is a static page in pywb's ``static``
directory, rewritten whenever the WARCs or the crawl state change.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .index import write_index
from .listing import render_listing
from .reports import archived_reports

__all__ = ["COLLECTION", "IndexKeeper", "ReplaySite", "find_wayback"]

COLLECTION = "reports"
PROJECT_PYWB = Path(__file__).resolve().parent.parent / ".venv-pywb" / "bin" / "wayback"


def find_wayback(given: str | None = None) -> str:
    """pywb's ``wayback``: given, the project's ``.venv-pywb`` (``make install``), or on
    PATH; a FileNotFoundError that says how to get it otherwise."""
    for candidate in (given, os.environ.get("PYWB_WAYBACK"), str(PROJECT_PYWB),
                      shutil.which("wayback")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise FileNotFoundError("pywb's wayback was not found: run `make install` (it makes "
                            ".venv-pywb) or give --wayback PATH")


class IndexKeeper:
    """One CDXJ per finished WARC of ``warc_dir`` in ``index_dir``."""

    def __init__(self, warc_dir: Path, index_dir: Path) -> None:
        self.warc_dir, self.index_dir = warc_dir, index_dir
        index_dir.mkdir(parents=True, exist_ok=True)

    def refresh(self) -> list[Path]:
        """Index the WARCs not yet indexed, drop indexes of WARCs gone; the WARCs
        indexed. Unfinished (``*.open``) files wait until their writer closes them."""
        warcs = {p.name: p for p in self.warc_dir.glob("*.warc.gz")} | {
            p.name: p for p in self.warc_dir.glob("*.warc")}
        for stale in self.index_dir.glob("*.cdxj"):
            if stale.name.removesuffix(".cdxj") not in warcs:
                stale.unlink()
        added = []
        for name, warc in sorted(warcs.items()):
            target = self.index_dir / f"{name}.cdxj"
            if not target.exists() or target.stat().st_mtime < warc.stat().st_mtime:
                self._index(warc, target)
                added.append(warc)
        return added

    def _index(self, warc: Path, target: Path) -> None:
        fd, temporary = tempfile.mkstemp(dir=self.index_dir, suffix=".tmp")
        os.close(fd)
        try:
            write_index([warc], temporary)
            os.replace(temporary, target)  # whole and sorted, or not there at all
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class ReplaySite:
    """The working directory pywb runs in: config, index, listing."""

    def __init__(self, warc_dir: str | Path, root: str | Path) -> None:
        self.warc_dir, self.root = Path(warc_dir).resolve(), Path(root).resolve()
        self.keeper = IndexKeeper(self.warc_dir, self.root / "indexes")
        self.listing = self.root / "static" / "index.html"
        self._seen: tuple[float, ...] = ()

    def prepare(self) -> None:
        (self.root / "static").mkdir(parents=True, exist_ok=True)
        (self.root / "templates").mkdir(exist_ok=True)
        (self.root / "config.yaml").write_text(
            f"collections:\n  {COLLECTION}:\n    index_paths: {self.keeper.index_dir}/\n"
            f"    archive_paths: {self.warc_dir}/\n"
            "framed_replay: false\n", "utf-8")
        # pywb's home page: to the listing (pywb renders this template).
        (self.root / "templates" / "index.html").write_text(
            '<!DOCTYPE html><meta charset=utf-8><title>Archive</title>'
            '<p><a href="/static/index.html">Archived reports</a></p>', "utf-8")
        self.refresh()

    def refresh(self) -> bool:
        """Index new WARCs and rewrite the listing if the collection changed."""
        added = self.keeper.refresh()
        state = self.warc_dir / "crawl-state.sqlite"
        marks = tuple(p.stat().st_mtime for p in (state, Path(f"{state}-wal")) if p.exists())
        if added or marks != self._seen or not self.listing.exists():
            self._seen = marks
            text = render_listing(archived_reports([self.warc_dir]), f"/{COLLECTION}/")
            temporary = self.listing.with_suffix(".tmp")
            temporary.write_text(text, "utf-8")
            os.replace(temporary, self.listing)
            return True
        return False


def serve(warc_dir: str, port: int, root: str, interval: float,
          wayback: str | None = None) -> int:
    site = ReplaySite(warc_dir, root)
    site.prepare()
    command = [find_wayback(wayback), "--bind", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, cwd=site.root)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # to the finally below
    print(f"Replaying {site.warc_dir} on http://127.0.0.1:{port}/{COLLECTION}/\n"
          f"Listing: http://127.0.0.1:{port}/static/index.html", flush=True)
    try:
        while process.poll() is None:
            time.sleep(interval)
            if site.refresh():
                print(f"index and listing updated ({time.strftime('%H:%M:%S')})", flush=True)
        print(f"replay: pywb stopped (exit {process.returncode})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(10)


def register(commands: Any) -> None:  # argparse's subparsers action (a private type)
    """``python -m archive replay``."""
    replay = commands.add_parser(
        "replay", help="serve the collection in pywb on 127.0.0.1, with a listing page",
        description="Start pywb (from .venv-pywb) on 127.0.0.1 over WARC_DIR as collection "
        f"'{COLLECTION}', keep its index current as crawls add WARC files (one CDXJ per "
        "finished file, checked every --interval seconds), and serve a listing of the "
        "archived reports by province, agency and year at /static/index.html. Stop with "
        "Ctrl-C.")
    replay.add_argument("warc_dir", nargs="?", default="var/warc", metavar="WARC_DIR",
                        help="the collection's WARC directory (default: var/warc)")
    replay.add_argument("--port", type=int, default=8090, help="port (default: 8090)")
    replay.add_argument("--root", default="var/replay",
                        help="pywb's working directory: config, index, listing "
                             "(default: var/replay)")
    replay.add_argument("--interval", type=float, default=5.0,
                        help="seconds between looks for new WARC files (default: 5)")
    replay.add_argument("--wayback", metavar="PATH", help="pywb's wayback executable")
    replay.set_defaults(func=_replay)


def _replay(args: argparse.Namespace) -> int:
    if not Path(args.warc_dir).is_dir():
        print(f"replay: no WARC directory {args.warc_dir}", file=sys.stderr)
        return 1
    try:
        return serve(args.warc_dir, args.port, args.root, args.interval, args.wayback)
    except FileNotFoundError as exc:
        print(f"replay: {exc}", file=sys.stderr)
        return 1
