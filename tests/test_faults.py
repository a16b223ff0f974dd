"""Faults during real crawls of the demo web: what breaks must stop or be said, never hidden."""

from __future__ import annotations

import json
import resource
import subprocess
import sys

from tests.conftest import FAST, ROOT
from tests.demoweb import DemoWeb
from tests.demoweb.__main__ import REGISTRY, proxy_env

WARC_LIMIT = 80_000  # bytes: the disk "fills up" early in the crawl, after the crawl state's file


def _limit_file_size() -> None:
    # Writes past the limit fail with EFBIG (Python ignores SIGXFSZ), as on a full disk.
    resource.setrlimit(resource.RLIMIT_FSIZE, (WARC_LIMIT, WARC_LIMIT))


def test_a_warc_write_error_stops_the_crawl(tmp_path):
    summary = tmp_path / "summary.json"
    # No item feed: only the WARC may outgrow the limit.
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosure", "-a",
               f"registry={REGISTRY}", "-s", f"WARC_DIR={tmp_path / 'warc'}",
               "-s", f"CRAWL_SUMMARY_FILE={summary}", *FAST]
    with DemoWeb() as web:
        proc = subprocess.run(command, cwd=ROOT, env=proxy_env(web), capture_output=True,
                              text=True, timeout=300, preexec_fn=_limit_file_size)
        requested = len(web.log)
    log = proc.stderr
    assert log.count("Cannot write WARC records, stopping the crawl so nothing goes "
                     "unarchived") == 1, log[-3000:]
    assert "File too large" in log
    assert "Spider closed (warc_write_error)" in log
    assert json.loads(summary.read_text("utf-8"))["reason"] == "warc_write_error"
    assert proc.returncode == 4 and "(exit 4)" in log
    assert requested < 100  # a whole crawl asks for 138 URLs
