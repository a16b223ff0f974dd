"""The decisions a crawl makes, taken one at a time without a crawl: which agencies,
what each link is for, which title a page has, why a request failed."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
from parsel import Selector
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.agencies import CrawlAgencies
from crawler.agencies.registry import Agency, load_registry
from crawler.discovery import (
    Link,
    Role,
    choose_title,
    department_agency,
    link_role,
    page_title,
    renamed,
    title_lines,
)
from crawler.discovery.failures import failure_reason
from crawler.exceptions import OffHosts, OverBudget, PrivateAddress, RobotsRefused
from crawler.spiders.arguments import ArgumentError, CrawlArguments, parse_years
from crawler.spiders.disclosure import DisclosureSpider
from tests.conftest import ROOT, project_crawler
from tests.demoweb.__main__ import REGISTRY

PORTAL = Agency("330000", "浙江省", "浙江省人民政府", "http://www.zj.gov.cn/", ("www.zj.gov.cn",),
                province_code="330000", departments=True)
BUREAU = Agency("330000/gdj.zj.gov.cn", "浙江省", "省广电局", "http://gdj.zj.gov.cn/",
                ("gdj.zj.gov.cn",), province_code="330000", parent="330000")
REPORT = "浙江省广播电视局2023年政府信息公开工作年度报告"
CUT_SHORT = "浙江省广播电视局2023年政府信息公开工作年度..."  # as lists print long titles


# ---------------------------------------------------------------- agencies
@pytest.mark.parametrize(("url", "owned"), [
    ("http://gdj.zj.gov.cn/col/col1229251/index.html", True),
    ("https://GDJ.zj.gov.cn:8443/x", True),
    ("http://www.gdj.zj.gov.cn/", True),  # a subdomain of the agency's host
    ("http://xgdj.zj.gov.cn/", False),  # the host as a suffix without the dot
    ("http://gdj.zj.gov.cn.example.com/", False),  # a host that starts with it
    ("http://zj.gov.cn/", False),  # the parent domain
    ("http://www.example.com/?next=http://gdj.zj.gov.cn/", False),
])
def test_an_agency_owns_its_hosts_and_their_subdomains_only(url, owned):
    assert BUREAU.owns(url) is owned


@pytest.mark.parametrize(("province", "ids"), [
    ("浙江省", ["330000"]), ("330000", ["330000"]), (" 江西省 ", ["360000"]),
    (None, [agency.id for agency in load_registry()])])
def test_province_argument_selects_the_agencies_crawled(province, ids):
    crawler = project_crawler(DisclosureSpider)
    spider = DisclosureSpider.from_crawler(crawler, province=province)
    agencies = list(CrawlAgencies.of(crawler))
    assert [agency.id for agency in agencies] == ids

    async def start_urls():
        return [request.url async for request in spider.start()]

    assert asyncio.run(start_urls()) == [agency.start_url for agency in agencies]


def test_bad_arguments_name_themselves():
    with pytest.raises(ArgumentError, match="years must look like 2021 or 2019-2024"):
        parse_years("2023年")
    with pytest.raises(ArgumentError, match="unknown agency id"):
        CrawlArguments.parse(REGISTRY, agency="999999")
    with pytest.raises(ArgumentError, match="no agency matches"):
        CrawlArguments.parse(REGISTRY, province="西藏自治区")
    with pytest.raises(ArgumentError, match="departments must be yes or no"):
        CrawlArguments.parse(REGISTRY, departments="maybe")
    assert parse_years("2024-2021") == range(2021, 2025)
    assert CrawlArguments.parse(REGISTRY, departments="no").departments is False


def test_departments_found_join_the_crawl_once():
    agencies = CrawlAgencies([PORTAL])
    department = department_agency(Link("http://gdj.zj.gov.cn/", "省广电局"), PORTAL)
    assert department is not None and agencies.add(department)
    again = department_agency(Link("http://gdj.zj.gov.cn/col/1.html", "浙江省广播电视局"), PORTAL)
    assert not agencies.add(again)  # its site is in the crawl already
    assert agencies.departments_found == 1
    assert renamed(agencies[department.id], " 浙江省广播电视局 ") == "浙江省广播电视局"
    assert renamed(PORTAL, "浙江省人民政府门户网站") is None  # registry names stay
    assert renamed(agencies[department.id], "省广电局") is None


def test_the_site_map_is_a_way_in_only_when_nothing_else_is():
    from crawler.discovery import is_sitemap, site_map_way

    site_map = Link("http://a.gov.cn/sitemap.html", "网站地图")
    assert is_sitemap(site_map.url, site_map.text)
    assert is_sitemap("http://a.gov.cn/wzdt/index.html", "")
    assert not is_sitemap("http://a.gov.cn/sitemap.xml", "")  # the search engines' one
    news = (Link("http://a.gov.cn/xwdt/", "新闻动态"), None)
    assert site_map_way([], [site_map]) == [site_map]
    assert site_map_way([(Link("http://a.gov.cn/xxgk/", "政府信息公开"), Role.AREA)],
                        [site_map]) == []
    assert site_map_way([(Link("http://a.gov.cn/r.html", REPORT), Role.REPORT)],
                        [site_map]) == []
    assert site_map_way([news], []) == []


# ------------------------------------------------------------------- roles
@pytest.mark.parametrize(("url", "text", "on", "role"), [
    ("http://gdj.zj.gov.cn/col/col1229251/index.html", "政府信息公开年报", Role.AREA, Role.LIST),
    ("http://gdj.zj.gov.cn/zwgk/ndbg/index.html", "更多", Role.AREA, Role.LIST),
    ("http://gdj.zj.gov.cn/ndbg/index.html", "更多", Role.START, None),
    ("http://gdj.zj.gov.cn/col/col1229248/index.html", "政府信息公开", Role.START, Role.AREA),
    ("http://gdj.zj.gov.cn/xxgk/index.html", "首页", Role.START, Role.AREA),
    ("http://gdj.zj.gov.cn/art/2024/1/26/art_1_2.html", REPORT, Role.LIST, Role.REPORT),
    ("http://gdj.zj.gov.cn/module/download/downfile.jsp?filename=2023.pdf", REPORT, Role.LIST,
     Role.DOCUMENT),
    ("http://gdj.zj.gov.cn/art/2024/1/26/art_1_3.html", CUT_SHORT, Role.LIST, Role.REPORT),
    ("http://gdj.zj.gov.cn/art/2024/1/26/art_1_3.html", CUT_SHORT, Role.AREA, None),  # lists only
    ("http://gdj.zj.gov.cn/art/2024/1/27/art_1_4.html", f"{REPORT}解读", Role.LIST, None),
    ("http://gdj.zj.gov.cn/art/2024/3/1/art_1_5.html", "2024年全省广播电视工作要点", Role.LIST,
     None),
    ("http://gdj.zj.gov.cn/u/1.pdf", "政府信息公开指南", Role.AREA, None),
    # the site map is no way on by its words (the spider takes it only when the start
    # page offers nothing else: test_the_site_map_is_a_way_in_only_when_nothing_else_is)
    ("http://gdj.zj.gov.cn/sitemap.html", "网站地图", Role.START, None),
    # the catalogue's statutory categories lead on to the column
    ("http://gdj.zj.gov.cn/zfxxgk/fdzdgknr/", "法定主动公开内容", Role.AREA, Role.AREA),
    ("http://gdj.zj.gov.cn/zfxxgk/fdzdgknr/qtfdnr/", "其他法定内容", Role.AREA, Role.AREA),
    # a column's files shown by their names only (a server's directory listing)
    ("http://gdj.zj.gov.cn/upload/ndbg/2023ndbg.pdf", "2023ndbg.pdf", Role.LIST, Role.DOCUMENT),
    ("http://gdj.zj.gov.cn/upload/ndbg/2023ndbg.pdf", "2023ndbg.pdf", Role.AREA, None),
    ("http://gdj.zj.gov.cn/upload/ndbg/P0201.pdf", "P0201.pdf", Role.LIST, None),
])
def test_link_roles(url, text, on, role):
    assert link_role(url, text, on, BUREAU) is role


def test_report_links_of_other_years_are_not_followed():
    url = "http://gdj.zj.gov.cn/art/2024/1/26/art_1_2.html"
    assert link_role(url, REPORT, Role.LIST, BUREAU, years=range(2023, 2024)) is Role.REPORT
    assert link_role(url, REPORT, Role.LIST, BUREAU, years=range(2019, 2023)) is None


def test_department_lists_only_on_portals_start_pages():
    url, text = "http://www.zj.gov.cn/col/col1545735/index.html", "省级部门"
    assert link_role(url, text, Role.START, PORTAL) is Role.DEPARTMENTS
    assert link_role(url, text, Role.AREA, PORTAL) is None
    assert link_role(url, text, Role.START, BUREAU) is None


# ------------------------------------------------------------------ titles
def test_one_title_rule_for_pages_and_documents():
    assert choose_title([None, "", "浙江省广播电视局", REPORT, "其他"]) == REPORT
    assert choose_title(["浙江省广播电视局", "首页"]) == "浙江省广播电视局"
    assert choose_title([REPORT * 3]) == REPORT * 3  # too long for a title, but all there is
    assert choose_title([]) is None
    page = Selector(text=f"<html><head><title>{REPORT} - 浙江省广播电视局</title>"
                         f"<meta name='ArticleTitle' content='详见附件'></head></html>")
    assert page_title(page) == REPORT
    pdf_text = "浙江省广播电视局\n2023年政府信息公开工作\n年度报告\n一、总体情况"
    assert next(title_lines(pdf_text)) == REPORT


# ---------------------------------------------------------------- failures
def http_error(status: int, body: bytes = b"") -> HttpError:
    url = "http://gdj.zj.gov.cn/x"
    return HttpError(HtmlResponse(url, status=status, body=body, request=Request(url)))


@pytest.mark.parametrize(("error", "reason"), [
    (OffHosts("old.fzggw-zj.com is not a host of agency 330000"), "off the agency's hosts"),
    (OverBudget("330000 is over its page budget"), "page budget"),
    (PrivateAddress("10.0.0.1"), "private address"),
    (RobotsRefused("Forbidden by robots.txt"), "robots.txt"),
    (DownloadCancelledError("Received 3001 bytes which is larger than ..."), "too large"),
    (CannotResolveHostError("no such host"), "DNS lookup failed"),
    (DownloadTimeoutError("60 s"), "timeout"),
    (http_error(404), "HTTP 404"),
    (http_error(412, b"<script>$_ts=window['$_ts']</script>"),
     "HTTP 412 anti-bot JavaScript challenge"),
    (IgnoreRequest("a message that says robots.txt"), "IgnoreRequest"),  # types, not words
])
def test_failure_reasons_come_from_exception_types(error, reason):
    assert failure_reason(error) == reason


def test_extraction_imports_neither_scrapy_nor_twisted():
    """Extraction workers and re-extraction tools load crawler.extract alone."""
    code = ("import sys, crawler.extract; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'twisted'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
