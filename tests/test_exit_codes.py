"""Exit codes scripts and schedulers rely on (``crawler/run/outcome.py``), one crawl each,
and the network a crawl touches: the agencies' hosts and nothing else."""

from __future__ import annotations

import fcntl
import json
import signal
import socket
from urllib.parse import urlsplit

import pytest

from tests.conftest import demo_reports, run_crawl
from tests.demoweb import load_sites
from tests.demoweb.__main__ import REGISTRY
from tests.test_resume import DemoWebWithKiller, finish, start


@pytest.mark.parametrize(("args", "message"), [
    (["-a", "years=abc"], "years must look like 2021 or 2019-2024, got 'abc'"),
    (["-a", "colour=blue"], "unknown argument(s) -a colour; known: registry, agency, "
                            "province, years, departments, emit"),
    (["-a", "agency=999999"], "unknown agency id(s): 999999"),
    (["-a", "departments=maybe"], "departments must be yes or no, got 'maybe'"),
    (["-a", "emit=some"], "emit must be changed or all, got 'some'"),
])
def test_a_crawl_that_cannot_start_as_asked_says_why_in_one_line_and_exits_2(
        demoweb, tmp_path, args, message):
    result = run_crawl(demoweb, tmp_path, *args)
    assert result.returncode == 2
    assert result.log.strip().splitlines()[-1] == f"scrapy crawl: error: {message}"
    assert "Traceback" not in result.log and result.requests == []


def test_an_unreadable_job_directory_exits_2(demoweb, tmp_path):
    (tmp_path / "job").mkdir()
    (tmp_path / "job" / "run.json").write_text("{not json", "utf-8")
    result = run_crawl(demoweb, tmp_path, "-s", f"JOBDIR={tmp_path / 'job'}")
    assert result.returncode == 2 and "run.json cannot be read" in result.log
    assert "Traceback" not in result.log and result.requests == []


def test_resuming_with_other_arguments_or_alongside_another_crawl_exits_2(demoweb, tmp_path):
    job = tmp_path / "job"
    job.mkdir()
    (job / "run.json").write_text(json.dumps({
        "run_id": "r1", "attempts": 1, "status": "running",
        "arguments": {"registry": str(REGISTRY), "agency": "330000", "province": None,
                      "years": None, "departments": None, "emit": None}}), "utf-8")
    other = run_crawl(demoweb, tmp_path / "a", "-a", "agency=360000", "-s", f"JOBDIR={job}")
    assert other.returncode == 2 and other.requests == []
    assert other.log.strip().splitlines()[-1] == (
        f"scrapy crawl: error: JOBDIR {job} holds run r1 of another crawl (-a registry="
        f"{REGISTRY} -a agency=330000, not -a registry={REGISTRY} -a agency=360000): give "
        "this crawl a JOBDIR of its own, or remove that one to start over")
    with open(job / "run.lock", "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # a crawl running on this job
        busy = run_crawl(demoweb, tmp_path / "b", "-a", "agency=330000", "-s", f"JOBDIR={job}")
        # Not resumable (no WARCs), yet its queue files are the job's all the same.
        unarchived = run_crawl(demoweb, tmp_path / "c", "-a", "agency=330000",
                               "-s", f"JOBDIR={job}", "-s", "WARC_ENABLED=False")
    for crawl in (busy, unarchived):
        assert crawl.returncode == 2 and f"JOBDIR {job} is in use by another crawl" in crawl.log
        assert crawl.requests == []


def test_a_warc_dir_that_cannot_be_made_exits_2(demoweb, tmp_path):
    (tmp_path / "file").write_text("not a directory")
    result = run_crawl(demoweb, tmp_path, "-s", f"WARC_DIR={tmp_path / 'file' / 'warc'}")
    assert result.returncode == 2 and result.requests == []
    assert result.log.strip().splitlines()[-1].startswith(
        f"scrapy crawl: error: WARC_DIR {tmp_path / 'file' / 'warc'} cannot be made: ")


def test_a_complete_crawl_exits_0_and_a_report_not_read_makes_it_1(demoweb, tmp_path):
    complete = run_crawl(demoweb, tmp_path / "a", "-a", "agency=350000")  # Fujian: all there
    assert complete.returncode == 0, complete.log[-2000:]
    agencies = len(complete.summary()["agencies"])
    assert complete.summary()["outcome"] == f"finished: every agency complete ({agencies})"
    asked = ["-a", "agency=360000"]  # Jiangxi: an old column in a redirect loop, and PDFs
    read = run_crawl(demoweb, tmp_path / "b", *asked)
    unread = run_crawl(demoweb, tmp_path / "c", *asked, "-s", "EXTRACT_TIMEOUT=0.001")
    assert read.returncode == unread.returncode == 1
    assert read.summary()["incomplete"] == ["360000/fgw.jiangxi.gov.cn"]
    row = next(r for r in unread.summary()["agencies"] if r["host"] == "jtt.jiangxi.gov.cn")
    documents = sum(1 for url, r in demo_reports().items()
                    if r.kind in ("pdf", "docx") and url.startswith("http://jtt.jiangxi"))
    assert row["errors"]["extraction failed"] == documents
    assert row["status"] == f"incomplete: {documents} report(s) not fetched or not read " \
                            "(extraction failed)"
    assert len(unread.items()) == len(read.items())  # archived and listed all the same


def test_an_interrupted_crawl_exits_3_and_resumes(tmp_path):
    out = tmp_path / "out"
    with DemoWebWithKiller() as web:
        web.kill_on = lambda url, n: n == 40
        web.signal = signal.SIGINT  # Ctrl-C: Scrapy closes the spider cleanly
        web.crawl = start(web, out)
        assert web.crawl.wait(timeout=300) == 3
        summary = json.loads((out / "items.summary.json").read_text("utf-8"))
        assert (summary["reason"], summary["exit_code"]) == ("shutdown", 3)
        code, log, _ = finish(web, out)
    assert code == 1 and "Resuming run" in log  # then as any demo crawl: finished
    kept = json.loads((out / "items.attempt1.summary.json").read_text("utf-8"))
    assert kept["reason"] == "shutdown" and kept["run_id"] == summary["run_id"]
    lines = (out / "items.jsonl").read_text("utf-8").splitlines()
    urls = {json.loads(line)["url"] for line in lines}
    assert urls == set(demo_reports())


def test_nothing_reachable_exits_5(demoweb, tmp_path):
    with socket.socket() as closed:  # a port nobody listens on: every connection refused
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}"
    result = run_crawl(demoweb, tmp_path, "-a", "agency=330000",
                       env={"http_proxy": dead, "https_proxy": dead})
    assert result.returncode == 5, result.log[-2000:]
    assert "nothing reachable" in result.summary()["outcome"]


def test_no_request_leaves_the_agencies_hosts_not_even_a_librarys(demoweb, tmp_path):
    """Every request through the proxy, logged: tldextract's Public Suffix List download
    (an empty cache makes it try) and anything else would show here."""
    result = run_crawl(demoweb, tmp_path, env={"TLDEXTRACT_CACHE": str(tmp_path / "psl")})
    hosts = {urlsplit(e.url).hostname for e in result.requests}
    assert hosts <= set(load_sites()), hosts - set(load_sites())
    assert [e.url for e in result.requests if e.method == "CONNECT"] == []
    assert "publicsuffix" not in result.log and "Traceback" not in result.log
