"""Scheduled crawls on a real scrapyd (1.6.0, on 127.0.0.1): the project deploys with
``scrapyd-deploy`` and a job scheduled through ``schedule.json`` runs to completion."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.demoweb import DemoWeb
from tests.demoweb.__main__ import REGISTRY, proxy_env
from tests.test_replay_pywb import free_port

pytestmark = pytest.mark.slow
BIN = ROOT / ".venv" / "bin"
PROJECT = "gov-disclosure-archive"


def api(port: int, path: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", body, timeout=30) as reply:
        return json.loads(reply.read())


def start_scrapyd(root: Path, port: int, env: dict[str, str]) -> subprocess.Popen:
    (root / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {root}/eggs\n"
        f"logs_dir = {root}/logs\nitems_dir =\ndbs_dir = {root}/dbs\nmax_proc = 1\n"
        "poll_interval = 0.5\n", "utf-8")
    proc = subprocess.Popen([BIN / "scrapyd"], cwd=root, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if api(port, "daemonstatus.json")["status"] == "ok":
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("scrapyd did not start")


def test_a_job_deployed_and_scheduled_on_scrapyd_runs_to_completion(tmp_path):
    port = free_port()
    with DemoWeb() as web:
        # the jobs crawl the demo web through its proxy; deploying goes straight to scrapyd
        env = {**proxy_env(web), "XDG_CONFIG_HOME": str(tmp_path / "config")}
        (tmp_path / "config").mkdir()
        (tmp_path / "config" / "scrapy.cfg").write_text(  # a target on the test's port
            f"[deploy:test]\nurl = http://127.0.0.1:{port}\nproject = {PROJECT}\n", "utf-8")
        scrapyd = start_scrapyd(tmp_path, port, env)
        try:
            direct = {k: v for k, v in env.items() if k.lower() not in ("http_proxy",
                                                                        "https_proxy")}
            deploy = subprocess.run([BIN / "scrapyd-deploy", "test"], cwd=ROOT, env=direct,
                                    capture_output=True, text=True, timeout=300)
            assert deploy.returncode == 0 and '"status": "ok"' in deploy.stdout, deploy.stderr
            assert api(port, f"listspiders.json?project={PROJECT}")["spiders"] == ["archive",
                                                                            "disclosure"]
            job = api(port, "schedule.json", [
                ("project", PROJECT), ("spider", "disclosure"),
                ("registry", str(REGISTRY)), ("agency", "350000"),
                ("setting", "DOWNLOAD_DELAY=0"), ("setting", "AUTOTHROTTLE_ENABLED=False"),
                ("setting", f"WARC_DIR={tmp_path / 'warc'}"),
                ("setting", f"CRAWL_STATE={tmp_path / 'state.sqlite'}")])["jobid"]
            finished = wait_for(port, job)
            [items] = list((tmp_path / "var" / "items").glob("*.jsonl"))  # the run's own feed
            # the bundled registry, read from inside the zipped egg scrapyd runs (its
            # requests go to the demo web's proxy on 127.0.0.1, which has no such site)
            bundled = api(port, "schedule.json", [
                ("project", PROJECT), ("spider", "disclosure"), ("agency", "330000"),
                ("setting", f"WARC_DIR={tmp_path / 'warc2'}"), ("setting", "RETRY_TIMES=0")])
            wait_for(port, bundled["jobid"])
        finally:
            scrapyd.terminate()
            scrapyd.wait(30)
    log = (tmp_path / "logs" / PROJECT / "disclosure" / f"{job}.log").read_text("utf-8")
    assert "Spider closed (finished)" in log and "Traceback" not in log, log[-3000:]
    summary = json.loads(items.with_name(f"{items.stem}.summary.json").read_text("utf-8"))
    agencies = len(summary["agencies"])
    assert f"Outcome: finished: every agency complete ({agencies}) (exit 0)" in log
    assert items.stem == summary["run_id"] and summary["exit_code"] == 0
    assert len(items.read_text("utf-8").splitlines()) == sum(r["reports"]
                                                             for r in summary["agencies"])
    assert finished["id"] == job
    log = (tmp_path / "logs" / PROJECT / "disclosure" / f"{bundled['jobid']}.log").read_text()
    assert "cannot read registry" not in log and "Crawl summary (finished): 1 agencies" in log


def wait_for(port: int, job: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = api(port, f"listjobs.json?project={PROJECT}")
        done = [j for j in jobs["finished"] if j["id"] == job]
        if done:
            return done[0]
        time.sleep(0.5)
    pytest.fail(f"job {job} did not finish in {timeout} s")

