"""Report drafts waiting for their next page or document, by key.

A paged report waits for its host's delay once per further page: on a national
crawl hundreds wait at once, each with its pages so far. With ``JOBDIR`` a waiting
draft is pickled into the crawl's frontier file (``crawler.frontier.diskqueue``),
its pages compressed and its WARC record, still tied to this process's writer, held
in memory; without it, or when a draft cannot be pickled, it waits in memory.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from ..frontier.diskqueue import DiskFrontier
from .draft import ReportDraft

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["DraftStore"]


class DraftStore:
    def __init__(self, frontier: DiskFrontier | None = None) -> None:
        self.frontier = frontier
        self._memory: dict[str, ReportDraft] = {}
        self._rows: dict[str, int] = {}
        self._keys = itertools.count(1)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DraftStore:
        return cls(DiskFrontier.of(crawler))

    def put(self, draft: ReportDraft, key: str | None = None) -> str:
        """Keep ``draft`` while it waits; the key to take it back with."""
        key = key or str(next(self._keys))
        draft.pack()
        row = self.frontier.park(draft) if self.frontier and not self.frontier.closed \
            else None
        if row is None:
            self._memory[key] = draft
        else:
            self._rows[key] = row
        return key

    def take(self, key: str) -> ReportDraft | None:
        """The draft kept under ``key`` (it leaves the store), or None if there is none."""
        if key in self._memory:
            return self._memory.pop(key)
        row = self._rows.pop(key, None)
        if row is None or self.frontier is None:
            return None
        draft: ReportDraft = self.frontier.unpark(row)
        return draft

    def __len__(self) -> int:
        return len(self._memory) + len(self._rows)
