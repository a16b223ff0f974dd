"""What the collection last holds for each URL: the state a recrawl starts from.

Per URL (GET requests), the last lasting answer's status, ``ETag`` and
``Last-Modified`` (for conditional requests), and the record that holds its
payload (file, offset, length, record id, date, payload digest), which a revisit
refers to. It lives in one SQLite file (the standard library's ``sqlite3``: no
server, one table, safe across threads with its lock) and can be rebuilt from
the WARC files alone (``CrawlState.rebuild``; ``python -m archive state rebuild``),
so it never has to be trusted more than the archive: a row whose file is gone is
not used (``Stored.available``), the lesson of warcprox #137.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from .lookup import entries
from .records import Original
from .verify import iter_warc_paths
from .writer import RecordLocation

__all__ = ["CrawlState", "Stored"]

_SCHEMA = """
create table if not exists captures (
    url text primary key, status integer, etag text, last_modified text,
    payload_digest text, filename text, offset integer, length integer,
    record_id text, date text, checked text
)"""


_CHECKED = ("update captures set checked = ?, etag = coalesce(?, etag), "
            "last_modified = coalesce(?, last_modified) where url = ?")


@dataclass(frozen=True)
class Stored:
    url: str
    status: int
    etag: str | None
    last_modified: str | None
    payload_digest: str
    filename: str  # in the collection's directory
    offset: int
    length: int
    record_id: str
    date: str  # the payload record's WARC-Date
    checked: str  # when the URL was last asked (a revisit's date)

    def original(self) -> Original:
        """What a revisit of this URL refers to."""
        return Original(self.record_id, self.url, self.date, self.payload_digest,
                        self.filename, self.offset, self.length)

    def location(self) -> RecordLocation:
        """Its payload record's place, as an item's ``warc`` names it."""
        return RecordLocation(self.filename, self.offset, self.length, self.record_id,
                              self.payload_digest, self.date)

    def available(self, directory: str | Path) -> bool:
        """Is its payload record's file still in ``directory``?"""
        return (Path(directory) / self.filename).is_file()


_PUT = f"insert or replace into captures values ({', '.join('?' * len(fields(Stored)))})"


class CrawlState:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("pragma journal_mode=wal")
        # Synced at checkpoints, not per row: the state can be rebuilt from the WARCs.
        self._db.execute("pragma synchronous=normal")
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()

    def get(self, url: str) -> Stored | None:
        with self._lock:
            row = self._db.execute("select * from captures where url = ?", (url,)).fetchone()
        return Stored(*row) if row else None

    def put(self, stored: Stored) -> None:
        with self._lock:
            self._db.execute(_PUT, astuple(stored))

    def checked(self, url: str, date: str, etag: str | None, last_modified: str | None) -> None:
        """A revisit: the payload is where it was; the answer's validators may be new."""
        with self._lock:
            self._db.execute(_CHECKED, (date, etag, last_modified, url))

    def forget(self, url: str) -> None:
        """Its payload record cannot be read back: the next answer starts anew."""
        with self._lock:
            self._db.execute("delete from captures where url = ?", (url,))

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("select count(*) from captures").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @classmethod
    def rebuild(cls, warcs: Iterable[str | Path], path: str | Path) -> CrawlState:
        """The captures of the collection ``warcs`` made anew in ``path``: each URL's last
        2xx GET response (in WARC-Date order), its validators updated by later
        revisits. One transaction, so a crawl reading the file meanwhile sees the old
        state or the new; what else the file holds (report versions) is kept."""
        state = cls(path)
        records = sorted((r for file in iter_warc_paths(warcs) for r in _captures(file)),
                         key=lambda r: r[0])
        with state._lock:
            db = state._db
            db.execute("begin immediate")
            try:
                db.execute("delete from captures")
                for _, kind, stored in records:
                    if kind == "response":
                        db.execute(_PUT, astuple(stored))
                    else:
                        db.execute(_CHECKED, (stored.checked, stored.etag,
                                              stored.last_modified, stored.url))
            except BaseException:
                db.execute("rollback")
                raise
            db.execute("commit")
        return state


def _captures(path: Path) -> Iterable[tuple[str, str, Stored]]:
    """(date, response|revisit, Stored) for each GET 2xx response and each revisit."""
    records = entries(path)
    methods = {e.concurrent_to: e.method for e in records if e.kind == "request"}
    for e in records:
        lasting = e.kind == "revisit" or (e.kind == "response" and 200 <= e.status < 300
                                          and not e.truncated)
        if lasting and methods.get(e.record_id) == "GET":
            stored = Stored(e.url, e.status or 304, e.etag, e.last_modified, e.digest or "",
                            path.name, e.offset, e.length, e.record_id, e.date, e.date)
            yield e.date, e.kind, stored
