"""``python -m archive replay`` beside other replays: each collection in a folder of its
own, a second replay of one collection refused, a busy port said in one line."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from archive import WarcWriter
from archive.claim import Busy, CollectionClaim, collection_root
from crawler.changes import ReportVersions
from tests.conftest import ROOT
from tests.test_archive_writer import exchange
from tests.test_replay_listing import answers, item, wait_for
from tests.test_replay_pywb import free_port

HTML = [(b"Content-Type", [b"text/html; charset=utf-8"])]


def small_collection(warcs: Path, host: str, texts: list[str]) -> list[dict]:
    """A collection of one report per text, archived and in its crawl state (the items)."""
    writer = WarcWriter(warcs, "small")
    items = []
    for n, text in enumerate(texts):
        url = f"http://{host}/ndbg/{2020 + n}.html"
        title = f"{host} {2020 + n}年政府信息公开工作年度报告"
        body = f"<title>{title}</title><p>{text}</p>".encode()
        written = writer.write_exchange(exchange(url=url, body=body, response_headers=HTML))
        items.append(item(url, written.location.date, title=title, text=text, year=2020 + n,
                          report_id=f"{host}-{n}"))
    writer.close()
    versions = ReportVersions(warcs / "crawl-state.sqlite")
    versions.begin("r1")
    for one in items:
        versions.record(one["url"], "r1", one, None)
    versions.finish("r1")
    versions.close()
    return items


def replay_command(warcs: Path, root: Path, port: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "archive", "replay", str(warcs), "--port", str(port),
            "--root", str(root), "--interval", "0.3", *extra]


@contextmanager
def replaying(warcs: Path, root: Path, *extra: str) -> Iterator[str]:
    """A replay of ``warcs`` on a free port until the block ends; its base address."""
    port = free_port()
    log = root.parent / f"replay-{port}.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(replay_command(warcs, root, port, *extra), cwd=ROOT,
                                   stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(f"{base}/static/index.html") or process.poll() is not None,
                 "the replay to start")
        assert process.poll() is None, log.read_text()
        yield base
    finally:
        process.terminate()
        process.wait(20)


def read(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_two_collections_replayed_at_once_keep_their_own_listings_and_reports(tmp_path):
    first = small_collection(tmp_path / "a" / "warc", "a.zj.gov.cn", ["甲", "乙"])
    second = small_collection(tmp_path / "b" / "warc", "b.zj.gov.cn", ["丙"])
    root = tmp_path / "replay"
    with replaying(tmp_path / "a" / "warc", root) as a, \
            replaying(tmp_path / "b" / "warc", root, "--audit", "http://audit.test/") as b:
        for _ in range(10):  # each replay rewrites its own listing every 0.3 s
            assert "2 reports of 1 agencies" in read(f"{a}/static/index.html")
            listing = read(f"{b}/static/index.html")
            assert "1 reports of 1 agencies" in listing
            assert '<a href="http://audit.test/">Audit</a>' in listing
            for base, items in ((a, first), (b, second)):
                for one in items:
                    assert answers(f"{base}/reports/id_/{one['url']}"), (base, one["url"])
            time.sleep(0.3)
    assert len(list(root.iterdir())) == 2


def test_a_second_replay_of_a_collection_says_where_the_first_is(tmp_path):
    warcs = tmp_path / "warc"
    small_collection(warcs, "a.zj.gov.cn", ["甲"])
    root = tmp_path / "replay"
    with replaying(warcs, root) as first:
        port = free_port()
        second = subprocess.run(replay_command(warcs, root, port), cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 2 and second.stdout == ""
        (line,) = second.stderr.splitlines()
        assert f"{warcs.resolve()} is already being replayed" in line
        assert f"{first}/static/index.html" in line
        assert not answers(f"http://127.0.0.1:{port}/static/index.html")
        assert "1 reports" in read(f"{first}/static/index.html")  # the first one is untouched


def test_a_busy_port_is_one_line_and_exit_2_before_any_success(tmp_path):
    warcs = tmp_path / "warc"
    small_collection(warcs, "a.zj.gov.cn", ["甲"])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(replay_command(warcs, tmp_path / "replay", port), cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"replay: port {port} on 127.0.0.1 is in use; "
                             "choose another with --port\n")
    with replaying(warcs, tmp_path / "replay") as base:  # the collection was not left claimed
        assert "1 reports" in read(f"{base}/static/index.html")


def test_a_replay_killed_outright_leaves_its_collection_free(tmp_path):
    warcs = tmp_path / "warc"
    warcs.mkdir()
    root = collection_root(tmp_path / "replay", warcs)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from archive.claim import CollectionClaim; "
         "claim = CollectionClaim(Path(sys.argv[1]), Path(sys.argv[2])); claim.acquire('port 1'); "
         "print('held', flush=True); time.sleep(60)", str(root), str(warcs)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    with pytest.raises(Busy, match=re.escape(f"by pid {holder.pid} at port 1;")):
        CollectionClaim(root, warcs).acquire("port 2")
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    holder.stdout.close()
    claim = CollectionClaim(root, warcs)
    claim.acquire("port 2")  # no stale pid file to clean up by hand
    claim.release()


def test_collections_named_alike_in_different_places_get_different_folders(tmp_path):
    one, other = tmp_path / "x" / "warc", tmp_path / "y" / "warc"
    assert collection_root("var/replay", one) != collection_root("var/replay", other)
    assert collection_root("var/replay", one) == collection_root("var/replay", one / ".." /
                                                                 "warc")
    assert collection_root("var/replay", one).name.startswith("x-warc-")
