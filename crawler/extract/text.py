"""Normalising the text of labels and cells, and reading the numbers in them."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = ["NotANumber", "clean", "is_number", "label", "parse_number", "printed_number"]

_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_PUNCT = str.maketrans({"（": "(", "）": ")", "、": ".", "．": ".", "，": ",", "：": ":",
                        "“": '"', "”": '"', "‘": "'", "’": "'", "；": ";", "／": "/"})
_DASHES = {"-", "--", "—", "——", "－", "－－", "–", "/", "\\", "无", "空", "x", "×", "…"}
_UNITS = re.compile(r"(?:件|个|项|条|次|人次|家|元|万元|宗|起|份|篇)$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


class NotANumber(ValueError):
    """A cell that should hold a number but holds something else."""


def clean(text: str | None) -> str:
    """Collapse whitespace (ASCII, no-break, ideographic) into single spaces."""
    return _SPACE.sub(" ", text or "").strip()


def label(text: str | None) -> str:
    """A label for matching: NFKC (full-width digits and letters), no whitespace at all
    (PDF and Word cells break labels anywhere), one form of the punctuation."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).translate(_PUNCT)


def parse_number(text: str | None, decimal: bool = False) -> int | float | None:
    """``None`` for a blank or dashed cell, the number for ``12``, ``１２``, ``1,234``,
    ``0件``, ``+2``, ``-1``; ``NotANumber`` for anything else (never a guess)."""
    raw = label(text).replace(",", "")
    if raw in ("",) or raw in _DASHES:
        return None
    raw = _UNITS.sub("", raw)
    if raw.startswith(("增加", "增")):
        raw = "+" + raw.lstrip("增加")
    elif raw.startswith(("减少", "减")):
        raw = "-" + raw.lstrip("减少")
    if not _NUMBER.match(raw):
        raise NotANumber(f"{clean(text)!r} is not a number")
    if decimal or "." in raw:
        try:
            return float(Decimal(raw))
        except InvalidOperation as exc:  # pragma: no cover - the regex rules it out
            raise NotANumber(f"{clean(text)!r} is not a number") from exc
    return int(raw)


def is_number(text: str) -> bool:
    """A cell a number could be in: a number, or blank or a dash."""
    try:
        parse_number(text)
    except NotANumber:
        return False
    return True


def printed_number(text: str) -> bool:
    """A cell holding a number (not blank, not a dash)."""
    try:
        return parse_number(text) is not None
    except NotANumber:
        return False
