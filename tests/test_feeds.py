"""The default feeds: one JSON Lines file and one CSV per run, named by its id; ``-O``
replaces them (Scrapy alone would write both)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import FAST, ROOT
from tests.demoweb.__main__ import REGISTRY, proxy_env


def crawl_in(web, directory, *extra: str, warc: str = "warc") -> subprocess.CompletedProcess:
    """One agency's crawl run from ``directory`` (relative feed paths land there)."""
    env = dict(proxy_env(web), SCRAPY_SETTINGS_MODULE="crawler.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", "disclosure",
                           "-a", f"registry={REGISTRY}", "-a", "agency=440000", *FAST,
                           "-s", f"WARC_DIR={directory / warc}", *extra],
                          cwd=directory, env=env, capture_output=True, text=True, timeout=300)


def test_each_run_has_its_own_feeds_and_o_replaces_them(demoweb, tmp_path):
    first = crawl_in(demoweb, tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    (jsonl,) = (tmp_path / "var" / "items").glob("*.jsonl")
    run_id = json.loads(jsonl.read_text("utf-8").splitlines()[0])["run_id"]
    assert jsonl.name == f"{run_id}.jsonl"
    assert (tmp_path / "var" / "items" / f"{run_id}.csv").is_file()
    second = crawl_in(demoweb, tmp_path, "-O", str(tmp_path / "mine.jsonl"), warc="other")
    assert second.returncode == 0, second.stderr[-2000:]
    assert len(list((tmp_path / "var" / "items").glob("*.jsonl"))) == 1  # none for this run
    assert (tmp_path / "mine.jsonl").read_text("utf-8").count("\n") == jsonl.read_text(
        "utf-8").count("\n")
