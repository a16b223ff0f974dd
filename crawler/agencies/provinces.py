"""Provinces as people write them: 浙江, 浙江省, 浙, Zhejiang, zhejiang, Zhejiang Sheng, 330000.

The registry names each agency's province one way (``浙江省``, ``330000``); a reader
types whichever comes to mind, in Chinese or in English. Every spelling here comes
from ``crawler/data/provinces.csv`` (the 31 provincial-level divisions: code, name,
one-character short name, English name and pinyin), a package resource so that it
is read inside an egg too. A name that matches none gets the closest ones
(``difflib``), so a typo costs one line, not a guess.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .registry import Agency

__all__ = ["Province", "find_province", "in_province", "province_miss", "province_suggestions",
           "provinces"]

# 壮族自治区 before 自治区: the longest suffix goes first.
_SUFFIXES = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|省|市)$")
_LATIN_SUFFIXES = re.compile(r"(province|municipality|autonomousregion|region|sheng|shi|"
                             r"zizhiqu|zhuangzu|huizu|weiwuer)+$")


@dataclass(frozen=True)
class Province:
    code: str  # 330000
    name: str  # 浙江省
    short: str  # 浙
    name_en: str  # Zhejiang
    name_pinyin: str  # Zhejiang Sheng

    @property
    def bare(self) -> str:
        """``浙江``, ``广西``, ``内蒙古``: the name without 省, 市 or 自治区."""
        return _SUFFIXES.sub("", self.name)

    def spellings(self) -> set[str]:
        """Every way of writing it that ``find_province`` accepts, normalised."""
        written = {self.code, self.name, self.bare, self.short, self.name_en,
                   self.name_pinyin, _LATIN_SUFFIXES.sub("", _key(self.name_pinyin))}
        return {_key(text) for text in written if text}

    def __str__(self) -> str:
        return f"{self.name_en} ({self.name}, {self.code})"


def _key(text: str) -> str:
    """Case, spaces, hyphens and apostrophes do not matter: ``Inner Mongolia`` is
    ``innermongolia``, ``Xinjiang Weiwu'er`` ``xinjiangweiwuer``."""
    return re.sub(r"[\s\-'’·]+", "", text).casefold()


@cache
def provinces() -> tuple[Province, ...]:
    text = resources.files("crawler").joinpath("data", "provinces.csv").read_text("utf-8")
    return tuple(Province(row["code"], row["name"], row["short"], row["name_en"],
                          row["name_pinyin"]) for row in csv.DictReader(io.StringIO(text)))


@cache
def _by_spelling() -> dict[str, Province]:
    return {spelling: province for province in provinces()
            for spelling in province.spellings()}


def find_province(text: str | None) -> Province | None:
    """The province ``text`` names, however it is written; None if it names none."""
    if not text:
        return None
    key = _key(text)
    return _by_spelling().get(key) or _by_spelling().get(_LATIN_SUFFIXES.sub("", key))


def province_suggestions(text: str, n: int = 3) -> list[Province]:
    """The provinces whose spellings are closest to ``text`` (a typo: ``Zhejang``,
    ``Guangdon``, ``浙江s``), best first, and only those nearly as close as the best;
    one-character short names are left out, as every single character is close to them."""
    key = _key(text)
    scored = sorted(((difflib.SequenceMatcher(None, key, spelling).ratio(), spelling)
                     for spelling in _by_spelling() if len(spelling) > 1), reverse=True)
    found: list[Province] = []
    for ratio, spelling in scored:
        if ratio < max(0.6, scored[0][0] - 0.1) or len(found) == n:
            break
        if _by_spelling()[spelling] not in found:
            found.append(_by_spelling()[spelling])
    return found


def in_province(agencies: list[Agency], text: str) -> list[Agency]:
    """The agencies of the province ``text`` names, however either side writes it
    (the registry's ``province`` or ``province_code``); a name no province has is
    matched as the registry writes it, for a registry of other places."""
    wanted = find_province(text)
    if wanted is None:
        return [a for a in agencies if text.strip() in (a.province, a.province_code)]
    return [a for a in agencies
            if wanted in (find_province(a.province_code), find_province(a.province))]


def province_miss(agencies: list[Agency], text: str) -> str:
    """Why ``-a province=text`` selected nothing, in one line, with what would have."""
    wanted = find_province(text)
    if wanted is not None:
        held = sorted({a.province for a in agencies})
        return (f"none is in {wanted}; the registry's provinces: "
                f"{', '.join(held) if held else 'none'}")
    close = province_suggestions(text)
    if close:
        return f"no province is called that; did you mean {' or '.join(map(str, close))}?"
    return ("no province is called that (write it as 浙江, 浙江省, Zhejiang or 330000)")
