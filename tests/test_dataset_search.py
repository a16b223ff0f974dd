"""Full-text search of the reports: Chinese words inside running text, in the dataset,
in Datasette's canned query and as a reader uses it in Chromium."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from selenium.webdriver.common.by import By

from crawler.dataset import build
from crawler.dataset.explore import datasette_command, fresh_audit
from crawler.dataset.search import SEARCH_QUERY
from tests.browser import headless_chromium
from tests.conftest import ROOT
from tests.test_dataset_datasette import free_port, get_json, wait_until_up
from tests.test_dataset_factory import make_item, write_feed

TODAY = date(2026, 12, 1)
SCREENSHOT = ROOT / "var" / "screenshots" / "datasette-fts.png"
ZHEJIANG = ("2023年，本机关收到政府信息公开申请23件，全部按时答复。"
            "因政府信息公开工作被申请行政复议2件，均维持原决定。")
JIANGXI = "本年度本机关未发生政府信息公开行政诉讼案件。主动公开规范性文件9件。"


def reports() -> list[dict]:
    """Two agencies' 2023 reports, and a 2022 report whose first version said 涉密
    (a word its revision took out)."""
    first = make_item(year=2022, text="部分申请因涉密不予公开。")
    revised = make_item(year=2022, text="部分申请不予公开。", run_id="20250401T020000Z-bbbbbb",
                        captured="2025-04-01T02:00:00Z", change="changed")
    return [make_item(year=2023, text=ZHEJIANG), first, revised,
            make_item("360000/jtt.jiangxi.gov.cn", 2023, agency="江西省交通运输厅",
                      province="江西省", province_code="360000", text=JIANGXI)]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("search")
    return build([write_feed(folder / "run.jsonl", reports())], folder / "reports.sqlite",
                 TODAY).path


def search(db: Path, words: str) -> list[dict]:
    with closing(sqlite3.connect(db)) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(SEARCH_QUERY, {"words": words})]


def agencies(db: Path, words: str) -> list[str]:
    return [row["agency"] for row in search(db, words)]


@pytest.mark.parametrize(("words", "found"), [
    ("复议", ["浙江省示范局"]),  # two characters inside 行政复议, inside a sentence
    ("行政复议", ["浙江省示范局"]),  # four: through the FTS5 index
    ("行政诉讼", ["江西省交通运输厅"]),
    ("规范性文件", ["江西省交通运输厅"]),
    ("申请 复议", ["浙江省示范局"]),  # every word must appear
    ("复议 诉讼", []),
    ("公开\u3000诉讼", ["江西省交通运输厅"]),  # an ideographic space separates words too
    ("交通运输", ["江西省交通运输厅"]),  # in the title only
    ("不予公开", ["浙江省示范局"]),  # the 2022 report's latest version
    ("涉密", []),  # said only by a version that was revised since
    ("", []),
])
def test_chinese_words_are_found_inside_running_text(dataset, words, found):
    assert agencies(dataset, words) == found


def test_words_that_look_like_fts_syntax_are_searched_as_text(dataset):
    for words in ('"', "行政* OR", "NOT 复议", "a\"b", "(申请"):
        assert agencies(dataset, words) == []  # no FTS5 syntax error, nothing matches


def test_a_result_names_the_report_and_shows_the_word_in_context(dataset):
    [row] = search(dataset, "复议")
    assert {k: row[k] for k in ("agency", "agency_pinyin", "province", "province_en",
                                "year")} == {
        "agency": "浙江省示范局", "agency_pinyin": "Zhejiang Sheng Shi Fan Ju",
        "province": "浙江省", "province_en": "Zhejiang", "year": 2023}
    assert row["title"] == "浙江省示范局2023年政府信息公开工作年度报告"
    assert "被申请行政【复议】2件" in row["snippet"] and row["snippet"].startswith("…")
    assert row["url"] == make_item(year=2023)["url"]


def test_the_index_is_fts5_trigram_over_title_and_text(dataset):
    with closing(sqlite3.connect(dataset)) as connection:
        [sql] = connection.execute("select sql from sqlite_master where name = 'texts_fts'"
                                   ).fetchone()
        hits = connection.execute("select title from texts_fts where texts_fts match "
                                  "'\"按时答复\"'").fetchall()
    assert "fts5" in sql.lower() and "trigram" in sql
    assert hits == [("浙江省示范局2023年政府信息公开工作年度报告",)]


@contextmanager
def datasette(db: Path, tmp_path: Path) -> Iterator[str]:
    """Datasette serving ``db`` and its audit, as ``make explore`` starts it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = datasette_command(db, port, audit=fresh_audit(db, port))
    with open(tmp_path / "datasette.log", "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=log)
    try:
        wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_datasette_searches_with_the_canned_query_and_the_table_search(dataset, tmp_path):
    with datasette(dataset, tmp_path) as base:
        query = urlencode({"_shape": "array", "words": "复议 申请"})
        rows = get_json(f"{base}/reports/search_reports.json?{query}")
        assert [(r["agency"], r["year"]) for r in rows] == [("浙江省示范局", 2023)]
        table = get_json(f"{base}/reports/texts.json?" + urlencode(
            {"_shape": "array", "_search": "行政诉讼"}))  # Datasette's own search box
        assert [r["title"] for r in table] == ["江西省交通运输厅2023年政府信息公开工作年度报告"]


def test_a_reader_searches_in_datasette_and_follows_the_links_to_the_audit(dataset, tmp_path):
    with datasette(dataset, tmp_path) as base, \
            headless_chromium(tmp_path / "profile") as browser:
        browser.get(f"{base}/reports/search_reports")
        field = browser.find_element(By.NAME, "words")
        field.send_keys("行政复议")
        field.submit()
        cells = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns td.col-snippet")
        assert [td.text for td in cells] == [
            "…请23件，全部按时答复。因政府信息公开工作被申请【行政复议】2件，均维持原决定。"]
        agency = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns td.col-agency")
        assert agency.text == "浙江省示范局"
        field = browser.find_element(By.NAME, "words")
        field.clear()
        field.send_keys("公开 申请")  # two words of two characters: every report that has both
        field.submit()
        found = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns td.col-agency")
        assert [td.text for td in found] == ["浙江省示范局", "浙江省示范局"]  # 2023, 2022
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))

        browser.find_element(By.LINK_TEXT, "the transparency audit").click()  # the footer
        assert "transparency audit" in browser.find_element(By.TAG_NAME, "h1").text
        browser.find_element(By.PARTIAL_LINK_TEXT, "the dataset in").click()
        assert browser.current_url == f"{base}/reports"
        assert "versions" in browser.find_element(By.TAG_NAME, "body").text
    assert SCREENSHOT.stat().st_size > 10_000
