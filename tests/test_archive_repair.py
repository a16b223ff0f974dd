"""``archive.repair``: a file a killed writer left open, cut anywhere, closes whole."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from archive import WarcWriter, verify_paths
from archive.repair import repair, repair_paths
from tests.test_archive_verify import members
from tests.test_archive_writer import exchange, records_of


def unfinished(tmp_path, exchanges: int = 3):
    """A writer's .open file with ``exchanges`` exchanges, flushed, never closed
    (as ``kill -9`` leaves it), and its member offsets."""
    writer = WarcWriter(tmp_path, "killed")
    for i in range(exchanges):
        writer.write_exchange(exchange(url=f"http://a.gov.cn/{i}", body=os.urandom(3000)))
    writer.flush()
    [path] = tmp_path.glob("*.open")
    data = path.read_bytes()
    writer._fh.close()  # the process is gone: nobody will finish it
    return path, data


def test_a_whole_unfinished_file_is_closed_as_it_is(tmp_path):
    path, data = unfinished(tmp_path)
    report = repair(path)
    assert report.cut_bytes == 0 and report.records == 7  # warcinfo + 3 x (response, request)
    assert not path.exists() and report.path.read_bytes() == data
    assert verify_paths([tmp_path]).ok


def test_a_file_cut_anywhere_is_cut_back_to_its_last_whole_exchange(tmp_path):
    source, data = unfinished(tmp_path / "source")
    ends = [0]
    for member in members(source):
        ends.append(ends[-1] + len(member))
    exchange_ends = [ends[1], ends[3], ends[5], ends[7]]  # after warcinfo, then each pair
    cuts = sorted({*range(0, len(data), 997), *(e - 1 for e in ends[1:]), *ends[1:]})
    for cut in cuts:
        folder = tmp_path / f"cut{cut}"
        folder.mkdir()
        path = folder / source.name
        path.write_bytes(data[:cut])
        report = repair(path)
        kept = max([e for e in exchange_ends if e <= cut], default=0)
        assert report.cut_bytes == cut - kept, cut
        if kept:
            assert report.path.read_bytes() == data[:kept]
            assert verify_paths([folder]).ok, cut
            responses = [r for r, _ in records_of(report.path) if r.rec_type == "response"]
            assert len(responses) == exchange_ends.index(kept)
        else:
            assert not any(folder.iterdir()), cut  # not even a warcinfo: nothing kept


def test_a_file_whose_writer_runs_is_left_alone(tmp_path):
    writer = WarcWriter(tmp_path, "alive")
    writer.write_exchange(exchange())
    writer.flush()
    assert repair_paths([tmp_path]) == []  # this very process is its writer
    assert list(tmp_path.glob("*.open"))
    result = subprocess.run([sys.executable, "-m", "archive", "repair", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "still running" in result.stderr
    assert "not touched" in result.stderr
    writer.close()


def test_a_dead_writers_file_is_repaired_even_if_its_process_id_lives_again(tmp_path):
    path, _ = unfinished(tmp_path)  # named after this (live) process; its lock is gone
    assert str(os.getpid()) in path.name
    [report] = repair_paths([tmp_path])
    assert report.records == 7 and not path.exists()


def test_a_file_another_host_writes_is_left_to_that_host(tmp_path):
    path, _ = unfinished(tmp_path)
    elsewhere = path.with_name(path.name.replace(path.name.split("~")[1].split(".")[0],
                                                 "other-host"))
    path.rename(elsewhere)
    assert repair_paths([tmp_path]) == [] and elsewhere.exists()
    assert len(repair_paths([tmp_path], force=True)) == 1


def test_cli_repairs_and_verify_then_passes(tmp_path):
    path, data = unfinished(tmp_path)
    path.write_bytes(data[:-10])  # the last request record torn
    assert not verify_paths([tmp_path]).ok
    result = subprocess.run([sys.executable, "-m", "archive", "repair", "--force",
                             str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "5 record(s) kept" in result.stdout and "byte(s) of unfinished records cut" in \
        result.stdout
    assert verify_paths([tmp_path]).ok


def test_only_open_files_are_repaired(tmp_path):
    with pytest.raises(ValueError, match="not an unfinished WARC"):
        repair(tmp_path / "x.warc.gz")
