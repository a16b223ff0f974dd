"""The transparency audit: each mark per agency-year, in the dataset and on the page."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date

import pytest
from lxml import html

from crawler.dataset import build, latest_year_due, write_audit
from tests.test_dataset_factory import make_item, write_feed

TODAY = date(2025, 6, 1)  # the 2024 reports were due by 2025-01-31
AGENCY = "330000/demo.zj.gov.cn"
REPLAY = "http://127.0.0.1:8090/reports/"
LISTING = "http://127.0.0.1:8090/static/index.html"
DATASETTE = "http://127.0.0.1:8765/"
SPAM = "injected_spam: 365上分客服微信号_365现金app下载 where 浙江省人民政府办公厅 belongs"
BROKEN = ("requests natural_person: new_received + carried_over = 21, but total_processed + "
          "carried_forward = 22")


def scenario() -> list[list[dict]]:
    """Two runs' feeds. AGENCY: 2019 on time; 2020 late; 2021 missing; 2022 without a
    date; 2023 carrying over what 2022 did not carry forward, its own numbers broken,
    spam in its page, two sections and a table missing; 2024 revised by the second
    run. Others: an agency that stopped in 2022, a pre-2019 report, tables as images."""
    first = [
        make_item(AGENCY, 2019, carried_forward=(2, 1)),
        make_item(AGENCY, 2020, publish_date="2021-03-05", carried_over=(2, 1),
                  carried_forward=(3, 0)),
        make_item(AGENCY, 2022, publish_date=None, carried_over=(3, 0),
                  carried_forward=(4, 0)),
        make_item(AGENCY, 2023, carried_over=(1, 0), checks=[BROKEN], flags=[SPAM],
                  appeals=None),
        make_item(AGENCY, 2024, carried_over=(2, 1)),
        make_item("330000/stopped.zj.gov.cn", 2022, agency="浙江省停更局"),
        make_item("330000/old.zj.gov.cn", 2017, agency="浙江省旧局"),
        make_item("330000/old.zj.gov.cn", 2018, agency="浙江省旧局"),
        make_item("330000/scan.zj.gov.cn", 2024, agency="浙江省扫描局",
                  flags=["tables_as_images: 3 images where tables 二、三、四 belong"],
                  proactive=None, requests=None, appeals=None),
    ]
    first[3]["sections"].update(problems=None, other=None)
    revised = make_item(AGENCY, 2024, carried_over=(2, 1), received=(25, 3),
                        run_id="20250401T020000Z-bbbbbb", captured="2025-04-01T02:00:00Z",
                        change="changed")
    revised["revision"] = {"kind": "substantive",
                           "cells": {"requests.new_received.natural_person": [20, 25]}}
    return [first, [revised]]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit")
    feeds = [write_feed(folder / f"run{n}.jsonl", items) for n, items in enumerate(scenario())]
    summary = {"run_id": "20250401T020000Z-bbbbbb", "agencies": [
        {"agency_id": "330000/silent.zj.gov.cn", "agency": "浙江省无年报局", "province": "浙江省",
         "status": "no report column found", "host": "silent.zj.gov.cn"}]}
    (folder / "run1.summary.json").write_text(json.dumps(summary, ensure_ascii=False), "utf-8")
    return build(feeds, folder / "reports.sqlite", TODAY).path


def rows(db, sql, *args):
    with closing(sqlite3.connect(db)) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(r) for r in connection.execute(sql, args)]


def marks(db, agency_id):
    return {r["year"]: r for r in rows(db, "select * from agency_years where agency_id = ?",
                                       agency_id)}


@pytest.mark.parametrize(("today", "due"), [
    (date(2026, 12, 1), 2025), (date(2026, 2, 1), 2025), (date(2026, 1, 31), 2024),
    (date(2026, 1, 1), 2024)])
def test_the_latest_year_due_is_the_last_whose_31_january_has_passed(today, due):
    assert latest_year_due(today) == due


def test_each_mark_of_an_agencys_years(dataset):
    years = marks(dataset, AGENCY)
    assert sorted(years) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert {y: r["status"] for y, r in years.items()} == {
        2019: "published", 2020: "published", 2021: "missing", 2022: "published",
        2023: "published", 2024: "published"}
    assert {y: r["on_time"] for y, r in years.items()} == {
        2019: "yes", 2020: "late", 2021: None, 2022: "unknown", 2023: "yes", 2024: "yes"}
    assert years[2020]["deadline"] == "2021-01-31"
    assert {y: r["cross_year"] for y, r in years.items()} == {
        2019: "consistent", 2020: "consistent", 2021: None, 2022: "broken", 2023: "broken",
        2024: "consistent"}
    broken = years[2023]
    assert (broken["identities"], broken["checks"], broken["spam"]) == ("broken", 1, 1)
    assert (broken["sections"], broken["sections_present"], broken["sections_missing"]) == (
        "incomplete", 4, "problems,other")
    assert (broken["tables"], broken["tables_missing"]) == ("missing", "appeals")
    assert {y: r["revised"] for y, r in years.items() if r["status"] == "published"} == {
        2019: "no", 2020: "no", 2022: "no", 2023: "no", 2024: "substantive"}
    assert years[2024]["version"] == 2  # the audit judges the latest version
    ok = years[2019]
    assert (ok["sections"], ok["tables"], ok["identities"], ok["spam"]) == (
        "complete", "present", "hold", 0)


def test_a_broken_carry_over_is_recorded_with_both_numbers_and_both_reports(dataset):
    found = rows(dataset, "select applicant, year, carried_forward, next_year, carried_over, "
                 "report_id, next_report_id from carry_over_breaks where agency_id = ?", AGENCY)
    y2022, y2023 = (make_item(AGENCY, y)["report_id"] for y in (2022, 2023))
    assert found == [
        {"applicant": "natural_person", "year": 2022, "carried_forward": 4, "next_year": 2023,
         "carried_over": 1, "report_id": y2022, "next_report_id": y2023},
        {"applicant": "total", "year": 2022, "carried_forward": 4, "next_year": 2023,
         "carried_over": 1, "report_id": y2022, "next_report_id": y2023}]


def test_years_are_due_up_to_the_latest_and_older_formats_are_not_held_to_2019s(dataset):
    stopped = marks(dataset, "330000/stopped.zj.gov.cn")
    assert {y: r["status"] for y, r in stopped.items()} == {
        2022: "published", 2023: "missing", 2024: "missing"}
    old = marks(dataset, "330000/old.zj.gov.cn")
    assert (old[2017]["sections"], old[2017]["tables"], old[2017]["identities"]) == (
        "not required", "not required", "no tables")
    assert old[2018]["cross_year"] == "not compared"  # no table 三 to carry anything
    assert marks(dataset, "330000/scan.zj.gov.cn")[2024]["tables"] == "images"
    silent = marks(dataset, "330000/silent.zj.gov.cn")  # named only by the crawl summary
    assert {y: (r["status"], r["agency"]) for y, r in silent.items()} == {
        2024: ("missing", "浙江省无年报局")}


def test_the_province_summary_counts_each_mark(dataset):
    [zhejiang] = rows(dataset, "select * from province_summary")
    assert {k: zhejiang[k] for k in ("agencies", "published", "missing", "on_time", "late",
                                     "date_unknown", "identities_broken", "carry_over_broken",
                                     "spam", "revised", "tables_missing")} == {
        "agencies": 5, "published": 9, "missing": 1 + 2 + 6 + 1, "on_time": 7, "late": 1,
        "date_unknown": 1, "identities_broken": 1, "carry_over_broken": 2, "spam": 1,
        "revised": 1, "tables_missing": 2}


@pytest.fixture(scope="module")
def page(dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("audit-page")
    index = write_audit(dataset, out, REPLAY, DATASETTE)
    return out, html.fromstring(index.read_text("utf-8"))


def matrix_cells(tree, agency):
    """{year: td} of ``agency``'s row in the matrix."""
    years = [th.text_content().strip() for th in tree.xpath(
        '//table[@id="audit-matrix"]/thead/tr/th')][2:]
    [row] = [tr for tr in tree.xpath('//table[@id="audit-matrix"]/tbody/tr')
             if tr.xpath("string(th)").strip() == agency]
    return {int(y): td for y, td in zip(years, row.xpath("td")[1:], strict=False) if y.isdigit()}


