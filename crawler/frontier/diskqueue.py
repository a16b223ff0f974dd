"""Pending requests on disk (``JOBDIR/frontier.sqlite``), their order in memory.

A national crawl holds tens of thousands of requests waiting for their hosts'
delays. With ``JOBDIR`` set, the scheduler's queues keep each one as a row of one
SQLite file and only its row number in memory (tens of bytes instead of about a
kilobyte), so the frontier can grow with the crawl while the process does not.

Why not Scrapy's disk queues (``SCHEDULER_DISK_QUEUE``): they keep one open file
per host and priority, thousands of them on a national crawl, over the usual limit
of 1024 open files; and Scrapy's scheduler gives its memory queue precedence over
its disk queue, so a host could hold a request in each at once (``crawler.frontier.hostqueue``
counts one queue's requests). Here one queue per host and priority holds both kinds
in one order: a request that cannot be pickled stays in memory, in its place. A
report's follow-up request carries its draft (``ReportDraft``: its pages so far, or
its item) and the draft's ``archive.PendingRecord``, whose future only this process
can see resolve: the record alone stays in memory, held by the row (pickle's
``persistent_id``), and the row, loaded, has that very object again. Start requests
(one per agency) wait in Scrapy's start queue, in memory.

The duplicate filter's fingerprints, one per request of the crawl, are rows of the
same file (``first_sight``): they are what grows with the crawl.

The file is made new by each run: a resumed run replays from its WARCs
(``crawler.extensions.resume``), never from a queue that ``kill -9`` may have left
half written, and it is removed when the crawl ends.
"""

from __future__ import annotations

import io
import logging
import pickle
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.utils.job import job_dir
from scrapy.utils.request import request_from_dict

from archive import PendingRecord

from ..shared import shared

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["DiskFrontier", "SpillingLifoQueue"]

logger = logging.getLogger(__name__)
FILE_NAME = "frontier.sqlite"


class DiskFrontier:
    """One SQLite file of pickled requests for the whole crawl: one open file, rows
    reused as requests leave. No journal on disk and no syncs: the file never outlives
    its run."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler, self.path, self.closed, self._warned = crawler, path, False, False
        self.held: dict[int, list[PendingRecord]] = {}  # row -> its records in memory
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        # A journal in memory: a write the disk refuses half way is undone, and nothing
        # on disk is kept for a file that never outlives its run.
        self.db.execute("PRAGMA journal_mode=MEMORY")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE pending (id INTEGER PRIMARY KEY, request BLOB NOT NULL)")
        self.db.execute("CREATE TABLE seen (fingerprint BLOB PRIMARY KEY) WITHOUT ROWID")
        self.db.execute("CREATE TABLE parked (id INTEGER PRIMARY KEY, object BLOB NOT NULL)")
        self.parked_held: dict[int, list[PendingRecord]] = {}
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
        cannot be pickled, or any the file cannot take."""
        problem, row = "", None
        held: list[PendingRecord] = []
        try:
            data = io.BytesIO()
            _Pickler(data, held).dump(request.to_dict(spider=self.crawler.spider))
            row = self.db.execute("INSERT INTO pending (request) VALUES (?)",
                                  (data.getvalue(),)).lastrowid
            if held and row is not None:
                self.held[row] = held
        except (ValueError, TypeError, pickle.PicklingError):
            pass  # a callback that is not the spider's, a lock in meta: as expected
        except sqlite3.Error as exc:  # a full disk: the crawl goes on in memory
            problem = f"{self.path} cannot take more ({exc})"
        except Exception as exc:  # anything else a request's meta may raise  # noqa: BLE001
            problem = f"{request.url} cannot be pickled ({exc!r})"
        self.crawler.stats.inc_value("pending/on_disk" if row is not None
                                     else "pending/in_memory")
        if problem:
            self._warn(problem)
        return row

    def _warn(self, problem: str) -> None:
        if not self._warned:
            self._warned = True
            logger.warning("Kept in memory, not in the frontier file: %s (said once)", problem)

    def first_sight(self, fingerprint: bytes) -> bool | None:
        """Whether no request of this run had ``fingerprint`` before (the duplicate
        filter's question, ``crawler.frontier.scheduler.RunDupeFilter``); None if the file cannot
        take it."""
        try:
            inserted = self.db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (fingerprint,))
        except sqlite3.Error as exc:
            self._warn(f"{self.path} cannot take more ({exc})")
            return None
        return inserted.rowcount == 1

    def load(self, row: int, *, keep: bool = False) -> Request:
        (data,) = self.db.execute("SELECT request FROM pending WHERE id = ?", (row,)).fetchone()
        unpickler = _Unpickler(io.BytesIO(data), self.held.get(row, []))
        request = request_from_dict(unpickler.load(), spider=self.crawler.spider)
        if not keep:  # only once it is a request again
            self.db.execute("DELETE FROM pending WHERE id = ?", (row,))
            self.held.pop(row, None)
        return request

    def park(self, obj: Any) -> int | None:
        """Keep ``obj`` (a report draft waiting for its next page) in the file until
        ``unpark``; its records tied to this process's writer stay in memory. None when
        it cannot be pickled or the file cannot take it: keep it in memory then."""
        held: list[PendingRecord] = []
        try:
            data = io.BytesIO()
            _Pickler(data, held).dump(obj)
            row = self.db.execute("INSERT INTO parked (object) VALUES (?)",
                                  (data.getvalue(),)).lastrowid
        except sqlite3.Error as exc:
            self._warn(f"{self.path} cannot take more ({exc})")
            return None
        except Exception as exc:  # noqa: BLE001 - whatever an object may hold
            self._warn(f"{type(obj).__name__} cannot be pickled ({exc!r})")
            return None
        if held and row is not None:
            self.parked_held[row] = held
        return row

    def unpark(self, row: int) -> Any:
        (data,) = self.db.execute("SELECT object FROM parked WHERE id = ?", (row,)).fetchone()
        obj = _Unpickler(io.BytesIO(data), self.parked_held.pop(row, [])).load()
        self.db.execute("DELETE FROM parked WHERE id = ?", (row,))
        return obj

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.db.close()
            self.path.unlink(missing_ok=True)


class _Pickler(pickle.Pickler):
    """Pickles a request, leaving out (into ``held``) each WARC record still tied to
    this process's writer: pickled, it would keep only its id."""

    def __init__(self, file: io.BytesIO, held: list[PendingRecord]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.held = held
        self._numbers: dict[int, int] = {}  # id() -> place in held (asked once per reference)

    def persistent_id(self, obj: Any) -> int | None:
        if type(obj) is PendingRecord and obj.future is not None:
            if id(obj) not in self._numbers:
                self._numbers[id(obj)] = len(self.held)
                self.held.append(obj)
            return self._numbers[id(obj)]
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, held: list[PendingRecord]) -> None:
        super().__init__(file)
        self.held = held

    def persistent_load(self, pid: Any) -> PendingRecord:
        return self.held[pid]


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
        """A copy of the next request when it is in the file (``pop`` makes another)."""
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
