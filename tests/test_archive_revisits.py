"""Revisit records and the crawl state a recrawl starts from (``archive.records``,
``archive.state``): an unchanged payload is not archived twice, and says where it is."""

from __future__ import annotations

import subprocess
import sys

from warcio.archiveiterator import ArchiveIterator

from archive import WarcWriter, verify_paths
from archive.lookup import CaptureIndex, read_capture
from archive.records import REVISIT_PROFILES, Original
from archive.state import CrawlState
from crawler.changes import ReportVersions
from tests.test_archive_writer import exchange

PAGE = b"<html>report</html>" * 50
HEADERS = [(b"Content-Type", [b"text/html"]), (b"ETag", [b'"v1"']),
           (b"Last-Modified", [b"Mon, 01 Jan 2024 00:00:00 GMT"])]


def read(path):
    with open(path, "rb") as fh:
        records = []
        for record in ArchiveIterator(fh):
            record.content_stream().read()
            records.append(record)
        return records


def first_crawl(tmp_path):
    writer = WarcWriter(tmp_path, "first")
    location = writer.write_exchange(exchange(url="http://a.gov.cn/r", body=PAGE,
                                              response_headers=HEADERS)).location
    writer.close()
    return Original(location.record_id, "http://a.gov.cn/r", location.date,
                    location.payload_digest, location.filename, location.offset,
                    location.length)


def test_an_unchanged_payload_and_a_304_are_revisits_of_the_original(tmp_path):
    original = first_crawl(tmp_path)
    writer = WarcWriter(tmp_path, "second")
    same = writer.write_exchange(exchange(url="http://a.gov.cn/r", body=PAGE,
                                          response_headers=HEADERS, previous=original))
    not_modified = writer.write_exchange(exchange(
        url="http://a.gov.cn/r", status=304, body=b"", previous=original,
        response_headers=[(b"ETag", [b'"v1"'])]))
    edited = writer.write_exchange(exchange(url="http://a.gov.cn/r", body=PAGE + b"!",
                                            response_headers=HEADERS, previous=original))
    writer.close()
    records = [r for r in read(writer.closed_files[0]) if r.rec_type != "warcinfo"]
    kinds = [(r.rec_type, r.rec_headers.get_header("WARC-Profile")) for r in records
             if r.rec_type != "request"]
    assert kinds == [("revisit", REVISIT_PROFILES["identical-payload-digest"]),
                     ("revisit", REVISIT_PROFILES["server-not-modified"]), ("response", None)]
    for record in records[:4:2]:
        head = record.rec_headers
        assert head.get_header("WARC-Refers-To") == original.record_id
        assert head.get_header("WARC-Refers-To-Target-URI") == original.url
        assert head.get_header("WARC-Refers-To-Date") == original.date
        assert head.get_header("WARC-Payload-Digest") == original.payload_digest
    assert int(records[2].rec_headers.get_header("Content-Length")) == 0  # 304: empty block
    assert records[0].http_headers.get_statuscode() == "200"  # identical: its headers kept
    assert same.payload.record_id == original.record_id  # where the bytes are
    assert not_modified.refers_to == original and edited.refers_to is None
    assert verify_paths([tmp_path]).ok


def test_verify_names_a_revisit_whose_original_is_gone_or_other(tmp_path):
    original = first_crawl(tmp_path / "a")
    writer = WarcWriter(tmp_path / "b", "second")
    writer.write_exchange(exchange(url="http://a.gov.cn/r", body=PAGE, previous=original))
    writer.close()
    problems = [p.message for p in verify_paths([tmp_path / "b"]).problems]
    assert problems == [f"WARC-Refers-To {original.record_id} resolves to no record"]
    assert verify_paths([tmp_path]).ok  # with its original: whole
    forged = Original(original.record_id, original.url, original.date, "sha1:FORGED")
    writer = WarcWriter(tmp_path / "c", "third")
    writer.write_exchange(exchange(url="http://a.gov.cn/r", status=304, body=b"",
                                   previous=forged))
    writer.close()
    [problem] = verify_paths([tmp_path / "a", tmp_path / "c"]).problems
    assert "revisit's payload sha1:FORGED is not that of" in problem.message


def test_the_state_is_rebuilt_from_the_warcs_alone(tmp_path):
    original = first_crawl(tmp_path / "warc")
    writer = WarcWriter(tmp_path / "warc", "second")
    writer.write_exchange(exchange(url="http://a.gov.cn/r", status=304, body=b"",
                                   previous=original, date=2e9,
                                   response_headers=[(b"ETag", [b'"v2"'])]))
    writer.write_exchange(exchange(url="http://a.gov.cn/gone", status=404, body=b"no"))
    writer.write_exchange(exchange(url="http://a.gov.cn/api", method="POST", body=b"{}"))
    writer.close()
    result = subprocess.run([sys.executable, "-m", "archive", "state", "rebuild",
                             str(tmp_path / "warc"), "-o", str(tmp_path / "state.sqlite")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "1 URL(s)" in result.stdout  # neither the 404 nor the POST: nothing to revisit
    state = CrawlState(tmp_path / "state.sqlite")
    stored = state.get("http://a.gov.cn/r")
    assert stored.record_id == original.record_id and stored.filename == original.filename
    # a 304's revisit has an empty block (pywb): the validators stay the original's
    assert (stored.etag, stored.checked) == ('"v1"', "2033-05-18T03:33:20Z")
    assert stored.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert stored.original() == original and stored.available(tmp_path / "warc")
    (tmp_path / "warc" / stored.filename).unlink()
    assert not stored.available(tmp_path / "warc")  # never refer to a file that is gone


def test_a_revisit_answers_with_its_originals_record(tmp_path):
    original = first_crawl(tmp_path / "a")
    writer = WarcWriter(tmp_path / "b", "second")
    writer.write_exchange(exchange(url="http://a.gov.cn/r", status=304, body=b"",
                                   previous=original))
    writer.close()
    both = CaptureIndex.build([tmp_path])
    capture = both.get("GET", "http://a.gov.cn/r")
    assert (capture.record_id, both.revisits) == (original.record_id, 1)
    assert read_capture(capture).body == PAGE
    alone = CaptureIndex.build([tmp_path / "b"])  # its original nowhere: asked again
    assert alone.get("GET", "http://a.gov.cn/r") is None
    found = CaptureIndex.build([tmp_path / "b"], originals=lambda record_id, url: next(
        iter(CaptureIndex.build([tmp_path / "a"])._responses.values())))
    assert found.get("GET", "http://a.gov.cn/r").record_id == original.record_id


def test_rebuilding_the_state_keeps_what_else_its_file_holds(tmp_path):
    first_crawl(tmp_path / "warc")
    versions = ReportVersions(tmp_path / "state.sqlite")
    versions.begin("run-1")
    versions.record("http://a.gov.cn/r", "run-1", {"url": "http://a.gov.cn/r", "text": "x"},
                    None)
    versions.finish("run-1")
    versions.close()
    CrawlState.rebuild([tmp_path / "warc"], tmp_path / "state.sqlite").close()
    kept = ReportVersions(tmp_path / "state.sqlite")
    assert kept.previous("http://a.gov.cn/r", "run-2").item["text"] == "x"
    assert len(CrawlState(tmp_path / "state.sqlite")) == 1
