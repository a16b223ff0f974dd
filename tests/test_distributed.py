"""A distributed crawl (``REDIS_URL``): workers share the demo web's agencies through a real
Redis server (Debian's ``redis-server``, started here on 127.0.0.1), and lose nothing
when one of them is killed."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
import uuid
from collections import Counter

import pytest

from archive import verify_paths
from archive.repair import repair_paths
from tests.conftest import FAST, ROOT
from tests.demoweb import DemoWeb
from tests.demoweb.__main__ import crawl_command, proxy_env
from tests.test_replay_pywb import free_port
from tests.test_warc_capture import read_records

pytestmark = pytest.mark.slow


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed: run `make redis` (Debian redis-server)")
    port = free_port()
    process = subprocess.Popen([server, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                         text=True).stdout.strip() != "PONG":
        if time.monotonic() > deadline:
            pytest.fail("redis-server did not start")
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


def start_worker(web, out, redis_url, name, frontier, *extra):
    out.mkdir(parents=True, exist_ok=True)
    command = crawl_command(out, *FAST, "-s", f"REDIS_URL={redis_url}", "-s",
                            f"FRONTIER={frontier}", "-s", "FRONTIER_CLAIM=1",
                            "-s", "FRONTIER_TTL=3", *extra)
    command[command.index("-O") + 1] = str(out / f"{name}.jsonl")
    log = open(out / f"{name}.log", "wb")  # noqa: SIM115 - closed by finish()
    return subprocess.Popen(command, cwd=ROOT, env=proxy_env(web), stdout=log,
                            stderr=subprocess.STDOUT), log


def finish(worker, timeout=300):
    process, log = worker
    try:
        return process.wait(timeout)
    finally:
        log.close()


def items_of(out, *names):
    found = {}
    for name in names:
        path = out / f"{name}.jsonl"
        if path.exists():
            for line in path.read_text("utf-8").splitlines():
                item = json.loads(line)
                found[item["url"]] = item
    return found


def without_run(item):
    return {k: v for k, v in item.items() if k not in ("run_id", "warc")}


def requests_of(log):
    return Counter((e.method, e.url, e.body) for e in log)


def test_two_workers_share_the_crawl_and_archive_what_one_would(demo_crawl, redis_url,
                                                                tmp_path):
    frontier = f"test-{uuid.uuid4().hex[:8]}"
    with DemoWeb() as web:
        workers = [start_worker(web, tmp_path, redis_url, name, frontier) for name in "ab"]
        codes = [finish(worker) for worker in workers]
        log = list(web.log)
    logs = {name: (tmp_path / f"{name}.log").read_text("utf-8") for name in "ab"}
    assert all(code in (0, 1) for code in codes), logs
    for name in "ab":  # each took part
        assert "'distributed/agencies_claimed'" in logs[name], logs[name][-3000:]
    assert requests_of(log) == requests_of(demo_crawl.requests)  # nothing twice, nothing less
    assert verify_paths([tmp_path / "warc"]).ok
    single = {u: without_run(i) for u, i in items_of(demo_crawl.out, "items").items()}
    shared = {u: without_run(i) for u, i in items_of(tmp_path, "a", "b").items()}
    assert shared == single


def test_a_killed_worker_loses_nothing(demo_crawl, redis_url, tmp_path):
    frontier = f"test-{uuid.uuid4().hex[:8]}"
    with DemoWeb() as web:
        doomed = start_worker(web, tmp_path, redis_url, "a", frontier)
        survivor = start_worker(web, tmp_path, redis_url, "b", frontier)
        deadline = time.monotonic() + 60
        doomed_log = tmp_path / "a.log"
        # killed once it is at work on an agency of its own (on a busy machine the
        # survivor may make the first 40 requests alone: then there is nothing to take back)
        while (len(web.log) < 40 or "CMS family" not in doomed_log.read_text("utf-8")) \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        doomed[0].send_signal(signal.SIGKILL)
        finish(doomed)
        assert finish(survivor) in (0, 1), (tmp_path / "b.log").read_text("utf-8")[-3000:]
    survivor_log = (tmp_path / "b.log").read_text("utf-8")
    assert "Took back" in survivor_log
    repair_paths([tmp_path / "warc"], force=True)  # what the dead worker left open
    archived = {r[2].get_header("WARC-Target-URI") for r in
                read_records(sorted((tmp_path / "warc").glob("*.warc.gz")))
                if r[1] == "response"}
    reports = items_of(demo_crawl.out, "items")
    assert set(reports) <= archived
    itemised = items_of(tmp_path, "a", "b")
    assert set(reports) <= set(itemised)
    assert {u: without_run(i) for u, i in itemised.items() if u in reports} == \
        {u: without_run(i) for u, i in reports.items()}


def test_a_redis_that_cannot_be_reached_stops_the_start_in_one_line(tmp_path):
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with DemoWeb() as web:
        process, log = start_worker(web, tmp_path, url, "a", "test-unreachable")
        code = finish((process, log))
        requests = list(web.log)
    last = (tmp_path / "a.log").read_text("utf-8").strip().splitlines()[-1]
    assert code == 2 and requests == []
    assert last.startswith(f"scrapy crawl: error: REDIS_URL {url} cannot be reached: ")


def test_a_recrawl_on_another_worker_archives_only_changes_with_the_state_in_redis(
        redis_url, tmp_path):
    """The crawl state lives in the crawl's Redis (no SQLite file, which a network
    filesystem cannot share): a worker that never crawled before, over the same
    ``WARC_DIR``, asks only for what changed and itemises only the edited and the
    new report, because another worker's crawl left their last versions there."""
    from tests.demoweb import load_sites
    from tests.test_recrawl import ADDED, EDITED, changed_sites, url_of

    before, after = load_sites(), load_sites(changed_sites(tmp_path))
    for name, sites in (("first", before), ("second", after)):
        with DemoWeb(sites) as web:
            code = finish(start_worker(web, tmp_path, redis_url, name,
                                       f"test-{uuid.uuid4().hex[:8]}"))
        assert code == 1, (tmp_path / f"{name}.log").read_text("utf-8")[-3000:]
    assert not list((tmp_path / "warc").glob("*.sqlite*"))
    items = items_of(tmp_path, "second")
    assert set(items) == {url_of(after, *EDITED), url_of(after, *ADDED)}
    assert items[url_of(after, *EDITED)]["revision"]["kind"] == "substantive"
    log = (tmp_path / "second.log").read_text("utf-8")
    assert "'revisit/not_modified'" in log and "'revisit/records'" in log
    assert verify_paths([tmp_path / "warc"]).ok


