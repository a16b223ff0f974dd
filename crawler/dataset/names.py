"""Agency and province names for readers who do not read Chinese.

``province_en`` is the province's English name as newspapers print it (from
``crawler/data/provinces.csv`` through ``crawler.agencies.provinces``: the shared list of
the 31 provinces with two columns added by hand, since pinyin alone cannot tell 陕西
Shaanxi from 山西 Shanxi, nor say "Inner Mongolia"). ``agency_pinyin`` spells an agency's
name in pinyin (pypinyin, whose dictionary is inside its wheel): the province's name as
one word, as it is known ("Zhejiang Sheng"), every other character as a syllable, since
pypinyin has no dictionary of words to join them by.
"""

from __future__ import annotations

import re
from functools import cache

from pypinyin import lazy_pinyin

from ..agencies.provinces import find_province, provinces

__all__ = ["agency_pinyin", "province_en"]


@cache
def _province_names() -> re.Pattern[str]:
    names = sorted((p.name for p in provinces()), key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, names)) + ")")


@cache
def _province_set() -> frozenset[str]:
    return frozenset(p.name for p in provinces())


def province_en(code: str | None, name: str | None = None) -> str | None:
    """``330000`` (or ``浙江省``, ``浙江``, ``Zhejiang``) -> ``Zhejiang``; None for a
    province not in the list (``crawler.agencies.provinces``: as people write them)."""
    province = find_province(code) or find_province(name)
    return province.name_en if province else None


def agency_pinyin(name: str | None) -> str | None:
    """``浙江省广播电视局`` -> ``Zhejiang Sheng Guang Bo Dian Shi Ju``."""
    if not name:
        return None
    words: list[str] = []
    for part in _province_names().split(name):
        province = find_province(part) if part in _province_set() else None
        if province is not None:
            words.append(province.name_pinyin)
        elif part:
            words.extend(_capital(syllable.strip()) for syllable in lazy_pinyin(part))
    return " ".join(word for word in words if word)


def _capital(syllable: str) -> str:
    """``zheng`` -> ``Zheng``; a run of other characters (``ABC``, ``2``) as it is."""
    return syllable[:1].upper() + syllable[1:]
