"""``make explore`` (``python -m crawler.dataset explore``): which dataset it opens, and
the audit it serves beside it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from crawler.dataset import build, write_audit
from crawler.dataset.__main__ import dataset_to_explore, main
from crawler.dataset.explore import audit_folder, fresh_audit
from tests.conftest import ROOT
from tests.test_dataset_datasette import _DIRECT, free_port, get_json, wait_until_up
from tests.test_dataset_factory import make_item, write_feed

TODAY = date(2026, 12, 1)
DEMO = Path("var/demo/dataset/reports.sqlite")


def demo_dataset(root: Path) -> Path:
    """What `make demo` leaves: its feed, and the dataset built from it under var/demo."""
    feed = write_feed(root / "var/demo/items.jsonl", [make_item(year=2023)])
    return build([feed], root / DEMO, TODAY).path


def test_the_dataset_to_explore_is_the_crawls_else_the_demos(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert dataset_to_explore() is None
    demo_dataset(tmp_path)
    assert dataset_to_explore() == DEMO  # only the demo ran
    assert "opening the demo's dataset" in capsys.readouterr().err
    write_feed(Path("var/items/20250301T020000Z-aaaaaa.jsonl"), [make_item(year=2024)])
    built = dataset_to_explore()  # a crawl's feed: its dataset is built and preferred
    assert built == Path("var/dataset/reports.sqlite") and built.is_file()
    assert dataset_to_explore() == built


def test_explore_without_any_dataset_says_how_to_make_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["explore"]) == 2
    assert "`make demo`" in capsys.readouterr().err


def test_the_audit_folder_is_where_build_and_the_demo_write_it(tmp_path):
    assert audit_folder(Path("var/dataset/reports.sqlite")) == Path("var/audit")
    assert audit_folder(DEMO) == Path("var/demo/audit")
    db = build([write_feed(tmp_path / "f.jsonl", [make_item()])], tmp_path / "r.sqlite",
               TODAY).path
    write_audit(db, tmp_path / "audit")  # as the demo does: links to the default port
    index = tmp_path / "audit" / "index.html"
    before = index.stat().st_mtime_ns
    fresh_audit(db, 8001)
    assert index.stat().st_mtime_ns == before  # fresh: kept
    fresh_audit(db, 8123)  # another port: written again, linking to it
    assert 'href="http://127.0.0.1:8123/r"' in index.read_text("utf-8")


def test_make_explore_after_make_demo_serves_the_demos_dataset_and_audit(tmp_path):
    demo_dataset(tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "explore.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "crawler.dataset", "explore",
                                    "--port", str(port)], cwd=tmp_path, stdout=log,
                                   stderr=log, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        wait_until_up(base, process)
        [database] = get_json(f"{base}/-/databases.json")
        assert (tmp_path / database["path"]).resolve() == (tmp_path / DEMO).resolve()
        assert get_json(f"{base}/reports/reports.json?_shape=array")[0]["year"] == 2023
        with _DIRECT.open(f"{base}/audit/index.html", timeout=10) as response:
            page = response.read().decode("utf-8")
        assert f'href="{base}/reports"' in page  # the audit links back to this Datasette
        assert (tmp_path / "var/demo/audit/index.html").is_file()
    finally:
        process.terminate()
        process.wait(timeout=30)
