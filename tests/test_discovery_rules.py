"""The word and URL rules discovery is built on."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.agencies.registry import Agency
from crawler.discovery import (
    Link,
    anchor_links,
    attachment_type,
    canonical_url,
    department_agency,
    is_area_text,
    is_column_text,
    is_column_url,
    is_department_name,
    is_report_candidate,
    is_report_title,
    report_year,
    trap_reason,
)
from crawler.discovery.jsobject import js_object, json_array_after

REPORT_TITLES = [
    ("沭阳县发展和改革局2023年政府信息公开年度报告", 2023),  # real (Shuyang, Ucap)
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", 2019),  # real (Shanghai)
    ("浙江省广播电视局2020年政府信息公开工作年度报告", 2020),
    ("江西省交通运输厅二〇二三年政府信息公开工作年度报告", 2023),
    ("某某市人民政府2016年度政府信息公开工作报告", 2016),
    ("市统计局 2022 年 政务公开 年度工作报告", 2022),
    ("关于公布《某某局2021年政府信息公开工作年报》", 2021),
    ("福建省人民政府2023年政府信息公开年度报告", 2023),  # no 工作
    ("福建省人民政府二〇二一年政府信息公开年度报告", 2021),
]
NOT_REPORTS = [
    "江西省生态环境厅2024年政府信息公开工作年度报告解读",
    "一图读懂2023年政府信息公开工作年度报告",
    "关于做好2024年政府信息公开工作年度报告编制工作的通知",
    "政府信息公开工作年度报告",  # a column, not a report: no year
    "2023年政府信息公开指南",
    "浙江省2023年国民经济和社会发展统计公报",
    "福建省人民政府2024年政府信息公开年度报告（征求意见稿）",
    "关于《某某局2023年政府信息公开工作年度报告》的说明",
    "2021年政府信息公开工作年度报告格式",
]


@pytest.mark.parametrize(("title", "year"), REPORT_TITLES)
def test_report_titles_and_years(title, year):
    assert is_report_title(title)
    assert report_year(title) == year


@pytest.mark.parametrize("title", NOT_REPORTS)
def test_not_report_titles(title):
    assert not is_report_title(title)


@pytest.mark.parametrize(("text", "area", "column"), [
    ("政府信息公开", True, False),
    ("政务公开", True, False),
    ("法定主动公开内容", True, False),
    ("政府信息公开年报", True, True),
    ("信息公开年度报告", True, True),
    ("年报", False, True),
    ("历年年报（旧版）", False, True),
    ("江西省生态环境厅2024年政府信息公开工作年度报告解读", False, False),  # a title, not a menu
    ("新闻动态", False, False),
])
def test_navigation_texts(text, area, column):
    assert is_area_text(text) == area
    assert is_column_text(text) == column


def test_column_urls_by_slug():
    assert is_column_url("http://a.gov.cn/zwgk/xxgknb/index.html")
    assert is_column_url("http://a.gov.cn/zwgk/xxgknb/index_2.html")
    assert is_column_url("http://a.gov.cn/sygfj/gknb/")
    # the articles filed under the column are not the column (real: 恩格贝's news items)
    assert not is_column_url("http://a.gov.cn/sygfj/gknb/202401/x.shtml")
    assert not is_column_url("http://a.gov.cn/col/col1229251/index.html")
    assert not is_column_url("http://a.gov.cn/nbgl/index.html")


@pytest.mark.parametrize(("name", "ok"), [
    ("浙江省发展和改革委员会", True), ("省广电局", True), ("江西省交通运输厅", True),
    ("省政府办公厅", True), ("浙江政务服务网", False), ("中国政府网", False),
    ("省级部门网站", False), ("http://gdj.zj.gov.cn/", False),
])
def test_department_names(name, ok):
    assert is_department_name(name) == ok


def test_department_links_from_a_portal():
    portal = Agency("330000", "浙江省", "浙江省人民政府", "http://www.zj.gov.cn/",
                    ("www.zj.gov.cn",), province_code="330000", departments=True)
    html = """<select><option value="">省级部门</option>
      <option value="http://gdj.zj.gov.cn/">省广电局</option></select>
      <a href="http://fzggw.zj.gov.cn/">浙江省发展和改革委员会</a>
      <a href="http://www.zj.gov.cn/col/col1/index.html">浙江省人民政府办公厅</a>
      <a href="http://www.zjzwfw.gov.cn/">浙江政务服务网</a>
      <a href="http://www.example.com/">某某局</a>"""
    links = list(anchor_links(Selector(text=html), lambda href: href))
    found = {link.url: department_agency(link, portal) for link in links}
    assert sorted(url for url, agency in found.items() if agency) == [
        "http://fzggw.zj.gov.cn/", "http://gdj.zj.gov.cn/"]
    agency = found["http://fzggw.zj.gov.cn/"]
    assert agency.allowed_domains == ("fzggw.zj.gov.cn",)
    assert agency.province_code == "330000" and agency.parent == "330000"
    assert agency.owns("http://fzggw.zj.gov.cn/zwgk/") and not agency.owns("http://www.zj.gov.cn/")


def test_canonical_urls_drop_session_ids_and_fragments():
    assert canonical_url("HTTP://Gdj.ZJ.gov.cn:80/col/index.html;jsessionid=ABC123?a=1#top") \
        == "http://gdj.zj.gov.cn/col/index.html?a=1"
    assert canonical_url("http://a.gov.cn/list.jsp?sid=9f8e&page=2") == "http://a.gov.cn/list.jsp?page=2"
    assert canonical_url("http://a.gov.cn:8080/x") == "http://a.gov.cn:8080/x"


@pytest.mark.parametrize(("url", "kind"), [
    ("http://a.gov.cn/files/2023年报.PDF", "pdf"),
    ("http://a.gov.cn/module/download/downfile.jsp?classid=0&filename=2022ndbg.docx", "docx"),
    ("http://a.gov.cn/x/P020240129.wps", "wps"),
    ("http://a.gov.cn/x/report.ofd", "ofd"),
    ("http://a.gov.cn/x/index.html", None),
])
def test_attachment_types(url, kind):
    assert attachment_type(url) == kind


@pytest.mark.parametrize(("url", "trap"), [
    ("http://a.gov.cn/zwgk/rili/index.jsp?date=2024-01-01", True),
    ("http://a.gov.cn/cal/list.jsp?year=2024&month=5", True),
    ("http://a.gov.cn/a/b/a/b/a/b/a/b/index.html", True),
    ("http://a.gov.cn/x/" + "y" * 600, True),
    ("http://a.gov.cn/art/2024/1/26/art_1229251_59031415.html", False),
    ("http://a.gov.cn/zwgk/xxgknb/202401/t20240129_22334455.html", False),
    ("http://a.gov.cn/list.jsp?year=2023", False),
])
def test_traps(url, trap):
    assert (trap_reason(url) is not None) == trap


def test_js_object_literals_and_embedded_json():
    script = """$('#1').jpage({ perPage:15, ajaxParam:{col:1,path:'/',webname:"某局",
        codes:['a','b'], flag:true}, x: 1});
        var listData = { articleList: [{"title": "a]b", "urls": "{\\"pc\\":\\"/p\\"}"}], };"""
    assert js_object(script, r"ajaxParam\s*:\s*") == {"col": 1, "path": "/", "webname": "某局",
                                                       "codes": ["a", "b"], "flag": True}
    assert json_array_after(script, r"articleList\s*:\s*") == [
        {"title": "a]b", "urls": '{"pc":"/p"}'}]
    assert js_object(script, r"missing\s*=\s*") is None


def test_links_carry_title_attributes_and_skip_scripts():
    html = """<a href="/a.html" title="某局2023年政府信息公开工作年度报告">某局2023年...</a>
              <a href="javascript:void(0)">x</a><a href="#top">top</a>"""
    links = list(anchor_links(Selector(text=html), lambda href: "http://a.gov.cn" + href))
    assert links == [Link("http://a.gov.cn/a.html",
                          "某局2023年... 某局2023年政府信息公开工作年度报告")]
    assert is_report_title(links[0].text)


def test_shipped_registry_covers_the_31_provinces():
    import csv

    from crawler.agencies.registry import load_registry
    from tests.conftest import PROVINCES

    agencies = load_registry()
    text = PROVINCES.read_text("utf-8")
    provinces = list(csv.DictReader(text.splitlines()))
    assert [(a.province_code, a.province) for a in agencies] == [
        (p["code"], p["name"]) for p in provinces]
    for agency, province in zip(agencies, provinces, strict=True):
        assert agency.start_url == province["portal"]
        assert agency.owns(province["portal"]) and agency.departments


@pytest.mark.parametrize(("text", "candidate"), [
    ("浙江省广播电视局2023年政府信息公开工作年度...", True),
    ("某某局2022年政府信息公开工作年…", True),
    ("某某局2023年政府信息公开工作年度报告解读...", False),
    ("政府信息公开工作年度...", False),  # no year
    ("2023年全省经济运行情况...", False),
])
def test_truncated_list_titles_are_candidates(text, candidate):
    assert is_report_candidate(text) == candidate
