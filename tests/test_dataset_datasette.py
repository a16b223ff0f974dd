"""``make explore``'s Datasette: started on 127.0.0.1, a canned query through its JSON API."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import closing
from urllib.parse import urlencode

from crawler.dataset import build
from crawler.dataset.explore import datasette_command
from tests.test_audit import AGENCY, TODAY, scenario
from tests.test_dataset_factory import write_feed

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str):
    with _DIRECT.open(url, timeout=10) as response:
        return json.load(response)


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "Datasette exited"
        try:
            get_json(base + "/-/versions.json")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"Datasette did not answer on {base} in {seconds} s")


def test_datasette_serves_the_dataset_and_its_canned_queries(tmp_path):
    feeds = [write_feed(tmp_path / f"run{n}.jsonl", items) for n, items in enumerate(scenario())]
    db = build(feeds, tmp_path / "reports.sqlite", TODAY).path
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "datasette.log", "wb") as log:
        process = subprocess.Popen(datasette_command(db, port), stdout=log, stderr=log)
    try:
        wait_until_up(base, process)
        query = urlencode({"_shape": "array", "province": "浙江省", "year": "2021"})
        rows = get_json(f"{base}/reports/published_on_time.json?{query}")
        assert [(r["agency_id"], r["status"]) for r in rows] == [
            (AGENCY, "missing"), ("330000/old.zj.gov.cn", "missing")]
        breaks = get_json(f"{base}/reports/carry_over_mismatches.json?_shape=array")
        assert {(r["applicant"], r["year"], r["carried_forward"], r["next_year"],
                 r["carried_over"]) for r in breaks} == {
            ("natural_person", 2022, 4, 2023, 1), ("total", 2022, 4, 2023, 1)}
        metadata = get_json(f"{base}/-/metadata.json")
        cells = metadata["databases"]["reports"]["tables"]["cells"]
        assert "本年新收" in cells["columns"]["row_key"]  # the Chinese label beside the key
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_every_canned_query_runs_with_its_parameters_left_empty(tmp_path):
    """As Datasette runs a canned query whose form was left empty: every parameter ''."""
    from crawler.dataset.metadata import QUERIES

    feeds = [write_feed(tmp_path / f"run{n}.jsonl", items) for n, items in enumerate(scenario())]
    db = build(feeds, tmp_path / "reports.sqlite", TODAY).path
    counts = {}
    with closing(sqlite3.connect(db)) as connection:
        for name, query in QUERIES.items():
            empty = dict.fromkeys(re.findall(r"(?<!:):(\w+)", query["sql"]), "")
            counts[name] = len(connection.execute(query["sql"], empty).fetchall())
    assert counts == {"search_reports": 0,  # no words, no reports
                      "published_on_time": 18, "missing_or_late": 11,
                      "numbers_do_not_add_up": 1, "carry_over_mismatches": 2,
                      # table 三 in 2019, 2020, 2022, 2023 and 2024; eight denial reasons
                      "requests_by_province": 5, "denial_reasons": 5 * 8,
                      "revised_reports": 1, "spam_injected": 1}
