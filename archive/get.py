"""``python -m archive get URL``: the archived payload of a URL, from a script.

Every capture of the URL (GET response and revisit records) is read from the
WARC files, the one closest to ``--at`` (a timestamp like pywb's: ``2024``,
``20240131``, ``20240131120000``; the latest without it) is chosen, a revisit is
resolved to the record holding its payload, and the payload is written as it was
served with its content encoding undone (``--raw``: the bytes as received), or
with ``--headers`` its status line and headers, byte for byte.
"""

from __future__ import annotations

import argparse
import calendar
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from .lookup import Capture, HttpMessage, entries, read_response
from .verify import iter_warc_paths

__all__ = ["CaptureOf", "NotFound", "captures_of", "closest", "payload", "timestamp_seconds"]


class NotFound(LookupError):
    """No capture answers: the message says what was looked for, in one line."""


@dataclass(frozen=True)
class CaptureOf:
    """One capture of a URL: when it was made, and the record holding its payload
    (a revisit's original, or the response itself)."""

    date: str
    record: Capture
    revisit: bool


def captures_of(paths: Iterable[str | Path], url: str) -> list[CaptureOf]:
    """The URL's captures in ``paths``, oldest first. A revisit whose original is
    nowhere in ``paths`` is left out: it has no payload to give. Only the URL's own
    responses are kept as originals (this crawler's revisits refer to the same URL;
    cross-URL deduplication is not looked for)."""
    responses: dict[str, Capture] = {}
    revisits: list[tuple[str, str]] = []  # (date, refers-to)
    for path in iter_warc_paths(paths):
        for entry in entries(path):
            if entry.kind == "response" and not entry.truncated and entry.url == url:
                capture = Capture(entry.url, entry.status, str(path), entry.offset,
                                  entry.length, entry.record_id, entry.date, entry.digest)
                responses[entry.record_id] = capture
            elif entry.kind == "revisit" and entry.url == url and entry.refers_to:
                revisits.append((entry.date, entry.refers_to))
    found = [CaptureOf(c.date, c, False) for c in responses.values()]
    found += [CaptureOf(date, responses[ref], True) for date, ref in revisits
              if ref in responses]
    return sorted(found, key=lambda capture: capture.date)


def timestamp_seconds(value: str) -> float:
    """A WARC-Date (``2024-01-31T12:00:00Z``) or a pywb timestamp prefix (``202401``)
    as seconds since the epoch; a prefix means its earliest moment."""
    digits = re.sub(r"\D", "", value)[:14]
    if not digits or len(digits) < 4:
        raise ValueError(f"not a timestamp: {value!r} (give e.g. 2024, 20240131 or "
                         "20240131120000)")
    padded = digits + "00000101000000"[len(digits):]
    return calendar.timegm(time.strptime(padded, "%Y%m%d%H%M%S"))


def closest(captures: list[CaptureOf], at: str | None) -> CaptureOf:
    """The capture nearest ``at`` (the latest when None; an earlier one on a tie)."""
    if not captures:
        raise NotFound("no capture")
    if at is None:
        return captures[-1]
    target = timestamp_seconds(at)
    return min(captures, key=lambda c: abs(timestamp_seconds(c.date) - target))


def payload(capture: Capture, raw: bool = False) -> bytes:
    """The body as served: de-chunked, its Content-Encoding undone unless ``raw``."""
    if raw:
        return headers_of(capture).body
    with open(capture.path, "rb") as fh:
        fh.seek(capture.offset)
        record = next(iter(ArchiveIterator(fh)))
        return record.content_stream().read()


def headers_of(capture: Capture) -> HttpMessage:
    return read_response(capture.path, capture.offset, expect=capture.record_id)


def head_bytes(message: HttpMessage) -> bytes:
    """The status line and headers as received, ending with the blank line."""
    lines = [f"{message.protocol} {message.status} ".encode("ascii") + message.reason]
    lines += [name + b": " + value for name, value in message.headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def register(commands: Any) -> None:  # argparse's subparsers action (a private type)
    """``python -m archive get``."""
    get = commands.add_parser(
        "get", help="write a URL's archived payload (or headers) to stdout",
        description="Find every capture of URL in the WARC files (response and revisit "
        "records; a revisit gives its original's payload), take the one closest to --at "
        "(the latest without it) and write its payload to stdout with its content "
        "encoding undone. Exits 1 with one line on stderr when there is no capture.")
    get.add_argument("url", metavar="URL", help="the URL as archived (WARC-Target-URI)")
    get.add_argument("-d", "--warc-dir", action="append", metavar="PATH",
                     help="WARC file or directory, may be repeated (default: var/warc)")
    get.add_argument("--at", metavar="TIMESTAMP",
                     help="closest to this time: 2024, 20240131, 20240131120000 or a WARC-Date")
    get.add_argument("--headers", action="store_true",
                     help="write the status line and headers, as received, instead")
    get.add_argument("--raw", action="store_true",
                     help="write the body as received (still gzip-compressed, if it was)")
    get.set_defaults(func=_get)


def _get(args: argparse.Namespace) -> int:
    paths = args.warc_dir or ["var/warc"]
    try:
        chosen = closest(captures_of(paths, args.url), args.at)
        data = head_bytes(headers_of(chosen.record)) if args.headers \
            else payload(chosen.record, args.raw)
    except NotFound:
        print(f"get: no capture of {args.url} in {', '.join(paths)}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"get: {exc}", file=sys.stderr)
        return 1
    how = f"revisit on {chosen.date} of " if chosen.revisit else ""
    print(f"get: {args.url}: {how}{chosen.record.date} capture, HTTP {chosen.record.status}, "
          f"{Path(chosen.record.path).name}:{chosen.record.offset}", file=sys.stderr)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0
