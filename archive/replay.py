"""``python -m archive replay``: the collection in pywb on 127.0.0.1, with its listing.

pywb (its own environment, ``.venv-pywb``: it pins old libraries) serves
collection ``reports`` straight from ``WARC_DIR`` (no copy) from a folder of that
collection's own under ``--root`` (``archive.claim``: two replays never share
one, and a second replay of the same collection is refused), with an index
directory kept there: one sorted CDXJ file per finished WARC, written by
cdxj-indexer to a temporary name and renamed into place. A WARC file never
changes once finished, so indexing each new file once keeps the index current
while crawls add files, and pywb, which lists the directory again when it
changes, never reads a half-written or unsorted index (pywb #982: one CDXJ
appended to unsorted silently loses lookups). pywb's own ``--autoindex`` would
want the WARCs copied into its collection directory, and re-indexes them all.

The listing (``archive.listing``) is a static page in pywb's ``static``
directory, rewritten whenever the WARCs or the crawl state change.

Replay is framed (pywb's default, and what it recommends): a replayed page sits
in an iframe under pywb's banner, which says that the page is an archived copy
and when it was captured, and which the archived page's own scripts cannot
reach. pywb 2.7 and later show no banner at all in frameless replay.
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
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .claim import Busy, CollectionClaim, check_port, collection_root
from .index import write_index
from .listing import write_listing
from .reports import archived_reports

__all__ = ["COLLECTION", "IndexKeeper", "ReplaySite", "find_wayback", "serve"]

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

    def __init__(self, warc_dir: str | Path, root: str | Path,
                 links: Sequence[tuple[str, str]] = ()) -> None:
        self.warc_dir, self.root = Path(warc_dir).resolve(), Path(root).resolve()
        self.keeper = IndexKeeper(self.warc_dir, self.root / "indexes")
        self.listing = self.root / "static" / "index.html"
        self.links = links
        self._seen: tuple[float, ...] = ()

    def prepare(self) -> None:
        (self.root / "static").mkdir(parents=True, exist_ok=True)
        (self.root / "templates").mkdir(exist_ok=True)
        (self.root / "config.yaml").write_text(
            f"collections:\n  {COLLECTION}:\n    index_paths: {self.keeper.index_dir}/\n"
            f"    archive_paths: {self.warc_dir}/\n"
            "framed_replay: true\n"  # the banner: archived, and when (see above)
            "ui:\n  logo_home_url: /static/index.html\n", "utf-8")
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
            write_listing(self.listing.parent, archived_reports([self.warc_dir]),
                          f"/{COLLECTION}/", self.links)
            return True
        return False


def serve(warc_dir: str | Path, port: int, base: str | Path, interval: float,
          wayback: str | None = None, links: Sequence[tuple[str, str]] = ()) -> int:
    """Replay ``warc_dir`` on ``port`` from its own folder under ``base`` until stopped;
    Busy, before anything starts, if its folder or the port is taken."""
    command = [find_wayback(wayback), "--bind", "127.0.0.1", "-p", str(port)]
    site = ReplaySite(warc_dir, collection_root(base, warc_dir), links)
    claim = CollectionClaim(site.root, site.warc_dir)
    claim.acquire(f"http://127.0.0.1:{port}/static/index.html")
    try:
        check_port(port)
        site.prepare()
        return _run(site, command, port, interval)
    finally:
        claim.release()


def _run(site: ReplaySite, command: list[str], port: int, interval: float) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # to the finally below
    process = subprocess.Popen(command, cwd=site.root)
    listing = f"http://127.0.0.1:{port}/static/index.html"
    try:
        if not _answers_soon(process, listing):
            code = process.poll()
            why = "did not answer in time" if code is None else f"stopped (exit {code})"
            print(f"replay: pywb {why} on port {port}", file=sys.stderr)
            return 1
        print(f"Replaying {site.warc_dir} on http://127.0.0.1:{port}/{COLLECTION}/\n"
              f"Listing: {listing}", flush=True)
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


def _answers_soon(process: subprocess.Popen[bytes], url: str, timeout: float = 60) -> bool:
    """Whether pywb serves ``url`` before it exits or ``timeout`` passes: success is
    claimed only once it is true. Asked without any proxy the environment names."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with opener.open(url, timeout=5) as response:
                return bool(response.status == 200)
        except OSError:  # not listening yet (URLError, refused, reset)
            time.sleep(0.2)
    return False


def register(commands: Any) -> None:  # argparse's subparsers action (a private type)
    """``python -m archive replay``."""
    replay = commands.add_parser(
        "replay", help="serve the collection in pywb on 127.0.0.1, with a listing page",
        description="Start pywb (from .venv-pywb) on 127.0.0.1 over WARC_DIR as collection "
        f"'{COLLECTION}', keep its index current as crawls add WARC files (one CDXJ per "
        "finished file, checked every --interval seconds), and serve a listing of the "
        "archived reports by province, agency and year, with a search of their text, at "
        "/static/index.html. Replayed pages show pywb's banner with their capture time. "
        "Each WARC directory gets its own folder under --root; a second replay of the same "
        "directory, or a port in use, is refused (exit 2). Stop with Ctrl-C.")
    replay.add_argument("warc_dir", nargs="?", default="var/warc", metavar="WARC_DIR",
                        help="the collection's WARC directory (default: var/warc)")
    replay.add_argument("--port", type=int, default=8090, help="port (default: 8090)")
    replay.add_argument("--root", default="var/replay",
                        help="where each collection's pywb folder (config, index, listing) "
                             "is kept (default: var/replay)")
    replay.add_argument("--interval", type=float, default=5.0,
                        help="seconds between looks for new WARC files (default: 5)")
    replay.add_argument("--wayback", metavar="PATH", help="pywb's wayback executable")
    replay.add_argument("--audit", metavar="URL", help="the audit's address, linked from "
                        "the listing (python -m crawler.dataset)")
    replay.add_argument("--datasette", metavar="URL", help="Datasette's address, linked "
                        "from the listing (make explore)")
    replay.set_defaults(func=_replay)


def _replay(args: argparse.Namespace) -> int:
    if not Path(args.warc_dir).is_dir():
        print(f"replay: no WARC directory {args.warc_dir}", file=sys.stderr)
        return 1
    links = [(label, url) for label, url in (("Audit", args.audit),
                                             ("Datasette", args.datasette)) if url]
    try:
        return serve(args.warc_dir, args.port, args.root, args.interval, args.wayback, links)
    except FileNotFoundError as exc:
        print(f"replay: {exc}", file=sys.stderr)
        return 1
    except Busy as exc:
        print(exc, file=sys.stderr)
        return 2
