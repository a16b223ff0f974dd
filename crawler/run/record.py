"""One crawl run: its id, which attempt at it this process is, and what earlier
attempts archived.

A run is one crawl from its start pages to its end. Killed and restarted with
the same ``JOBDIR`` it is the same run, attempted again
(``crawler.extensions.resume``): its id stays, and is written into every WARC's
warcinfo record (``run-id``), so that the captures of *this* run can be told
from those of earlier crawls into the same ``WARC_DIR``. Shared by the
components of one crawler through ``crawler.shared``.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..shared import shared
from .outcome import SetupError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

    from archive.lookup import CaptureIndex

__all__ = ["RUN_STATE", "Run", "attempt_name", "feed_paths", "feed_uri_params", "new_run_id",
           "read_run_state", "summary_path", "unfinished_run"]

RUN_STATE = "run.json"  # in JOBDIR: the run it holds, and whether it finished


def new_run_id() -> str:
    """``20261201T110500Z-3f9a1c``: sortable by start time, unique across machines."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)


@dataclass
class Run:
    id: str = field(default_factory=new_run_id)
    attempt: int = 1
    # The state (JOBDIR/run.json) of the unfinished run this attempt goes on with.
    unfinished: dict[str, Any] | None = None
    # Set on a resumed attempt: every capture the earlier attempts of this run left.
    captures: CaptureIndex | None = None
    # Files an earlier attempt left open and that were repaired, and feeds set aside.
    repaired: list[str] = field(default_factory=list)
    feeds_set_aside: list[str] = field(default_factory=list)
    # What the spider was asked (its -a arguments): the same, or it is another crawl.
    arguments: dict[str, Any] = field(default_factory=dict)

    @property
    def resumed(self) -> bool:
        return self.attempt > 1

    @classmethod
    def of(cls, crawler: Crawler) -> Run:
        """The crawler's run, settled by whichever component asks first: with a job
        directory holding an unfinished run, this attempt is that run's next one (its
        id is what every WARC's warcinfo names), whatever order Scrapy builds the
        components in (``crawler.extensions.resume`` does the rest of resuming)."""
        holder = shared(crawler, _Settled)
        run = shared(crawler, cls)
        if not holder.done:
            holder.done = True
            run.unfinished = unfinished_run(crawler.settings)
            if run.unfinished is not None:
                run.id = str(run.unfinished["run_id"])
                run.attempt = int(run.unfinished.get("attempts", 1)) + 1
        return run


class _Settled:
    def __init__(self) -> None:
        self.done = False


def unfinished_run(settings: BaseSettings) -> dict[str, Any] | None:
    """The state of the run ``JOBDIR`` holds if it did not finish (and WARCs are kept,
    which is what a resume reads); None for a new run."""
    if not settings.get("JOBDIR") or not settings.getbool("WARC_ENABLED"):
        return None
    state = read_run_state(Path(settings["JOBDIR"]) / RUN_STATE)
    return state if state is not None and state.get("status") != "finished" else None


def read_run_state(path: Path) -> dict[str, Any] | None:
    try:
        return dict(json.loads(path.read_text("utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:
        raise SetupError(f"{path} cannot be read ({exc}); move it away to start a new "
                         "run") from exc


def feed_paths(settings: BaseSettings, run: Run) -> list[Path]:
    """The local files the crawl's feeds write: URIs with no parameter but the run's
    id (``var/items/%(run_id)s.jsonl``; one named by time is never written twice)."""
    paths = []
    for uri in settings.getdict("FEEDS"):
        uri = str(uri).replace("%(run_id)s", run.id)
        parts = urlsplit(uri)
        if parts.scheme in ("", "file") and "%(" not in uri:
            paths.append(Path(parts.path))
    return paths


def feed_uri_params(params: dict[str, Any], spider: Any) -> dict[str, Any]:
    """``FEED_URI_PARAMS``: feeds may name the run (``%(run_id)s``)."""
    return {**params, "run_id": Run.of(spider.crawler).id}


def summary_path(settings: BaseSettings, run: Run) -> Path:
    """``CRAWL_SUMMARY_FILE``, else named after the first local feed
    (``items.jsonl`` -> ``items.summary.json``), else ``var/summary-<run id>.json``."""
    if settings.get("CRAWL_SUMMARY_FILE"):
        return Path(settings.get("CRAWL_SUMMARY_FILE"))
    for feed in feed_paths(settings, run):
        return feed.with_name(f"{feed.stem}.summary.json")
    return Path("var") / f"summary-{run.id}.json"


def attempt_name(path: Path, attempt: int) -> Path:
    """Where an earlier attempt's output is kept: ``items.jsonl`` ->
    ``items.attempt1.jsonl``, ``items.summary.json`` -> ``items.attempt1.summary.json``."""
    head, dot, rest = path.name.partition(".")
    return path.with_name(f"{head}.attempt{attempt}{dot}{rest}")
