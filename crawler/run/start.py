"""What a run checks and keeps before anything is sent: its feeds.

- A local feed that cannot be written (its folder cannot be made, or is not
  writable) stops the start with one line (exit 2). Scrapy would open it only at
  ``spider_opened``, log the error and crawl on with no feed at all.
- A feed ``-O`` would overwrite that another run wrote (its summary names that run)
  is kept as ``NAME.<run id>.EXT`` with its summary, and the log says so. A weekly
  rerun of the same command that finds nothing new must not leave an empty feed
  where last week's items were. (An unfinished run resumed with the same ``JOBDIR``
  sets its feeds aside as ``NAME.attempt<N>.EXT`` first: ``crawler.extensions.resume``.)
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .outcome import SetupError
from .record import Run, feed_paths, summary_path

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

__all__ = ["RunStart"]

logger = logging.getLogger(__name__)


class RunStart:
    """An extension with nothing to do once the crawl runs: its work is at start."""

    def __init__(self, crawler: Crawler) -> None:
        self.run = Run.of(crawler)
        settings = crawler.settings
        for path in feed_paths(settings, self.run):
            _check_writable(path)
        self.kept = keep_other_runs_feeds(settings, self.run)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunStart:
        return cls(crawler)


def _check_writable(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SetupError(f"feed {path} cannot be written: {exc}") from exc
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        raise SetupError(f"feed {path} cannot be written: {target} is not writable")


def keep_other_runs_feeds(settings: BaseSettings, run: Run) -> list[Path]:
    """Set aside the overwritten feeds of another run, with that run's summary."""
    summary = summary_path(settings, run)
    other = _run_of(summary)
    if other is None or other == run.id:
        return []
    kept = []
    for feed in _overwritten(settings, run):
        if feed.exists() and feed.stat().st_size:
            kept.append(_keep(feed, other))
    if kept and summary.exists():
        kept.append(_keep(summary, other))
    return kept


def _overwritten(settings: BaseSettings, run: Run) -> list[Path]:
    """The local feeds this run opens with ``overwrite`` (``-O``)."""
    options: dict[str, Any] = {str(uri).replace("%(run_id)s", run.id): value
                               for uri, value in settings.getdict("FEEDS").items()}
    return [path for path in feed_paths(settings, run)
            if (options.get(str(path)) or options.get(f"file://{path}") or {}).get("overwrite")]


def _run_of(summary: Path) -> str | None:
    try:
        return str(json.loads(summary.read_text("utf-8"))["run_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _keep(path: Path, run_id: str) -> Path:
    head, dot, rest = path.name.partition(".")
    kept = path.with_name(f"{head}.{run_id}{dot}{rest}")
    os.replace(path, kept)
    logger.warning("Kept %s of run %s as %s: this run would overwrite it", path, run_id, kept)
    return kept
