"""The variants of each CMS family that real sites write, read as their own scripts read
them: on the real pages in ``tests/fixtures/real`` where they exist, on markup shaped
like the public pages of these CMSs otherwise."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse, Request, TextResponse

from crawler.agencies.registry import Agency
from crawler.discovery import (
    Link,
    Role,
    anchor_links,
    is_report_title,
    link_role,
    report_year,
    unique_links,
    url_key,
)
from crawler.discovery.escalation import PageView, page_escalation
from crawler.discovery.families import (
    FAMILIES,
    Gkmlpt,
    Hanweb,
    PageLinks,
    SiteGroupJson,
    Trs,
    detect_family,
)
from crawler.discovery.reports import order_documents, report_parts
from crawler.meta import FRAGMENT
from tests.conftest import FIXTURES
from tests.test_discovery_families import HANWEB_URL, HERE, form_of, page

AGENCY = Agency("a", "福建省", "某局", "http://www.pingtan.gov.cn/", ("www.pingtan.gov.cn",))


def real(name: str, url: str, meta: dict | None = None) -> HtmlResponse:
    return page(url, (FIXTURES / name).read_bytes(), meta=meta)


def starts(requests) -> list[str]:
    return [parse_qs(urlsplit(r.url).query)["startrecord"][0] for r in requests]


# ---------------------------------------------------------------- Hanweb
def hanweb_variant(**changes: str) -> HtmlResponse:
    html = (HERE / "hanweb-column.html").read_text("utf-8")
    for old, new in changes.items():
        assert old in html, old
        html = html.replace(old, new)
    return page(HANWEB_URL, html)


PARAMS = ("ajaxParam:{col:1,appid:1,webid:67,path:'/',columnid:77280,sourceContentType:1,"
          "unitid:'303271',webname:'江苏省人力资源和社会保障厅',permissiontype:0}")


def test_hanweb_params_named_by_a_variable_with_quoted_keys():
    variable = ('var jpageParam402875 = {"col":1,"appid":"1",\'webid\':67,"path":"/",'
                '"columnid":77280,"sourceContentType":1,"unitid":"303271",'
                '"webname":"江苏省人力资源和社会保障厅","permissiontype":0};\n')
    response = hanweb_variant(**{"$(document).ready(": variable + "$(document).ready(",
                                 PARAMS: "ajaxParam: jpageParam402875"})
    requests = list(Hanweb().pages(response))
    assert starts(requests) == ["4", "19", "34"]
    assert form_of(requests[0])["columnid"] == "77280"
    assert form_of(requests[0])["unitid"] == "303271"


def test_hanweb_values_only_in_the_nextgroup_link_and_perpage_in_lower_case():
    response = hanweb_variant(**{PARAMS + "\n": "", "perPage:15": "perpage:10",
                                 "proxyUrl:'/module/web/jpage/dataproxy.jsp',": ""})
    requests = list(Hanweb().pages(response))
    assert starts(requests) == ["4", "14", "24", "34"]  # 10 a request, groupSize 1
    assert urlsplit(requests[0].url).path == "/module/web/jpage/dataproxy.jsp"
    assert form_of(requests[0])["columnid"] == "77280"  # from the nextgroup link's query
    assert "page" not in form_of(requests[0])  # its paging keys are not form fields


def test_hanweb_size_is_what_the_page_says_and_embeds():
    size = Hanweb().size(page(HANWEB_URL, (HERE / "hanweb-column.html").read_bytes()))
    assert (size.here, size.records) == (3, 40)
    answer = page("http://jshrss.jiangsu.gov.cn/module/web/jpage/dataproxy.jsp",
                  (HERE / "hanweb-dataproxy.xml").read_bytes(), cls=TextResponse)
    assert Hanweb().api_size(answer).here == 2


def test_a_real_hanweb_article_is_no_list():
    response = real("hanweb-fgw-zj-article.dom.html",
                    "http://fzggw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html")
    assert list(Hanweb().pages(response)) == [] and Hanweb().size(response) is None


# ------------------------------------------------------------------- TRS
def test_real_trs_site_group_column_states_20_records_and_pages_statically():
    """平潭 (Fujian 集约化): 10 static records, listModel says 20 at 10 a page, page
    index up to maxStaticIndex=1 static."""
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/index.htm"
    response = real("trs-fujian-pingtan-zfxxgknb-column.html", url)
    assert detect_family(response) == "trs"
    size = Trs().size(response)
    assert (size.records, size.pages, size.unread) == (20, 2, None)
    assert [r.url for r in list(Trs().pages(response))] == [
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/index_1.htm"]
    reports = [link for link in unique_links(anchor_links(response.selector, response.urljoin))
               if link_role(link.url, link.text, Role.LIST, AGENCY) is Role.REPORT]
    assert sorted(report_year(link.text) for link in reports) == list(range(2016, 2026))
    later = real("trs-fujian-pingtan-zfxxgknb-column.html", url.replace("index.htm",
                                                                       "index_1.htm"))
    assert list(Trs().pages(later)) == []  # only the first page plans


def test_trs_site_group_pages_beyond_the_static_ones_are_named_unread():
    html = (FIXTURES / "trs-fujian-pingtan-zfxxgknb-column.html").read_text("utf-8")
    html = html.replace("recordCount: '20'", "recordCount: '45'")
    size = Trs().size(page("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/index.htm", html))
    assert size.pages == 5 and size.unread == "pages 3-5 only through the site's search service"


def test_real_trs_inline_pager_and_its_mixed_column():
    """鄂尔多斯恩格贝: ``var countPage = 2`` and document.write; most of the column is news.
    (Its sidecar says 5 of the 10 records are reports; the page has 4, which it names.)"""
    url = "http://www.egb.gov.cn/xxgk/xxgknb/index.html"
    response = real("trs-ordos-egb-xxgknb-column.dom.html", url)
    assert Trs().size(response).pages == 2
    assert [r.url for r in list(Trs().pages(response))] == ["http://www.egb.gov.cn/xxgk/xxgknb/index_1.html"]
    agency = Agency("o", "内蒙古自治区", "恩格贝", url, ("www.egb.gov.cn",))
    roles = [link_role(link.url, link.text, Role.LIST, agency)
             for link in unique_links(anchor_links(response.selector, response.urljoin))
             if re.search(r"/xxgknb/20\d{4}/t\d{8}_\d+\.html$", link.url)]
    assert len(roles) == 10
    assert roles.count(Role.REPORT) == 4 and roles.count(None) == 6  # news: not followed


# ------------------------------------------------------------ JSON APIs
def test_real_haiyun_column_says_its_list_needs_what_only_its_script_computes():
    """吉林 海云: no record in the page; the search API's params hold run-time values."""
    response = real("trs-haiyun-ggzyzx-jl-zbgg-column.html",
                    "http://www.ggzyzx.jl.gov.cn/jyxx/zfcg/zbgg/index.html")
    family = SiteGroupJson()
    assert family.detect(response) and family.links(response) == []
    assert list(family.pages(response)) == []  # never a made-up request
    size = family.size(response)
    assert size.here == 0
    assert size.unread.startswith("list API https://haiyun.jl.gov.cn/irs/front/search needs "
                                  "values the page computes (")
    assert "customFilter.properties[0].value" in size.unread


