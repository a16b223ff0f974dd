"""WARC capture in a real crawl of the demo web: archive.md pitfalls 1-6.

Every test reads the WARCs back with warcio and compares with what the demo
server sends for the same URL, so capturing at the wrong point, rebuilding
headers or decoding bodies makes them fail.
"""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import fetch_direct, report_url
from tests.test_archive_writer import read_all

GZIP_PAGE = "http://gdj.zj.gov.cn/col/col1229251/index.html"
CHUNKED_PAGE = report_url("gdj.zj.gov.cn", 2023)
GBK_PAGE = report_url("sthjt.zj.gov.cn", 2023)
PDF = report_url("gdj.zj.gov.cn", 2022, attachment="pdf")
DOCX = report_url("jtt.jiangxi.gov.cn", 2024)
REASON_PAGE = "http://gdj.zj.gov.cn/col/col1229248/index.html"
QUERY_PAGE = "http://gdj.zj.gov.cn/col/col1229251/index.html?uid=7203164&pageNum=1"


def read_records(paths):
    """[(path, record type, rec headers, http headers, raw block bytes after http head)]."""
    records = []
    for path in paths:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh, check_digests=True):
                payload = read_all(record.raw_stream)
                assert record.digest_checker.passed is True, record.digest_checker.problems
                records.append((path, record.rec_type, record.rec_headers, record.http_headers,
                                payload))
    return records


@pytest.fixture(scope="module")
def records(demo_crawl):
    return read_records(demo_crawl.warcs)


def response_for(records, url):
    found = [r for r in records if r[1] == "response"
             and r[2].get_header("WARC-Target-URI") == url]
    assert found, f"no response record for {url}"
    return found[-1]


def request_for(records, response):
    rid = response[2].get_header("WARC-Record-ID")
    found = [r for r in records if r[1] == "request"
             and r[2].get_header("WARC-Concurrent-To") == rid]
    assert len(found) == 1, f"expected one request for {rid}"
    return found[0]


def test_every_response_has_its_request_in_the_same_file(records):
    responses = [r for r in records if r[1] == "response"]
    assert len(responses) >= 15
    for response in responses:
        request = request_for(records, response)
        assert request[0] == response[0]
        assert request[2].get_header("WARC-Target-URI") == response[2].get_header("WARC-Target-URI")


def test_pitfall1_compressed_body_kept_as_sent(records, demo_crawl):
    """Captured before HttpCompressionMiddleware: gzip bytes and Content-Encoding kept."""
    _, _, headers, http, payload = response_for(records, GZIP_PAGE)
    assert http.get_header("Content-Encoding") == "gzip"
    sent = fetch_direct(demo_crawl.web, GZIP_PAGE, {"Accept-Encoding": "gzip, deflate"})
    assert sent.getheader("Content-Encoding") == "gzip"
    assert payload == sent.body
    assert payload[:2] == b"\x1f\x8b"
    assert int(http.get_header("Content-Length")) == len(payload)


def test_pitfall2_chunked_body_not_claimed_chunked(records, demo_crawl):
    _, _, headers, http, payload = response_for(records, CHUNKED_PAGE)
    assert http.get_header("Transfer-Encoding") is None
    sent = fetch_direct(demo_crawl.web, CHUNKED_PAGE)
    assert sent.getheader("Transfer-Encoding") == "chunked"
    assert payload == sent.body  # de-chunked
    assert b"\r\n0\r\n" not in payload[-16:]


def test_pitfall3_repeated_headers_all_kept(records, demo_crawl):
    _, _, _, http, _ = response_for(records, GZIP_PAGE)
    cookies = [v for k, v in http.headers if k.lower() == "set-cookie"]
    sent = fetch_direct(demo_crawl.web, GZIP_PAGE, {"Accept-Encoding": "gzip"})
    assert cookies == sent.headers.get_all("Set-Cookie")
    assert len(cookies) == 2


