"""A report's versions across runs: what it said when, and which is the latest.

Recrawls emit a report again when it is new or edited (``change``, ``revision``); with
``-a emit=all`` unchanged ones too, and one run's items may be in two feeds. A version
is therefore kept only when it differs from the version before it, by the rule the
crawler itself uses (``crawler.changes``: its content, then its bytes), so the same
feeds in any order, or twice, give the same versions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .. import changes
from ..changes import bytes_fingerprint, content_fingerprint
from .feeds import FeedItem

__all__ = ["Version", "report_key", "versions"]


@dataclass
class Version:
    report_id: str
    number: int  # 1 for the first version the feeds hold
    item: dict[str, Any]
    line: str  # the item's JSON as the feed has it
    feed: str
    kind: str | None  # revision kind against the version before: substantive | cosmetic
    last_seen_run: str | None  # the last run that read this version
    is_latest: bool = False

    @property
    def captured(self) -> str:
        return (self.item.get("warc") or {}).get("date") or ""


def report_key(item: dict[str, Any]) -> str:
    """A report's identity: ``report_id`` (a hash of the URL, stable across recrawls)."""
    return item.get("report_id") or item["url"]


def _order(feed_item: FeedItem) -> tuple[str, str, str]:
    item = feed_item.item
    return ((item.get("warc") or {}).get("date") or "", item.get("run_id") or "",
            feed_item.line)


def versions(feed_items: Iterable[FeedItem]) -> list[Version]:
    """Every report's versions, oldest first, ordered by report id."""
    by_report: dict[str, list[FeedItem]] = {}
    for feed_item in feed_items:
        by_report.setdefault(report_key(feed_item.item), []).append(feed_item)
    found: list[Version] = []
    for report_id in sorted(by_report):
        found += _report_versions(report_id, sorted(by_report[report_id], key=_order))
    return found


def _report_versions(report_id: str, reads: list[FeedItem]) -> list[Version]:
    kept: list[Version] = []
    last: tuple[str, str] | None = None
    for read in reads:
        item = read.item
        content = (content_fingerprint(item), bytes_fingerprint(item))
        if kept and content == last:  # read again unchanged: the same version
            kept[-1].last_seen_run = item.get("run_id") or kept[-1].last_seen_run
            continue
        kind = _kind(item, kept[-1] if kept else None, last)
        kept.append(Version(report_id, len(kept) + 1, item, read.line, read.feed, kind,
                            item.get("run_id")))
        last = content
    kept[-1].is_latest = True
    return kept


def _kind(item: dict[str, Any], before: Version | None,
          fingerprints: tuple[str, str] | None) -> str | None:
    """The crawler's verdict when the item has one (it saw the version before, even if
    the feeds no longer hold it), else the crawler's rule applied to the version before."""
    revision = item.get("revision") or {}
    if revision.get("kind"):
        return str(revision["kind"])
    if before is None or fingerprints is None:
        return None
    previous = changes.Version(before.item.get("run_id") or "", before.captured,
                               fingerprints[0], fingerprints[1], before.item)
    _, block = changes.compare(item, previous)
    return block["kind"] if block else None
