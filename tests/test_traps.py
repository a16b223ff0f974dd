"""URL spaces that never end (``crawler.discovery.traps``), decoded charsets and cut
compressed bodies: rules that name no site."""

from __future__ import annotations

import gzip
import zlib

import pytest

from crawler.discovery.traps import TemplateTally, is_search_url, url_template
from crawler.extract.encoding import decode_html, read_encoding
from crawler.middlewares.compression import stream_complete

REPORT_TEXT = "<title>浙江省财政厅2023年政府信息公开工作年度报告</title><p>一、总体情况</p>"


@pytest.mark.parametrize(("url", "search"), [
    ("http://slt.x.gov.cn/search.do?q=政府信息公开年报&p=3", True),
    ("http://www.x.gov.cn/jsearch/search.do?appid=1&pos=title&q=年报", True),
    ("http://www.x.gov.cn/module/search/index.jsp?type=ndbg", True),
    ("http://www.x.gov.cn/was5/web/sousuo?channelid=2&searchword=年报", True),
    ("http://www.x.gov.cn/list.jsp?keyword=年度报告", True),
    ("http://www.x.gov.cn/col/col1229251/index.html", False),
    ("http://www.x.gov.cn/zwgk/xxgknb/index_2.html", False),
    ("http://www.x.gov.cn/list.jsp?q=", False),  # an empty search term asks nothing
    ("http://www.x.gov.cn/gkmlpt/annualreport", False),
])
def test_a_site_search_is_told_by_its_path_or_its_search_term(url, search):
    assert is_search_url(url) is search


def test_pages_of_one_pager_share_a_template_and_other_pages_do_not():
    assert url_template("http://a.gov.cn/search.do?q=年报&p=7") == \
        url_template("http://a.gov.cn/search.do?p=8&q=公开") == "a.gov.cn/search.do?p=*&q=*"
    assert url_template("http://a.gov.cn/col/index_12.html") == "a.gov.cn/col/index_*.html"
    assert url_template("http://a.gov.cn/col/index.html") != \
        url_template("http://a.gov.cn/col/index_2.html")


def test_a_template_is_a_trap_after_so_many_barren_pages_in_a_row():
    tally = TemplateTally()
    for _ in range(9):
        tally.page(new_reports=0)
    assert not tally.is_trap(10)
    tally.page(new_reports=1)  # a page that gave something starts the count again
    for _ in range(9):
        tally.page(new_reports=0)
    assert not tally.is_trap(10)
    tally.page(new_reports=0)
    assert tally.is_trap(10) and not tally.is_trap(0)  # 0: never a trap


def test_an_unknown_charset_is_passed_over_and_said():
    body = f"<html><head>{REPORT_TEXT}</head></html>".encode("gbk")
    text, name, warnings = decode_html(body, "x-nonexistent-9")
    assert name == "gb18030" and "浙江省财政厅2023年" in text
    assert warnings == ["declared charset 'x-nonexistent-9' is unknown; passed over"]


def test_a_charset_the_bytes_are_not_in_is_said():
    body = f"<html><head>{REPORT_TEXT}</head></html>".encode("gbk")
    name, warnings = read_encoding(body, "utf-8")
    assert name == "gb18030"
    assert warnings == ["declared utf-8, but the bytes are not; read as gb18030"]
    assert read_encoding(body, "gbk") == ("gb18030", [])  # said right: nothing to say
    assert read_encoding(REPORT_TEXT.encode(), "gb2312")[1] == [
        "declared gb18030, but the bytes are UTF-8; read as UTF-8"]


def test_a_compressed_body_cut_short_is_told_from_a_whole_one():
    page = REPORT_TEXT.encode() * 400
    whole = gzip.compress(page)
    assert stream_complete(whole, b"gzip") is True
    assert stream_complete(whole[: len(whole) // 2], b"gzip") is False
    assert stream_complete(zlib.compress(page), b"deflate") is True
    assert stream_complete(zlib.compress(page)[:40], b"deflate") is False
    assert stream_complete(b"\x00\x01", b"br") is None  # not ours to judge
    bomb = gzip.compress(bytes(20 * 2**20))  # 20 MiB of zeros in 20 KB
    assert stream_complete(bomb, b"gzip", max_size=2**20) is None  # Scrapy refuses it