def test_a_site_group_api_without_embedded_records_starts_at_its_first_page():
    html = """<html><body><div id="list"></div><script>
    var params = { code: "1892dd01822", pageNo: 1, pageSize: 10, channelId: "69308" };
    $.ajax({ url: "/irs/front/search", type: "post", data: JSON.stringify(params) });
    </script></body></html>"""
    [first] = list(SiteGroupJson().pages(page("http://a.gov.cn/col/index.html", html)))
    assert json.loads(first.body) == {"code": "1892dd01822", "pageNo": 1, "pageSize": 10,
                                      "channelId": "69308"}
    records = [{"data": {"title": f"某局{y}年政府信息公开工作年度报告", "url": f"/art/{y}.html"}}
               for y in (2024, 2023)]
    answer = {"data": {"pager": {"pageNo": 1, "pageCount": 3, "total": 25},
                       "middle": {"listAndBox": records}}}
    reply = page(first.url, json.dumps(answer, ensure_ascii=False), meta=first.meta,
                 cls=TextResponse)
    assert [link.url for link in SiteGroupJson().api_links(reply)] == [
        "http://a.gov.cn/art/2024.html", "http://a.gov.cn/art/2023.html"]
    assert SiteGroupJson().api_size(reply).records == 25
    assert [json.loads(r.body)["pageNo"] for r in list(SiteGroupJson().api_pages(reply))] == [2, 3]


