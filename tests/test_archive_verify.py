"""``python -m archive verify``: a good collection passes, each kind of damage is named."""

from __future__ import annotations

import gzip
import subprocess
import sys

import pytest

from archive import HttpExchange, WarcWriter, verify_paths
from archive.records import Record, request_record, response_record, sha1_digest
from tests.test_archive_writer import exchange


def good_file(tmp_path, n=3):
    writer = WarcWriter(tmp_path / "good", "v")
    locations = [writer.write_exchange(exchange(url=f"http://a.gov.cn/{i}")).location
                 for i in range(n)]
    writer.close()
    return writer.closed_files[0], locations


def members(path):
    """Split a WARC into its gzip members (one per record)."""
    data = path.read_bytes()
    out, start = [], 0
    while start < len(data):
        d = __import__("zlib").decompressobj(31)
        d.decompress(data[start:])
        end = len(data) - len(d.unused_data)
        out.append(data[start:end])
        start = end
    return out


def rewrite(path, transform):
    parts = members(path)
    path.write_bytes(b"".join(transform(parts)))


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "archive", *map(str, args)],
                          capture_output=True, text=True)


def test_good_collection_passes(tmp_path):
    path, _ = good_file(tmp_path)
    report = verify_paths([tmp_path / "good"])
    assert report.ok, report.problems
    assert report.records == {"warcinfo": 1, "response": 3, "request": 3}
    result = run_cli("verify", path)
    assert result.returncode == 0
    assert "1 file(s), 7 record(s)" in result.stdout and "0 problem(s)" in result.stdout


def test_changed_payload_fails_digest_check(tmp_path):
    path, locations = good_file(tmp_path)

    def corrupt(parts):
        text = gzip.decompress(parts[1]).replace(b"<html>hello", b"<html>HELLO")
        return [parts[0], gzip.compress(text), *parts[2:]]

    rewrite(path, corrupt)
    result = run_cli("verify", path)
    assert result.returncode == 1
    assert f"{path}:{locations[0].offset}: block digest failed" in result.stdout
    assert "payload digest failed" in result.stdout


def test_request_without_response_is_named(tmp_path):
    path, locations = good_file(tmp_path)
    rewrite(path, lambda parts: [parts[0], *parts[2:]])  # drop the first response
    report = verify_paths([path])
    assert not report.ok
    [problem] = report.problems
    assert problem.offset == len(members(path)[0])
    assert f"WARC-Concurrent-To {locations[0].record_id} resolves to no record" in problem.message


def test_pair_split_across_files_is_named(tmp_path):
    ex = exchange()
    first = WarcWriter(tmp_path / "c", "a")
    first.write_records(response_record(ex))
    first.close()
    second = WarcWriter(tmp_path / "c", "b")
    second.write_records(request_record(ex))
    second.close()
    report = verify_paths([tmp_path / "c"])
    assert [p.message for p in report.problems] == [
        f"WARC-Concurrent-To {ex.response_id} is in another file "
        f"({first.closed_files[0]})"]


@pytest.mark.parametrize("cut", [1, 25, 200])
def test_truncated_file_is_named(tmp_path, cut):
    path, _ = good_file(tmp_path)
    path.write_bytes(path.read_bytes()[:-cut])
    result = run_cli("verify", path)
    assert result.returncode == 1, result.stdout
    assert str(path) in result.stdout


def test_bad_date_and_missing_warcinfo_are_named(tmp_path):
    ex = HttpExchange(url="http://a.gov.cn/", status=200, body=b"x", response_headers=[])
    record = response_record(ex)
    head = record.head.replace(record.date.encode(), record.date.replace("Z", "+00:00Z").encode())
    bad = Record(record.record_id, "response", head, record.block, None, record.date)
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(bad.to_gzip())
    messages = [p.message for p in verify_paths([path]).problems]
    assert "first record is 'response', not 'warcinfo'" in messages
    assert any("is not UTC 'YYYY-MM-DDThh:mm:ssZ'" in m for m in messages)


