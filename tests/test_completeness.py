"""Completeness: what each list says of itself against what was collected, and every
fetched report accounted for. "No errors" must be true."""

from __future__ import annotations

import json

import pytest
import yaml

from crawler.discovery.completeness import Column, missing_years, shows_empty
from crawler.discovery.families import ListSize
from tests.conftest import demo_reports, run_crawl
from tests.demoweb import DemoWeb, load_sites
from tests.demoweb.server import Site

COLUMN = "http://gdj.zj.gov.cn/col/col1229251/index.html"


# ------------------------------------------------------------------- rules
def test_a_column_that_states_more_records_than_came_is_short():
    column = Column(COLUMN)
    column.state(ListSize(here=5, records=40), "page 1")
    column.state(ListSize(here=15, records=40), "api 6-20")
    column.state(ListSize(here=15, records=40), "api 6-20")  # a retried answer counts once
    assert column.shortfall() == f"{COLUMN}: the list states 40 records, 20 collected"
    column.state(ListSize(here=20), "api 21-40")
    assert column.shortfall() is None


def test_a_column_that_states_pages_is_short_of_pages_not_fetched():
    column = Column(COLUMN, links=12)
    column.state(ListSize(pages=3), "index")
    column.page("index.html")
    column.page("index_1.html")
    assert column.shortfall() == f"{COLUMN}: the list states 3 pages, 2 fetched"
    column.page("index_2.html")
    assert column.shortfall() is None


def test_what_a_list_cannot_read_makes_it_short():
    column = Column(COLUMN)
    column.state(ListSize(here=0, unread="list API x needs values the page computes (id)"), "p")
    assert column.shortfall() == f"{COLUMN}: list API x needs values the page computes (id)"


@pytest.mark.parametrize(("text", "empty"), [
    ("暂无数据", True), ("没有找到相关记录", True), ("共 0 条", True), ("暂无公开信息", True),
    ("共10条", False), ("2023年政府信息公开工作年度报告", False)])
def test_a_list_page_that_says_it_lists_nothing(text, empty):
    assert shows_empty(text) is empty


@pytest.mark.parametrize(("years", "asked", "missing"), [
    (["2019", "2021", "2024"], None, [2020, 2022, 2023]),
    ([2023, 2024], range(2021, 2025), [2021, 2022]), ([], range(2023, 2024), [2023]),
    (["None", "2022"], None, [])])
def test_missing_years_within_the_span_published(years, asked, missing):
    assert missing_years(years, asked) == missing


# ------------------------------------------------------------------ crawls
def single_agency(tmp_path, host: str, agency_id: str = "x") -> list[str]:
    registry = tmp_path / "registry.yaml"
    registry.write_text(yaml.safe_dump({"agencies": [{
        "id": agency_id, "province": "浙江省", "province_code": "330000", "name": host,
        "start_url": f"http://{host}/", "allowed_domains": [host]}]}, allow_unicode=True),
        "utf-8")
    return ["-a", f"registry={registry}"]


def summary_row(result, agency_id: str = "x") -> dict:
    summary = result.summary()
    return next(row for row in summary["agencies"] if row["agency_id"] == agency_id)


def test_a_list_that_states_more_than_its_api_returns_is_incomplete(tmp_path):
    sites = load_sites()
    sites["gdj.zj.gov.cn"].columns["/col/col1229251/index.html"].options["declare_total"] = 25
    with DemoWeb(sites) as web:
        result = run_crawl(web, tmp_path / "out", *single_agency(tmp_path, "gdj.zj.gov.cn"))
    row = summary_row(result)
    collected = len(sites["gdj.zj.gov.cn"].columns["/col/col1229251/index.html"].entries)
    assert row["status"] == (f"incomplete: {COLUMN}: the list states 25 records, {collected} "
                             f"collected; 1 list page(s) refused (robots.txt)")
    [column] = [c for c in row["lists"] if c["url"] == COLUMN]
    assert (column["stated_records"], column["collected_records"]) == (25, collected)
    assert f"{COLUMN}: the list states 25 records, {collected} collected" in result.log
    assert "no errors" not in result.log.split("Crawl summary", 1)[1]


def test_a_site_without_a_report_column_says_so(tmp_path):
    sites = load_sites()
    sites["www.emptyju.gov.cn"] = Site(host="www.emptyju.gov.cn", files={
        "/": "<html><body><a href='/news/1.html'>工作动态</a></body></html>".encode()})
    with DemoWeb(sites) as web:
        result = run_crawl(web, tmp_path / "out", *single_agency(tmp_path, "www.emptyju.gov.cn"))
    assert summary_row(result)["status"] == "no report column found"
    assert "no report column found" in result.log


def test_every_fetched_report_of_the_demo_web_is_an_item_or_a_named_error(demo_crawl):
    """Report pages, their further pages, documents and attachments of every shape the
    demo web has: each fetched one is an item's URL, part or attachment, or an error."""
    items = demo_crawl.items()
    accounted = {item["url"] for item in items}
    accounted |= {url for item in items for url in item["parts"]}
    accounted |= {a["url"] for item in items for a in item["attachments"]}
    documents = set(demo_reports())
    for host, site in load_sites().items():
        for report in site.reports:
            documents |= {f"http://{host}{p}" for p in report.part_paths()}
            documents |= {f"http://{host}{p}" for p, _ in report.attachments}
    fetched = {e.url for e in demo_crawl.requests if e.url in documents}
    failed = {e.url for e in demo_crawl.requests if e.url in fetched and e.status >= 400}
    assert fetched - accounted <= failed
    for url in failed - accounted:
        assert f"Could not fetch {url}" in demo_crawl.log
    for row in demo_crawl.summary()["agencies"]:  # nothing ended unsaid
        assert not {"no answer", "fetched, no item"} & set(row["errors"]), row


class DropOneReport:
    """An item pipeline that loses one report: the path a bug would take."""

    def process_item(self, item):
        from scrapy.exceptions import DropItem

        if item.year == 2019:
            raise DropItem("dropped by a test")
        return item


def test_a_report_lost_on_its_way_to_an_item_is_named_and_counted(tmp_path, demoweb):
    pipelines = json.dumps({"tests.test_completeness.DropOneReport": 100})
    result = run_crawl(demoweb, tmp_path / "out", *single_agency(tmp_path, "gdj.zj.gov.cn"),
                       "-s", f"ITEM_PIPELINES={pipelines}")
    lost = next(url for url, r in demo_reports().items()
                if r.year == 2019 and "gdj.zj.gov.cn" in url)
    assert f"Report {lost} (x) became no stored item: item dropped (DropItem)" in result.log
    row = summary_row(result)
    assert row["errors"]["item dropped (DropItem)"] == 1
    assert "1 report(s) not fetched or not read (item dropped (DropItem))" in row["status"]
