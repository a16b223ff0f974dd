"""A distributed crawl through faults of its Redis: a real ``redis-server`` stopped mid-crawl
and started again without its data, and a worker that finds nothing left to claim."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid

import pytest

from tests.conftest import demo_reports
from tests.demoweb import DemoWeb
from tests.test_distributed import finish, items_of, start_worker
from tests.test_replay_pywb import free_port

pytestmark = pytest.mark.slow


class RedisServer:
    """Debian's ``redis-server`` on 127.0.0.1, without persistence (as ``make
    redis-serve`` runs it): stopped and started again, it has lost everything."""

    def __init__(self, directory) -> None:
        self.port, self.directory = free_port(), directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        server = shutil.which("redis-server")
        if server is None:
            pytest.fail("redis-server is not installed: run `make redis` (Debian redis-server)")
        self.process = subprocess.Popen(
            [server, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True,
                             text=True).stdout.strip() != "PONG":
            if time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def test_a_redis_restart_mid_crawl_is_waited_out_and_loses_no_report(redis_server, tmp_path):
    """Redis stopped for 5 s, then started again empty, while two workers crawl: both wait
    (said once), put back what they knew, go on, and between them archive and itemise
    every report of the demo web; each exits with the crawl's truth, not 0 over a loss."""
    frontier = f"test-{uuid.uuid4().hex[:8]}"
    with DemoWeb() as web:
        workers = [start_worker(web, tmp_path, redis_server.url, name, frontier)
                   for name in "ab"]
        deadline = time.monotonic() + 120
        while len(web.log) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        redis_server.stop()
        time.sleep(5)
        redis_server.start()
        codes = [finish(worker, timeout=400) for worker in workers]
    logs = {name: (tmp_path / f"{name}.log").read_text("utf-8") for name in "ab"}
    for log in logs.values():
        assert log.count("cannot be reached") == 1, log[-3000:]  # said once
        assert "is back after" in log and "Unhandled error" not in log, log[-3000:]
    assert "Redis lost the frontier" in logs["a"] + logs["b"]
    assert codes == [1, 1], logs  # the demo web's incomplete agencies, nothing more
    found = items_of(tmp_path, "a", "b")
    assert set(demo_reports()) <= set(found)


def test_a_worker_that_finds_nothing_left_exits_0_only_when_the_crawl_is_done(redis_server,
                                                                               tmp_path):
    frontier = f"test-{uuid.uuid4().hex[:8]}"
    fujian = ("-a", "agency=350000")  # every agency complete
    with DemoWeb() as web:
        assert finish(start_worker(web, tmp_path, redis_server.url, "a", frontier,
                                   *fujian)) == 0
        late = finish(start_worker(web, tmp_path, redis_server.url, "b", frontier, *fujian))
    log = (tmp_path / "b.log").read_text("utf-8")
    assert late == 0, log[-3000:]
    assert "Outcome: finished: no agency was left for this worker; the crawl's frontier is " \
           "done (" in log
    assert "every agency complete" not in log
