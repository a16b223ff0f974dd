"""The items a dataset is built from: the collection's crawl state, the item feeds, and
the crawl summaries beside them.

A feed holds what its run emitted: by default only new and changed reports, so a
weekly rerun of an unchanged web writes an empty feed. The crawl state
(``<WARC_DIR>/crawl-state.sqlite``, ``crawler.changes.ReportVersions``) keeps every
version every finished run read, so the dataset is built from it and the feeds
together and no rerun can empty it. Feeds: by default every run's feed under
``var/items/`` (``<run id>.jsonl``). An interrupted attempt's feed
(``*.attempt1.jsonl``) is left out: the resumed attempt's feed holds every item of
the run again. A feed's summary (``items.jsonl`` -> ``items.summary.json``) names the
agencies the crawl covered, those without any report too, so the audit can say they
published nothing.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..settings import WARC_DIR

__all__ = ["DEFAULT_FEEDS", "DEFAULT_STATE", "FeedItem", "default_feeds", "read_items",
           "read_summaries", "state_items"]

logger = logging.getLogger(__name__)

DEFAULT_FEEDS = Path("var/items")
DEFAULT_STATE = Path(WARC_DIR) / "crawl-state.sqlite"  # the crawl's state, by default
# Every version a finished run recorded, and for each report the last run that found it
# (a rerun that found it unchanged records no version, only that it saw it).
_STATE_VERSIONS = """
select v.url, v.item, s.run_id from versions v join runs r on r.run_id = v.run_id
left join seen s on s.url = v.url
where r.finished order by v.rowid"""
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


def state_items(path: Path) -> Iterator[FeedItem]:
    """The items of every report version the crawl state at ``path`` keeps from a
    finished run, each also as read by the last run that found it unchanged (so the
    dataset knows it is still published). Read only: a crawl may be writing it."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute(_STATE_VERSIONS).fetchall()
    except sqlite3.Error as exc:
        logger.warning("%s: not a crawl state, skipped (%s)", path, exc)
        return
    finally:
        db.close()
    latest = {url: index for index, (url, _, _) in enumerate(rows)}
    for index, (url, line, seen_by) in enumerate(rows):
        item = json.loads(line)
        yield FeedItem(item, line, str(path))
        if latest[url] == index and seen_by and seen_by != item.get("run_id"):
            again = {**item, "run_id": seen_by, "change": "unchanged", "revision": None}
            yield FeedItem(again, json.dumps(again, ensure_ascii=False), str(path))


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
