"""Reports that exist only in an app (crawler/discovery/apparticle.py): the article in an
article API's JSON answer, whatever the API names its fields, as tables. No crawl."""

from __future__ import annotations

import json

import pytest

from crawler.discovery.apparticle import AppArticle, article_page, json_article
from crawler.extract.html import read_html

TITLE = "四川省交通运输厅2023年政府信息公开工作年度报告"
BODY = ("<p>本报告根据《中华人民共和国政府信息公开条例》编制。</p><p>一、总体情况</p>"
        + "<p>2023年，本机关认真贯彻落实《条例》。</p>" * 6
        + "<table><tr><td>信息内容</td><td>本年制发件数</td></tr>"
          "<tr><td>规章</td><td>3</td></tr></table>")


def _json(data: object, encoding: str = "utf-8") -> bytes:
    return json.dumps(data, ensure_ascii=False).encode(encoding)


ANSWERS = [
    (_json({"code": 200, "data": {"id": 7, "title": TITLE, "content": BODY,
                                  "publishTime": "2024-01-20 10:00:00"}}), "2024-01-20"),
    (_json({"result": {"article": {"biaoti": TITLE, "zhengwen": BODY, "fbrq": "2024/01/22"}}}),
     "2024/01/22"),
    (_json({"success": True, "obj": [{"info": {"name": TITLE, "date": "2024-01-23"},
                                      "body": {"html": BODY}}]}), "2024-01-23"),
    (_json({"data": {"wzbt": TITLE, "wznr": BODY}}, "gb18030"), None),  # a GBK API
    (b"\xef\xbb\xbf" + _json({"data": {"title": TITLE,
                                        "txt": "一、总体情况\n" + "全年共收到申请。\n" * 30}}),
     None),  # plain text, and a BOM
]


@pytest.mark.parametrize(("body", "date"), ANSWERS)
def test_the_article_is_found_whatever_the_api_calls_its_fields(body: bytes,
                                                                date: str | None) -> None:
    article = json_article(body)
    assert article is not None
    assert article.title == TITLE and article.date == date
    assert "总体情况" in article.content


NOT_ARTICLES = [
    _json({"code": 200, "data": {"total": 3, "records": [
        {"id": i, "title": f"四川省交通运输厅{y}年政府信息公开工作年度报告",
         "publishTime": "2024-01-20"}
        for i, y in enumerate((2023, 2022, 2021))]}}),  # a list: titles, no content
    _json({"data": {"title": "关于印发工作要点的通知", "content": BODY}}),  # not a report
    b"<html><body>404</body></html>",
    b"{not json",
    _json([1, 2, 3]),
]


@pytest.mark.parametrize("body", NOT_ARTICLES)
def test_lists_menus_and_other_articles_are_no_report(body: bytes) -> None:
    assert json_article(body) is None


def test_the_article_page_reads_as_a_report_page() -> None:
    """What the extractor gets: the title, the date, the sections and the table."""
    page = article_page(AppArticle(TITLE, BODY, "2024-01-20"))
    doc = read_html(page.encode(), "utf-8")
    assert doc.title == TITLE and doc.publish_date == "2024-01-20"
    assert "总体情况" in doc.text
    plain = article_page(AppArticle(TITLE, "一、总体情况\n全年<共>收到申请。", None))
    assert "<p>全年&lt;共&gt;收到申请。</p>" in plain
