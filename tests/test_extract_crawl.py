"""Extraction inside the crawl: every demo report's numbers, as the demo web generated
them, come out of its HTML page, PDF or DOCX; items export to JSON Lines and CSV."""

from __future__ import annotations

import csv
import json
from urllib.parse import urlsplit

from crawler.agencies.registry import load_registry
from crawler.exporters import FLAT_COLUMNS
from tests.conftest import demo_reports, run_crawl
from tests.demoweb import load_sites
from tests.demoweb.__main__ import REGISTRY
from tests.demoweb.reports import ReportSpec, report_numbers

PROVINCES = {agency.province_code: agency.province for agency in load_registry(REGISTRY)}


def truth():
    found = {}
    for site in load_sites().values():
        for url, report in site.report_urls().items():
            found[url] = (site.meta["name"], report)
    return found


def test_every_demo_report_is_extracted_with_its_numbers(demo_crawl):
    expected = truth()
    items = demo_crawl.items()
    assert len(items) == len(expected)
    for item in items:
        agency, report = expected[item["url"]]
        spec = ReportSpec(agency, report.year, report.format)
        assert item["year"] == report.year
        assert item["title"] == report.title
        assert item["format_version"] == spec.format, item["url"]
        assert item["checks"] == [] and item["flags"] == [] and item["warnings"] == [], item["url"]
        assert item["report_id"] and len(item["report_id"]) == 20
        if spec.format == "pre2019":
            assert item["requests"] is None and item["sections"]["overview"]
            continue
        numbers = report_numbers(spec)
        assert item["requests"] == numbers["requests"], item["url"]
        assert item["appeals"] == numbers["appeals"], item["url"]
        assert item["proactive"] == numbers["proactive"], item["url"]
        assert all(item["sections"].values()), item["url"]
        if report.kind == "html":
            assert item["publish_date"] == report.published
        # a page that only points at its document (详见附件, a viewer) is read from it
        documents = {f"http://{urlsplit(item['url']).hostname}{path}"
                     for path, _ in report.attachments}
        assert (item["read_from"] in documents) == (report.layout in ("attachment_only",
                                                                      "viewer")), item["url"]
        assert len(item["parts"]) == report.parts - 1


def test_items_carry_the_registry_identity_and_the_warc_record(demo_crawl):
    for item in demo_crawl.items():
        assert item["agency_id"] and item["province_code"] in PROVINCES
        assert item["province"] == PROVINCES[item["province_code"]]
        assert set(item["warc"]) == {"filename", "offset", "length", "record_id",
                                     "payload_digest", "date"}
    kinds = {item["source_type"] for item in demo_crawl.items()}
    assert kinds == {"html", "pdf", "docx"}
    assert {r.kind for r in demo_reports().values()} == kinds


def test_feeds_json_lines_and_flat_csv(demoweb, tmp_path):
    csv_path = tmp_path / "items.csv"
    result = run_crawl(demoweb, tmp_path, "-a", "agency=360000", "-a", "years=2021-2024",
                       "-O", f"{csv_path}")
    assert result.summary()["incomplete"] == ["360000/fgw.jiangxi.gov.cn"]  # its old column
    items = {item["url"]: item for item in result.items()}
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and len(rows) == len(items)
    assert list(rows[0]) == FLAT_COLUMNS
    for row in rows:
        item = items[row["url"]]
        assert row["agency"] == item["agency"] and row["year"] == str(item["year"])
        assert row["warc.record_id"] == item["warc"]["record_id"]
        for key, values in (item["requests"] or {}).items():
            for column, value in values.items():
                assert row[f"requests.{key}.{column}"] == ("" if value is None else str(value))
        for group, values in (item["appeals"] or {}).items():
            for outcome, value in values.items():
                assert row[f"appeals.{group}.{outcome}"] == ("" if value is None else str(value))
        assert row["sections.overview"] == (item["sections"]["overview"] or "")
    json.dumps(list(items.values()))  # what came out of the feed is plain JSON