def test_the_matrix_marks_each_year_and_links_its_replay_and_item(page):
    out, tree = page
    cells = matrix_cells(tree, "浙江省示范局")
    text = {y: td.xpath("string(a[1])") for y, td in cells.items() if td.get("class") != "none"}
    # every mark opens its year on the agency's page, which needs no server
    assert {y: td.xpath("a[1]/@href")[0] for y, td in cells.items() if y >= 2019} == {
        y: f"agencies/330000_demo.zj.gov.cn.html#y{y}" for y in range(2019, 2025)}
    assert text == {2019: "✓", 2020: "L", 2021: "✗", 2022: "?↔", 2023: "✓§T≠↔☣",
                    2024: "✓R"}
    assert {y: td.get("class") for y, td in cells.items() if y >= 2019} == {
        2019: "ok", 2020: "problem", 2021: "missing", 2022: "problem", 2023: "problem",
        2024: "ok"}
    assert "late: published 2021-03-05, due 2021-01-31" in cells[2020].get("title")
    assert BROKEN in cells[2023].get("title")
    assert "carry-over natural_person: 2022 carried forward 4, 2023 carried over 1" in \
        cells[2023].get("title")
    latest = make_item(AGENCY, 2024)
    [replay] = cells[2024].xpath("a[@class='replay']/@href")
    assert replay == f"{REPLAY}20250401020000/{latest['url']}"  # the latest version's capture
    [item_link] = cells[2024].xpath("a[@class='json']/@href")
    item = json.loads((out / item_link).read_text("utf-8"))
    assert (item["report_id"], item["revision"]["kind"]) == (latest["report_id"], "substantive")
    assert cells[2021].xpath("a/@href") == ["agencies/330000_demo.zj.gov.cn.html#y2021"]


