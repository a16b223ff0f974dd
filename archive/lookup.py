"""Finding a capture in the collection by the request that got it, and reading it back.

``CaptureIndex`` maps each request (method, URL, body) to the latest response
record answering it, read from the WARC files themselves (a request record's
``WARC-Concurrent-To`` names its response). A resumed crawl answers from it
what an interrupted run already archived; re-extraction reads records back with
``read_capture``. Answers a server gave only for now (``5xx``, ``408``, ``429``,
or the codes a crawler retries) are left out: asking again is the right thing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from .rendered import DOM_PREFIX
from .verify import iter_warc_paths
from .writer import RecordLocation

__all__ = ["Capture", "CaptureIndex", "Entry", "HttpMessage", "entries", "is_lasting",
           "read_capture", "read_response", "request_key", "warcinfo_fields"]


def is_lasting(status: int) -> bool:
    """An answer worth keeping for good: not one a server gives for the moment (5xx,
    408 Request Timeout, 429 Too Many Requests)."""
    return status < 500 and status not in (408, 429)


def request_key(method: str, url: str, body: bytes = b"") -> str:
    """What identifies a request for replay: method, URL and (for POSTs) the body."""
    digest = hashlib.sha1(body).hexdigest()[:20] if body else ""
    return f"{method.upper()} {url} {digest}"


@dataclass(frozen=True)
class Capture:
    url: str
    status: int
    path: str
    offset: int
    length: int  # of the record as stored (its gzip member)
    record_id: str
    date: str
    payload_digest: str | None
    refers_to: str | None = None  # a revisit not yet resolved to its original's record

    def location(self) -> RecordLocation:
        """Its record's place, as an item's ``warc`` names it."""
        return RecordLocation(Path(self.path).name, self.offset, self.length, self.record_id,
                              self.payload_digest, self.date)


@dataclass(frozen=True)
class HttpMessage:
    """A response as it was received: the bytes of its status line and headers (never
    re-encoded: a GBK ``Location`` stays GBK), its body de-chunked, still content-encoded."""

    protocol: str
    status: int
    reason: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes


def warcinfo_fields(path: str | Path) -> dict[str, str]:
    """The ``application/warc-fields`` of a file's first (warcinfo) record."""
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "warcinfo":
                return {}
            text = record.content_stream().read().decode("utf-8", "replace")
            return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
    return {}


class CaptureIndex:
    def __init__(self) -> None:
        self._by_key: dict[str, Capture] = {}
        self.files: list[Path] = []
        self.unreadable: list[tuple[Path, str]] = []  # files that could not be read, and why
        self.revisits = 0  # requests answered by a revisit, resolved to its original
        self._responses: dict[str, Capture] = {}  # record id -> response capture
        self._rendered: dict[str, Capture] = {}  # page URL -> its rendered DOM's record
        self._lasting: Callable[[int], bool] = is_lasting

    @classmethod
    def build(cls, paths: Iterable[str | Path], run_id: str | None = None,
              lasting: Callable[[int], bool] = is_lasting,
              originals: Callable[[str, str], Capture | None] | None = None) -> CaptureIndex:
        """The captures in ``paths`` (files or directories of finished WARCs), only
        those of run ``run_id`` (its warcinfo's ``run-id``) when given, and only
        answers whose status is ``lasting`` (a crawler passes its own retry codes).
        A revisit answers with its original's record: one in ``paths``, else the one
        ``originals(record_id, url)`` finds; one whose original is found nowhere is
        left out (asked again)."""
        index = cls()
        index._lasting = lasting
        other_runs: list[Path] = []  # where one run's revisits may find their originals
        for path in iter_warc_paths(paths):
            try:
                if run_id is None or warcinfo_fields(path).get("run-id") == run_id:
                    index._add_file(path)
                    index.files.append(path)
                else:
                    other_runs.append(path)
            except (OSError, ValueError, ArchiveLoadFailed) as exc:  # one bad file, not all
                index.unreadable.append((path, str(exc) or type(exc).__name__))
        index._resolve(originals, other_runs)
        return index

    def _resolve(self, originals: Callable[[str, str], Capture | None] | None,
                 other_runs: list[Path]) -> None:
        """Each revisit replaced by its original; the other runs' files are read for
        originals only when a revisit is found neither here nor by ``originals``."""
        unresolved = self._resolve_known(originals)
        if unresolved and other_runs:
            for path in other_runs:
                self._add_responses(path)
            unresolved = self._resolve_known(None)
        for key in unresolved:
            del self._by_key[key]

    def _resolve_known(self, originals: Callable[[str, str], Capture | None] | None
                       ) -> list[str]:
        unresolved = []
        for key, capture in self._by_key.items():
            if capture.refers_to is None:
                continue
            original = self._responses.get(capture.refers_to)
            if original is None and originals is not None:
                original = originals(capture.refers_to, capture.url)
            if original is None:
                unresolved.append(key)
            else:
                self._by_key[key] = original
                self.revisits += 1
        return unresolved

    def get(self, method: str, url: str, body: bytes = b"") -> Capture | None:
        return self._by_key.get(request_key(method, url, body))

    def rendered(self, url: str) -> Capture | None:
        """The DOM record of ``url`` as a browser showed it (``archive.rendered``), the
        last one archived."""
        return self._rendered.get(url)

    def __len__(self) -> int:
        return len(self._by_key)

    def keys(self) -> set[str]:
        """The ``request_key`` of every request the collection answers."""
        return set(self._by_key)

    def _add_responses(self, path: Path) -> None:
        """Only the response records of ``path``: originals that revisits refer to."""
        try:
            for entry in entries(path):
                if entry.kind == "response" and not entry.truncated:
                    self._responses[entry.record_id] = Capture(
                        entry.url, entry.status, str(path), entry.offset, entry.length,
                        entry.record_id, entry.date, entry.digest)
        except (OSError, ValueError, ArchiveLoadFailed) as exc:
            self.unreadable.append((path, str(exc) or type(exc).__name__))

    def _add_file(self, path: Path) -> None:
        responses: dict[str, Capture] = {}
        requests: dict[str, str] = {}  # response id -> request key
        for entry in entries(path):
            if entry.kind == "response" and not entry.truncated:
                capture = Capture(entry.url, entry.status, str(path), entry.offset,
                                  entry.length, entry.record_id, entry.date, entry.digest)
                responses[capture.record_id] = self._responses[capture.record_id] = capture
            elif entry.kind == "revisit" and entry.refers_to:
                responses[entry.record_id] = Capture(
                    entry.url, entry.status or 200, str(path), entry.offset, entry.length,
                    entry.record_id, entry.date, entry.digest, entry.refers_to)
            elif entry.kind == "resource" and entry.url.startswith(DOM_PREFIX):
                self._rendered[entry.url[len(DOM_PREFIX):]] = Capture(
                    entry.url, 200, str(path), entry.offset, entry.length, entry.record_id,
                    entry.date, entry.digest)
            elif entry.kind == "request":
                requests[entry.concurrent_to] = request_key(entry.method, entry.url,
                                                            entry.body)
        for response_id, key in requests.items():
            answer = responses.get(response_id)
            if answer is not None and self._lasting(answer.status):
                self._by_key[key] = answer