def test_revisit_pointing_nowhere_is_named(tmp_path):
    block = b"HTTP/1.1 200 OK\r\n\r\n"
    head = (b"WARC/1.1\r\nWARC-Type: revisit\r\nWARC-Record-ID: <urn:uuid:r1>\r\n"
            b"WARC-Date: 2026-01-31T08:00:00Z\r\nWARC-Target-URI: http://a.gov.cn/\r\n"
            b"WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n"
            b"WARC-Refers-To: <urn:uuid:missing>\r\n"
            b"WARC-Payload-Digest: " + sha1_digest(b"x").encode() + b"\r\n"
            b"Content-Type: application/http; msgtype=response\r\n"
            b"Content-Length: %d\r\n\r\n" % len(block))
    writer = WarcWriter(tmp_path / "r", "r")
    writer.write_records(Record("<urn:uuid:r1>", "revisit", head, block, None, ""))
    writer.close()
    messages = [p.message for p in verify_paths([tmp_path / "r"]).problems]
    assert messages == ["WARC-Refers-To <urn:uuid:missing> resolves to no record"]


def test_an_unfinished_file_is_a_problem(tmp_path):
    good_file(tmp_path)
    writer = WarcWriter(tmp_path / "good", "still")
    writer.write_exchange(exchange())
    writer.flush()
    report = verify_paths([tmp_path / "good"])
    assert not report.ok and report.files == 1
    [problem] = report.problems
    assert problem.path.endswith(".warc.gz.open")
    assert problem.message.startswith("unfinished WARC (.open)")
    writer.close()
    assert verify_paths([tmp_path / "good"]).ok


def test_a_file_that_is_no_warc_is_said_so(tmp_path):
    (tmp_path / "notes.warc.gz").write_bytes(gzip.compress(b"<html>not a warc</html>"))
    (tmp_path / "plain.warc").write_text("hello")
    messages = [str(p) for p in verify_paths([tmp_path]).problems]
    assert messages == [f"{tmp_path / 'notes.warc.gz'}: not a WARC file (no WARC record at its "
                        f"start)", f"{tmp_path / 'plain.warc'}: not a WARC file (no WARC record "
                        f"at its start)"]
    result = run_cli("index", tmp_path / "plain.warc")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("index: cannot index")


def test_cli_help_and_index(tmp_path):
    for args in (["--help"], ["verify", "--help"], ["index", "--help"]):
        result = run_cli(*args)
        assert result.returncode == 0 and "usage: python -m archive" in result.stdout
    path, locations = good_file(tmp_path)
    out = tmp_path / "index.cdxj"
    assert run_cli("index", path.parent, "-o", out).returncode == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 3 and lines == sorted(lines)
    assert all(line.startswith("cn,gov,a)/") for line in lines)
    assert run_cli("index", tmp_path / "nothing-here").returncode == 1


def test_index_keys_post_requests_by_their_body(tmp_path):
    """pywb looks a POST up by its URL with the body appended; so must the index."""
    writer = WarcWriter(tmp_path / "w", "v")
    form = b"columnid=1229251&unitid=7203164"
    writer.write_exchange(exchange(url="http://gdj.zj.gov.cn/module/jpage/dataproxy.jsp?"
                                       "startrecord=6", method="POST", request_body=form,
                                   request_headers=[(b"Content-Type", [
                                       b"application/x-www-form-urlencoded"])]))
    writer.close()
    out = tmp_path / "index.cdxj"
    assert run_cli("index", tmp_path / "w", "-o", out).returncode == 0
    [line] = out.read_text().splitlines()
    assert line.startswith("cn,gov,zj,gdj)/module/jpage/dataproxy.jsp?__wb_method=post&"
                           "columnid=1229251&startrecord=6&unitid=7203164 ")
