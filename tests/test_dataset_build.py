"""The dataset: item feeds -> SQLite, its versions, its long cell table and exports."""

from __future__ import annotations

import csv
import json
import logging
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from crawler.dataset import build
from crawler.dataset.__main__ import main
from crawler.dataset.cells import TABLES, tables_from_cells
from tests.test_dataset_factory import make_item, write_feed

TODAY = date(2026, 12, 1)


def query(db: Path, sql: str, *args) -> list[tuple]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql, args).fetchall()


def item_tables(db: Path, report_id: str, version: int = 1) -> dict:
    rows = query(db, "select table_name, row_key, column_key, value, unit from cells "
                 "where report_id = ? and version = ?", report_id, version)
    return tables_from_cells(rows)


def assert_round_trip(db: Path, item: dict, version: int = 1) -> None:
    assert item_tables(db, item["report_id"], version) == {
        table: item[table] or {} for table in TABLES}


def test_cell_table_round_trips_every_number_of_an_item(tmp_path):
    old, new = make_item(year=2019), make_item(year=2022)
    db = build([write_feed(tmp_path / "run.jsonl", [old, new])], tmp_path / "r.sqlite",
               TODAY).path
    assert_round_trip(db, old)  # 2019 layout: procurement {value, unit}, a negative change
    assert_round_trip(db, new)  # 2021 layout: 8.11 万元
    kinds = dict(query(db, "select column_key || ':' || coalesce(value, 'null'), typeof(value) "
                       "from cells where report_id = ? and row_key in ('fees', 'rules')",
                       new["report_id"]))
    assert kinds == {"amount_10k_yuan:8.11": "real", "issued:4": "integer",
                     "repealed:2": "integer", "in_force:77": "integer"}
    # a blank cell is a row with no value, apart from a printed 0
    blank, zero = query(db, "select count(*) from cells where report_id = ? and value is null",
                        old["report_id"]), query(db, "select count(*) from cells where "
                                                 "report_id = ? and value = 0", old["report_id"])
    assert blank[0][0] > 0 and zero[0][0] > 0
    assert query(db, "select unit from cells where row_key = 'procurement' and "
                 "column_key = 'amount'") == [("元",)]


def test_demo_crawl_items_round_trip_and_their_missing_years_show(demo_crawl, tmp_path):
    feed = demo_crawl.out / "items.jsonl"
    db = build([feed], tmp_path / "demo.sqlite", TODAY).path
    items = demo_crawl.items()
    assert query(db, "select count(*) from reports") == [(len(items),)]
    for item in items:
        assert_round_trip(db, item)
    years = {(a, y): (s, o) for a, y, s, o in query(
        db, "select agency_id, year, status, on_time from agency_years")}
    # a gap in a span, a report without a date, an agency whose last report is not found
    assert years[("360000/jtt.jiangxi.gov.cn", 2020)] == ("missing", None)
    assert years[("360000/jtt.jiangxi.gov.cn", 2019)] == ("published", "unknown")
    assert years[("330000/sthjt.zj.gov.cn", 2024)] == ("missing", None)
    assert years[("330000/gdj.zj.gov.cn", 2008)] == ("published", "yes")
    # the summary beside the feed names the crawl's view of each agency
    assert query(db, "select crawl_status from agencies where agency_id = "
                 "'330000/sthjt.zj.gov.cn'")[0][0].startswith("incomplete")


def test_rebuilding_is_idempotent(tmp_path):
    feed = write_feed(tmp_path / "run.jsonl", [make_item(year=y) for y in (2021, 2022, 2023)])
    out = tmp_path / "r.sqlite"
    with closing(sqlite3.connect(build([feed], out, TODAY).path)) as connection:
        first = list(connection.iterdump())
    with closing(sqlite3.connect(build([feed], out, TODAY).path)) as connection:
        assert list(connection.iterdump()) == first
    twice = build([feed, feed], tmp_path / "twice.sqlite", TODAY)  # the same run fed twice
    assert (twice.versions, twice.cells) == (3, query(out, "select count(*) from cells")[0][0])
    assert not list(tmp_path.glob("*.partial"))


def test_versions_across_recrawls_keep_each_revision_and_mark_the_latest(tmp_path):
    first = dict(run_id="20250301T020000Z-aaaaaa", captured="2025-03-01T02:00:00Z")
    second = dict(run_id="20250401T020000Z-bbbbbb", captured="2025-04-01T02:00:00Z")
    edited_a, b = make_item(year=2022, **first), make_item(year=2023, **first)
    edited = make_item(year=2022, received=(21, 3), **second, change="changed")
    edited["revision"] = {"kind": "substantive",
                          "cells": {"requests.new_received.natural_person": [20, 21]}}
    again = make_item(year=2023, **second, change="unchanged")  # -a emit=all
    feeds = [write_feed(tmp_path / "1.jsonl", [edited_a, b]),
             write_feed(tmp_path / "2.jsonl", [edited, again])]
    db = build(list(reversed(feeds)), tmp_path / "r.sqlite", TODAY).path  # order is no matter
    rows = query(db, "select report_id, version, is_latest, run_id, last_seen_run, "
                 "revision_kind from versions order by report_id, version")
    a, b_id = edited["report_id"], b["report_id"]
    assert sorted(rows) == sorted([
        (a, 1, 0, first["run_id"], first["run_id"], None),
        (a, 2, 1, second["run_id"], second["run_id"], "substantive"),
        (b_id, 1, 1, first["run_id"], second["run_id"], None)])
    assert_round_trip(db, edited_a, 1)
    assert_round_trip(db, edited, 2)
    assert query(db, "select version, table_name, row_key, column_key, old_value, new_value "
                 "from revised_cells") == [(2, "requests", "new_received", "natural_person",
                                            20, 21)]
    assert query(db, "select count(*) from reports") == [(2,)]
    # each version keeps its own WARC pointer
    assert query(db, "select warc_date, warc_timestamp from versions where report_id = ? "
                 "order by version", a) == [("2025-03-01T02:00:00Z", "20250301020000"),
                                           ("2025-04-01T02:00:00Z", "20250401020000")]


