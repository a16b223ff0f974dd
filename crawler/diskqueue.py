"""Pending requests on disk (``JOBDIR/frontier.sqlite``), their order in memory.

A national crawl holds tens of thousands of requests waiting for their hosts'
delays. With ``JOBDIR`` set, the scheduler's queues keep each one as a row of one
SQLite file and only its row number in memory (tens of bytes instead of about a
kilobyte), so the frontier can grow with the crawl while the process does not.

Why not Scrapy's disk queues (``SCHEDULER_DISK_QUEUE``): they keep one open file
per host and priority, thousands of them on a national crawl, over the usual limit
of 1024 open files; and Scrapy's scheduler gives its memory queue precedence over
its disk queue, so a host could hold a request in each at once (``crawler.hostqueue``
counts one queue's requests). Here one queue per host and priority holds both kinds
in one order: a request that cannot be stored (a report's follow-up request carries
its draft, which must stay the one object its follow-ups share) stays in memory, in
its place. Start requests (one per agency) wait in Scrapy's start queue, in memory.

The file is made new by each run: a resumed run replays from its WARCs
(``crawler.extensions.resume``), never from a queue that ``kill -9`` may have left
half written, and it is removed when the crawl ends.
"""

from __future__ import annotations

import logging
import pickle
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.utils.job import job_dir
from scrapy.utils.request import request_from_dict

from .shared import shared

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["DiskFrontier", "SpillingLifoQueue"]

logger = logging.getLogger(__name__)
FILE_NAME = "frontier.sqlite"


class DiskFrontier:
    """One SQLite file of pickled requests for the whole crawl: one open file, rows
    reused as requests leave. No journal and no syncs: the file never outlives its run."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler, self.path, self.closed, self._warned = crawler, path, False, False
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE pending (id INTEGER PRIMARY KEY, request BLOB NOT NULL)")
        crawler.signals.connect(self.close, signal=signals.engine_stopped)

    @classmethod
    def of(cls, crawler: Crawler) -> DiskFrontier | None:
        """The crawler's frontier file, opened on first use; None without ``JOBDIR``
        or with ``PENDING_ON_DISK`` off."""
        holder = shared(crawler, _Holder)
        if holder.frontier is None and not holder.decided:
            holder.decided = True
            directory = job_dir(crawler.settings)
            if directory and crawler.settings.getbool("PENDING_ON_DISK"):
                holder.frontier = cls(crawler, Path(directory, FILE_NAME))
        return holder.frontier

    def store(self, request: Request) -> int | None:
        """The row of ``request``, or None for a request that stays in memory: one that
        cannot be pickled (a draft says so at once), or any the file cannot take."""
        problem, row = "", None
        try:
            data = pickle.dumps(request.to_dict(spider=self.crawler.spider),
                                protocol=pickle.HIGHEST_PROTOCOL)
            row = self.db.execute("INSERT INTO pending (request) VALUES (?)", (data,)).lastrowid
        except (ValueError, TypeError, pickle.PicklingError):
            pass  # a draft, a callback that is not the spider's: as expected
        except sqlite3.Error as exc:  # a full disk: the crawl goes on in memory
            problem = f"{self.path} cannot take more ({exc})"
        except Exception as exc:  # anything else a request's meta may raise  # noqa: BLE001
            problem = f"{request.url} cannot be pickled ({exc!r})"
        self.crawler.stats.inc_value("pending/on_disk" if row is not None
                                     else "pending/in_memory")
        if problem and not self._warned:
            self._warned = True
            logger.warning("Pending requests kept in memory: %s (said once)", problem)
        return row

    def load(self, row: int, *, keep: bool = False) -> Request:
        (data,) = self.db.execute("SELECT request FROM pending WHERE id = ?", (row,)).fetchone()
        request = request_from_dict(pickle.loads(data), spider=self.crawler.spider)
        if not keep:  # only once it is a request again
            self.db.execute("DELETE FROM pending WHERE id = ?", (row,))
        return request

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.db.close()
            self.path.unlink(missing_ok=True)


class _Holder:
    def __init__(self) -> None:
        self.frontier: DiskFrontier | None = None
        self.decided = False


class SpillingLifoQueue:
    """Scrapy's downstream queue (``SCHEDULER_MEMORY_QUEUE``: one per host and
    priority): last in, first out, as Scrapy's ``LifoMemoryQueue``; a request is kept
    in the frontier file when it can be, else in memory."""

    def __init__(self, crawler: Crawler, key: str = "") -> None:
        self.frontier = DiskFrontier.of(crawler)
        self.entries: list[Request | int] = []  # a request, or its row in the file

    @classmethod
    def from_crawler(cls, crawler: Crawler, key: str = "", *args: Any) -> SpillingLifoQueue:
        return cls(crawler, key)

    def push(self, request: Request) -> None:
        row = self.frontier.store(request) if self.frontier is not None else None
        self.entries.append(request if row is None else row)

    def pop(self) -> Request | None:
        if not self.entries:
            return None
        return self._request(self.entries.pop())

    def peek(self) -> Request | None:
        return self._request(self.entries[-1], keep=True) if self.entries else None

    def close(self) -> None:
        self.entries.clear()

    def __len__(self) -> int:
        return len(self.entries)

    def _request(self, entry: Request | int, keep: bool = False) -> Request:
        if isinstance(entry, Request):
            return entry
        assert self.frontier is not None
        return self.frontier.load(entry, keep=keep)