GKMLPT = """<html><head><title>政府信息公开年报</title></head><body><div id="app"></div>
<script>window._CONFIG = { SID: '175', BASE: '/gkmlpt/' };</script></body></html>"""


def test_gkmlpt_lists_come_from_its_api_catalogue_and_site_ids():
    url = "http://whly.gd.gov.cn/gkmlpt/annualreport"
    response = page(url, GKMLPT, meta={FRAGMENT: "2629"})
    assert detect_family(response) == "gkmlpt"
    [first] = list(Gkmlpt().pages(response))
    assert first.url == "http://whly.gd.gov.cn/gkmlpt/api/all/2629?page=1&sid=175"
    articles = [{"id": n, "title": f"广东省文化和旅游厅{2024 - n}年政府信息公开工作年度报告",
                 "url": f"http://whly.gd.gov.cn/gkmlpt/content/4/{n}/post_{n}.html#2629"}
                for n in range(4)]
    reply = page(first.url, json.dumps({"total": 10, "articles": articles}, ensure_ascii=False),
                 meta=first.meta, cls=TextResponse)
    links = Gkmlpt().api_links(reply)
    assert len(links) == 4 and all(is_report_title(link.text) for link in links)
    assert (Gkmlpt().api_size(reply).here, Gkmlpt().api_size(reply).records) == (4, 10)
    assert [r.url.split("?")[1] for r in list(Gkmlpt().api_pages(reply))] == [
        "page=2&sid=175", "page=3&sid=175"]
    lost = page(url, GKMLPT)  # no catalogue: said, not guessed
    assert list(Gkmlpt().pages(lost)) == [] and Gkmlpt().size(lost).unread


# ---------------------------------------------------------------- pagers
def pager_urls(html: str, url: str = "http://a.gov.cn/ndbg/index.html") -> list[str]:
    return sorted({r.url for r in list(PageLinks().pages(page(url, html)))})


def test_real_jeecms_pager_in_onclick_and_its_stated_size():
    url = "http://www.yctravel.gov.cn/lykb/index_6.jhtml"
    response = real("jeecms-yctravel-lykb-column-p6.html", url)
    urls = {r.url for r in list(PageLinks().pages(response))}
    assert {"http://www.yctravel.gov.cn/lykb/index_5.jhtml",
            "http://www.yctravel.gov.cn/lykb/index_7.jhtml",
            "http://www.yctravel.gov.cn/lykb/index_66.jhtml"} <= urls
    size = PageLinks().size(response)
    assert (size.records, size.pages) == (1648, 66)


