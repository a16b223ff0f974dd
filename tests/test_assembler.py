"""The report assembler without a crawl: a report from its first page to its item, with
its parts, its documents, what failed on the way, and the WARC record it came from."""

from __future__ import annotations

import asyncio

import pytest
import scrapy
from scrapy.http import HtmlResponse, Response

from archive import PendingRecord, RecordLocation
from crawler.agencies import Agency, CrawlAgencies
from crawler.discovery import Role, anchor_links
from crawler.discovery.reports import report_documents
from crawler.items import ReportItem
from crawler.meta import AGENCY, REPORT_KEY, ROLE, WARC_RECORD
from crawler.reports import ReportAssembler
from tests.conftest import project_crawler
from tests.demoweb.reports import ReportSpec, render_report, render_report_pdf

AGENCY_ = Agency("a", "浙江省", "浙江省某某局", "http://a.gov.cn/", ("a.gov.cn",))
URL = "http://a.gov.cn/art/2024/1/20/t20240120_1.html"
LOCATION = RecordLocation("x.warc.gz", 1200, 3400, "<urn:uuid:1>", "sha1:ABC",
                          "2024-01-20T00:00:00Z")


def assembler(**settings) -> ReportAssembler:
    crawler = project_crawler(EXTRACT_PROCESSES=0, **settings)
    CrawlAgencies.of(crawler).extend([AGENCY_])

    def make_request(url: str, agency: Agency, role: Role, text: str = "", **meta):
        return scrapy.Request(url, meta={AGENCY: agency.id, ROLE: role, **meta})

    return ReportAssembler.from_crawler(crawler, make_request)


def page(body: str, url: str = URL, flags: list[str] | None = None, **meta) -> HtmlResponse:
    request = scrapy.Request(url, meta={AGENCY: "a", ROLE: Role.REPORT,
                                        WARC_RECORD: PendingRecord.written(LOCATION), **meta})
    return HtmlResponse(url, body=body.encode("utf-8"), request=request, flags=flags or [],
                        headers={"Content-Type": "text/html; charset=utf-8"})


def report_html(pager: str = "", extra: str = "") -> str:
    title, body = render_report(ReportSpec(agency="浙江省某某局", year=2023))
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}{extra}"
            f"<script>{pager}</script></body></html>")


def first(assembler_: ReportAssembler, response: HtmlResponse, documents=()):
    links = list(anchor_links(response.selector, response.urljoin))
    title = response.xpath("//title/text()").get()
    return asyncio.run(assembler_.page(response, AGENCY_, title, links, list(documents)))


def test_a_one_page_report_is_an_item_with_its_agency_and_record():
    item = first(assembler(), page(report_html()))
    assert isinstance(item, ReportItem) and item.year == 2023
    assert item.requests["new_received"]["total"] is not None
    assert (item.agency_id, item.agency, item.province) == ("a", "浙江省某某局", "浙江省")
    assert item.warc == LOCATION and not item.partial


def test_a_paged_report_waits_by_key_and_becomes_one_item_with_its_parts():
    reports = assembler()
    html = report_html(pager='createPageHTML(2, 0, "t20240120_1", "html");')
    request = first(reports, page(html))
    assert isinstance(request, scrapy.Request)
    assert request.url == "http://a.gov.cn/art/2024/1/20/t20240120_1_1.html"
    assert request.meta[ROLE] is Role.PART and len(reports.drafts) == 1
    assert all(not isinstance(v, ReportItem) for v in request.meta.values())  # no draft in meta
    part = page("<html><body><p>（续）</p></body></html>", request.url,
                **{ROLE: Role.PART, REPORT_KEY: request.meta[REPORT_KEY]})
    item = asyncio.run(reports.part(part))
    assert isinstance(item, ReportItem) and item.parts == [request.url]
    assert item.warc == LOCATION and len(reports.drafts) == 0


def test_a_part_that_failed_leaves_a_report_that_says_what_is_missing():
    reports = assembler()
    request = first(reports, page(report_html(
        pager='createPageHTML(3, 0, "t20240120_1", "html");')))
    item = asyncio.run(reports.failed(request, "HTTP 404"))
    assert isinstance(item, ReportItem)  # the pages after a missing one are not asked
    assert item.warnings[-1] == (f"part {request.url} not fetched: HTTP 404; 1 page(s) after "
                                 "it not asked for")


def test_a_shell_page_is_read_from_its_document():
    reports = assembler()
    shell = page("<html><head><title>浙江省某某局2023年政府信息公开工作年度报告</title></head>"
                 "<body><p>详见附件</p><a href='/files/2023.pdf'>年度报告.pdf</a></body></html>")
    links = list(anchor_links(shell.selector, shell.urljoin))
    request = first(reports, shell, report_documents(links, AGENCY_, URL))
    assert request.meta[ROLE] is Role.ATTACHMENT
    pdf = render_report_pdf(ReportSpec(agency="浙江省某某局", year=2023))
    answer = Response(request.url, body=pdf, request=request,
                      headers={"Content-Type": "application/pdf"})
    item = asyncio.run(reports.attachment(answer))
    assert item.read_from == request.url and item.requests
    assert item.attachments[0]["url"] == request.url and item.url == URL


@pytest.mark.parametrize(("flags", "said"), [
    (["dataloss"], "connection lost after 1"),
    (["compressed body cut short"], "compressed body cut short")])
def test_a_report_read_from_a_cut_download_is_partial_and_counted(flags, said):
    reports = assembler()
    html = report_html()
    item = first(reports, page(html[:len(html) // 3], flags=flags))
    assert item.partial and said in item.warnings[-1] and item.warnings[-1].startswith(
        f"partial: {URL}: ")
    account = reports.agencies.account("a")
    kind = "connection lost mid-body" if flags == ["dataloss"] else "compressed body cut short"
    assert account.partial.of("report") == {kind: 1}


def test_a_record_the_writer_could_not_write_is_said_in_the_item():
    reports = assembler()
    item = first(reports, page(report_html(), **{WARC_RECORD: PendingRecord("<urn:uuid:2>")}))
    assert item.warc is None
    assert item.warnings[-1] == "WARC record not written: only the id of record <urn:uuid:2> " \
                                "is known"


def test_nothing_read_is_the_agencys_loss_and_the_item_still_goes_out():
    reports = assembler()
    item = first(reports, page("<html><head><title>浙江省某某局2023年政府信息公开工作年度报告"
                               "</title></head><body></body></html>"))
    assert isinstance(item, ReportItem)
    assert reports.agencies.account("a").lost.of("report") == {"nothing read": 1}


def test_a_document_from_a_link_gets_the_links_title_and_its_record():
    reports = assembler()
    request = scrapy.Request("http://a.gov.cn/files/2023.pdf", meta={
        AGENCY: "a", ROLE: Role.DOCUMENT, "link_text": "浙江省某某局2023年政府信息公开工作年度报告",
        WARC_RECORD: PendingRecord.written(LOCATION)})
    pdf = render_report_pdf(ReportSpec(agency="浙江省某某局", year=2023))
    item = asyncio.run(reports.document(Response(request.url, body=pdf, request=request)))
    assert item.year == 2023 and item.warc == LOCATION and item.source_type == "pdf"

