"""Extraction of the real reports in tests/fixtures/real, every table number asserted.

The expected numbers are transcribed by hand from the fixtures' own markup/print
(``None`` where the cell is blank or ``&nbsp;``), not produced by the extractor.
"""

from __future__ import annotations

import pytest

from crawler.extract import extract
from crawler.extract.integrity import spam_flags
from crawler.extract.keys import APPLICANTS
from tests.conftest import FIXTURES


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def row(*values):
    """A requests row in column order: natural person, 5 organisations, total."""
    return dict(zip(APPLICANTS, values, strict=True))


_ = None
ZEROS_APPEALS = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}

SHANGHAI_REQUESTS = {
    "new_received": row(821, 35, _, _, 2, 1, 859),
    "carried_over": row(18, _, _, _, _, _, 18),
    "granted": row(258, 12, _, _, 1, 1, _),
    "partly_granted": row(3, _, _, _, _, _, _),
    "denied_state_secret": row(14, _, _, _, _, _, _),
    "denied_prohibited_by_law": row(_, _, _, _, _, _, _),
    "denied_security_stability": row(_, _, _, _, _, _, _),
    "denied_third_party": row(_, _, _, _, _, _, _),
    "denied_internal_affairs": row(5, _, _, _, _, _, _),
    "denied_process_info": row(3, 1, _, _, _, _, _),
    "denied_enforcement_file": row(_, _, _, _, _, _, _),
    "denied_inquiry": row(10, 2, _, _, _, _, _),
    "unavailable_not_held": row(252, 12, _, _, 1, _, _),
    "unavailable_needs_creation": row(44, 3, _, _, _, _, _),
    "unavailable_unclear": row(25, _, _, _, _, _, _),
    "rejected_petition": row(148, 1, _, _, _, _, _),
    "rejected_duplicate": row(5, 4, _, _, _, _, _),
    "rejected_publication": row(_, _, _, _, _, _, _),
    "rejected_mass_repeat": row(_, _, _, _, _, _, _),
    "rejected_reconfirm": row(_, _, _, _, _, _, _),
    "other_handling": row(_, _, _, _, _, _, _),
    "total_processed": row(767, 35, _, _, 2, 1, 805),
    "carried_forward": row(72, _, _, _, _, _, 72),
}


def test_shanghai_2019_trial_format_every_number():
    item = extract(read("shanghai-bgt-2019-report.html"), "https://www.shanghai.gov.cn/nw12344/")
    assert item.title == "2019年上海市人民政府办公厅政府信息公开工作年度报告"
    assert (item.year, item.format_version, item.source_type) == (2019, "2019", "html")
    assert item.publish_date == "2020-01-31"
    assert item.agency == "上海市人民政府办公厅"
    assert item.proactive == {
        "rules": {"made": 13, "published": 13, "total_public": 524},
        "normative_documents": {"made": 60, "published": 60, "total_public": 368},
        # colspans misaligned with their headings in the page: read by cell order
        "licensing": {"items_prev_year": 0, "change": 0, "decisions": 0},
        "other_services": {"items_prev_year": 0, "change": 0, "decisions": 0},
        "penalties": {"items_prev_year": 0, "change": 0, "decisions": 0},
        "enforcement": {"items_prev_year": 0, "change": 0, "decisions": 0},
        "fees": {"items_prev_year": 0, "change": 0},
        "procurement": {"projects": 6, "amount": {"value": 251000, "unit": "元"}},
    }
    assert item.requests == SHANGHAI_REQUESTS
    assert item.appeals == {
        "review": {"upheld": 5, "corrected": _, "other": _, "pending": 2, "total": 7},
        "litigation_direct": {"upheld": 8, "corrected": _, "other": _, "pending": 1, "total": 9},
        "litigation_after_review": dict.fromkeys(["upheld", "corrected", "other", "pending",
                                                  "total"]),
    }
    # its identities hold; the blank total column of the result rows is not a break
    assert item.checks == []
    assert item.flags == [] and item.warnings == []
    assert item.sections["overview"].startswith("一、总体情况")
    assert item.sections["other"].startswith("六、其他需要报告的事项")
    assert all(item.sections[k] for k in ("proactive", "requests", "appeals", "problems"))


