"""The benchmark scripts still run (tiny sizes; no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.demoweb import load_sites


def test_warc_capture_bench_runs_and_reports_ratios():
    result = subprocess.run(
        [sys.executable, "bench/warc_capture.py", "--pages", "40", "--rounds", "1",
         "--modes", "bare,ours"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "bare" in result.stdout and "x bare" in result.stdout
    ours = [line for line in result.stdout.splitlines() if line.startswith("round 1 ours")]
    # 40 pages, the first one twice: start requests bypass the dupefilter
    assert ours and " 41 pages" in ours[0]
    assert " warc     0.0 MB" not in ours[0]  # it did archive what it timed


def test_loop_lag_bench_runs_and_reports_the_ratio():
    result = subprocess.run([sys.executable, "bench/loop_lag.py", "--rows", "30000"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "asked for 2 time(s)" in result.stdout  # the huge page, once per crawl
    jiangxi = sum(len(site.reports) for host, site in load_sites().items()
                  if host.endswith("jiangxi.gov.cn"))
    assert "x the baseline's" in result.stdout
    assert result.stdout.count(f" {jiangxi} items") == 2  # the huge page read both ways


def test_recrawl_bench_runs_and_the_recrawl_is_revisits():
    result = subprocess.run([sys.executable, "bench/recrawl.py", "--reports", "5"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "recrawl         11 responses (11 not modified)" in result.stdout
    assert "recrawl / first crawl: WARC bytes" in result.stdout


def test_reextract_bench_runs_and_reextracts_every_report():
    result = subprocess.run([sys.executable, "bench/reextract.py", "--hosts", "3"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout.splitlines()[0])
    assert figures["reports_live"] == figures["reports_again"] == 3 * 6
    assert "records/s read:" in result.stdout and "reports/s extracted" in result.stdout


def test_frontier_bench_runs_and_the_disk_queue_holds_less():
    result = subprocess.run([sys.executable, "bench/frontier.py", "--requests", "500"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    held = {line.split()[0]: float(line.split("hold")[1].split()[0])
            for line in result.stdout.splitlines() if " hold " in line}
    assert held["disk"] < held["memory"] / 3  # the requests are in the file, not the process


@pytest.mark.slow
def test_national_bench_runs_politely_and_its_probe_writes_a_timeline(tmp_path):
    trace = tmp_path / "trace.jsonl"
    result = subprocess.run(
        [sys.executable, "bench/national.py", "--hosts", "6", "--delay", "0.4",
         "--trace", str(trace), "--set", "PROBE_INTERVAL=1", "--set", "PROBE_CENSUS=True"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.splitlines()[0])
    reports = sum(len(load_sites()[host].reports) for host in (
        "fgw.fujian.gov.cn", "sthjt.fujian.gov.cn", "gdstc.gd.gov.cn", "sthjt.jiangxi.gov.cn",
        "fgw.jiangxi.gov.cn", "jtt.jiangxi.gov.cn"))  # one clone of each template
    assert figures["items"] == reports and figures["exit"] == 0
    spacing = float(result.stdout.split("request spacing / delay: ")[1].split()[0])
    assert spacing >= 1.0  # no host asked sooner than its delay
    lines = [json.loads(line) for line in trace.read_text("utf-8").splitlines()]
    assert lines and lines[-1]["items"] == reports
    assert {"rss", "heap_used_mib", "gc2_runs", "census", "drafts"} <= set(lines[-1])


def test_browser_bench_runs_and_reports_the_ratio():
    result = subprocess.run([sys.executable, "bench/browser.py", "--hosts", "6"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "6 agencies; static:" in result.stdout
    rendered = [line for line in result.stdout.splitlines() if line.startswith("browser:")]
    assert rendered and " 0 pages rendered" not in rendered[0]
    assert "per static page" in result.stdout and "PSS peak" in result.stdout


def test_actions_bench_runs_and_reports_the_ratio():
    result = subprocess.run([sys.executable, "bench/actions.py", "--only", "action/loadmore"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:-1]}
    assert set(rows) == {"bench/static-trs", "action/loadmore"}
    assert rows["bench/static-trs"][-2:] == ["1.0x", "1.0x"]  # the baseline
    assert rows["action/loadmore"][1] == "6" and rows["action/loadmore"][7] != "0"  # acted
