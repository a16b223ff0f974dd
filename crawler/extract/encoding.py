"""Decoding HTML bytes: HTTP header, BOM, meta tag, then the content itself.

Chinese sites declare GB2312/GBK while serving GB18030 characters, or send UTF-8
in the header and gb2312 in a meta tag. A declared encoding is used only if the
bytes actually decode with it; GB2312 and GBK are read as GB18030 (their superset).
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_html", "declared_charset"]

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


def decode_html(body: bytes, header_charset: str | None = None) -> tuple[str, str, list[str]]:
    """(text, encoding used, warnings)."""
    for bom, bom_charset in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(bom_charset, "replace"), bom_charset, []
    candidates: list[str] = []
    for name in (_normal(header_charset), _normal(declared_charset(body)), "utf-8", "gb18030"):
        if name and name not in candidates:
            candidates.append(name)
    if candidates[0] != "utf-8" and _is_utf8_text(body):
        # GB18030 decodes almost any bytes, so a wrong GB label would "work": but
        # non-ASCII text that is valid UTF-8 is UTF-8.
        return body.decode("utf-8"), "utf-8", [
            f"declared {candidates[0]}, but the bytes are UTF-8; read as UTF-8"]
    for name in candidates:
        try:
            return body.decode(name), name, []
        except UnicodeDecodeError:
            continue
    name = candidates[0]
    return (body.decode(name, "replace"), name,
            [f"not valid {name} nor any other likely charset; undecodable bytes replaced"])
