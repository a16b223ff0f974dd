"""Agency and province names for readers who do not read Chinese.

``province_en`` is the province's English name as newspapers print it (from
``crawler/data/provinces.csv``, copied from the shared list of the 31 provinces with
two columns added by hand: pinyin alone cannot tell 陕西 Shaanxi from 山西 Shanxi, nor
say "Inner Mongolia"). ``agency_pinyin`` spells an agency's name in pinyin (pypinyin,
whose dictionary is inside its wheel): the province's name as one word, as it is
known ("Zhejiang Sheng"), every other character as a syllable, since pypinyin has no
dictionary of words to join them by.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib import resources

from pypinyin import lazy_pinyin

__all__ = ["agency_pinyin", "province_en"]


@cache
def _provinces() -> list[dict[str, str]]:
    """The rows of the package's provinces file (a package resource: read inside an
    egg too, like the agency registry)."""
    text = resources.files("crawler").joinpath("data", "provinces.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def _by_key() -> dict[str, dict[str, str]]:
    """Each province by its code and by its name (an item may carry either)."""
    return {key: row for row in _provinces() for key in (row["code"], row["name"])}


@cache
def _province_names() -> re.Pattern[str]:
    names = sorted((row["name"] for row in _provinces()), key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, names)) + ")")


def province_en(code: str | None, name: str | None = None) -> str | None:
    """``330000`` (or ``浙江省``) -> ``Zhejiang``; None for a province not in the list."""
    row = _by_key().get(code or "") or _by_key().get(name or "")
    return row["name_en"] if row else None


def agency_pinyin(name: str | None) -> str | None:
    """``浙江省广播电视局`` -> ``Zhejiang Sheng Guang Bo Dian Shi Ju``."""
    if not name:
        return None
    words: list[str] = []
    for part in _province_names().split(name):
        if part in _by_key():
            words.append(_by_key()[part]["name_pinyin"])
        elif part:
            words.extend(_capital(syllable.strip()) for syllable in lazy_pinyin(part))
    return " ".join(word for word in words if word)


def _capital(syllable: str) -> str:
    """``zheng`` -> ``Zheng``; a run of other characters (``ABC``, ``2``) as it is."""
    return syllable[:1].upper() + syllable[1:]
