"""Files a reader opens in a spreadsheet: the XLSX workbook, CSVs Excel reads as UTF-8
(the dataset's cells and the crawl's feed), and names for readers of English."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date

from openpyxl import load_workbook

from crawler import settings
from crawler.dataset import build
from crawler.dataset.__main__ import main
from crawler.dataset.names import agency_pinyin, province_en
from crawler.dataset.spreadsheet import CELL_COLUMNS, IDENTITY, MAX_CHARS, write_xlsx
from crawler.exporters import FLAT_COLUMNS, FlatCsvItemExporter
from tests.conftest import PROVINCES, ROOT
from tests.test_dataset_factory import make_item, write_feed

TODAY = date(2026, 12, 1)
BOM = b"\xef\xbb\xbf"


def workbook_of(tmp_path, items):
    built = build([write_feed(tmp_path / "f.jsonl", items)], tmp_path / "r.sqlite", TODAY,
                  ["xlsx"])
    [path] = built.exports
    assert path.name == "r.xlsx"
    return built, load_workbook(path)


def sheet_rows(sheet) -> list[dict]:
    header, *rows = sheet.values
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_workbook_starts_each_sheet_with_who_and_when(tmp_path):
    first = make_item(year=2022)
    revised = make_item(year=2022, received=(21, 3), run_id="20250401T020000Z-bbbbbb",
                        captured="2025-04-01T02:00:00Z", change="changed")
    built, book = workbook_of(tmp_path, [first, revised, make_item(year=2023)])
    assert book.sheetnames == ["reports", "cells"]
    reports, cells = book["reports"], book["cells"]
    for sheet in (reports, cells):
        assert [c.value for c in sheet[1]][:7] == [*IDENTITY, *(
            ["agency_pinyin", "province_en"] if sheet is reports else ["table_name", "row_key"])]
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    [header] = reports.iter_rows(max_row=1, values_only=True)
    assert header[-1] == "text"  # the long column last
    rows = sheet_rows(reports)
    assert [(r["year"], r["version"]) for r in rows] == [(2022, 2), (2023, 1)]  # latest only
    assert rows[0]["agency"] == "浙江省示范局" and rows[0]["province_en"] == "Zhejiang"
    received = [r for r in sheet_rows(cells) if r["year"] == 2022 and r["row_key"] ==
                "new_received" and r["column_key"] == "natural_person"]
    assert [(r["value"], r["row_label"], r["column_label"]) for r in received] == [
        (21, "一、本年新收政府信息公开申请数量", "自然人")]  # a number, with its printed labels
    with closing(sqlite3.connect(built.path)) as connection:
        latest = connection.execute("select count(*) from cells c join versions v using "
                                    "(version_id) where v.is_latest = 1").fetchone()[0]
    assert cells.max_row - 1 == latest


def test_text_is_kept_within_what_excel_opens(tmp_path):
    long = make_item(year=2022, text="=HYPERLINK(\"http://spam\")\x07" + "长" * 40_000)
    _, book = workbook_of(tmp_path, [long])
    cell = book["reports"].cell(row=2, column=book["reports"].max_column)
    assert cell.data_type == "s"  # text that starts with = is text, not a formula
    assert cell.value.startswith('=HYPERLINK("http://spam")长')  # the BEL is gone: XML forbids it
    assert len(cell.value) == MAX_CHARS and "the dataset has the whole text" in cell.value


def test_cells_beyond_a_sheets_rows_go_on_in_the_next_sheet(tmp_path):
    built = build([write_feed(tmp_path / "f.jsonl", [make_item(year=2023)])],
                  tmp_path / "r.sqlite", TODAY)
    with closing(sqlite3.connect(built.path)) as connection:
        write_xlsx(connection, tmp_path / "small.xlsx", max_rows=100)
    book = load_workbook(tmp_path / "small.xlsx")
    pages = [name for name in book.sheetnames if name.startswith("cells")]
    assert pages == ["cells"] + [f"cells {n}" for n in range(2, len(pages) + 1)]
    assert all(book[name].max_row <= 100 for name in pages)
    assert all([c.value for c in book[name][1]] == CELL_COLUMNS for name in pages)
    assert sum(book[name].max_row - 1 for name in pages) == built.cells


def test_the_cli_writes_the_workbook_and_a_csv_with_a_bom(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_feed(tmp_path / "var/items/20250301T020000Z-aaaaaa.jsonl", [make_item(year=2023)])
    assert main(["build", "--today", "2026-12-01", "--format", "csv,xlsx"]) == 0
    out = capsys.readouterr().out
    assert "var/dataset/reports.cells.csv" in out and "var/dataset/reports.xlsx" in out
    data = (tmp_path / "var/dataset/reports.cells.csv").read_bytes()
    assert data.startswith(BOM) and data.count(BOM) == 1
    assert "浙江省示范局" in data.decode("utf-8-sig")


def run_feed(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """A spider with two items, its CSV feed written by Scrapy with the project's exporter
    and feed encoding (no network, no project: the feed is all it does)."""
    spider = tmp_path / "two.py"
    spider.write_text(
        "import scrapy\n\n\nclass Two(scrapy.Spider):\n    name = 'two'\n\n"
        "    async def start(self):\n"
        "        yield {'url': 'http://x.zj.gov.cn/1.html', 'agency': '浙江省示范局'}\n"
        "        yield {'url': 'http://x.zj.gov.cn/2.html', 'agency': '浙江省旧局'}\n", "utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "runspider", str(spider), "-s", "LOG_LEVEL=WARNING",
         "-s", f"FEED_EXPORTERS={settings.FEED_EXPORTERS!r}".replace("'", '"'),
         "-s", f"FEED_EXPORT_ENCODING={settings.FEED_EXPORT_ENCODING}", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_the_crawl_csv_feed_starts_with_one_bom(tmp_path):
    for _ in range(2):  # -o appends: the second run's rows follow the first's
        result = run_feed(tmp_path, "-o", "items.csv")
        assert result.returncode == 0, result.stderr[-2000:]
    data = (tmp_path / "items.csv").read_bytes()
    assert data.startswith(BOM) and data.count(BOM) == 1
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == FLAT_COLUMNS
    agencies = [row[FLAT_COLUMNS.index("agency")] for row in rows if row[0] != "url"]
    assert agencies == ["浙江省示范局", "浙江省旧局"] * 2


def test_the_feeds_bom_can_be_left_out_and_other_encodings_are_kept():
    for options, encoding in (({"bom": False}, "utf-8"), ({}, "gb18030")):
        file = io.BytesIO()
        exporter = FlatCsvItemExporter(file, encoding=encoding, **options)
        exporter.start_exporting()
        exporter.export_item({"url": "http://x.zj.gov.cn/1.html", "agency": "浙江省示范局"})
        exporter.finish_exporting()
        data = file.getvalue()
        assert not data.startswith(BOM)
        assert "浙江省示范局" in data.decode(encoding)


def test_every_province_has_an_english_name():
    with open(PROVINCES, encoding="utf-8", newline="") as file:
        provinces = list(csv.DictReader(file))
    assert len(provinces) == 31
    names = {row["code"]: province_en(row["code"]) for row in provinces}
    assert None not in names.values() and len(set(names.values())) == 31
    assert (names["610000"], names["140000"], names["150000"]) == (
        "Shaanxi", "Shanxi", "Inner Mongolia")  # what pinyin alone would get wrong
    assert all(province_en(None, row["name"]) == names[row["code"]] for row in provinces)


def test_agency_names_in_pinyin():
    assert agency_pinyin("浙江省广播电视局") == "Zhejiang Sheng Guang Bo Dian Shi Ju"
    assert agency_pinyin("重庆市交通局") == "Chongqing Shi Jiao Tong Ju"  # 重 read chong here
    assert agency_pinyin("国家税务总局陕西省税务局") == \
        "Guo Jia Shui Wu Zong Ju Shaanxi Sheng Shui Wu Ju"
    assert agency_pinyin(None) is None


def test_reports_and_agencies_carry_the_english_names(tmp_path):
    items = [make_item(year=2023), make_item("360000/jtt.jiangxi.gov.cn", 2023,
                                             agency="江西省交通运输厅", province="江西省",
                                             province_code="360000")]
    db = build([write_feed(tmp_path / "f.jsonl", items)], tmp_path / "r.sqlite", TODAY).path
    with closing(sqlite3.connect(db)) as connection:
        for table in ("reports", "agencies"):
            assert sorted(connection.execute(
                f"select agency, agency_pinyin, province_en from {table}")) == [
                ("江西省交通运输厅", "Jiangxi Sheng Jiao Tong Yun Shu Ting", "Jiangxi"),
                ("浙江省示范局", "Zhejiang Sheng Shi Fan Ju", "Zhejiang")]
