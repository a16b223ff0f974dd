"""A run's start and end: what cannot be opened stops the start before any request; a run
is finished only once its feed and summary are stored; a rerun never empties the feed of
the run before it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_crawl

FUJIAN = ("-a", "agency=350000")  # a province whose every agency the demo web completes


@pytest.mark.parametrize(("setting", "message"), [
    ("WARC_GZIP_LEVEL=12", "WARC settings: gzip_level must be 0-9, got 12"),
    ("WARC_PREFIX=a/b", "WARC settings: WARC prefix must be non-empty and use [A-Za-z0-9._-] "
                        "only: 'a/b'"),
    ("WARC_MAX_SIZE=0", "WARC settings: max_size must be positive, got 0"),
    ("WARC_MAX_SIZE=-5", "WARC settings: max_size must be positive, got -5"),
])
def test_a_warc_writer_that_cannot_be_opened_stops_the_start(demoweb, tmp_path, setting,
                                                             message):
    result = run_crawl(demoweb, tmp_path, *FUJIAN, "-s", setting)
    assert result.returncode == 2 and result.requests == []
    assert result.log.strip().splitlines()[-1] == f"scrapy crawl: error: {message}"
    assert "Traceback" not in result.log and not (tmp_path / "items.jsonl").exists()


def test_a_feed_or_a_crawl_state_that_cannot_be_opened_stops_the_start(demoweb, tmp_path):
    (tmp_path / "file").write_text("not a directory")
    feed = tmp_path / "file" / "items.jsonl"
    result = run_crawl(demoweb, tmp_path / "a", *FUJIAN, "-O", str(feed))
    assert result.returncode == 2 and result.requests == []
    assert result.log.strip().splitlines()[-1].startswith(
        f"scrapy crawl: error: feed {feed} cannot be written: ")
    state = tmp_path / "state-is-a-directory"
    state.mkdir()
    result = run_crawl(demoweb, tmp_path / "b", *FUJIAN, "-s", f"CRAWL_STATE={state}")
    assert result.returncode == 2 and result.requests == []
    assert result.log.strip().splitlines()[-1].startswith(
        f"scrapy crawl: error: CRAWL_STATE {state} cannot be opened: ")


def test_a_rerun_keeps_the_feed_of_the_run_before_it(demoweb, tmp_path):
    """The README's command run again next week: nothing changed, so no item is new; the
    feed -O would overwrite is kept, named by its run."""
    first = run_crawl(demoweb, tmp_path, *FUJIAN)
    assert first.returncode == 0
    items = (tmp_path / "items.jsonl").read_text("utf-8")
    run_id = first.summary()["run_id"]
    again = run_crawl(demoweb, tmp_path, *FUJIAN)
    assert again.returncode == 0 and again.items() == []  # nothing new or changed
    kept = tmp_path / f"items.{run_id}.jsonl"
    assert kept.read_text("utf-8") == items and items.count("\n") > 10
    assert json.loads((tmp_path / f"items.{run_id}.summary.json").read_text("utf-8"))[
        "run_id"] == run_id
    assert f"Kept {tmp_path / 'items.jsonl'} of run {run_id} as {kept}" in again.log


def test_a_run_whose_summary_cannot_be_stored_is_not_finished(demoweb, tmp_path):
    (tmp_path / "file").write_text("not a directory")
    summary = tmp_path / "file" / "summary.json"
    result = run_crawl(demoweb, tmp_path / "out", *FUJIAN, "-s", f"JOBDIR={tmp_path / 'job'}",
                       "-s", f"CRAWL_SUMMARY_FILE={summary}")
    assert result.returncode == 1  # every agency complete, and yet not all is stored
    assert f"The crawl summary could not be written to {summary}" in result.log
    state = json.loads((tmp_path / "job" / "run.json").read_text("utf-8"))
    assert state["status"] == "interrupted: not everything stored"