@pytest.mark.parametrize("script", [
    "function goPage(n){ if(n==1){location.href='index.html';}"
    "else{location.href='index_'+n+'.html';} }",
    "var toPage = function(p) { window.location.href = 'list_' + (p - 1) + '.shtml'; };",
])
def test_javascript_pagers_are_turned_in_the_browser_not_read_from_their_function(script):
    """A pager whose page numbers call the page's own script (``goPage(2)``): no URL is
    guessed from the function's body (the browser turns it as a reader does); the page
    goes to the browser as a ``script pager``."""
    name = "goPage" if "goPage" in script else "toPage"
    html = (f'<html><body><ul><li><a href="/a.html">某通知</a></li></ul>'
            f'<a href="javascript:{name}(1)">1</a> <a href="javascript:{name}(2)">2'
            f'</a> <a href="#" onclick="{name}(3)">3</a><script>{script}</script></body></html>')
    assert pager_urls(html) == []
    assert page_escalation(PageView(200, html, "list", 1)) == "script pager"


def test_query_pages_and_stated_page_count():
    html = """<html><body><a href="list.jsp?id=7&page=2">2</a>
    <a href="list.jsp?id=7&page=3">下一页</a><span>共3页</span></body></html>"""
    url = "http://a.gov.cn/ndbg/list.jsp?id=7&page=1"
    assert pager_urls(html, url) == ["http://a.gov.cn/ndbg/list.jsp?id=7&page=2",
                                    "http://a.gov.cn/ndbg/list.jsp?id=7&page=3"]
    assert PageLinks().size(page(url, html)).pages == 3


# ---------------------------------------------------- links on a page
def test_a_more_link_takes_its_box_title():
    html = """<div class="box"><div class="hd"><span>政府信息公开年报</span>
      <a href="/col/col7/index.html">更多&gt;&gt;</a></div><ul><li><a href="/a.html">某通知</a>
      </li></ul></div><div class="box"><h3>通知公告</h3><a href="/tz/">[更多]</a></div>"""
    links = {link.url: link.text for link in anchor_links(Selector(text=html),
                                                          lambda h: f"http://a.gov.cn{h}")}
    column = "http://a.gov.cn/col/col7/index.html"
    assert links[column] == "政府信息公开年报 更多>>"
    assert link_role(column, links[column], Role.AREA, AGENCY) is Role.LIST
    assert link_role("http://a.gov.cn/tz/", links["http://a.gov.cn/tz/"], Role.AREA,
                     AGENCY) is None


def test_documents_in_viewers_iframes_embeds_and_objects():
    html = """<iframe src="/pdfjs/web/viewer.html?file=/u/2023nb.pdf"></iframe>
      <embed src="/u/2022nb.pdf" type="application/pdf"><object data="/u/2021nb.pdf"></object>
      <a href="/js/viewer.html?file=%2Fu%2F2020nb.pdf">2020年报告</a>
      <a href="/module/download/downfile.jsp?filename=2019nb.pdf">2019年报告</a>"""
    urls = [link.url for link in anchor_links(Selector(text=html),
                                              lambda h: f"http://a.gov.cn{h}")]
    assert sorted(urls) == ["http://a.gov.cn/module/download/downfile.jsp?filename=2019nb.pdf",
                            "http://a.gov.cn/u/2020nb.pdf", "http://a.gov.cn/u/2021nb.pdf",
                            "http://a.gov.cn/u/2022nb.pdf", "http://a.gov.cn/u/2023nb.pdf"]


def test_a_viewer_link_shown_by_the_browser_is_the_document_it_shows():
    """Links a rendered page showed (a frame's list, a row clicked) go through the same
    rule as a page's anchors: the viewer's ``file=`` is the report's own URL."""
    shown = [Link("http://a.gov.cn/static/pdfjs/web/viewer.html?file=/upload/2023/nb.pdf",
                  "某局2023年政府信息公开工作年度报告")]
    assert [link.url for link in unique_links(shown)] == ["http://a.gov.cn/upload/2023/nb.pdf"]
    at_page = [Link("http://a.gov.cn/pdfjs/web/viewer.html?file=/u/2022nb.pdf#page=1", "")]
    assert [link.url for link in unique_links(at_page)] == ["http://a.gov.cn/u/2022nb.pdf"]