@dataclass
class Entry:
    """What an index needs of one record (not the record: a 1 GiB file has many)."""

    kind: str
    url: str
    record_id: str
    date: str
    digest: str | None
    concurrent_to: str
    truncated: bool
    status: int  # a response's
    method: str  # a request's (a request line's first word)
    body: bytes  # a request's body (read before the iterator moves on)
    offset: int
    etag: str | None = None  # a response's or revisit's validators
    last_modified: str | None = None
    refers_to: str | None = None  # a revisit's WARC-Refers-To
    length: int = 0  # stored length: up to the next record's offset


def entries(path: Path) -> list[Entry]:
    """Each record of a WARC file, in order, as an ``Entry``."""
    found: list[Entry] = []
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            head, http = record.rec_headers, record.http_headers
            request = record.rec_type == "request"
            found.append(Entry(
                record.rec_type, head.get_header("WARC-Target-URI"),
                head.get_header("WARC-Record-ID"), head.get_header("WARC-Date"),
                head.get_header("WARC-Payload-Digest"), head.get_header("WARC-Concurrent-To"),
                bool(head.get_header("WARC-Truncated")),
                int(http.get_statuscode() or 0) if http and not request else 0,
                http.protocol if http and request else "",
                record.raw_stream.read() if request else b"", records.get_record_offset(),
                http.get_header("ETag") if http and not request else None,
                http.get_header("Last-Modified") if http and not request else None,
                head.get_header("WARC-Refers-To")))
    ends = [e.offset for e in found[1:]] + [path.stat().st_size]
    for entry, end in zip(found, ends, strict=True):
        entry.length = end - entry.offset
    return found


def read_capture(capture: Capture) -> HttpMessage:
    """The HTTP response a capture holds, byte for byte as it was received."""
    return read_response(capture.path, capture.offset)


def read_response(path: str | Path, offset: int, expect: str | None = None) -> HttpMessage:
    """The HTTP response in the response record at ``offset`` of ``path`` (which must
    be record ``expect`` when given: a ValueError otherwise, as for no record there)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        # Unparsed: warcio decodes header lines as text (UTF-8, else Latin-1), which
        # cannot be undone for every byte string; the block is split here instead.
        record = next(iter(ArchiveIterator(fh, no_record_parse=True)), None)
        if record is None or record.rec_type != "response":
            raise ValueError(f"no response record at {path}:{offset}")
        if expect is not None and record.rec_headers.get_header("WARC-Record-ID") != expect:
            raise ValueError(f"{path}:{offset} is not record {expect}")
        block = record.raw_stream.read()
    head, _, body = block.partition(b"\r\n\r\n")
    status_line, *lines = head.split(b"\r\n")
    protocol, status, reason = (status_line.split(b" ", 2) + [b""])[:3]
    headers = [(name.strip(), value.strip()) for name, sep, value
               in (line.partition(b":") for line in lines) if sep]
    return HttpMessage(protocol.decode("ascii", "replace"), int(status), reason, headers, body)