def test_the_page_is_self_contained(page):
    out, tree = page
    assert not tree.xpath("//script[@src] | //link[@href] | //img | //iframe")
    assert len(tree.xpath("//svg")) == 2  # reports on time; 浙江省's requests
    assert tree.xpath("//svg//*[local-name()='rect' or local-name()='path']")
    # links out go only to the replay server and to Datasette, both on 127.0.0.1
    assert not [href for href in tree.xpath("//a/@href") if href.startswith("http")
                and not href.startswith((REPLAY, LISTING, DATASETTE))]


def test_the_agency_page_shows_versions_breaks_and_revised_cells(page, dataset):
    out, _ = page
    agency = html.fromstring((out / "agencies/330000_demo.zj.gov.cn.html").read_text("utf-8"))
    section = agency.get_element_by_id("y2024")
    text = " ".join(section.text_content().split())
    assert "version 2 (latest)" in text
    assert "requests.new_received.natural_person: 20 → 25" in text
    assert [a.get("href") for a in section.xpath(".//a[@class='replay']")] == [
        f"{REPLAY}20250301020000/{make_item(AGENCY, 2024)['url']}",
        f"{REPLAY}20250401020000/{make_item(AGENCY, 2024)['url']}"]
    versions = rows(dataset, "select version_id, warc_filename, warc_offset from versions "
                    "where report_id = ? order by version", make_item(AGENCY, 2024)["report_id"])
    assert [a.get("href") for a in section.xpath(".//a[@class='row']")] == [
        f"{DATASETTE}reports/versions/{v['version_id']}" for v in versions]
    assert f"WARC record {versions[1]['warc_filename']} at offset {versions[1]['warc_offset']}" \
        in text  # where the capture is, with no replay server running
    breaks = " ".join(agency.get_element_by_id("y2023").text_content().split())
    assert "natural_person: 2022 carried forward 4" in breaks and "2023 carried over 1" in breaks
    assert "no report found" in agency.get_element_by_id("y2021").text_content()
    [datasette] = agency.xpath("//a[@class='datasette']/@href")
    assert datasette == f"{DATASETTE}reports/versions?agency_id=330000%2Fdemo.zj.gov.cn"
    assert "Zhejiang Sheng Shi Fan Ju" in agency.xpath("string(//h1/following-sibling::p)")


def test_the_index_links_to_datasette_its_search_and_the_replay_listing(page):
    _, tree = page
    assert tree.xpath("//nav[@class='out']/a/@href") == [
        f"{DATASETTE}reports", f"{DATASETTE}reports/search_reports", LISTING]


def test_a_report_without_a_year_is_counted_not_placed(tmp_path):
    undated = make_item(AGENCY, 2023)
    undated["year"] = None
    db = build([write_feed(tmp_path / "f.jsonl", [undated, make_item(AGENCY, 2024)])],
               tmp_path / "r.sqlite", TODAY).path
    assert [r["year"] for r in rows(db, "select year from agency_years")] == [2024]
    index = write_audit(db, tmp_path / "audit").read_text("utf-8")
    assert "1 reports without a\nyear are not in the matrix" in index


def test_an_unverified_break_is_not_counted_as_the_agencys(tmp_path):
    """A report whose only break uses a number OCR was unsure of: the audit says its
    identities are ``unverified``, counts no broken identity, and the dataset keeps the
    check with ``verified = 0``."""
    uncertain = make_item(AGENCY, 2023, checks=[
        "unverified: appeals review: total = 4, but upheld + corrected + other + pending = 5"
        " (read by OCR, uncertain: appeals.review.upheld)"])
    own = make_item(AGENCY, 2024, checks=[
        "appeals review: total = 4, but upheld + corrected + other + pending = 5"])
    db = build([write_feed(tmp_path / "f.jsonl", [uncertain, own])], tmp_path / "r.sqlite",
               TODAY).path
    years = {r["year"]: r for r in rows(db, "select * from agency_years")}
    assert (years[2023]["identities"], years[2023]["checks"], years[2023]["unverified"]) == (
        "unverified", 0, 1)
    assert (years[2024]["identities"], years[2024]["checks"]) == ("broken", 1)
    checked = rows(db, "select table_name, subject, verified from checks order by verified")
    assert [tuple(r.values()) for r in checked] == [("appeals", "review", 0),
                                                    ("appeals", "review", 1)]
    [province] = rows(db, "select identities_broken from province_summary")
    assert province["identities_broken"] == 1