SHUYANG_ZERO = row(0, _, _, _, _, _, 0)


def test_shuyang_2023_ucap_page_every_number():
    url = "http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml"
    item = extract(read("shuyang-fgj-2023-report.html"), url)
    assert item.title == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert (item.year, item.format_version) == (2023, "2021")
    assert item.publish_date == "2024-01-17"
    assert item.index_number == "014314799/2024-00002"
    assert item.doc_number is None  # the 文号 cell is empty
    assert item.proactive == {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 8, "repealed": 0, "in_force": 18},
        "licensing": {"decisions": 0}, "penalties": {"decisions": 0},
        "enforcement": {"decisions": 0}, "fees": {"amount_10k_yuan": 0.0},
    }
    # other_handling: the （六） total, here the sum of the format's three rows
    expected = {key: SHUYANG_ZERO for key in SHANGHAI_REQUESTS}
    expected |= {key: SHUYANG_ZERO for key in ("other_no_correction", "other_unpaid_fee",
                                                "other_misc")}
    expected |= {"new_received": row(26, _, _, _, _, _, 26),
                 "granted": row(26, _, _, _, _, _, 26),
                 "total_processed": row(26, _, _, _, _, _, 26)}
    assert item.requests == expected
    assert item.appeals == {
        "review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
        "litigation_direct": ZEROS_APPEALS, "litigation_after_review": ZEROS_APPEALS}
    assert item.checks == [] and item.flags == [] and item.warnings == []
    # the report's own text, in reading order, without the site's header and footer
    assert item.text.startswith("根据《中华人民共和国政府信息公开条例》")
    assert "\n一、总体情况\n" in item.text
    assert item.text.endswith("沭阳县发展和改革局\n2024年1月17日")


def test_shuyang_as_captured_with_its_wrapper_reads_the_same():
    bare = extract(read("shuyang-fgj-2023-report.html"))
    wrapped = extract(read("shuyang-fgj-2023-report.wrapped.html"))
    for field in ("title", "year", "publish_date", "proactive", "requests", "appeals"):
        assert getattr(wrapped, field) == getattr(bare, field), field


def test_real_pdf_tables_across_pages():
    item = extract(read("govnianbao-szfgs2024-report.pdf"))
    assert (item.source_type, item.format_version, item.year) == ("pdf", "2021", 2024)
    assert item.title == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert item.proactive == {
        "rules": {"issued": 1, "repealed": 0, "in_force": 11},
        "normative_documents": {"issued": 8, "repealed": 26, "in_force": 66},
        "licensing": {"decisions": 447228},
        "penalties": {"decisions": 3985758}, "enforcement": {"decisions": 88283},
        "fees": {"amount_10k_yuan": 96171.6},
    }
    r = item.requests
    assert r["new_received"] == row(3001, 53, 0, 0, 61, 4, 3119)
    assert r["carried_over"] == row(34, 0, 0, 0, 0, 0, 34)
    assert r["granted"] == row(1288, 21, 0, 0, 50, 3, 1362)
    assert r["partly_granted"] == row(447, 7, 0, 0, 0, 0, 454)
    assert r["denied_state_secret"] == row(2, 0, 0, 0, 0, 0, 2)
    assert r["denied_prohibited_by_law"] == row(30, 1, 0, 0, 0, 0, 31)
    assert r["denied_security_stability"] == row(5, 0, 0, 0, 0, 0, 5)
    assert r["denied_third_party"] == row(6, 0, 0, 0, 0, 0, 6)
    assert r["denied_internal_affairs"] == row(7, 1, 0, 0, 0, 0, 8)
    assert r["denied_process_info"] == row(12, 0, 0, 0, 0, 0, 12)
    assert r["denied_enforcement_file"] == row(9, 0, 0, 0, 0, 0, 9)
    assert r["denied_inquiry"] == row(105, 0, 0, 0, 0, 0, 105)
    assert r["unavailable_not_held"] == row(746, 12, 0, 0, 10, 1, 769)
    # this row and the next start on page 5, their group label split over the break
    assert r["unavailable_needs_creation"] == row(11, 0, 0, 0, 0, 0, 11)
    assert r["unavailable_unclear"] == row(1, 0, 0, 0, 0, 0, 1)
    assert r["rejected_petition"] == row(56, 6, 0, 0, 0, 0, 62)
    assert r["rejected_duplicate"] == row(25, 0, 0, 0, 0, 0, 25)
    assert r["rejected_publication"] == row(0, 0, 0, 0, 0, 0, 0)
    assert r["rejected_mass_repeat"] == row(0, 0, 0, 0, 0, 0, 0)
    assert r["rejected_reconfirm"] == row(1, 0, 0, 0, 0, 0, 1)
    assert r["other_no_correction"] == row(67, 3, 0, 0, 1, 0, 71)
    assert r["other_unpaid_fee"] == row(6, 0, 0, 0, 0, 0, 6)
    assert r["other_misc"] == row(108, 2, 0, 0, 0, 0, 110)
    assert r["total_processed"] == row(2932, 53, 0, 0, 61, 4, 3050)
    assert r["carried_forward"] == row(103, 0, 0, 0, 0, 0, 103)
    assert r["other_handling"] == row(181, 5, 0, 0, 1, 0, 187)  # the （六） total
    assert len(r) == 26
    assert item.appeals == {
        "review": {"upheld": 72, "corrected": 64, "other": 178, "pending": 37, "total": 351},
        "litigation_direct": {"upheld": 13, "corrected": 4, "other": 8, "pending": 1,
                              "total": 26},
        "litigation_after_review": {"upheld": 12, "corrected": 1, "other": 1, "pending": 6,
                                    "total": 20},
    }
    assert item.checks == [] and item.flags == [] and item.warnings == []
    assert item.sections["other"].startswith("六、其他需要报告的事项")
    assert "3940" in item.sections["other"]


