"""Integrity signals: injected spam, tables published as pictures, years that disagree."""

from __future__ import annotations

import re

from ..discovery.text import arabic_years, report_year

__all__ = ["first_year", "spam_flags", "statistics_year", "year_flags"]

# Gambling / SEO vocabulary injected into hacked or mirrored copies of government
# pages. One strong term is enough; common words need a second one nearby.
_STRONG = re.compile(
    r"上分|现金\s*app|体育娱乐|娱乐平台|博彩|百家乐|真人娱乐|真人视讯|棋牌游戏|时时彩|北京赛车|"
    r"六合彩|赌场|赌博网|网上赌|投注|下注|bet\s*365|bst\s*365|365bet|葡京|威尼斯人|太阳城|"
    r"金沙娱乐|菠菜|娱乐城|开户送|注册送|彩金|电子游艺|老虎机|捕鱼游戏", re.IGNORECASE)
_WEAK = re.compile(r"app下载|客服微信|微信号|澳门|彩票|娱乐|官网|注册|充值|提现|返水",
                   re.IGNORECASE)


def spam_flags(text: str) -> list[str]:
    strong = {m.group(0) for m in _STRONG.finditer(text)}
    weak = {m.group(0) for m in _WEAK.finditer(text)}
    if not strong and len(weak) < 3:
        return []
    match = _STRONG.search(text) or _WEAK.search(text)
    if match is None:  # pragma: no cover - a term was found above
        return []
    start, end = max(0, match.start() - 20), min(len(text), match.end() + 30)
    snippet = re.sub(r"\s+", " ", text[start:end])
    terms = ", ".join(sorted(strong | weak))
    return [f"injected_spam: gambling/SEO terms ({terms}) in the text: …{snippet}…"]


_PERIOD = re.compile(r"((?:19|20)\d\d)\s*年\s*(?:1|01)\s*月\s*(?:1|01)\s*日\s*(?:起\s*)?"
                     r"(?:至|到|-|—|～|~)")
_YEAR_OF = re.compile(r"((?:19|20)\d\d)\s*年\s*度")  # 2021年度
# a heading: the year, then (no other number on the way) what the report is
_HEADING = re.compile(r"((?:19|20)\d\d)\s*年\s*度?[^\n\d]{0,40}?(?:年度报告|年报|工作报告)")
_CN_NUMERALS = "〇○零一二三四五六七八九十"
_CN_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")}  # a month's, a day's digits
_CN_MONTH_DAY = re.compile(r"([一二三四五六七八九十]{1,3})\s*(月|日)")
_SPACED = re.compile(rf"(?<=[\d{_CN_NUMERALS}年月日])\s+(?=[\d{_CN_NUMERALS}年月日度])")


def _normal(text: str) -> str:
    """Dates as digits: full-width digits, Chinese numerals (二〇二一年一月一日, the
    year and its month and day), and the spaces a PDF puts between characters."""
    text = text.translate({0xFF10 + i: ord("0") + i for i in range(10)})
    text = _SPACED.sub("", text)

    def small(match: re.Match[str]) -> str:
        digits = match.group(1)
        if digits == "十":
            value = 10
        elif digits.startswith("十"):
            value = 10 + _CN_VALUE[digits[1]]
        elif digits.endswith("十"):
            value = _CN_VALUE[digits[0]] * 10
        elif "十" in digits:
            value = _CN_VALUE[digits[0]] * 10 + _CN_VALUE[digits[2]]
        else:
            value = _CN_VALUE[digits[0]]
        return f"{value}{match.group(2)}"

    return _CN_MONTH_DAY.sub(small, arabic_years(text))


def statistics_year(text: str) -> int | None:
    """The year the statistics period starts (统计期限自2021年1月1日起至…), or None."""
    period = _PERIOD.search(_normal(text))
    return int(period.group(1)) if period else None


def first_year(text: str) -> int | None:
    """The report year from the body when the title has none: the statistics period,
    else a heading line that names a year (二〇二一年度…年度报告), else the first
    ``2021年度``, else the first year in the opening lines."""
    text = _normal(text)
    period = _PERIOD.search(text)
    if period:
        return int(period.group(1))
    heading = _HEADING.search(text[:2000])
    if heading:
        return int(heading.group(1))
    of = _YEAR_OF.search(text[:2000])
    if of:
        return int(of.group(1))
    return report_year(text[:300])


def year_flags(title_year: int | None, text: str, publish_date: str | None) -> list[str]:
    flags = []
    period = statistics_year(text)
    if title_year and period and period != title_year:
        flags.append(f"year_mismatch: the title says {title_year}, the statistics period "
                     f"starts {period}-01-01")
    if title_year and publish_date and int(publish_date[:4]) <= title_year:
        flags.append(f"published_early: a {title_year} report published on {publish_date}, "
                     f"before the year was over")
    return flags

