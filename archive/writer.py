"""Rotating, crash-safe WARC files.

A file is written as ``NAME.warc.gz.open`` and renamed to ``NAME.warc.gz`` only
once it is complete and synced, so a finished name always means a finished
file. Each file starts with a ``warcinfo`` record; records that belong together
(a response and its request) always land in the same file; a file is closed and
the next one started once it reaches ``max_size``.

The writer is synchronous and owned by one thread; ``archive.background`` runs
it off the crawler's event loop.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import BinaryIO

from .naming import OPEN_SUFFIX, warc_filename
from .records import HttpExchange, Original, Record, exchange_records, warcinfo_record

__all__ = ["DEFAULT_GZIP_LEVEL", "DEFAULT_MAX_SIZE", "RecordLocation", "WarcWriter",
           "WrittenRecord"]

logger = logging.getLogger(__name__)

DEFAULT_MAX_SIZE = 1024**3
# ~2x faster than zlib's default 6 for ~13% more bytes on real report HTML (bench/).
DEFAULT_GZIP_LEVEL = 3
BASE_WARCINFO = {
    "software": "gov-disclosure-archive archive.writer",
    "format": "WARC File Format 1.1",
    "conformsTo": "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
}


@dataclass(frozen=True, slots=True)
class RecordLocation:
    """Where a record is: enough to fetch it back with one seek. The one type of a
    record's place, from the writer to an item's ``warc`` field (and as a dict, with
    these six keys, in the feeds)."""

    filename: str
    offset: int
    length: int
    record_id: str
    payload_digest: str | None
    date: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> RecordLocation:
        """From an item's ``warc`` as the feeds and the crawl state keep it."""
        return cls(**{f.name: data.get(f.name) for f in fields(cls)})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class WrittenRecord:
    """What the writer wrote: the record's location and, for a revisit, the record it
    refers to (which holds the payload)."""

    location: RecordLocation
    refers_to: Original | None = None

    @property
    def payload(self) -> RecordLocation:
        """The record holding the payload: this one, or the one a revisit refers to
        (when the crawl state knows where that is)."""
        original = self.refers_to
        if original is None or original.filename is None:
            return self.location
        assert original.offset is not None and original.length is not None
        return RecordLocation(original.filename, original.offset, original.length,
                              original.record_id, original.payload_digest, original.date)


class WarcWriter:
    def __init__(
        self,
        directory: str | os.PathLike[str],
        prefix: str,
        *,
        max_size: int = DEFAULT_MAX_SIZE,
        info: Mapping[str, str] | None = None,
        gzip_level: int = DEFAULT_GZIP_LEVEL,
    ) -> None:
        if max_size <= 0:
            raise ValueError(f"max_size must be positive, got {max_size}")
        if not 0 <= gzip_level <= 9:
            raise ValueError(f"gzip_level must be 0-9, got {gzip_level}")
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_size = max_size
        self.info = {**BASE_WARCINFO, **(info or {})}
        self.gzip_level = gzip_level
        self.closed_files: list[Path] = []
        self.records_written = 0
        self._serial = 0
        self._fh: BinaryIO | None = None
        self._name = ""
        self._damaged = False
        warc_filename(prefix, 0)  # reject a bad prefix now, not at the first record
        self.directory.mkdir(parents=True, exist_ok=True)

    def write_exchange(self, exchange: HttpExchange) -> WrittenRecord:
        """Write the response record, then its request; return the response's location."""
        return self.write_records(*exchange_records(exchange))[0]

    def write_records(self, *records: Record) -> list[WrittenRecord]:
        """Write records contiguously in one file (rotating afterwards if it is full)."""
        return self.write_groups([records])[0]

    def write_groups(self, groups: Sequence[Sequence[Record]]) -> list[list[WrittenRecord]]:
        """Write groups of records, each group contiguous in one file, with one write
        call per file touched (a writer thread pays for every GIL round trip). A
        write that fails (disk full...) leaves the file as it was before it."""
        results = []
        pending: list[bytes] = []
        fh = self._fh
        position = fh.tell() if fh else 0
        for group in groups:
            if fh is None:
                fh = self._open()
                position = fh.tell()
            locations = []
            for record in group:
                member = record.to_gzip(self.gzip_level)
                pending.append(member)
                locations.append(WrittenRecord(
                    RecordLocation(self._name, position, len(member), record.record_id,
                                   record.payload_digest, record.date), record.refers_to))
                position += len(member)
            results.append(locations)
            if position >= self.max_size:
                self._append(b"".join(pending))
                pending.clear()
                self._close_current()
                fh = None
        if pending and fh is not None:
            self._append(b"".join(pending))
        self.records_written += sum(map(len, groups))
        return results

    def _append(self, data: bytes) -> None:
        """All of ``data`` at the end of the current file, or none of it: a failed
        write is cut back off, so the file still ends with a whole record. (If even
        that fails, the file keeps its ``.open`` name for ``archive.repair``.)"""
        fh = self._fh
        assert fh is not None
        start = fh.tell()
        view = memoryview(data)
        try:
            while view:  # an unbuffered file may take part of it
                written = fh.write(view)
                if not written:
                    raise OSError(errno.ENOSPC, "the file took no more bytes")
                view = view[written:]
        except OSError:
            try:
                os.ftruncate(fh.fileno(), start)
                fh.seek(start)
            except OSError:
                self._damaged = True
            raise

    def flush(self) -> None:
        if self._fh:
            self._fh.flush()

    def close(self) -> None:
        if self._fh:
            self._close_current()

    def _open(self) -> BinaryIO:
        self._name = warc_filename(self.prefix, self._serial)
        self._serial += 1
        self._damaged = False
        path = self.directory / (self._name + OPEN_SUFFIX)
        # "xb": never append to or clobber somebody else's file; unbuffered: every write
        # is one joined batch already, and a failed one must not linger in a buffer.
        self._fh = fh = open(path, "xb", buffering=0)  # noqa: SIM115 - closed in _close_current
        # Held while the file is open: archive.repair tells a live writer's file by it.
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            self._append(warcinfo_record(self._name, self.info).to_gzip(self.gzip_level))
        except OSError:  # not even a warcinfo: no file (records without one name no run)
            self._fh = None
            fh.close()
            path.unlink(missing_ok=True)
            raise
        self.records_written += 1
        logger.debug("Opened WARC %s", path)
        return fh

    def _close_current(self) -> None:
        fh, self._fh = self._fh, None
        assert fh is not None
        if self._damaged:  # a write failed and could not be cut back off
            fh.close()
            logger.error("WARC %s%s left unfinished after a write error: run "
                         "python -m archive repair on it", self._name, OPEN_SUFFIX)
            return
        os.fsync(fh.fileno())
        fh.close()
        final = self.directory / self._name
        os.rename(self.directory / (self._name + OPEN_SUFFIX), final)
        self.closed_files.append(final)
        logger.debug("Closed WARC %s", final)
