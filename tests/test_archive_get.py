"""``python -m archive get``: a capture's payload for scripts, revisits resolved."""

from __future__ import annotations

import calendar
import gzip
import subprocess
import sys

from archive import WarcWriter
from archive.records import Original
from tests.test_archive_writer import exchange

URL = "http://a.gov.cn/ndbg/2024.html"
FIRST = "<html><title>2024年报告</title>第一版</html>".encode()
SECOND = "<html><title>2024年报告</title>第二版</html>".encode()
FIRST_GZIP = gzip.compress(FIRST, mtime=0)
GZIPPED = [(b"Content-Type", [b"text/html; charset=utf-8"]), (b"Content-Encoding", [b"gzip"]),
           (b"ETag", [b'"v1"'])]


def at(stamp: str) -> float:
    return float(calendar.timegm(tuple(int(x) for x in
                                       (stamp[:4], stamp[4:6], stamp[6:8], 0, 0, 0, 0, 0, 0))))


def collection(tmp_path):
    """2024-02-01: first version (gzip); 2024-03-01: a 304 revisit of it;
    2024-06-01: the edited second version."""
    first = WarcWriter(tmp_path, "first")
    written = first.write_exchange(exchange(url=URL, body=FIRST_GZIP,
                                            response_headers=GZIPPED, date=at("20240201")))
    location = written.location
    first.close()
    original = Original(location.record_id, URL, location.date, location.payload_digest,
                        location.filename, location.offset, location.length)
    second = WarcWriter(tmp_path, "second")
    second.write_exchange(exchange(url=URL, status=304, body=b"", previous=original,
                                   response_headers=[(b"ETag", [b'"v1"'])],
                                   date=at("20240301")))
    second.write_exchange(exchange(url=URL, body=SECOND, date=at("20240601"),
                                   response_headers=[(b"Content-Type", [b"text/html"])]))
    second.close()
    return tmp_path


def get(*args: str):
    return subprocess.run([sys.executable, "-m", "archive", "get", *args],
                          capture_output=True, timeout=60)


def test_the_latest_capture_by_default_and_the_closest_with_at(tmp_path):
    warcs = str(collection(tmp_path))
    assert get(URL, "-d", warcs).stdout == SECOND
    assert get(URL, "-d", warcs, "--at", "20240205").stdout == FIRST  # decoded from gzip
    assert get(URL, "-d", warcs, "--at", "2024-07-01T00:00:00Z").stdout == SECOND


def test_a_revisit_gives_its_originals_payload_and_headers(tmp_path):
    warcs = str(collection(tmp_path))
    result = get(URL, "-d", warcs, "--at", "20240302")
    assert result.returncode == 0 and result.stdout == FIRST
    assert b"revisit on 2024-03-01" in result.stderr
    assert get(URL, "-d", warcs, "--at", "20240302", "--raw").stdout == FIRST_GZIP
    head = get(URL, "-d", warcs, "--at", "20240302", "--headers").stdout
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and b"Content-Encoding: gzip\r\n" in head


def test_no_capture_exits_1_with_one_line(tmp_path):
    warcs = str(collection(tmp_path))
    result = get("http://a.gov.cn/other.html", "-d", warcs)
    assert result.returncode == 1 and result.stdout == b""
    assert result.stderr.decode().strip() == (
        f"get: no capture of http://a.gov.cn/other.html in {warcs}")
    bad = get(URL, "-d", warcs, "--at", "x")
    assert bad.returncode == 1 and bad.stderr.decode().count("\n") == 1