def test_a_report_read_again_in_new_bytes_is_a_cosmetic_version(tmp_path):
    before = make_item(year=2022)
    after = make_item(year=2022, run_id="20250401T000000Z-cccccc",
                      captured="2025-04-01T00:00:00Z", sha1="other bytes")
    db = build([write_feed(tmp_path / "f.jsonl", [before, after])], tmp_path / "r.sqlite",
               TODAY).path
    assert query(db, "select version, revision_kind from versions") == [(1, None),
                                                                        (2, "cosmetic")]
    assert query(db, "select revised from agency_years where year = 2022") == [("cosmetic",)]


def test_csv_and_parquet_exports_hold_every_cell(tmp_path):
    import pyarrow.parquet as pq

    items = [make_item(year=2019), make_item(year=2022)]
    built = build([write_feed(tmp_path / "f.jsonl", items)], tmp_path / "r.sqlite", TODAY,
                  ["csv", "parquet"])
    csv_path, parquet_path = built.exports
    assert (csv_path.name, parquet_path.name) == ("r.cells.csv", "r.cells.parquet")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfreport_id,")  # BOM: Excel reads UTF-8
    with open(csv_path, encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    frame = pq.read_table(parquet_path).to_pylist()
    assert len(rows) == len(frame) == built.cells
    cells = {(r[0], r[1], r[2], r[3]): r[4] for r in query(
        built.path, "select report_id, table_name, row_key, column_key, value from cells")}
    for row in rows:  # CSV: numbers as printed, blank for a blank cell
        value = cells[(row["report_id"], row["table_name"], row["row_key"], row["column_key"])]
        assert row["value"] == ("" if value is None else str(value))
    for row in frame:
        key = (row["report_id"], row["table_name"], row["row_key"], row["column_key"])
        assert row["value"] == cells[key] and row["agency"] == "浙江省示范局"
        assert (row["province_en"], row["agency_pinyin"]) == ("Zhejiang",
                                                            "Zhejiang Sheng Shi Fan Ju")


def test_cli_builds_from_every_run_feed_under_var_items(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_feed(Path("var/items/20250301T020000Z-aaaaaa.jsonl"), [make_item(year=2023)])
    # an interrupted attempt's feed: its run's own feed holds its items again
    write_feed(Path("var/items/20250301T020000Z-aaaaaa.attempt1.jsonl"),
               [make_item(year=2010)])
    assert main(["build", "--today", "2026-12-01", "--format", "csv"]) == 0
    assert "1 reports (1 versions) from 1 feeds" in capsys.readouterr().out
    db = Path("var/dataset/reports.sqlite")
    assert query(db, "select year from versions") == [(2023,)]
    assert Path("var/dataset/reports.cells.csv").is_file()
    assert query(db, "select value from meta where key = 'latest_year_due'") == [("2025",)]
    assert main(["audit"]) == 0
    assert Path("var/audit/index.html").is_file()


def test_cli_says_what_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 2
    assert "no items: no feed in var/items/ and no crawl state at " \
        "var/warc/crawl-state.sqlite" in capsys.readouterr().err
    assert main(["build", "--state", "gone.sqlite"]) == 2
    assert "no items: gone.sqlite" in capsys.readouterr().err
    assert main(["audit", "--db", "nowhere.sqlite"]) == 2
    assert "no dataset at nowhere.sqlite" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["build", "--format", "ods"])
    assert "unknown format ods (choose from csv, parquet, xlsx)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert "default: every run's in var/items/" in " ".join(capsys.readouterr().out.split())


def test_a_torn_last_line_is_skipped_with_a_warning(tmp_path, caplog):
    feed = write_feed(tmp_path / "f.jsonl", [make_item(year=2023)])
    with open(feed, "a", encoding="utf-8") as file:
        file.write(json.dumps(make_item(year=2024), ensure_ascii=False)[:200])  # killed
    with caplog.at_level(logging.WARNING, logger="crawler.dataset.feeds"):
        built = build([feed], tmp_path / "r.sqlite", TODAY)
    assert built.reports == 1
    assert [r.getMessage().split(": ")[1] for r in caplog.records] == ["not JSON, skipped (Unterminated string starting at"]  # noqa: E501


def test_views_answer_requests_per_province_and_year(tmp_path):
    items = [make_item("330000/a.zj.gov.cn", 2022, received=(10, 2)),
             make_item("330000/b.zj.gov.cn", 2022, received=(5, 1)),
             make_item("350000/c.fujian.gov.cn", 2022, province="福建省", received=(7, 0))]
    db = build([write_feed(tmp_path / "f.jsonl", items)], tmp_path / "r.sqlite", TODAY).path
    assert query(db, "select province, year, reports, received, total_processed "
                 "from requests_by_province_year order by province") == [
        ("浙江省", 2022, 2, 18, 18 + 2 - 6), ("福建省", 2022, 1, 7, 7 + 1 - 3)]
