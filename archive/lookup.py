"""Finding a capture in the collection by the request that got it, and reading it back.

``CaptureIndex`` maps each request (method, URL, body) to the latest response
record answering it, read from the WARC files themselves (a request record's
``WARC-Concurrent-To`` names its response). A resumed crawl answers from it
what an interrupted run already archived; re-extraction reads records back with
``read_capture``. Answers a server gave only for now (``5xx``, ``429``) are left
out: asking again is the right thing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from .verify import iter_warc_paths

__all__ = ["Capture", "CaptureIndex", "HttpMessage", "read_capture", "request_key",
           "warcinfo_fields"]


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

    def location(self) -> dict[str, object]:
        """As an item's ``warc`` field names its record."""
        return {"filename": Path(self.path).name, "offset": self.offset,
                "length": self.length, "record_id": self.record_id,
                "payload_digest": self.payload_digest, "date": self.date}


@dataclass(frozen=True)
class HttpMessage:
    protocol: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes  # as it came off the wire: de-chunked, still content-encoded


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

    @classmethod
    def build(cls, paths: Iterable[str | Path], run_id: str | None = None) -> CaptureIndex:
        """The captures in ``paths`` (files or directories of finished WARCs), only
        those of run ``run_id`` (its warcinfo's ``run-id``) when given."""
        index = cls()
        for path in iter_warc_paths(paths):
            if run_id is None or warcinfo_fields(path).get("run-id") == run_id:
                index._add_file(path)
                index.files.append(path)
        return index

    def get(self, method: str, url: str, body: bytes = b"") -> Capture | None:
        return self._by_key.get(request_key(method, url, body))

    def __len__(self) -> int:
        return len(self._by_key)

    def keys(self) -> set[str]:
        """The ``request_key`` of every request the collection answers."""
        return set(self._by_key)

    def _add_file(self, path: Path) -> None:
        responses: dict[str, Capture] = {}
        requests: dict[str, str] = {}  # response id -> request key
        for entry in _entries(path):
            headers, http = entry.record.rec_headers, entry.record.http_headers
            if entry.record.rec_type == "response" and not headers.get_header("WARC-Truncated"):
                capture = Capture(
                    headers.get_header("WARC-Target-URI"), int(http.get_statuscode() or 0),
                    str(path), entry.offset, entry.length, headers.get_header("WARC-Record-ID"),
                    headers.get_header("WARC-Date"), headers.get_header("WARC-Payload-Digest"))
                responses[capture.record_id] = capture
            elif entry.record.rec_type == "request":
                method = http.protocol  # a request line's first word
                requests[headers.get_header("WARC-Concurrent-To")] = request_key(
                    method, headers.get_header("WARC-Target-URI"), entry.body)
        for response_id, key in requests.items():
            answer = responses.get(response_id)
            if answer is not None and answer.status != 429 and answer.status < 500:
                self._by_key[key] = answer


@dataclass
class _Entry:
    record: ArcWarcRecord
    offset: int
    body: bytes  # a request's body (read before the iterator moves on); b"" otherwise
    length: int = 0  # stored length: up to the next record's offset


def _entries(path: Path) -> list[_Entry]:
    entries: list[_Entry] = []
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            body = record.raw_stream.read() if record.rec_type == "request" else b""
            entries.append(_Entry(record, records.get_record_offset(), body))
    ends = [e.offset for e in entries[1:]] + [path.stat().st_size]
    for entry, end in zip(entries, ends, strict=True):
        entry.length = end - entry.offset
    return entries


def read_capture(capture: Capture) -> HttpMessage:
    """The HTTP response a capture holds, as it was received."""
    with open(capture.path, "rb") as fh:
        fh.seek(capture.offset)
        record = next(iter(ArchiveIterator(fh)))
        http = record.http_headers
        body = record.raw_stream.read()
    status, _, reason = http.statusline.partition(" ")
    return HttpMessage(http.protocol, int(status), reason, list(http.headers), body)