def test_one_page_under_several_urls_is_one_page():
    base = "http://a.gov.cn/xxgk/ndbg/2023/"
    same = [base, base + "index.html", base + "index.html;jsessionid=8F2C1D",
            base + "index.html?_t=1706000000000", base + "#top", "HTTP://A.gov.cn:80/xxgk/ndbg/2023/"]
    assert len({url_key(url) for url in same}) == 1
    links = [Link(url, "某局2023年政府信息公开年度报告") for url in same]
    assert [link.url for link in unique_links(links)] == [base]
    assert url_key(base + "index.html?id=3") != url_key(base)  # a real query stays


def test_reports_split_over_pages():
    url = "http://fgw.fujian.gov.cn/zwgk/xxgknb/202401/t20240125_123.htm"
    code = 'createPageHTML(3, 0, "t20240125_123", "htm");'
    assert report_parts(url, [], code) == [
        "http://fgw.fujian.gov.cn/zwgk/xxgknb/202401/t20240125_123_1.htm",
        "http://fgw.fujian.gov.cn/zwgk/xxgknb/202401/t20240125_123_2.htm"]
    linked = "http://www.gd.gov.cn/zwgk/content/post_9.html"
    links = [Link("http://www.gd.gov.cn/zwgk/content/post_9_2.html", "2"),
             Link("http://www.gd.gov.cn/zwgk/content/post_9_3.html", "下一页"),
             Link("http://www.gd.gov.cn/zwgk/content/post_10.html", "2")]
    assert report_parts(linked, links, "") == ["http://www.gd.gov.cn/zwgk/content/post_9_2.html",
                                              "http://www.gd.gov.cn/zwgk/content/post_9_3.html"]
    shanxi = (FIXTURES / "trs-shanxi-gov-article.html").read_text("utf-8")
    code = "\n".join(re.findall(r"<script[^>]*>(.*?)</script>", shanxi, re.S))
    assert report_parts("http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml", [],
                        code) == []  # createPageHTML(1, 0, ...): one page


def test_the_pdf_of_a_report_published_as_ofd_and_pdf_is_read_first():
    links = [Link("http://a.gov.cn/u/1.ofd", "x"), Link("http://a.gov.cn/u/1.pdf", "x"),
             Link("http://a.gov.cn/u/1.doc", "x")]
    assert [link.url[-3:] for link in order_documents(links)] == ["pdf", "doc", "ofd"]


@pytest.mark.parametrize(("text", "role"), [
    ("2024年", Role.LIST), ("二〇二三年", Role.LIST), ("2022年度", Role.LIST),
    ("2024年1月", None), ("福建省生态环境厅2024年政府信息公开工作年度报告解读", None)])
def test_per_year_sub_columns(text, role):
    assert link_role("http://a.gov.cn/col/col5024/index.html", text, Role.LIST, AGENCY) is role


def test_every_family_answers_every_page_and_only_its_own():
    """A family reads its own markers and gives nothing on a page without them (and never
    fails): the site group's column records are the site group's alone, a Ucap report
    page and a plain article list nothing."""
    readers = {"jiangxi-sthjt-column-page.html": "sitegroup",
               "shuyang-fgj-2023-report.html": "ucap", "gansu-fzgg-article.html": None}
    for name, reader in readers.items():
        response = real(name, "http://a.gov.cn/x/index.html")
        assert detect_family(response) == reader, name
        for family in FAMILIES:
            said = (family.links(response), list(family.pages(response)),
                    family.size(response))
            if family.name == reader == "sitegroup":
                assert len(said[0]) > 20 and all(link.url for link in said[0])
            else:
                assert said == ([], [], None), (name, family.name, said)
    request = Request("http://a.gov.cn/api", meta={"list_plan": {"page": 1, "params": {}}})
    broken = TextResponse("http://a.gov.cn/api", body=b"not json", request=request)
    assert SiteGroupJson().api_links(broken) == [] and SiteGroupJson().api_size(broken) is None
