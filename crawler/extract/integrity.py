"""Integrity signals: injected spam, tables published as pictures, years that disagree."""

from __future__ import annotations

import re

from ..discovery.text import report_year

__all__ = ["spam_flags", "year_flags"]

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


_PERIOD = re.compile(r"((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?(?:至|到|-|—)")


def year_flags(title_year: int | None, text: str, publish_date: str | None) -> list[str]:
    flags = []
    period = _PERIOD.search(text)
    if title_year and period and int(period.group(1)) != title_year:
        flags.append(f"year_mismatch: the title says {title_year}, the statistics period "
                     f"starts {period.group(1)}-01-01")
    if title_year and publish_date and int(publish_date[:4]) <= title_year:
        flags.append(f"published_early: a {title_year} report published on {publish_date}, "
                     f"before the year was over")
    return flags


def first_year(text: str) -> int | None:
    """The report year from the body when the title has none."""
    period = _PERIOD.search(text)
    if period:
        return int(period.group(1))
    return report_year(text[:300])
