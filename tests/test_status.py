"""The crawl's ``status.json`` (crawler/extensions/status.py), read while a real crawl of the
demo web runs and after it ended, and ``gov-archive status`` reading it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured

from crawler.agencies import CrawlAgencies
from crawler.extensions.progress import CrawlProgress
from crawler.extensions.status import CrawlStatus
from crawler.extensions.summary import CrawlSummary
from tests.conftest import FAST, project_crawler
from tests.demoweb.__main__ import ROOT, crawl_command, proxy_env
from tests.test_cli import GOV_ARCHIVE

# Jiangxi's portal and its departments; each host's pages 0.3 s apart, so that the crawl
# lasts a few seconds; the status rewritten every 0.2 s.
ARGS = (*FAST, "-a", "province=江西", "-s", "DOWNLOAD_DELAY=0.3", "-s", "CRAWL_STATUS=0.2")


def start(web, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(crawl_command(out, *ARGS), cwd=ROOT, env=proxy_env(web),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def read_while(process: subprocess.Popen[str], path: Path, until=None) -> list[dict]:
    """Every status read while ``process`` runs (or until ``until(status)`` says stop).
    Each read must be a whole JSON document: the file is replaced, never half-written."""
    seen: list[dict] = []
    while process.poll() is None:
        if path.exists():
            seen.append(json.loads(path.read_text("utf-8")))
            if until is not None and until(seen[-1]):
                break
        time.sleep(0.05)
    return seen


def status_says(target: Path) -> str:
    result = subprocess.run([str(GOV_ARCHIVE), "status", str(target)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow
def test_status_while_a_crawl_runs_and_when_it_ends(demoweb, tmp_path):
    feed = tmp_path / "items.jsonl"
    process = start(demoweb, tmp_path)
    running = read_while(process, tmp_path / "items.status.json",
                         until=lambda s: s["state"] == "running" and s["requests"] > 0)
    told = status_says(feed)  # the feed leads to its status
    seen = running + read_while(process, tmp_path / "items.status.json")
    _, log = process.communicate(timeout=300)
    assert running and running[-1]["state"] == "running", log[-3000:]
    assert f"Crawl {running[-1]['run_id']} (disclosure): running for " in told
    live = [s for s in seen if s["state"] == "running"]
    requests = [s["requests"] for s in live]
    assert requests == sorted(requests)  # it moves on, never back
    assert all(s["agencies"]["done"] <= s["agencies"]["total"] for s in live)
    assert all(s["eta_seconds"] is None or s["eta_seconds"] >= 0 for s in live)
    assert any(s["pending"]["queued"] + s["pending"]["downloading"] for s in live)

    final = json.loads((tmp_path / "items.status.json").read_text("utf-8"))
    summary = json.loads((tmp_path / "items.summary.json").read_text("utf-8"))
    rows = summary["agencies"]
    assert final["state"] == "finished" and final["run_id"] == summary["run_id"]
    assert final["outcome"] == {"reason": "finished", "exit_code": process.returncode,
                                "outcome": summary["outcome"]}
    assert final["agencies"] == {"done": len(rows), "total": len(rows)}
    assert final["reports"] == sum(row["reports"] for row in rows) == len(
        feed.read_text("utf-8").splitlines())
    errors: dict[str, int] = {}
    for row in rows:
        for kind, n in row["errors"].items():
            errors[kind] = errors.get(kind, 0) + n
    assert final["errors"] == {"total": sum(errors.values()), "by_kind": errors}
    assert final["summary"] == str(tmp_path / "items.summary.json")
    told = status_says(tmp_path)  # a directory: its newest status file
    assert "(disclosure): finished after " in told
    assert f"  outcome   {summary['outcome']} (exit {process.returncode})" in told


@pytest.mark.slow
def test_a_killed_crawl_is_said_to_have_stopped(demoweb, tmp_path):
    process = start(demoweb, tmp_path)
    running = read_while(process, tmp_path / "items.status.json",
                         until=lambda s: s["state"] == "running")
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert running
    told = status_says(tmp_path / "items.status.json")
    assert "stopped without a word" in told and "same JOBDIR to resume" in told


def test_the_status_file_follows_the_summary_or_its_own_setting(tmp_path):
    named = CrawlStatus.from_crawler(project_crawler(FEEDS={str(tmp_path / "zj.jsonl"): {
        "format": "jsonlines"}}))
    assert named.path == tmp_path / "zj.status.json"
    assert named.summary == tmp_path / "zj.summary.json"
    chosen = CrawlStatus.from_crawler(project_crawler(
        CRAWL_STATUS_FILE=str(tmp_path / "live.json")))
    assert chosen.path == tmp_path / "live.json"
    with pytest.raises(NotConfigured):
        CrawlStatus.from_crawler(project_crawler(CRAWL_STATUS=0))


def test_status_shares_the_crawls_records_whatever_the_build_order():
    kinds = [CrawlStatus, CrawlSummary, CrawlProgress]
    for order in (kinds, kinds[::-1]):
        crawler = project_crawler()
        built = [kind.from_crawler(crawler) for kind in order]
        assert {id(component.agencies) for component in built} == {
            id(CrawlAgencies.of(crawler))}
