"""The archive library on its own: records, files, rotation, the background thread."""

from __future__ import annotations

import asyncio
import gzip
import io
import os
import pickle
import re
import zlib
from concurrent.futures import Future

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import (
    BackgroundWriter,
    HttpExchange,
    PendingRecord,
    RecordLocation,
    RecordNotWritten,
    WarcWriter,
)
from archive.records import response_record
from archive.repair import repair_paths
from archive.verify import verify_paths


def exchange(url="http://gdj.zj.gov.cn/a?b=1", body=b"<html>hello</html>", **kwargs):
    defaults = dict(
        status=200,
        response_headers=[(b"Content-Type", [b"text/html; charset=gbk"]),
                          (b"Set-Cookie", [b"a=1; Path=/", b"b=2; Path=/"])],
        request_headers=[(b"User-Agent", [b"test"]), (b"Accept-Encoding", [b"gzip"])],
        ip_address="10.1.2.3",
    )
    defaults.update(kwargs)
    return HttpExchange(url=url, body=body, **defaults)


def read_all(stream) -> bytes:
    chunks = []
    while chunk := stream.read(65536):  # digests are checked when the stream hits its end
        chunks.append(chunk)
    return b"".join(chunks)


def records_of(path):
    with open(path, "rb") as fh:
        out = []
        for record in ArchiveIterator(fh, check_digests=True):
            payload = read_all(record.raw_stream)
            assert record.digest_checker.passed is True, record.digest_checker.problems
            out.append((record, payload))
        return out


