"""Check that WARC files are whole, digest-correct and internally consistent.

Parsing and digest checks are warcio's (``ArchiveIterator(check_digests=True)``);
this module adds what ``warcio check`` does not: a ``warcinfo`` first, WARC-Date
in the ``...Z`` form, both digests present on HTTP records, every request paired
with its response in the same file, and every ``WARC-Concurrent-To`` /
``WARC-Refers-To`` pointing at a record that exists.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from .naming import OPEN_SUFFIX, is_warc_name

__all__ = ["Problem", "VerifyReport", "iter_warc_paths", "verify_paths"]

_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")
_DIGESTS = ("WARC-Payload-Digest", "WARC-Block-Digest")
# A revisit's block may be empty (a 304): its payload digest (the original's) is what counts.
_REQUIRED_DIGESTS = {"request": _DIGESTS, "response": _DIGESTS,
                     "revisit": ("WARC-Payload-Digest",)}
_UNFINISHED = ("unfinished WARC (.open): its writer was killed or is still writing; "
               "`python -m archive repair` closes it")


@dataclass(frozen=True)
class Problem:
    path: str
    offset: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.offset is None else f"{self.path}:{self.offset}"
        return f"{where}: {self.message}"


@dataclass
class _Ref:
    path: str
    offset: int
    kind: str  # header name
    target: str
    same_file: bool
    payload_digest: str | None = None  # a revisit's: its original must hold that payload


@dataclass
class VerifyReport:
    files: int = 0
    records: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.records.items())) or "none"
        return (f"{self.files} file(s), {sum(self.records.values())} record(s) ({kinds}): "
                f"{len(self.problems)} problem(s)")


def iter_warc_paths(paths: Iterable[str | Path],
                    report: VerifyReport | None = None) -> Iterator[Path]:
    """Files as given; directories searched recursively for finished WARCs (an
    unfinished ``.open`` one is a problem of ``report``)."""
    for path in map(Path, paths):
        if not path.is_dir():
            yield path
            continue
        for child in sorted(path.rglob("*")):
            if child.is_file() and is_warc_name(child.name):
                yield child
            elif report is not None and child.name.endswith(OPEN_SUFFIX):
                report.problems.append(Problem(str(child), None, _UNFINISHED))


def verify_paths(paths: Iterable[str | Path]) -> VerifyReport:
    report = VerifyReport()
    ids: dict[str, tuple[str, str, str | None]] = {}  # record id -> (path, type, digest)
    captures: set[tuple[str, str]] = set()  # (target uri, date) of response/resource/revisit
    refs: list[_Ref] = []
    for path in iter_warc_paths(paths, report):
        report.files += 1
        _verify_file(str(path), report, ids, captures, refs)
    for ref in refs:
        _check_ref(ref, ids, captures, report)
    return report


def _verify_file(path: str, report: VerifyReport, ids: dict[str, tuple[str, str, str | None]],
                 captures: set[tuple[str, str]], refs: list[_Ref]) -> None:
    offset, count = 0, 0
    if path.endswith(OPEN_SUFFIX):
        report.problems.append(Problem(path, None, _UNFINISHED))
    if not _looks_like_warc(path):
        report.problems.append(Problem(path, None, "not a WARC file (no WARC record at its "
                                                   "start)"))
        return
    if path.endswith((".gz", ".gz.open")):
        _check_gzip_members(path, report)
    try:
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh, check_digests=True)
            for count, record in enumerate(it, 1):
                offset = it.get_record_offset()
                _read_all(record.raw_stream)
                _verify_record(path, offset, count == 1, record, report, ids, captures, refs)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as exc:
        report.problems.append(Problem(path, offset, f"unreadable from here on: {exc}".strip()))
        return
    if not count:
        report.problems.append(Problem(path, None, "no records"))


def _looks_like_warc(path: str) -> bool:
    """A WARC (gzip members or plain) begins with ``WARC/``."""
    try:
        with open(path, "rb") as fh:
            start = fh.read(512)
    except OSError:
        return True  # let the reader say what is wrong
    if start[:2] == b"\x1f\x8b":
        try:
            return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(start, 16).startswith(
                b"WARC/")
        except zlib.error:
            return False
    return start.startswith(b"WARC/")


def _read_all(stream) -> None:
    while stream.read(1 << 20):
        pass


def _check_gzip_members(path: str, report: VerifyReport) -> None:
    """Every gzip member complete, its CRC and length right.

    warcio reads a torn last member without complaint (zlib hands out what it
    could inflate), so a file cut off mid-write would look whole. Members are
    checked here on their own, with zlib's own trailer check (``eof``)."""
    with open(path, "rb") as fh:
        offset = 0
        pending = b""
        while True:
            inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
            data = pending or fh.read(1 << 20)
            if not data:
                return
            try:
                while not inflater.eof:
                    inflater.decompress(data)
                    if inflater.eof:
                        break
                    data = fh.read(1 << 20)
                    if not data:
                        report.problems.append(Problem(path, offset, "gzip member cut off "
                                                       "(the file ends inside a record)"))
                        return
            except zlib.error as exc:
                report.problems.append(Problem(path, offset, f"corrupt gzip member: {exc}"))
                return
            pending = inflater.unused_data
            offset = fh.tell() - len(pending)


