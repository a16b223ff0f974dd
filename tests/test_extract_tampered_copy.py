"""The tampered copy from the mission's own example (``zjgdj-2020-report.seed.html``, see
its sidecar): 浙江省广播电视局's 2020 report as found with gambling spam in place of
浙江省人民政府办公厅 and its statistics tables stripped. Its headings 一、二 run inside a
paragraph, as a copy, a CMS or a PDF text layer flattens them."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
import sqlite_utils

from archive.reports import ArchivedReport, badges
from crawler.dataset import build
from crawler.extract import extract
from crawler.extract.sections import split_sections
from tests.conftest import FIXTURES
from tests.demoweb.reports import ReportSpec, render_report, report_numbers
from tests.test_dataset_factory import write_feed

SEED = FIXTURES / "zjgdj-2020-report.seed.html"
URL = "http://gdj.zj.gov.cn/art/2021/1/28/art_1229251_1.html"
HEADINGS = {"overview": "一、总体情况", "proactive": "二、主动公开政府信息情况",
            "requests": "三、收到和处理政府信息公开申请情况",
            "appeals": "四、政府信息公开行政复议、行政诉讼情况",
            "problems": "五、存在的主要问题及改进情况"}


def test_the_copy_is_flagged_spam_and_tables_missing_with_its_five_sections():
    item = extract(SEED.read_bytes(), URL)
    kinds = [flag.split(":", 1)[0] for flag in item.flags]
    assert kinds == ["injected_spam", "tables_missing"]
    for key, heading in HEADINGS.items():  # each its own text, from its heading on
        assert item.sections[key].startswith(heading), key
    assert "2020年,省广电局认真贯彻落实" in item.sections["overview"]
    assert "二、" not in item.sections["overview"]  # cut where 二 begins, mid-paragraph
    assert "增强公开实效,提升服务水平。" in item.sections["problems"]
    assert item.sections["other"] is None  # the copy has no 六
    assert item.format_version == "2019" and item.year == 2020
    assert "format_version 2019 inferred from the year 2020: no statutory tables to tell " \
           "it by" in item.warnings


def test_with_its_tables_put_back_the_same_text_reads_them_and_misses_nothing():
    spec = ReportSpec("浙江省广播电视局", 2020)
    tables = re.findall(r"<table.*?</table>", render_report(spec)[1], re.S)
    page = SEED.read_text("utf-8")
    for heading, table in zip(list(HEADINGS.values())[1:4], tables, strict=True):
        end = page.index("</p>", page.index(heading)) + len("</p>")
        page = page[:end] + table + page[end:]
    item = extract(page.encode(), URL)
    truth = report_numbers(spec)
    assert (item.proactive, item.requests, item.appeals) == (
        truth["proactive"], truth["requests"], truth["appeals"])
    assert [flag.split(":", 1)[0] for flag in item.flags] == ["injected_spam"]
    assert item.format_version == "2019" and not any("inferred" in w for w in item.warnings)


def test_the_audit_marks_it_and_the_listing_shows_both_badges(tmp_path):
    item = dataclasses.asdict(extract(SEED.read_bytes(), URL))
    item.update(agency_id="330000/gdj.zj.gov.cn", province="浙江省", run_id="r1",
                warc={"date": "2021-02-01T00:00:00Z", "filename": "a.warc.gz", "offset": 0})
    built = build([write_feed(tmp_path / "items.jsonl", [item])], tmp_path / "r.sqlite")
    row = next(sqlite_utils.Database(built.path).query(
        "select * from agency_years where year = 2020"))
    assert (row["tables"], row["spam"], row["sections"]) == ("missing", 1, "incomplete")
    assert "other" in row["sections_missing"]
    assert badges(ArchivedReport(URL, item)) == ["spam", "tables missing"]


def test_headings_in_running_text_count_only_in_the_outline_order_and_wording():
    """A list in the prose (一、… 二、… with other words, or out of place) is no heading."""
    prose = ("我局做了三件事。一、加强领导。二、完善制度。三、强化监督。\n"
             "一、总体情况\n全年工作平稳。 二、主动公开政府信息情况 全年公开信息100条。")
    sections = split_sections(prose)
    assert sections["overview"] == "一、总体情况\n全年工作平稳。"
    assert sections["proactive"] == "二、主动公开政府信息情况 全年公开信息100条。"
    assert sections["requests"] is None
    assert split_sections("工作要点：四、主动公开政府信息情况说明")["proactive"] is None


FLATTENED = FIXTURES.parent / "flattened"


@pytest.mark.parametrize("expected", json.loads(
    (FLATTENED / "expected.json").read_text("utf-8")), ids=lambda e: e["file"])
def test_flattened_variants_written_from_the_description_read_the_same(expected):
    """Two more flattened copies (other markup, GBK, title variants), written by someone
    who had not read the extractor: each section where its heading stands, tables missing,
    the format from the year."""
    name = expected["file"]
    item = extract((FLATTENED / name).read_bytes(), f"http://x.gov.cn/{name}")
    assert item.year == expected["year"]
    assert [key for key, text in item.sections.items() if text] == expected["sections_present"]
    for key, words in expected["first_words"].items():
        assert item.sections[key].startswith(words), key
    assert ("tables_missing" in [f.split(":", 1)[0] for f in item.flags]) == \
        expected["tables_missing"]
    assert item.format_version == ("2021" if expected["year"] >= 2021 else "2019")
