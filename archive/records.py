"""Serialise WARC 1.1 records from raw bytes, one gzip member per record.

Why not warcio's ``WARCWriter``: it rebuilds the HTTP header block from its
parsed form (``StatusAndHeaders.compute_headers_buffer``), percent-encoding
non-ASCII header values and re-joining folded lines, so the record no longer
holds what the server sent; it also reads every payload through Python-level
chunk loops twice (digest, then copy) and compresses at level 9. An archive of
record must keep the exchange byte for byte, so records are serialised here from
the raw parts and digested once. Everything that *reads* WARCs (verify, index,
tests, replay) uses warcio, cdxj-indexer and pywb, which is what keeps this
module honest.
"""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urlsplit

__all__ = [
    "REVISIT_PROFILES",
    "HttpExchange",
    "Original",
    "exchange_records",
    "Record",
    "make_record_id",
    "request_record",
    "response_record",
    "revisit_record",
    "sha1_digest",
    "warc_date",
    "warcinfo_record",
]

WARC_VERSION = b"WARC/1.1"
CRLF = b"\r\n"
HeaderList = list[tuple[bytes, list[bytes]]]


@dataclass(frozen=True, slots=True)
class Original:
    """The record holding a URL's payload as last archived: what a revisit refers to."""

    record_id: str
    url: str
    date: str  # its WARC-Date
    payload_digest: str
    filename: str | None = None  # where it is, for whoever wants the payload itself
    offset: int | None = None
    length: int | None = None


REVISIT_PROFILES = {
    "server-not-modified": "http://netpreserve.org/warc/1.1/revisit/server-not-modified",
    "identical-payload-digest":
        "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
}


@dataclass(slots=True)
class HttpExchange:
    """One HTTP request and the response it got, as they went over the wire.

    Header values are raw bytes (repeated headers keep every value); ``body`` is
    the entity body after de-chunking but before any content decoding.
    """

    url: str
    status: int
    body: bytes
    response_headers: HeaderList
    request_headers: HeaderList = field(default_factory=list)
    method: str = "GET"
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"
    reason: bytes | None = None
    ip_address: str | None = None
    date: float = field(default_factory=time.time)
    truncated: str | None = None  # WARC-Truncated reason, e.g. "disconnect"
    response_id: str = field(default_factory=lambda: make_record_id())
    request_id: str = field(default_factory=lambda: make_record_id())
    # The URL's last archived payload: a 304, or the same payload again, is written as
    # a revisit of it (``exchange_records``).
    previous: Original | None = None


@dataclass(slots=True)
class Record:
    """A serialised record: WARC header block plus content block."""

    record_id: str
    record_type: str
    head: bytes
    block: bytes
    payload_digest: str | None
    date: str
    compressible: bool = True  # False for PDFs, zips, images, gzip-encoded bodies
    refers_to: Original | None = None  # a revisit's original

    def to_gzip(self, level: int = 3) -> bytes:
        """The record as one gzip member. Payloads that are compressed already are
        stored (level 0): deflating a PDF again costs ~13x the time and saves ~1.5%.
        One zlib call per record: each releases the GIL, and getting it back is what
        a writer thread waits for while a crawler's event loop is busy."""
        level = level if self.compressible else 0
        return zlib.compress(self.to_bytes(), level, wbits=zlib.MAX_WBITS | 16)

    def to_bytes(self) -> bytes:
        return self.head + self.block + CRLF + CRLF


