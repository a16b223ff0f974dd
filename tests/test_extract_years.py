"""The report year from the body when the title names none (crawler/extract/integrity.py):
Chinese numerals, the statistics period, headings, and the spaces PDFs put between
characters. As a table: no crawl."""

from __future__ import annotations

import pytest

from crawler.extract.integrity import first_year, statistics_year, year_flags

BODIES = [
    ("某某局\n二〇二一年度政府信息公开工作年度报告\n一、总体情况", 2021),
    ("本报告统计期限自二〇二一年一月一日起至二〇二一年十二月三十一日止。", 2021),
    ("本报告中所列数据的统计期限自２０２２年１月１日起至２０２２年１２月３１日止。", 2022),
    ("统 计 期 限 自 2 0 2 3 年 1 月 1 日 起 至 2 0 2 3 年 1 2 月 3 1 日 止", 2023),
    ("首页 > 信息公开 > 年报 发布时间：2022年01月20日 浏览次数：" + "导航" * 120
     + "\n本机关2021年度政府信息公开工作年度报告\n一、总体情况", 2021),
    ("二零一九年度，本局认真贯彻落实《条例》……", 2019),
    ("统计期限为2020年01月01日—2020年12月31日。", 2020),
    ("一、总体情况\n本年度共收到申请3件。", None),
]


@pytest.mark.parametrize(("text", "year"), BODIES)
def test_the_year_is_read_from_the_body(text: str, year: int | None) -> None:
    assert first_year(text) == year


def test_the_statistics_period_in_chinese_numerals_checks_the_title() -> None:
    text = "统计期限自二〇二〇年一月一日起至二〇二〇年十二月三十一日止"
    assert statistics_year(text) == 2020
    assert year_flags(2021, text, None) == [
        "year_mismatch: the title says 2021, the statistics period starts 2020-01-01"]
    assert year_flags(2020, text, "2021-01-20") == []