def test_pitfall4_real_status_line_and_full_request_line(records):
    _, _, _, http, _ = response_for(records, REASON_PAGE)
    assert http.protocol == "HTTP/1.1"
    assert http.statusline == "200 Everything Fine"
    _, _, _, http, _ = response_for(records, GZIP_PAGE)
    assert http.statusline == "200 OK"
    response = response_for(records, QUERY_PAGE)
    _, _, rec_headers, request_http, _ = request_for(records, response)
    assert rec_headers.get_header("WARC-Target-URI") == QUERY_PAGE
    assert request_http.protocol == "GET"
    assert request_http.statusline == "/col/col1229251/index.html?uid=7203164&pageNum=1 HTTP/1.1"
    assert request_http.get_header("Host") == "gdj.zj.gov.cn"
    assert "gov-disclosure-archive" in request_http.get_header("User-Agent")
    assert "gzip" in request_http.get_header("Accept-Encoding")


@pytest.mark.parametrize("url", [GBK_PAGE, PDF, DOCX])
def test_pitfall5_bodies_are_bytes(records, demo_crawl, url):
    _, _, _, http, payload = response_for(records, url)
    sent = fetch_direct(demo_crawl.web, url)
    assert payload == sent.body
    if url == GBK_PAGE:
        assert "charset=gbk" in http.get_header("Content-Type")
        assert "生态环境厅".encode("gbk") in payload
    else:
        assert payload.startswith(b"%PDF-" if url == PDF else b"PK\x03\x04")


def test_pitfall6_dates_are_plain_utc_z(records):
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    for _, _, headers, _, _ in records:
        assert stamp.match(headers.get_header("WARC-Date")), headers.get_header("WARC-Date")


def test_ip_address_and_digests_recorded(records):
    """Each digest is the SHA-1 of what the record holds, computed here from its bytes (and
    checked by warcio as they are read: ``read_records``)."""
    for _, rtype, headers, _, payload in records:
        if rtype in ("request", "response"):
            assert headers.get_header("WARC-IP-Address") == "127.0.0.1"
            digest = "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode()
            assert headers.get_header("WARC-Payload-Digest") == digest
            assert headers.get_header("WARC-Block-Digest").startswith("sha1:")


def test_files_start_with_warcinfo_describing_the_crawl(demo_crawl):
    for path in demo_crawl.warcs:
        with open(path, "rb") as fh:
            first = next(iter(ArchiveIterator(fh)))
            assert first.rec_type == "warcinfo"
            fields = first.content_stream().read().decode()
        assert first.rec_headers.get_header("WARC-Filename") == path.name
        assert "format: WARC File Format 1.1" in fields
        assert "robots: obey" in fields
        assert re.search(r"^software: gov-disclosure-archive/\S+ \(Scrapy/", fields, re.M)


def test_file_names_follow_the_convention(demo_crawl):
    assert demo_crawl.warcs
    assert not list(demo_crawl.warc_dir.glob("*.open"))
    for path in demo_crawl.warcs:
        assert re.fullmatch(r"disclosure-\d{17}-\d{5}-\d+~[\w.-]+\.warc\.gz", path.name), path.name


def test_archive_verify_and_warcio_check_pass(demo_crawl):
    paths = [str(p) for p in demo_crawl.warcs]
    verify = subprocess.run([sys.executable, "-m", "archive", "verify", *paths],
                            capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "0 problem(s)" in verify.stdout
    warcio = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", *paths],
                            capture_output=True, text=True)
    assert warcio.returncode == 0, warcio.stdout + warcio.stderr
    assert "digest pass" in warcio.stdout and "digest failed" not in warcio.stdout


def test_items_point_at_their_response_records(demo_crawl, records):
    items = demo_crawl.items()
    assert items
    by_id = {r[2].get_header("WARC-Record-ID"): r for r in records}
    for item in items:
        warc = item["warc"]
        record = by_id[warc["record_id"]]
        assert record[1] == "response"
        assert record[2].get_header("WARC-Target-URI") == item["url"]
        assert record[2].get_header("WARC-Payload-Digest") == warc["payload_digest"]
        with open(demo_crawl.warc_dir / warc["filename"], "rb") as fh:
            fh.seek(warc["offset"])
            found = next(iter(ArchiveIterator(fh)))
            assert found.rec_headers.get_header("WARC-Record-ID") == warc["record_id"]
