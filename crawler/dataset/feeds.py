"""The item feeds a dataset is built from, and the crawl summaries beside them.

By default every run's feed under ``var/items/`` (``<run id>.jsonl``). An interrupted
attempt's feed (``*.attempt1.jsonl``) is left out: the resumed attempt's feed holds
every item of the run again. A feed's summary (``items.jsonl`` ->
``items.summary.json``) names the agencies the crawl covered, those without any
report too, so the audit can say they published nothing.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_FEEDS", "FeedItem", "default_feeds", "read_items", "read_summaries"]

logger = logging.getLogger(__name__)

DEFAULT_FEEDS = Path("var/items")
_ATTEMPT = re.compile(r"\.attempt\d+$")


@dataclass(frozen=True)
class FeedItem:
    """One line of a feed: the item, and the line itself (kept as the item's JSON)."""

    item: dict[str, Any]
    line: str
    feed: str


def default_feeds(directory: Path = DEFAULT_FEEDS) -> list[Path]:
    """Every run's feed in ``directory``, oldest run first (run ids start with a time)."""
    return sorted(path for path in directory.glob("*.jsonl")
                  if not _ATTEMPT.search(path.stem))


def read_items(feeds: Iterable[Path]) -> Iterator[FeedItem]:
    """The items of ``feeds``; a line that is not an item is logged and skipped (a feed a
    killed process cut short ends in half a line)."""
    for feed in feeds:
        with open(feed, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    logger.warning("%s:%d: not JSON, skipped (%s)", feed, number, exc)
                    continue
                if isinstance(item, dict) and item.get("url"):
                    yield FeedItem(item, line, str(feed))
                else:
                    logger.warning("%s:%d: not an item (no url), skipped", feed, number)


def summary_path(feed: Path) -> Path:
    return feed.with_name(feed.name.removesuffix(".jsonl") + ".summary.json")


def read_summaries(feeds: Iterable[Path]) -> dict[str, dict[str, Any]]:
    """Per agency id, its row of the latest summary that names it (feeds in run order)."""
    agencies: dict[str, dict[str, Any]] = {}
    for feed in feeds:
        path = summary_path(feed)
        try:
            summary = json.loads(path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError):
            continue  # a feed without a summary (an extraction run, a killed crawl)
        for row in summary.get("agencies") or []:
            if row.get("agency_id"):
                agencies[row["agency_id"]] = {**row, "run_id": summary.get("run_id")}
    return agencies