def test_docx_template_maps_every_label():
    item = extract(read("annual-report-format-template-2021.docx"))
    assert (item.source_type, item.format_version) == ("docx", "2021")
    blank = dict.fromkeys
    assert item.proactive == {
        "rules": blank(["issued", "repealed", "in_force"]),
        "normative_documents": blank(["issued", "repealed", "in_force"]),
        "licensing": {"decisions": None}, "penalties": {"decisions": None},
        "enforcement": {"decisions": None}, "fees": {"amount_10k_yuan": None},
    }
    assert list(item.requests) == [
        "new_received", "carried_over", "granted", "partly_granted", "denied_state_secret",
        "denied_prohibited_by_law", "denied_security_stability", "denied_third_party",
        "denied_internal_affairs", "denied_process_info", "denied_enforcement_file",
        "denied_inquiry", "unavailable_not_held", "unavailable_needs_creation",
        "unavailable_unclear", "rejected_petition", "rejected_duplicate",
        "rejected_publication", "rejected_mass_repeat", "rejected_reconfirm",
        "other_no_correction", "other_unpaid_fee", "other_misc", "other_handling",
        "total_processed", "carried_forward"]
    assert all(values == blank(APPLICANTS) for values in item.requests.values())
    assert item.appeals == {g: blank(["upheld", "corrected", "other", "pending", "total"])
                            for g in ("review", "litigation_direct", "litigation_after_review")}
    assert item.warnings == []  # every heading recognised, none assumed
    assert list(item.sections) == ["overview", "proactive", "requests", "appeals", "problems",
                                   "other"]
    assert all(item.sections.values())


def test_spam_seed_text_is_flagged():
    seed = read("zjgdj-2020-report.seed.txt").decode("utf-8")
    [flag] = spam_flags(seed)
    assert flag.startswith("injected_spam:")
    assert "365上分客服微信号_365现金app下载_bst365体育娱乐平台" in flag


@pytest.mark.parametrize("name", ["shanghai-bgt-2019-report.html", "shuyang-fgj-2023-report.html",
                                  "shuyang-fgj-2023-report.wrapped.html",
                                  "gansu-fzgg-article.html", "jiangxi-sthjt-column-page.html",
                                  "govnianbao-szfgs2024-report.pdf",
                                  "annual-report-format-template-2021.docx"])
def test_other_real_fixtures_carry_no_flags(name):
    assert extract(read(name)).flags == []