def test_the_redis_state_loses_no_capture_to_a_concurrent_revisit(redis_url):
    """A revisit's update of a capture (its new validators) reads and writes in one
    step: a capture another worker stores meanwhile is never overwritten by the older
    one it read. One thread stores ever newer captures of a URL while another records
    revisits of it; after each store, the URL's capture is that one or a newer one."""
    import threading

    from archive.state import Stored
    from crawler.distributed import reach
    from crawler.distributed.state import RedisCrawlState

    state = RedisCrawlState(reach(redis_url), f"test-{uuid.uuid4().hex[:8]}")
    url, rounds, stale = "http://www.example.gov.cn/ndbg/2024.html", 1500, []

    def capture(n: int) -> Stored:
        return Stored(url, 200, None, None, f"sha1:{n}", f"crawl-{n}.warc.gz", n, 100,
                      f"<urn:uuid:{n}>", "2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z")

    state.put(capture(0))
    done = threading.Event()

    def revisits() -> None:
        while not done.is_set():
            state.checked(url, "2026-12-02T00:00:00Z", '"etag"', None)

    thread = threading.Thread(target=revisits)
    thread.start()
    try:
        for n in range(1, rounds):
            state.put(capture(n))
            now = state.get(url)
            if now is None or now.offset < n:
                stale.append(n)
    finally:
        done.set()
        thread.join()
    assert not stale, f"{len(stale)} captures lost to a revisit's update"
    state.checked(url, "2026-12-02T00:00:00Z", '"etag2"', None)
    state.checked(url, "2026-12-03T00:00:00Z", None, "Tue, 01 Dec 2026 00:00:00 GMT")
    assert state.get(url) == Stored(**{
        **capture(rounds - 1).__dict__, "etag": '"etag2"', "checked": "2026-12-03T00:00:00Z",
        "last_modified": "Tue, 01 Dec 2026 00:00:00 GMT"})  # the validators kept, the new added


def test_a_report_read_again_in_one_run_has_one_version_in_redis(redis_url):
    """A report read twice by one run keeps the newer reading as that run's version;
    a later run's other reading is a version of its own."""
    from crawler.distributed import reach
    from crawler.distributed.state import RedisReportVersions

    versions = RedisReportVersions(reach(redis_url), f"test-{uuid.uuid4().hex[:8]}")
    url = "http://www.example.gov.cn/ndbg/2024.html"
    for run, text in (("run-1", "第一次"), ("run-1", "第二次"), ("run-1,2", "第三次")):
        versions.begin(run)
        versions.record(url, run, {"url": url, "agency_id": "a", "text": text}, None)
    stored = [json.loads(v) for v in versions.redis.lrange(f"{versions.key}:versions:{url}", 0, -1)]
    assert [(v["run_id"], v["item"]["text"]) for v in stored] == [("run-1", "第二次"),
                                                                   ("run-1,2", "第三次")]


def test_reports_gone_in_redis_are_those_of_the_agencys_last_crawl(redis_url):
    """As with the SQLite state: a worker's run is compared, agency by agency, with the
    last run that crawled each one, not with another worker's run over other agencies."""
    from crawler.distributed import reach
    from crawler.distributed.state import RedisReportVersions
    from tests.test_changes import reports_gone_per_agency

    reports_gone_per_agency(RedisReportVersions(reach(redis_url),
                                                f"test-{uuid.uuid4().hex[:8]}"))


def test_reports_gone_from_a_redis_state_made_before_the_per_agency_sets(redis_url):
    """A state whose ``seen`` hash predates the per-agency sets: each agency's runs are
    read from it, as the SQLite state fills its ``crawled`` table from ``seen``."""
    from crawler.distributed import reach
    from crawler.distributed.state import RedisReportVersions

    versions = RedisReportVersions(reach(redis_url), f"test-{uuid.uuid4().hex[:8]}")
    for run, found in (("r1", ["a/x", "a/y"]), ("r2", ["a/x"])):
        versions.begin(run)
        for url in found:
            versions.record(url, run, {"url": url, "agency_id": "A"}, None)
        versions.finish(run)
    versions.redis.delete(f"{versions.key}:crawled:A")  # as an older state has it
    versions.begin("r3")
    assert versions.gone("r3") == {"A": ["a/x"]}  # A's last crawl was r2
