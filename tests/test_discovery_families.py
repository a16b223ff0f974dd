"""Each CMS family's list reading and pagination, on markup shaped like the real thing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from scrapy.http import HtmlResponse, Request, TextResponse

from crawler.discovery.families import Hanweb, PageLinks, SiteGroupJson, Trs, detect_family
from tests.conftest import FIXTURES

HERE = Path(__file__).parent / "fixtures"


def page(url: str, body: str | bytes, meta: dict | None = None, status: int = 200,
         cls=HtmlResponse) -> TextResponse:
    body = body.encode("utf-8") if isinstance(body, str) else body
    request = Request(url, meta=meta or {})
    return cls(url=url, body=body, encoding="utf-8", request=request, status=status)


def form_of(request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.body.decode()).items()}


# ---------------------------------------------------------------- Hanweb JCMS
HANWEB_URL = "http://jshrss.jiangsu.gov.cn/col/col77280/index.html"


def test_hanweb_reads_the_records_embedded_as_cdata():
    response = page(HANWEB_URL, (HERE / "hanweb-column.html").read_bytes())
    links = Hanweb().links(response)
    assert [link.url for link in links] == [
        "http://jshrss.jiangsu.gov.cn/art/2025/1/24/art_77280_11512345.html",
        "http://jshrss.jiangsu.gov.cn/art/2024/1/26/art_77280_11234567.html",
        "http://jshrss.jiangsu.gov.cn/art/2023/1/30/art_77280_10987654.html"]
    assert links[0].text == "江苏省人力资源和社会保障厅2024年政府信息公开工作年度报告"


def test_hanweb_plans_every_dataproxy_post_from_the_page():
    response = page(HANWEB_URL, (HERE / "hanweb-column.html").read_bytes())
    requests = list(Hanweb().pages(response))
    # 40 records, 3 embedded, 15 per request (perPage 15 x groupSize 1)
    starts = [parse_qs(urlsplit(r.url).query)["startrecord"][0] for r in requests]
    assert starts == ["4", "19", "34"]
    first = requests[0]
    assert first.method == "POST"
    assert urlsplit(first.url).path == "/module/web/jpage/dataproxy.jsp"
    assert parse_qs(urlsplit(first.url).query) == {"startrecord": ["4"], "endrecord": ["18"],
                                                  "perpage": ["15"]}
    assert form_of(first) == {"col": "1", "appid": "1", "webid": "67", "path": "/",
                              "columnid": "77280", "sourceContentType": "1", "unitid": "303271",
                              "webname": "江苏省人力资源和社会保障厅", "permissiontype": "0"}


def test_hanweb_plans_a_last_group_of_one_record():
    """3 embedded, 15 a request: the 49th record is a group of its own, asked like the
    others (the page's and the API's plans alike)."""
    html = (HERE / "hanweb-column.html").read_text("utf-8").replace("totalRecord:40,",
                                                                     "totalRecord:49,")
    requests = list(Hanweb().pages(page(HANWEB_URL, html)))
    assert [parse_qs(urlsplit(r.url).query)["startrecord"][0] for r in requests] == [
        "4", "19", "34", "49"]
    undeclared = html.replace("totalRecord:49,", "")
    [first] = list(Hanweb().pages(page(HANWEB_URL, undeclared)))
    answer = (HERE / "hanweb-dataproxy.xml").read_text("utf-8")
    answer = re.sub(r"<totalrecord>\d+</totalrecord>", "<totalrecord>49</totalrecord>", answer)
    rest = list(Hanweb().api_pages(page(first.url, answer.encode("utf-8"), meta=first.meta,
                                        cls=TextResponse)))
    assert [parse_qs(urlsplit(r.url).query)["startrecord"][0] for r in rest] == [
        "19", "34", "49"]


def test_hanweb_without_declared_total_asks_once_then_plans_from_the_answer():
    html = (HERE / "hanweb-column.html").read_text("utf-8")
    html = html.replace("totalRecord:40,", "")
    html = html.replace("proxyUrl:'/module/web/jpage/dataproxy.jsp',", "")
    [first] = list(Hanweb().pages(page(HANWEB_URL, html)))
    # the proxy comes from the nextgroup link when the jpage call does not name it
    assert urlsplit(first.url).path == "/module/web/jpage/dataproxy.jsp"
    answer = page(first.url, (HERE / "hanweb-dataproxy.xml").read_bytes(), meta=first.meta,
                  cls=TextResponse)
    assert [link.url for link in Hanweb().api_links(answer)] == [
        "http://jshrss.jiangsu.gov.cn/art/2019/1/28/art_77280_7912345.html",
        "http://jshrss.jiangsu.gov.cn/art/2018/1/29/art_77280_7001234.html"]
    rest = list(Hanweb().api_pages(answer))
    assert [parse_qs(urlsplit(r.url).query)["startrecord"][0] for r in rest] == ["19", "34"]


def test_hanweb_tries_the_other_dataproxy_path_on_404():
    response = page(HANWEB_URL, (HERE / "hanweb-column.html").read_bytes())
    first = list(Hanweb().pages(response))[0]
    missing = page(first.url, b"<html>404</html>", meta=first.meta, status=404)
    [retry] = list(Hanweb().api_pages(missing))
    assert urlsplit(retry.url).path == "/module/jpage/dataproxy.jsp"
    assert urlsplit(retry.url).query == urlsplit(first.url).query
    assert form_of(retry) == form_of(first)
    again = page(retry.url, b"<html>404</html>", meta=retry.meta, status=404)
    assert list(Hanweb().api_pages(again)) == []  # both tried: give up


# -------------------------------------------------------------------- TRS WCM
TRS_PAGE = """<html><head><title>政府信息公开年报</title></head><body>
<ul><li><a href="./202401/t20240129_22334455.html">某某局2023年政府信息公开工作年度报告</a>
</li></ul>
<div class="page"><script>
var currentPage = {current};//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = 5//共多少页
createPageHTML(countPage, currentPage, "index", "html");
</script></div></body></html>"""


def test_trs_pages_counted_from_createpagehtml_variables():
    response = page("http://fgw.example.gov.cn/zwgk/xxgknb/index.html", TRS_PAGE.format(current=0))
    assert detect_family(response) == "trs"
    urls = [r.url for r in Trs().pages(response)]
    assert urls == [f"http://fgw.example.gov.cn/zwgk/xxgknb/index_{i}.html" for i in (1, 2, 3, 4)]


def test_trs_literal_arguments_and_only_the_first_page_plans():
    literal = '<script>createPageHTML(3, 0, "index", "shtml");</script>'
    urls = [r.url for r in Trs().pages(page("http://a.gov.cn/l/", literal))]
    assert urls == ["http://a.gov.cn/l/index_1.shtml", "http://a.gov.cn/l/index_2.shtml"]
    later = page("http://a.gov.cn/l/index_2.html", TRS_PAGE.format(current=2))
    assert list(Trs().pages(later)) == []


# ------------------------------------------------------------ site-group JSON
JIANGXI_URL = "http://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html"


def jiangxi_page(extra_script: str = "") -> HtmlResponse:
    body = (FIXTURES / "jiangxi-sthjt-column-page.html").read_text("utf-8")
    return page(JIANGXI_URL, body.replace("</head>", f"<script>{extra_script}</script></head>", 1))


def test_sitegroup_reads_the_real_jiangxi_article_list():
    response = jiangxi_page()
    assert detect_family(response) == "sitegroup"
    links = SiteGroupJson().links(response)
    urls = [link.url for link in links]
    assert ("http://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/content/"
            "content_1881355362445262848.html") in urls
    titles = {link.url: link.text for link in links}
    url = ("http://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/content/"
           "content_1951206363677671424.html")
    assert titles[url] == "《江西省生态环境分类执法监管办法》政策解读"
    # attachments listed with an article are links too
    assert ("http://sthjt.jiangxi.gov.cn/doc/ucap/1749973237782081536/document/20250801/"
            "WKgZu66N.pdf") in urls
    articles = [u for u in urls if "/content/content_" in u]
    assert len(articles) == len(set(articles)) == 50  # the 50 {"pc": ...} urls in the page
    # the list API is in commonfiles/utils.js, not in the page: nothing is guessed
    assert list(SiteGroupJson().pages(response)) == []


def test_sitegroup_posts_the_page_params_to_the_declared_api_and_plans_from_total():
    response = jiangxi_page("function loadPageData(params, id) {"
                            " $.ajax({ url: '/irs/front/list', type: 'POST' }); }")
    [second] = list(SiteGroupJson().pages(response))
    assert second.url == "http://sthjt.jiangxi.gov.cn/irs/front/list"
    assert second.method == "POST"
    body = json.loads(second.body)
    assert body["current"] == 2 and body["unitid"] == "380055"
    assert body["channelCode"] == ["col42150"] and body["perPage"] == "15"
    answer = {"code": 200, "data": {"total": 61, "list": [
        {"title": "江西省生态环境厅2019年政府信息公开工作年度报告", "pubDate": "2020-01-20 10:00",
         "urls": json.dumps({"pc": "/jxssthjt/col/col42150/content/content_1.html"})}]}}
    reply = page(second.url, json.dumps(answer, ensure_ascii=False), meta=second.meta,
                 cls=TextResponse)
    assert [(link.url, link.text) for link in SiteGroupJson().api_links(reply)] == [
        ("http://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/content/content_1.html",
         "江西省生态环境厅2019年政府信息公开工作年度报告")]
    rest = list(SiteGroupJson().api_pages(reply))
    assert [json.loads(r.body)["current"] for r in rest] == [3, 4, 5]  # 61 / 15 -> 5 pages
    later = page(rest[0].url, json.dumps(answer), meta=rest[0].meta, cls=TextResponse)
    assert list(SiteGroupJson().api_pages(later)) == []  # planned once


# ------------------------------------------------------- next / numbered links
def test_page_links_follow_next_and_numbered_links_of_the_same_list():
    html = """<ul><li><a href="/ndbg/2023.shtml">2023年报</a></li></ul>
    <div class="pager"><a href="index.shtml">首页</a> <span>1</span>
    <a href="index_2.shtml">2</a>
    <a href="index_3.shtml">3</a> <a href="index_2.shtml">下一页</a>
    <a href="index_3.shtml">尾页</a>
    <a href="/col/col99/index_7.shtml">7</a> <a href="http://other.gov.cn/index_2.shtml">下一页</a></div>"""
    response = page("http://fgw.example.gov.cn/fgw/gknb/index.shtml", html)
    urls = sorted({r.url for r in list(PageLinks().pages(response))})
    assert urls == ["http://fgw.example.gov.cn/fgw/gknb/index_2.shtml",
                    "http://fgw.example.gov.cn/fgw/gknb/index_3.shtml"]


def test_query_string_pagination_is_followed():
    html = '<a href="list.jsp?cid=5&page=2">2</a> <a href="list.jsp?cid=6&page=1">1</a>'
    response = page("http://a.gov.cn/list.jsp?cid=5&page=1", html)
    assert [r.url for r in list(PageLinks().pages(response))] == [
        "http://a.gov.cn/list.jsp?cid=5&page=2", "http://a.gov.cn/list.jsp?cid=6&page=1"]


def test_a_get_form_of_page_numbers_is_a_pager():
    """``<select name="page" onchange="this.form.submit()">`` and no page links: each page
    the form would ask for, hidden fields kept; the page shown (selected) not again."""
    html = """<ul><li><a href="/content/2023.html">2023年报</a></li></ul>
    <form method="get" action="ndbg.aspx"><input type="hidden" name="col" value="12">
      <select name="page" onchange="this.form.submit()"><option value="1" selected>1</option>
      <option value="2">2</option><option value="3">3</option></select></form>"""
    response = page("http://a.gov.cn/col/ndbg.aspx?col=12", html)
    assert [r.url for r in PageLinks().pages(response)] == [
        "http://a.gov.cn/col/ndbg.aspx?col=12&page=2", "http://a.gov.cn/col/ndbg.aspx?col=12&page=3"]


def test_a_page_box_beside_jump_is_a_pager_when_the_page_states_its_pages():
    """``<input name="page">`` and 跳转 (no 下一页 link): pages 1 … N when the list says
    共N页 or 第1/N页; without a stated count, nothing is guessed."""
    box = """<form action="" method="get"><input type="text" name="page" size="3">
      <input type="submit" value="跳转"></form>"""
    url = "http://a.gov.cn/zwgk/ndbg/index.jhtml"
    stated = page(url, f"<div>共3条记录 第1/2页 首页 上一页 {box}</div>")
    assert [r.url for r in PageLinks().pages(stated)] == [
        "http://a.gov.cn/zwgk/ndbg/index.jhtml?page=1", "http://a.gov.cn/zwgk/ndbg/index.jhtml?page=2"]
    assert list(PageLinks().pages(page(url, f"<div>{box}</div>"))) == []
    search = box.replace("跳转", "搜索").replace('name="page"', 'name="q"')
    assert list(PageLinks().pages(page(url, f"<div>共2页 {search}</div>"))) == []
    # a site search with GO beside its box, on a page saying 共12000页: no 12,000 requests
    go = """<form action="/search.jsp"><input name="searchword"><input type=submit value="GO">
      </form>"""
    assert list(PageLinks().pages(page(url, f"<div>共 12000 页 {go}</div>"))) == []


def test_a_form_pager_sends_its_page_once_and_a_months_numbers_are_no_pager():
    form = """<form method="get" action="list.jsp"><input type="hidden" name="page" value="1">
      <input type="hidden" name="col" value="7"><select name="page" onchange="submit()">
      <option value="1" selected>1</option><option value="2">2</option></select></form>"""
    assert [r.url for r in PageLinks().pages(page("http://a.gov.cn/list.jsp", form))] == [
        "http://a.gov.cn/list.jsp?col=7&page=2"]
    months = """<form method="get" action="list.jsp"><select name="month" onchange="submit()">
      <option value="1">1</option><option value="2">2</option><option value="3">3</option>
      </select></form>"""
    assert list(PageLinks().pages(page("http://a.gov.cn/list.jsp", months))) == []


def test_a_search_forms_choices_and_a_post_form_are_no_pager():
    html = """<form method="get" action="/search.do"><input name="q">
      <select name="year"><option>2024</option><option>2023</option></select>
      <select name="kind"><option value="1">全部</option><option value="2">文件</option>
      </select></form>
    <form method="post" action="list.aspx"><select name="page" onchange="this.form.submit()">
      <option value="1">1</option><option value="2">2</option></select></form>"""
    assert list(PageLinks().pages(page("http://a.gov.cn/list.aspx", html))) == []


# ------------------------------------------------------------------ detection
def test_families_detected_on_real_pages():
    shuyang = (FIXTURES / "shuyang-fgj-2023-report.html").read_bytes()
    assert detect_family(page("http://www.shuyang.gov.cn/sygfj/gknb/202401/"
                              "2ecfb31a335f4d689220a3a23e24a986.shtml", shuyang)) == "ucap"
    hanweb = (HERE / "hanweb-column.html").read_bytes()
    assert detect_family(page(HANWEB_URL, hanweb)) == "hanweb"
    assert detect_family(page("http://a.gov.cn/", "<html><a href='/x'>x</a></html>")) is None
