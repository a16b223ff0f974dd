"""Decoding HTML bytes: HTTP header, BOM, meta tag, then the content itself.

Chinese sites declare GB2312/GBK while serving GB18030 characters, or send UTF-8
in the header and gb2312 in a meta tag. A declared encoding is used only if the
bytes actually decode with it; GB2312 and GBK are read as GB18030 (their superset).
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_html", "declared_charset", "read_encoding"]

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
              "euc-cn": "gb18030", "hz-gb-2312": "gb18030", "ascii": "utf-8",
              "iso-8859-1": "cp1252", "latin-1": "cp1252", "us-ascii": "utf-8"}
_BOMS = [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be")]


def _normal(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    lowered = name.strip().lower()
    return _SUPERSETS.get(lowered, _SUPERSETS.get(canonical, canonical))


def _is_utf8_text(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def declared_charset(body: bytes) -> str | None:
    """The charset a ``<meta>`` tag declares in the first 4 KB."""
    match = _META.search(body[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def read_encoding(body: bytes, header_charset: str | None = None) -> tuple[str, list[str]]:
    """The encoding ``body`` is in, and what was wrong with what the page said of it:
    a charset unknown to any decoder (``x-nonexistent-9``), or one the bytes are not
    in. As browsers do, an unknown label is passed over; then the meta tag, UTF-8,
    GB18030 (the superset of what Chinese sites declare)."""
    for bom, bom_charset in _BOMS:
        if body.startswith(bom):
            return bom_charset, []
    said = list(dict.fromkeys(c for c in (header_charset, declared_charset(body)) if c))
    warnings = [f"declared charset {c!r} is unknown; passed over" for c in said
                if _normal(c) is None]
    declared = [name for c in said if (name := _normal(c))]
    candidates: list[str] = []
    for name in (*declared, "utf-8", "gb18030"):
        if name not in candidates:
            candidates.append(name)
    if candidates[0] != "utf-8" and _is_utf8_text(body):
        # GB18030 decodes almost any bytes, so a wrong GB label would "work": but
        # non-ASCII text that is valid UTF-8 is UTF-8.
        return "utf-8", [*warnings,
                         f"declared {candidates[0]}, but the bytes are UTF-8; read as UTF-8"]
    for name in candidates:
        try:
            body.decode(name)
        except UnicodeDecodeError:
            continue
        if declared and name != candidates[0]:
            warnings.append(f"declared {candidates[0]}, but the bytes are not; read as {name}")
        return name, warnings
    return candidates[0], [*warnings, f"not valid {candidates[0]} nor any other likely "
                           "charset; undecodable bytes replaced"]


def decode_html(body: bytes, header_charset: str | None = None) -> tuple[str, str, list[str]]:
    """(text, encoding used, warnings)."""
    name, warnings = read_encoding(body, header_charset)
    start = next((len(bom) for bom, charset in _BOMS if body.startswith(bom)
                  and charset == name), 0)
    return body[start:].decode(name, "replace"), name, warnings
