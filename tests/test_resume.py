"""Killed at any moment and restarted with the same ``JOBDIR``: the crawl ends with the
archive and items an uninterrupted crawl makes, and nothing archived is fetched again.

Each test crawls the whole demo web (portals, departments found on them, POSTed
list pages, a 24 MB attachment), kills it with SIGKILL at one point, restarts the
same command and compares with an uninterrupted crawl of the same web.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.lookup import CaptureIndex, request_key
from archive.repair import _safe_end  # where the last whole record ends
from tests.conftest import DEMO_INCOMPLETE, FAST, ROOT, report_url
from tests.demoweb import DemoWeb
from tests.demoweb.__main__ import crawl_command, proxy_env
from tests.demoweb.server import Reply, Request

pytestmark = pytest.mark.slow

BIG = report_url("gdj.zj.gov.cn", 2022, attachment="pdf")
BIG_PADDING = random.Random(7).randbytes(24 * 1024 * 1024)  # incompressible, as PDFs are
LIST_PAGE_2 = "http://www.zj.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=3"


def url_of(request: Request) -> str:
    return f"http://{request.host}{request.path}" + (f"?{request.query}" if request.query else "")


class DemoWebWithKiller(DemoWeb):
    """The demo web with one large attachment, able to kill the crawl (``signal``,
    SIGKILL unless told) when a request matches ``kill_on``: before answering it, or
    ``kill_after`` seconds after."""

    def __init__(self) -> None:
        super().__init__()
        self.crawl: subprocess.Popen | None = None
        self.kill_on = lambda url, n: False
        self.kill_after: float | None = 0.0
        self.signal = signal.SIGKILL
        self.killed = threading.Event()
        self.children: set[int] = set()  # the crawl's worker processes when it was killed
        self._n = 0

    def reply(self, request: Request) -> Reply:
        url = url_of(request)
        with self._lock:
            self._n += 1
            n = self._n
        if self.crawl is not None and not self.killed.is_set() and self.kill_on(url, n):
            self.killed.set()
            if self.kill_after is not None:  # None: only note it; the test kills
                timer = threading.Timer(self.kill_after, self.kill)
                timer.daemon = True
                timer.start()
        if url == BIG:
            reply = super().reply(request)
            return Reply(200, reply.body + b"\n%" + BIG_PADDING, reply.headers)
        return super().reply(request)

    def kill(self) -> None:
        assert self.crawl is not None
        if self.crawl.poll() is None:
            self.children = children(self.crawl.pid)
            os.kill(self.crawl.pid, self.signal)


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start(web: DemoWeb, out: Path) -> subprocess.Popen:
    out.mkdir(parents=True, exist_ok=True)
    command = crawl_command(out, *FAST, "-s", f"JOBDIR={out / 'job'}")
    with open(out / f"crawl-{len(list(out.glob('crawl-*.log'))) + 1}.log", "w") as log:
        return subprocess.Popen(command, cwd=ROOT, env=proxy_env(web), stdout=log, stderr=log)


def finish(web: DemoWeb, out: Path) -> tuple[int, str, list]:
    """Run the crawl command to its end; its exit code, its log, the requests it sent."""
    before = len(web.log)
    proc = start(web, out)
    code = proc.wait(timeout=600)
    log = sorted(out.glob("crawl-*.log"))[-1].read_text("utf-8")
    return code, log, web.log[before:]


def completed(paths) -> set[str]:
    """The requests the archive holds a whole, lasting answer to."""
    return CaptureIndex.build(paths).keys()


def comparable(item: dict) -> dict:
    """All but where its record is and which run read it (the only differences)."""
    return {k: v for k, v in item.items() if k not in ("warc", "run_id")}


def items_of(path: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    by_url = {row["url"]: comparable(row) for row in rows}
    assert len(by_url) == len(rows), "an item twice"
    return by_url


def points_at_its_record(out: Path) -> None:
    """Every item's ``warc`` names the response record of its URL, replayed or not."""
    for line in (out / "items.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        warc = item["warc"]
        with open(out / "warc" / warc["filename"], "rb") as fh:
            fh.seek(warc["offset"])
            record = next(iter(ArchiveIterator(fh)))
        assert record.rec_headers.get_header("WARC-Record-ID") == warc["record_id"]
        assert record.rec_headers.get_header("WARC-Target-URI") == item["url"]
        assert warc["length"] > 0


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    out = tmp_path_factory.mktemp("uninterrupted")
    with DemoWebWithKiller() as web:
        code, log, requests = finish(web, out)
    assert code == 1, log[-3000:]  # the demo's incomplete agencies
    points_at_its_record(out)  # a JOBDIR crawl's items too
    return {"code": code, "items": items_of(out / "items.jsonl"),
            "completed": completed([out / "warc"]), "requests": len(requests)}


def kill_mid_write(web, out) -> bool:
    """SIGKILL while the writer thread is writing the 24 MB attachment's record: the
    first megabyte of it is on disk, the rest not yet. The write is one system call of
    some milliseconds, which a busy machine can let pass before the kill lands: False
    then (the file ends with a whole record), and the test tries again afresh."""
    web.kill_on = lambda url, n: url == BIG
    web.kill_after = None  # the server notes when it was served; the kill is here
    proc = web.crawl = start(web, out)
    assert web.killed.wait(120), "the large attachment was never asked for"
    [path] = (out / "warc").glob("*.open")
    start_size = path.stat().st_size
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if path.stat().st_size > start_size + 1024 * 1024:
            web.kill()
            break
        time.sleep(0.0005)
    assert proc.wait(timeout=60) == -signal.SIGKILL, "the write was over before the kill"
    return _safe_end(path)[0] < path.stat().st_size  # bytes of an unfinished record


POINTS = {
    # (kill when, seconds after), killed by the server as it answers
    "early": (lambda url, n: n == 15, 0.0),
    "mid-list": (lambda url, n: url.startswith(LIST_PAGE_2), 0.0),
    "large attachment sent": (lambda url, n: url == BIG, 0.3),
}


@pytest.mark.parametrize("point", [*POINTS, "mid-write"])
def test_killed_then_resumed_equals_an_uninterrupted_crawl(tmp_path, uninterrupted, point):
    for attempt in range(3 if point == "mid-write" else 1):
        out = tmp_path / f"out{attempt}"
        with DemoWebWithKiller() as web:
            if point == "mid-write":
                if not kill_mid_write(web, out):
                    continue  # the kill came after the write: again, with a fresh crawl
            else:
                web.kill_on, web.kill_after = POINTS[point]
                web.crawl = start(web, out)
                assert web.crawl.wait(timeout=300) == -signal.SIGKILL, "the kill came too late"
            first = {e.url for e in web.log}
            first_files = [out / "warc" / p.name.removesuffix(".open")
                           for p in (out / "warc").iterdir()]
            code, log, again = finish(web, out)
        break
    else:
        pytest.fail("in 3 crawls no kill landed inside the large record's write")
    assert code == uninterrupted["code"], log[-3000:]
    assert "Resuming run" in log

    # the archive is whole: every file closed and valid
    assert not list((out / "warc").glob("*.open"))
    verify = subprocess.run([sys.executable, "-m", "archive", "verify", str(out / "warc")],
                            cwd=ROOT, capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    if point == "mid-write":
        assert "byte(s) of unfinished records cut" in log

    # what an uninterrupted crawl archives and extracts, no more, no less
    assert completed([out / "warc"]) == uninterrupted["completed"]
    assert items_of(out / "items.jsonl") == uninterrupted["items"]
    summary = json.loads((out / "items.summary.json").read_text("utf-8"))
    assert set(summary["incomplete"]) == DEMO_INCOMPLETE and summary["attempt"] == 2
    points_at_its_record(out)

    # nothing the first attempt archived whole was asked for again
    archived = completed([p for p in first_files if p.exists()])
    refetched = [e.url for e in again if request_key(e.method, e.url, e.body) in archived]
    assert refetched == []
    print(f"{point}: {len(archived)} requests replayed from the first attempt's WARCs; "
          f"{len(first & {e.url for e in again})} URLs in flight at the kill asked again")

    # the killed crawl's workers died with it
    deadline = time.monotonic() + 10
    while any(map(alive, web.children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(alive, web.children)), web.children


def test_the_interrupted_attempts_feed_is_kept(tmp_path):
    out = tmp_path / "out"
    with DemoWebWithKiller() as web:
        web.kill_on, web.kill_after = POINTS["large attachment sent"]
        web.crawl = start(web, out)
        web.crawl.wait(timeout=300)
        finish(web, out)
    assert (out / "items.attempt1.jsonl").exists()
    state = json.loads((out / "job" / "run.json").read_text("utf-8"))
    assert state["status"] == "finished" and state["attempts"] == 2
    run_ids = {line.split(": ", 1)[1] for path in (out / "warc").glob("*.warc.gz")
               for line in _warcinfo(path) if line.startswith("run-id: ")}
    assert run_ids == {state["run_id"]}


def _warcinfo(path: Path) -> list[str]:
    from archive.lookup import warcinfo_fields

    return [f"{k}: {v}" for k, v in warcinfo_fields(path).items()]


def test_a_finished_job_directory_starts_a_new_run(tmp_path):
    out = tmp_path / "out"
    with DemoWebWithKiller() as web:
        finish(web, out)
        first = json.loads((out / "job" / "run.json").read_text("utf-8"))["run_id"]
        code, log, requests = finish(web, out)
    assert "finished; starting a new run" in log and "Resuming run" not in log
    assert json.loads((out / "job" / "run.json").read_text("utf-8"))["run_id"] != first
    assert len(requests) > 100  # a new run fetches again: that is what a recrawl is for