def test_round_trip_keeps_every_byte(tmp_path):
    raw_name = "附件.pdf".encode("gbk")  # a non-ASCII header value, as GBK sites send it
    body = gzip.compress("年度报告".encode("gbk"), mtime=0)
    ex = exchange(body=body, reason=b"Fine",
                  response_headers=[(b"Content-Encoding", [b"gzip"]),
                                    (b"Content-Disposition",
                                     [b'attachment; filename="' + raw_name + b'"']),
                                    (b"Set-Cookie", [b"a=1", b"b=2"])])
    writer = WarcWriter(tmp_path, "t")
    location = writer.write_exchange(ex).location
    writer.close()
    [(info, _), (resp, payload), (req, req_payload)] = records_of(writer.closed_files[0])
    assert info.rec_type == "warcinfo"
    assert resp.rec_headers.get_header("WARC-Record-ID") == location.record_id == ex.response_id
    assert payload == body
    assert resp.http_headers.statusline == "200 Fine"
    assert resp.http_headers.get_header("Content-Encoding") == "gzip"
    assert [v for k, v in resp.http_headers.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    with open(writer.closed_files[0], "rb") as fh:  # the raw header bytes, not warcio's reading
        fh.seek(location.offset)
        member = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(fh.read(location.length))
    assert b'filename="' + raw_name + b'"' in member
    assert req.rec_headers.get_header("WARC-Concurrent-To") == ex.response_id
    assert req.http_headers.statusline == "/a?b=1 HTTP/1.1"
    assert req.http_headers.get_header("Host") == "gdj.zj.gov.cn"
    assert resp.rec_headers.get_header("WARC-IP-Address") == "10.1.2.3"
    assert location.payload_digest == resp.rec_headers.get_header("WARC-Payload-Digest")


def test_standard_reason_when_none_was_kept():
    assert response_record(exchange(status=404)).block.startswith(b"HTTP/1.1 404 Not Found\r\n")
    assert response_record(exchange(status=599)).block.startswith(b"HTTP/1.1 599 \r\n")


def test_post_body_and_truncation_recorded(tmp_path):
    ex = exchange(method="POST", request_body=b"col=1&appid=1", truncated="disconnect")
    writer = WarcWriter(tmp_path, "t")
    writer.write_exchange(ex)
    writer.close()
    [_, (resp, _), (req, req_payload)] = records_of(writer.closed_files[0])
    assert req_payload == b"col=1&appid=1"
    assert req.http_headers.get_header("Content-Length") == "13"
    assert resp.rec_headers.get_header("WARC-Truncated") == "disconnect"


def test_rotation_keeps_pairs_together_and_starts_each_file_with_warcinfo(tmp_path):
    writer = WarcWriter(tmp_path, "rot", max_size=3000)
    for i in range(12):
        writer.write_exchange(exchange(url=f"http://a.gov.cn/{i}", body=bytes(range(256)) * 4))
    writer.close()
    files = writer.closed_files
    assert len(files) > 2
    assert sorted(files) == sorted(tmp_path.glob("*.warc.gz"))
    seen = 0
    for serial, path in enumerate(files):
        assert re.fullmatch(rf"rot-\d{{17}}-{serial:05d}-\d+~[\w.-]+\.warc\.gz", path.name)
        records = [r for r, _ in records_of(path)]
        assert records[0].rec_type == "warcinfo"
        ids = {r.rec_headers.get_header("WARC-Record-ID") for r in records}
        for r in records[1:]:
            if r.rec_type == "request":
                assert r.rec_headers.get_header("WARC-Concurrent-To") in ids
        seen += sum(r.rec_type == "response" for r in records)
        assert path.stat().st_size < 3000 + 2500  # rotated once over the limit
    assert seen == 12


def test_open_suffix_until_closed(tmp_path):
    writer = WarcWriter(tmp_path, "o")
    writer.write_exchange(exchange())
    writer.flush()
    [open_file] = tmp_path.iterdir()
    assert open_file.name.endswith(".warc.gz.open")
    writer.close()
    [closed] = tmp_path.iterdir()
    assert closed.name == open_file.name.removesuffix(".open")


def test_bad_settings_are_refused(tmp_path):
    with pytest.raises(ValueError, match="prefix"):
        WarcWriter(tmp_path, "bad prefix/..")
    with pytest.raises(ValueError, match="max_size"):
        WarcWriter(tmp_path, "ok", max_size=0)


def test_background_writer_resolves_locations_in_order(tmp_path):
    background = BackgroundWriter(WarcWriter(tmp_path, "bg"))
    pending = [background.submit(exchange(url=f"http://a.gov.cn/{i}")) for i in range(50)]
    files = background.close()
    locations = [p.future.result(timeout=5).location for p in pending]
    assert [loc.record_id for loc in locations] == [p.record_id for p in pending]
    offsets = [loc.offset for loc in locations]
    assert offsets == sorted(offsets)
    assert {loc.filename for loc in locations} == {f.name for f in files}


def test_background_writer_reports_a_failed_record_and_goes_on(tmp_path):
    errors = []
    background = BackgroundWriter(WarcWriter(tmp_path, "bg"), on_error=errors.append)
    bad = background.submit(exchange(protocol="HTTP/1.1 ünïcode"))  # cannot be serialised
    good = background.submit(exchange())
    background.close()
    with pytest.raises(UnicodeEncodeError):
        bad.future.result(timeout=5)
    assert good.future.result(timeout=5).location.record_id == good.record_id
    assert len(errors) == 1 and background.errors == 1


def test_background_writer_applies_backpressure(tmp_path):
    background = BackgroundWriter(WarcWriter(tmp_path, "bg"), max_queue_bytes=10_000)
    for i in range(40):
        background.submit(exchange(url=f"http://a.gov.cn/{i}", body=b"x" * 4000))
    background.close()
    assert background.queued_bytes_max <= 10_000


def test_pending_record_survives_pickling_without_its_future():
    record = PendingRecord("<urn:uuid:x>", Future())
    restored = pickle.loads(pickle.dumps({"warc_record": record}))["warc_record"]
    assert restored.record_id == "<urn:uuid:x>" and restored.future is None
    with pytest.raises(RecordNotWritten, match="only the id of record <urn:uuid:x>"):
        asyncio.run(restored.payload())


def test_a_written_record_keeps_its_place_when_pickled(tmp_path):
    """One type from capture to item: the writer's location, awaited, pickled and back."""
    background = BackgroundWriter(WarcWriter(tmp_path, "bg"))
    pending = background.submit(exchange())
    location = asyncio.run(pending.payload())
    background.close()
    assert isinstance(location, RecordLocation) and location.filename.endswith(".warc.gz")
    assert location.record_id == pending.record_id and location.offset > 0  # after warcinfo
    again = pickle.loads(pickle.dumps(pending))
    assert asyncio.run(again.payload()) == location
    assert RecordLocation.from_dict(location.as_dict()) == location


def test_gzip_members_are_independent(tmp_path):
    writer = WarcWriter(tmp_path, "g")
    location = writer.write_exchange(exchange()).location
    writer.close()
    data = writer.closed_files[0].read_bytes()
    member = data[location.offset:location.offset + location.length]
    text = gzip.decompress(member)
    assert text.startswith(b"WARC/1.1\r\nWARC-Type: response\r\n")
    assert text.endswith(b"\r\n\r\n")
    assert io.BytesIO(data).read(2) == b"\x1f\x8b"


def test_already_compressed_payloads_are_stored_not_deflated_again(tmp_path):
    text = b"<p>" + "政府信息公开工作年度报告".encode() * 400 + b"</p>"
    writer = WarcWriter(tmp_path, "z", gzip_level=6)
    html = writer.write_exchange(exchange(body=text))
    pdf = writer.write_exchange(exchange(
        body=text, response_headers=[(b"Content-Type", [b"application/pdf"])]))
    gz = writer.write_exchange(exchange(
        body=gzip.compress(text), response_headers=[(b"Content-Encoding", [b"gzip"])]))
    writer.close()
    assert html.location.length < len(text) / 10
    assert pdf.location.length > len(text)  # stored as is
    assert gz.location.length > len(gzip.compress(text))
    assert [p for _, p in records_of(writer.closed_files[0])][3] == text


class FillsUp:
    """A file on a disk that fills up: takes ``room`` more bytes, then fails (EFBIG)."""

    def __init__(self, fh, room):
        self.fh, self.room = fh, room

    def write(self, data):
        if self.room <= 0:
            raise OSError(27, "File too large")
        taken = min(len(data), self.room)
        self.room -= taken
        return self.fh.write(data[:taken])

    def __getattr__(self, name):
        return getattr(self.fh, name)


def test_a_write_the_disk_refuses_half_way_leaves_the_file_whole(tmp_path):
    writer = WarcWriter(tmp_path, "full")
    writer.write_exchange(exchange(url="http://a.gov.cn/1"))
    [path] = tmp_path.glob("*.open")
    before = path.read_bytes()
    writer._fh = FillsUp(writer._fh, room=1000)
    with pytest.raises(OSError, match="File too large"):
        writer.write_exchange(exchange(url="http://a.gov.cn/2", body=os.urandom(50_000)))
    assert path.read_bytes() == before  # the torn half cut back off
    writer._fh = writer._fh.fh  # space again
    writer.write_exchange(exchange(url="http://a.gov.cn/3"))
    writer.close()
    urls = [r.rec_headers.get_header("WARC-Target-URI")
            for r, _ in records_of(writer.closed_files[0]) if r.rec_type == "response"]
    assert urls == ["http://a.gov.cn/1", "http://a.gov.cn/3"]
    assert verify_paths([tmp_path]).ok


def test_a_torn_write_that_cannot_be_cut_back_stays_open_for_repair(tmp_path, monkeypatch):
    writer = WarcWriter(tmp_path, "full")
    writer.write_exchange(exchange(url="http://a.gov.cn/1"))
    writer._fh = FillsUp(writer._fh, room=1000)

    def cannot(*args):
        raise OSError(5, "Input/output error")

    with monkeypatch.context() as patch:
        patch.setattr("archive.writer.os.ftruncate", cannot)
        with pytest.raises(OSError, match="File too large"):
            writer.write_exchange(exchange(url="http://a.gov.cn/2", body=os.urandom(50_000)))
    writer.close()
    assert writer.closed_files == [] and len(list(tmp_path.glob("*.open"))) == 1
    [report] = repair_paths([tmp_path], force=True)
    assert report.records == 3 and report.cut_bytes == 1000
    assert verify_paths([tmp_path]).ok


def test_a_file_whose_warcinfo_cannot_be_written_is_not_kept(tmp_path, monkeypatch):
    writer = WarcWriter(tmp_path, "full")

    def full(data):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(writer, "_append", full)
        with pytest.raises(OSError, match="No space"):
            writer.write_exchange(exchange(url="http://a.gov.cn/1"))
    assert list(tmp_path.iterdir()) == []  # no file whose records would name no run
    writer.write_exchange(exchange(url="http://a.gov.cn/2"))  # space again: a whole new file
    writer.close()
    [record] = [r for r, _ in records_of(writer.closed_files[0]) if r.rec_type == "warcinfo"]
    assert verify_paths([tmp_path]).ok
