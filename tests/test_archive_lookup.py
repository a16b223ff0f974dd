"""``archive.lookup``: a resumed crawl finds what its run archived, by request."""

from __future__ import annotations

import gzip
import io

from warcio.archiveiterator import ArchiveIterator

from archive import WarcWriter
from archive.lookup import CaptureIndex, read_capture, request_key
from tests.test_archive_writer import exchange


def collection(tmp_path, run_id="run-1", name="crawl"):
    writer = WarcWriter(tmp_path, name, info={"run-id": run_id})
    body = gzip.compress(b"<html>page</html>", mtime=0)
    writer.write_exchange(exchange(url="http://a.gov.cn/page", body=body, response_headers=[
        (b"Content-Encoding", [b"gzip"]), (b"Content-Type", [b"text/html"])]))
    writer.write_exchange(exchange(url="http://a.gov.cn/api", method="POST",
                                   request_body=b"page=2", body=b"<xml>2</xml>"))
    writer.write_exchange(exchange(url="http://a.gov.cn/api", method="POST",
                                   request_body=b"page=3", body=b"<xml>3</xml>"))
    writer.write_exchange(exchange(url="http://a.gov.cn/busy", status=503, body=b"later"))
    writer.write_exchange(exchange(url="http://a.gov.cn/slow", status=429, body=b"later"))
    writer.write_exchange(exchange(url="http://a.gov.cn/wait", status=408, body=b"later"))
    writer.write_exchange(exchange(url="http://a.gov.cn/gone", status=404, body=b"gone"))
    writer.write_exchange(exchange(url="http://a.gov.cn/cut", body=b"half",
                                   truncated="disconnect"))
    writer.close()
    return body


def test_requests_find_their_responses_by_method_url_and_body(tmp_path):
    body = collection(tmp_path)
    index = CaptureIndex.build([tmp_path])
    page = index.get("GET", "http://a.gov.cn/page")
    assert page is not None and page.status == 200
    message = read_capture(page)
    assert message.body == body  # as it came off the wire: still gzip-encoded
    assert (b"Content-Encoding", b"gzip") in message.headers and message.status == 200
    assert read_capture(index.get("POST", "http://a.gov.cn/api", b"page=3")).body == b"<xml>3</xml>"
    assert index.get("POST", "http://a.gov.cn/api", b"page=4") is None
    assert index.get("GET", "http://a.gov.cn/api") is None


def test_headers_come_back_as_the_bytes_received(tmp_path):
    location = "/年报.pdf".encode("gbk")  # a GBK Location, as Chinese servers send
    writer = WarcWriter(tmp_path, "crawl")
    writer.write_exchange(exchange(url="http://a.gov.cn/old", status=302, body=b"",
                                   reason=b"Moved Temporarily",
                                   response_headers=[(b"Location", [location]),
                                                     (b"Set-Cookie", [b"a=1", b"b=2"])]))
    writer.close()
    message = read_capture(CaptureIndex.build([tmp_path]).get("GET", "http://a.gov.cn/old"))
    assert (message.status, message.reason) == (302, b"Moved Temporarily")
    assert message.headers == [(b"Location", location), (b"Set-Cookie", b"a=1"),
                               (b"Set-Cookie", b"b=2")]


def test_answers_for_the_moment_and_cut_records_are_asked_again(tmp_path):
    collection(tmp_path)
    index = CaptureIndex.build([tmp_path])
    assert index.get("GET", "http://a.gov.cn/gone").status == 404  # an answer: kept
    for url in ("http://a.gov.cn/busy", "http://a.gov.cn/slow", "http://a.gov.cn/wait",
                "http://a.gov.cn/cut"):
        assert index.get("GET", url) is None, url
    assert index.keys() == {request_key("GET", "http://a.gov.cn/page"),
                            request_key("POST", "http://a.gov.cn/api", b"page=2"),
                            request_key("POST", "http://a.gov.cn/api", b"page=3"),
                            request_key("GET", "http://a.gov.cn/gone")}


def test_a_crawler_says_which_answers_it_would_ask_again(tmp_path):
    collection(tmp_path)
    index = CaptureIndex.build([tmp_path], lasting=lambda status: status not in (404, 503))
    assert index.get("GET", "http://a.gov.cn/gone") is None
    assert index.get("GET", "http://a.gov.cn/slow").status == 429


def test_only_the_runs_own_files_when_a_run_is_named(tmp_path):
    collection(tmp_path / "a", run_id="run-1")
    (tmp_path / "a" / "other").mkdir()
    collection(tmp_path / "a" / "other", run_id="run-2", name="later")
    assert len(CaptureIndex.build([tmp_path / "a"], "run-1").files) == 1
    assert len(CaptureIndex.build([tmp_path / "a"], "run-3")) == 0
    assert len(CaptureIndex.build([tmp_path / "a"]).files) == 2


def test_locations_name_whole_records_as_items_do(tmp_path):
    collection(tmp_path)
    capture = CaptureIndex.build([tmp_path]).get("GET", "http://a.gov.cn/gone")
    location = capture.location()
    data = (tmp_path / location.filename).read_bytes()
    member = data[location.offset:location.offset + location.length]
    record = next(iter(ArchiveIterator(io.BytesIO(member))))
    assert record.rec_headers.get_header("WARC-Record-ID") == location.record_id
    assert record.rec_headers.get_header("WARC-Target-URI") == "http://a.gov.cn/gone"
    assert set(location.as_dict()) == {"filename", "offset", "length", "record_id",
                                       "payload_digest", "date"}
