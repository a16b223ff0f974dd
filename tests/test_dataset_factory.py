"""Items to build datasets from: real items of the demo crawl, made to say what a test
needs (an agency, a year, a publish date, what it carried over and forward).

The tables are those the extractor read from the demo web (浙江省广播电视局 2019 for
the 2019 format, 江西省人民政府 2024 for 2021); table 三 is made from a few numbers so
that its identities hold unless a test breaks them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from crawler.extract import report_id
from crawler.extract.checks import checks
from crawler.extract.keys import APPLICANTS, OTHER_2021, RESULT_ROWS
from crawler.extract.sections import SECTION_KEYS

PROACTIVE_2019 = {
    "rules": {"made": 0, "published": 0, "total_public": 67},
    "normative_documents": {"made": 9, "published": 9, "total_public": 24},
    "licensing": {"items_prev_year": 53, "change": 3, "decisions": 191},
    "other_services": {"items_prev_year": 7, "change": -3, "decisions": 638},
    "penalties": {"items_prev_year": 26, "change": 0, "decisions": 717},
    "enforcement": {"items_prev_year": 20, "change": -2, "decisions": 529},
    "fees": {"items_prev_year": 3, "change": 0},
    "procurement": {"projects": 3, "amount": {"value": 861000, "unit": "元"}}}
PROACTIVE_2021 = {
    "rules": {"issued": 4, "repealed": 2, "in_force": 77},
    "normative_documents": {"issued": 7, "repealed": 2, "in_force": 41},
    "licensing": {"decisions": 810}, "penalties": {"decisions": 36},
    "enforcement": {"decisions": 6}, "fees": {"amount_10k_yuan": 8.11}}
APPEALS = {"review": {"upheld": 2, "corrected": 1, "other": 1, "pending": 1, "total": 5},
           "litigation_direct": {"upheld": 2, "corrected": 0, "other": 1, "pending": 2,
                                 "total": 5},
           "litigation_after_review": {"upheld": 1, "corrected": 2, "other": 0, "pending": 2,
                                       "total": 5}}
PRINTED = ("natural_person", "commercial")  # the applicant columns the factory prints


def requests_table(received: tuple[int, int], carried_over: tuple[int, int],
                   carried_forward: tuple[int, int], year: int) -> dict[str, Any]:
    """Table 三 with natural_person and commercial printed (the other applicant columns
    blank, as most agencies leave them), everything granted that is not carried forward."""
    def row(values: tuple[int, int] | None) -> dict[str, int | None]:
        cells: dict[str, int | None] = dict.fromkeys(APPLICANTS)
        if values is not None:
            cells.update(zip(PRINTED, values, strict=True), total=sum(values))
        return cells

    granted = tuple(r + o - f for r, o, f in zip(received, carried_over, carried_forward,
                                                 strict=True))
    results = [r for r in RESULT_ROWS if r not in OTHER_2021 or year >= 2021]
    table = {"new_received": row(received), "carried_over": row(carried_over)}
    table.update({key: row(granted if key == "granted" else (0, 0)) for key in results})
    table["total_processed"] = row(granted)
    table["carried_forward"] = row(carried_forward)
    return table


def make_item(agency_id: str = "330000/demo.zj.gov.cn", year: int = 2023, *,
              agency: str = "浙江省示范局", province: str = "浙江省",
              publish_date: str | None = "", carried_over: tuple[int, int] = (1, 0),
              carried_forward: tuple[int, int] = (2, 1), received: tuple[int, int] = (20, 3),
              run_id: str = "20250301T020000Z-aaaaaa", captured: str = "2025-03-01T02:00:00Z",
              url: str | None = None, **fields: Any) -> dict[str, Any]:
    """A report as the crawl emits it; ``publish_date=""`` means 20 January after ``year``."""
    host = agency_id.split("/")[-1] if "/" in agency_id else "www.zj.gov.cn"
    url = url or f"http://{host}/art/{year + 1}/1/20/art_1_{year}.html"
    item = {
        "url": url, "report_id": report_id(url, b""),
        "title": f"{agency}{year}年政府信息公开工作年度报告", "agency": agency,
        "agency_id": agency_id, "province": province, "province_code": "330000",
        "year": year, "publish_date": f"{year + 1}-01-20" if publish_date == "" else publish_date,
        "index_number": None, "doc_number": None,
        "format_version": "2021" if year >= 2021 else "2019" if year >= 2019 else "pre2019",
        "source_type": "html", "media_type": "text/html", "encoding": "utf-8",
        "text": f"{agency}{year}年政府信息公开工作年度报告 全年共收到申请",
        "sections": {key: f"{key} of {year}" for key in SECTION_KEYS},
        "proactive": copy.deepcopy(PROACTIVE_2021 if year >= 2021 else PROACTIVE_2019),
        "requests": requests_table(received, carried_over, carried_forward, year),
        "appeals": copy.deepcopy(APPEALS),
        "checks": [], "flags": [], "attachments": [], "parts": [], "read_from": None,
        "ocr": None, "warnings": [], "run_id": run_id, "sha1": f"sha1-of-{url}",
        "change": "new", "previous": None, "revision": None,
        "warc": {"filename": "disclosure-20250301020000000-00000-1~host.warc.gz",
                 "offset": 1000 + year, "length": 3000,
                 "record_id": f"<urn:uuid:00000000-0000-0000-0000-00000000{year}>",
                 "payload_digest": "sha1:AKDG33NYITTUOJI33PR5GFWJZH527JRN", "date": captured},
    }
    if year < 2019:
        item.update(proactive=None, requests=None, appeals=None)
        item["sections"].update(proactive=None, requests=None)
    item.update(fields)
    return item


def write_feed(path: Path, items: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    return path


def test_factory_items_satisfy_the_identities_the_extractor_checks():
    """The audit tests rely on these items breaking nothing unless they say so."""
    for year in (2019, 2021):
        item = make_item(year=year)
        assert checks(item["requests"], item["appeals"]) == []
    broken = make_item(carried_forward=(5, 1))
    assert checks(broken["requests"], broken["appeals"]) == []  # granted follows it
    broken["requests"]["carried_forward"]["natural_person"] = 9
    assert any("natural_person" in c for c in checks(broken["requests"], broken["appeals"]))