def _verify_record(path: str, offset: int, first: bool, record, report: VerifyReport,
                   ids: dict[str, tuple[str, str, str | None]],
                   captures: set[tuple[str, str]], refs: list[_Ref]) -> None:
    headers = record.rec_headers
    rtype = record.rec_type
    report.records[rtype] += 1
    problems = []
    if first and rtype != "warcinfo":
        problems.append(f"first record is {rtype!r}, not 'warcinfo'")
    record_id = headers.get_header("WARC-Record-ID")
    if not record_id:
        problems.append("no WARC-Record-ID")
    elif record_id in ids:
        problems.append(f"duplicate WARC-Record-ID {record_id} (also in {ids[record_id][0]})")
    else:
        ids[record_id] = (path, rtype, headers.get_header("WARC-Payload-Digest"))
    date = headers.get_header("WARC-Date") or ""
    if not _DATE.match(date):
        problems.append(f"WARC-Date {date!r} is not UTC 'YYYY-MM-DDThh:mm:ssZ'")
    for name in _REQUIRED_DIGESTS.get(rtype, ()):
        if not headers.get_header(name):
            problems.append(f"{rtype} has no {name}")
    if record.digest_checker.passed is False:
        problems += list(record.digest_checker.problems)
    if rtype in ("response", "resource", "revisit"):
        captures.add((headers.get_header("WARC-Target-URI"), date))
    concurrent = headers.get_header("WARC-Concurrent-To")
    if rtype == "request" and not concurrent:
        problems.append("request has no WARC-Concurrent-To (no paired response)")
    if concurrent:
        refs.append(_Ref(path, offset, "WARC-Concurrent-To", concurrent, True))
    if rtype == "revisit":
        refs.append(_revisit_ref(path, offset, headers))
    elif refers_to := headers.get_header("WARC-Refers-To"):  # a rendered page's document
        refs.append(_Ref(path, offset, "WARC-Refers-To", refers_to, False))
    report.problems += [Problem(path, offset, message) for message in problems]


def _revisit_ref(path: str, offset: int, headers) -> _Ref:
    refers_to = headers.get_header("WARC-Refers-To")
    if refers_to:
        return _Ref(path, offset, "WARC-Refers-To", refers_to, False,
                    headers.get_header("WARC-Payload-Digest"))
    target = (headers.get_header("WARC-Refers-To-Target-URI") or "",
              headers.get_header("WARC-Refers-To-Date") or "")
    return _Ref(path, offset, "WARC-Refers-To-Target-URI/Date", "\t".join(target), False)


def _check_ref(ref: _Ref, ids: dict[str, tuple[str, str, str | None]],
               captures: set[tuple[str, str]], report: VerifyReport) -> None:
    if ref.kind == "WARC-Refers-To-Target-URI/Date":
        if tuple(ref.target.split("\t")) not in captures:
            report.problems.append(Problem(ref.path, ref.offset,
                                           f"revisit refers to no record in the collection: "
                                           f"{ref.target.replace(chr(9), ' @ ')}"))
        return
    where, rtype, digest = ids.get(ref.target, (None, None, None))
    if where is None:
        message = f"{ref.kind} {ref.target} resolves to no record"
    elif ref.same_file and where != ref.path:
        message = f"{ref.kind} {ref.target} is in another file ({where})"
    elif ref.kind == "WARC-Refers-To" and rtype not in ("response", "resource", "revisit"):
        message = f"{ref.kind} {ref.target} is a {rtype} record, not a capture"
    elif ref.payload_digest and digest != ref.payload_digest:
        message = (f"revisit's payload {ref.payload_digest} is not that of {ref.target} "
                   f"({digest})")
    else:
        return
    report.problems.append(Problem(ref.path, ref.offset, message))
