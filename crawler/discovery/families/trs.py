"""拓尔思 TRS WCM: ``index.html``, ``index_1.html``... counted only in the page's script.

Three ways the script says how many pages there are:

- ``createPageHTML(<pages>, <current>, "index", "html")``, its arguments numbers or
  variables set just before;
- the older inline pager, ``var countPage = 2//共多少页`` and ``var currentPage = 0``,
  writing its links with ``document.write``;
- the site-group template's ``listModel({maxStaticIndex: 1, pagebar: {prepage: 10,
  recordCount: '20'}})`` ("动静结合"): pages up to ``maxStaticIndex`` are static
  ``index_N`` files, later ones come only from a search service the page does not
  name, which the list's size then says.

Only the first page (current page 0) plans the column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from posixpath import splitext
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from ..jsobject import js_object
from .base import Family, ListSize, scripts

__all__ = ["Trs"]

_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*([\w$.]+)\s*,\s*([\w$.]+)\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]")
_COUNT_PAGE = re.compile(r"\bcountPage\s*=\s*['\"]?(\d+)")
_CURRENT_PAGE = re.compile(r"\bcurrentPage\s*=\s*['\"]?(\d+)")


@dataclass(frozen=True)
class _Plan:
    pages: int  # pages the column has
    prefix: str  # index
    ext: str  # html, htm, shtml
    static: int  # pages served as index_N files (the rest need the search service)
    records: int | None = None


class Trs(Family):
    name = "trs"

    def detect(self, response: TextResponse) -> bool:
        body = response.body
        return (b"createPageHTML" in body or b"TRS_Editor" in body or b"listModel(" in body
                or bool(re.search(rb"/t\d{8}_\d+\.s?html?", body)))

    def size(self, response: TextResponse) -> ListSize | None:
        plan = _plan(response)
        if plan is None:
            return None
        unread = (f"pages {plan.static + 1}-{plan.pages} only through the site's search service"
                  if plan.static < plan.pages else None)
        return ListSize(records=plan.records, pages=plan.pages, unread=unread)

    def pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        plan = _plan(response)
        if plan is None:
            return iter(())
        return (scrapy.Request(response.urljoin(f"{plan.prefix}_{i}.{plan.ext}"))
                for i in range(1, min(plan.static, plan.pages)))


def _plan(response: TextResponse) -> _Plan | None:
    """How the column pages, read from its first page; None on other pages."""
    code = scripts(response)
    created = _CREATE_PAGE.search(code)
    if created:
        count, current = (_resolve(code, arg) for arg in created.group(1, 2))
        if count is None or current != 0:
            return None
        return _Plan(count, created.group(3), created.group(4), count)
    prefix, ext = _own_name(response.url)
    inline = _COUNT_PAGE.search(code)
    if inline and _number(_CURRENT_PAGE, code) == 0:
        count = int(inline.group(1))
        return _Plan(count, prefix, ext, count)
    if re.search(r"_\d+$", prefix):
        return None  # index_1.htm: a later page of the column, not its first
    model = js_object(code, r"listModel\(\s*") or {}
    pagebar = model.get("pagebar") or {}
    if str(pagebar.get("recordCount", "")).isdigit() and pagebar.get("prepage"):
        records = int(pagebar["recordCount"])
        count = max(1, math.ceil(records / int(pagebar["prepage"])))
        return _Plan(count, prefix, ext, int(model.get("maxStaticIndex") or 0) + 1, records)
    return None


def _own_name(url: str) -> tuple[str, str]:
    """``index`` and ``htm`` for ``.../zfxxgknb/index.htm`` (or ``.../``)."""
    name = urlsplit(url).path.rsplit("/", 1)[-1] or "index.html"
    stem, ext = splitext(name)
    return stem or "index", ext.lstrip(".") or "html"


def _resolve(code: str, arg: str) -> int | None:
    if arg.isdigit():
        return int(arg)
    match = re.search(rf"\b{re.escape(arg.split('.')[-1])}\s*=\s*['\"]?(\d+)", code)
    return int(match.group(1)) if match else None


def _number(pattern: re.Pattern[str], code: str) -> int | None:
    match = pattern.search(code)
    return int(match.group(1)) if match else None
