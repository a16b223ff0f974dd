"""WARC file names: ``{prefix}-{YYYYMMDDhhmmssfff}-{serial:05d}-{pid}~{host}.warc.gz``.

The Heritrix/IIPC convention: timestamp, serial, process id and host make names
unique when several crawler processes on several machines write into one
collection.
"""

from __future__ import annotations

import os
import re
import socket
import time
from dataclasses import dataclass

__all__ = ["OPEN_SUFFIX", "WARC_SUFFIXES", "WarcName", "is_warc_name", "parse_warc_filename",
           "safe_host", "warc_filename"]

OPEN_SUFFIX = ".open"
WARC_SUFFIXES = (".warc.gz", ".warc")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _timestamp17(now: float) -> str:
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(now)) + f"{int(now * 1000) % 1000:03d}"


def warc_filename(
    prefix: str,
    serial: int,
    *,
    now: float | None = None,
    pid: int | None = None,
    host: str | None = None,
    gzip: bool = True,
) -> str:
    if not prefix or _UNSAFE.search(prefix):
        raise ValueError(f"WARC prefix must be non-empty and use [A-Za-z0-9._-] only: {prefix!r}")
    stamp = _timestamp17(time.time() if now is None else now)
    host = safe_host(host or socket.gethostname())
    pid = os.getpid() if pid is None else pid
    suffix = ".warc.gz" if gzip else ".warc"
    return f"{prefix}-{stamp}-{serial:05d}-{pid}~{host}{suffix}"


def is_warc_name(name: str) -> bool:
    """A finished WARC file's name (``.warc.gz`` or ``.warc``; not ``.open``)."""
    return name.endswith(WARC_SUFFIXES)


def safe_host(host: str) -> str:
    """The host name as file names carry it."""
    return _UNSAFE.sub("-", host)


@dataclass(frozen=True)
class WarcName:
    prefix: str
    timestamp: str
    serial: int
    pid: int
    host: str


_NAME = re.compile(r"^(?P<prefix>.+)-(?P<timestamp>\d{17})-(?P<serial>\d{5})-(?P<pid>\d+)"
                   r"~(?P<host>[A-Za-z0-9._-]+?)\.warc(?:\.gz)?(?:\.open)?$")


def parse_warc_filename(name: str) -> WarcName | None:
    """The parts of a name ``warc_filename`` made; None for other names."""
    match = _NAME.match(name)
    if match is None:
        return None
    return WarcName(match["prefix"], match["timestamp"], int(match["serial"]),
                    int(match["pid"]), match["host"])
