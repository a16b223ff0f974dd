"""Repairing WARC files a killed writer left open (``NAME.warc.gz.open``).

A writer killed with ``kill -9`` leaves its current file open, possibly ending
inside a record. The file is cut back to the end of its last whole exchange
(every gzip member checked with zlib's own end-of-stream test; a response whose
request record did not follow is dropped too), synced, and renamed to its
finished name: nothing before the kill is lost, nothing torn remains. What was
cut is fetched again by a resumed crawl, since no finished record holds it.

A file whose writer is still alive (it holds a lock on the file), or that was
written on another host, is left alone.
"""

from __future__ import annotations

import fcntl
import os
import re
import socket
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .naming import OPEN_SUFFIX, parse_warc_filename

__all__ = ["RepairReport", "open_files", "repair", "repair_paths", "writer_alive"]

_WAITS_FOR_REQUEST = re.compile(rb"\r\nWARC-Type: (?:response|revisit)\r\n")


@dataclass(frozen=True)
class RepairReport:
    path: Path  # the finished file
    records: int  # whole records kept
    cut_bytes: int  # bytes of torn or unpaired records removed

    def __str__(self) -> str:
        cut = f", {self.cut_bytes} byte(s) of unfinished records cut" if self.cut_bytes else ""
        return f"{self.path}: {self.records} record(s) kept{cut}"


def writer_alive(path: Path) -> bool:
    """Might a writer still be appending to ``path``? A writer holds an exclusive lock
    on its open file (``archive.writer``), which the kernel drops however the process
    ends, so a reused process id cannot fool this. A file named after another host is
    that host's to judge: left alone here (a collection several machines write)."""
    parsed = parse_warc_filename(path.name)
    if parsed is not None and parsed.host != _host():
        return True
    try:
        with open(path, "rb") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except FileNotFoundError:
        return False
    return False


def _host() -> str:
    from .naming import safe_host

    return safe_host(socket.gethostname())


def open_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The ``.open`` files among ``paths`` (directories searched recursively)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob(f"*{OPEN_SUFFIX}") if p.is_file())
        elif path.name.endswith(OPEN_SUFFIX):
            yield path


def repair_paths(paths: Iterable[str | Path], *, force: bool = False) -> list[RepairReport]:
    """Repair every ``.open`` file whose writer is gone (all of them with ``force``)."""
    return [repair(path) for path in open_files(paths) if force or not writer_alive(path)]


def repair(path: str | Path) -> RepairReport:
    """Cut ``path`` (a ``.open`` file) back to its last whole exchange and close it."""
    path = Path(path)
    if not path.name.endswith(OPEN_SUFFIX):
        raise ValueError(f"{path} is not an unfinished WARC (*{OPEN_SUFFIX})")
    size = path.stat().st_size
    keep, records = _safe_end(path)
    with open(path, "r+b") as fh:
        fh.truncate(keep)
        fh.flush()
        os.fsync(fh.fileno())
    final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
    if keep == 0:  # not even its warcinfo: nothing to keep
        path.unlink()
    else:
        os.replace(path, final)
    return RepairReport(final, records, size - keep)


def _safe_end(path: Path) -> tuple[int, int]:
    """(offset after the last whole exchange, records up to there)."""
    safe, records = 0, 0
    for count, (end, head) in enumerate(_members(path), start=1):
        if not head.startswith(b"WARC/"):
            break
        if not _WAITS_FOR_REQUEST.search(head):  # a capture is whole with its request only
            safe, records = end, count
    return safe, records


def _members(path: Path) -> Iterator[tuple[int, bytes]]:
    """(end offset, first 4 KB) of each complete gzip member, from the start; stops
    at the first member the file ends inside (or that is corrupt)."""
    with open(path, "rb") as fh:
        pending = b""
        while True:
            inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
            head, data = b"", pending
            while True:
                if not data:
                    data = fh.read(1 << 20)
                    if not data:
                        return
                try:
                    out = inflater.decompress(data)
                except zlib.error:
                    return
                head += out[: max(0, 4096 - len(head))]
                if inflater.eof:
                    pending = inflater.unused_data
                    break
                data = b""
            yield fh.tell() - len(pending), head