def make_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def warc_date(timestamp: float) -> str:
    """``2026-01-31T08:00:00Z``: UTC, whole seconds, a plain ``Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


def sha1_digest(*parts: bytes) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part)
    return "sha1:" + base64.b32encode(digest.digest()).decode("ascii")


def _header_lines(headers: HeaderList) -> list[bytes]:
    return [name + b": " + value + CRLF for name, values in headers for value in values]


def _warc_head(fields: Sequence[tuple[str, str | None]], block: bytes) -> bytes:
    lines = [WARC_VERSION + CRLF]
    lines += [f"{name}: {value}\r\n".encode() for name, value in fields if value is not None]
    lines.append(b"Content-Length: %d\r\n\r\n" % len(block))
    return b"".join(lines)


def response_head(exchange: HttpExchange) -> bytes:
    reason = exchange.reason
    if reason is None:
        reason = _standard_reason(exchange.status)
    status_line = b"%s %d %s\r\n" % (exchange.protocol.encode("ascii"), exchange.status, reason)
    return b"".join([status_line, *_header_lines(exchange.response_headers), CRLF])


def request_head(exchange: HttpExchange) -> bytes:
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    http_version = exchange.protocol if exchange.protocol.startswith("HTTP/1") else "HTTP/1.1"
    lines = [f"{exchange.method} {target} {http_version}\r\n".encode("ascii")]
    names = {name.lower() for name, _ in exchange.request_headers}
    if b"host" not in names:
        lines.append(b"Host: " + parts.netloc.rpartition("@")[2].encode("idna") + CRLF)
    lines += _header_lines(exchange.request_headers)
    if exchange.request_body and b"content-length" not in names:
        lines.append(b"Content-Length: %d\r\n" % len(exchange.request_body))
    lines.append(CRLF)
    return b"".join(lines)


def _standard_reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""


_PRECOMPRESSED_TYPES = (
    "application/pdf", "application/zip", "application/x-zip", "application/gzip",
    "application/x-gzip", "application/x-rar", "application/x-7z", "application/ofd",
    "application/vnd.openxmlformats-officedocument.", "application/vnd.ms-excel.sheet.macro",
    "image/jpeg", "image/png", "image/gif", "image/webp", "audio/", "video/",
)


def is_precompressed(headers: HeaderList) -> bool:
    """Is the payload compressed already (a Content-Encoding, or a compressed format)?"""
    for name, values in headers:
        lowered = name.lower()
        if lowered == b"content-encoding" and any(v.strip().lower() not in (b"", b"identity")
                                                   for v in values):
            return True
        if lowered == b"content-type" and values:
            media_type = values[-1].split(b";")[0].strip().lower().decode("latin-1")
            if media_type.startswith(_PRECOMPRESSED_TYPES):
                return True
    return False


def response_record(exchange: HttpExchange, payload_digest: str | None = None) -> Record:
    head = response_head(exchange)
    block = head + exchange.body
    payload_digest = payload_digest or sha1_digest(exchange.body)
    date = warc_date(exchange.date)
    fields = [
        ("WARC-Type", "response"),
        ("WARC-Record-ID", exchange.response_id),
        ("WARC-Date", date),
        ("WARC-Target-URI", exchange.url),
        ("WARC-IP-Address", exchange.ip_address),
        ("WARC-Truncated", exchange.truncated),
        ("WARC-Payload-Digest", payload_digest),
        ("WARC-Block-Digest", sha1_digest(head, exchange.body)),
        ("Content-Type", "application/http; msgtype=response"),
    ]
    return Record(exchange.response_id, "response", _warc_head(fields, block), block,
                  payload_digest, date, not is_precompressed(exchange.response_headers))


def request_record(exchange: HttpExchange) -> Record:
    block = request_head(exchange) + exchange.request_body
    date = warc_date(exchange.date)
    fields = [
        ("WARC-Type", "request"),
        ("WARC-Record-ID", exchange.request_id),
        ("WARC-Date", date),
        ("WARC-Target-URI", exchange.url),
        ("WARC-IP-Address", exchange.ip_address),
        ("WARC-Concurrent-To", exchange.response_id),
        ("WARC-Payload-Digest", sha1_digest(exchange.request_body)),
        ("WARC-Block-Digest", sha1_digest(block)),
        ("Content-Type", "application/http; msgtype=request"),
    ]
    return Record(exchange.request_id, "request", _warc_head(fields, block), block, None, date)


def warcinfo_record(filename: str, info: dict[str, str], timestamp: float | None = None) -> Record:
    """The file's first record: ``application/warc-fields`` describing the crawl."""
    block = b"".join(f"{k}: {v}\r\n".encode() for k, v in info.items() if v not in (None, ""))
    record_id = make_record_id()
    date = warc_date(time.time() if timestamp is None else timestamp)
    fields = [
        ("WARC-Type", "warcinfo"),
        ("WARC-Record-ID", record_id),
        ("WARC-Date", date),
        ("WARC-Filename", filename),
        ("WARC-Block-Digest", sha1_digest(block)),
        ("Content-Type", "application/warc-fields"),
    ]
    return Record(record_id, "warcinfo", _warc_head(fields, block), block, None, date)


def revisit_record(exchange: HttpExchange, profile: str) -> Record:
    """A revisit of ``exchange.previous``. ``identical-payload-digest``: the response's
    status line and headers, the payload left out (it is the original's).
    ``server-not-modified`` (a 304): an empty block, as pywb replays the original
    for it (with the 304's headers in the block it replays a bare 304)."""
    original = exchange.previous
    assert original is not None
    block = response_head(exchange) if profile == "identical-payload-digest" else b""
    date = warc_date(exchange.date)
    fields = [
        ("WARC-Type", "revisit"),
        ("WARC-Record-ID", exchange.response_id),
        ("WARC-Date", date),
        ("WARC-Target-URI", exchange.url),
        ("WARC-IP-Address", exchange.ip_address),
        ("WARC-Profile", REVISIT_PROFILES[profile]),
        ("WARC-Refers-To", original.record_id),
        ("WARC-Refers-To-Target-URI", original.url),
        ("WARC-Refers-To-Date", original.date),
        ("WARC-Payload-Digest", original.payload_digest),
        ("WARC-Block-Digest", sha1_digest(block)),
        ("Content-Type", "application/http; msgtype=response" if block else None),
    ]
    return Record(exchange.response_id, "revisit", _warc_head(fields, block), block,
                  original.payload_digest, date, refers_to=original)


def exchange_records(exchange: HttpExchange) -> tuple[Record, Record]:
    """The response record, then the request record that refers to it. A response the
    server says is not modified (304), or whose payload is the one last archived, is
    a revisit record of that one: proof it was checked, without the bytes again."""
    previous = exchange.previous
    if previous is not None and exchange.status == 304:
        return revisit_record(exchange, "server-not-modified"), request_record(exchange)
    digest = sha1_digest(exchange.body)
    if (previous is not None and digest == previous.payload_digest
            and 200 <= exchange.status < 300 and not exchange.truncated):
        return revisit_record(exchange, "identical-payload-digest"), request_record(exchange)
    return response_record(exchange, digest), request_record(exchange)
