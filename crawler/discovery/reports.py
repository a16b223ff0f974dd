"""A report page's own parts: its further pages, its documents, and the order they
are fetched and read in (``crawler.reports`` puts them together).

Real report pages split their text over ``…_1.html``/``…_2.html`` (TRS article
paging), publish the report only as an attachment (详见附件, a PDF icon and a title
link to the same file) or show it in a viewer (``viewer.html?file=/x.pdf``, an
``<embed>`` or ``<object>``), sometimes as both OFD and PDF. A draft gathers the
pages, then the attachments; the item is built from all the pages, and when the
page itself is only a shell, from its most readable document.
"""

from __future__ import annotations

import re
from posixpath import splitext
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..agencies.registry import Agency
from .links import Link
from .urls import attachment_type

__all__ = ["READ_ORDER", "has_content", "order_documents", "report_documents", "report_parts",
           "table_pictures"]

# Which of a report's documents to read when its page says only 详见附件.
READ_ORDER = ("pdf", "docx", "doc", "wps", "zip")
_CREATE_PAGE = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*0\s*,\s*['\"]([\w-]+)['\"]\s*,"
                          r"\s*['\"](\w+)['\"]")
_PAGE_TEXT = re.compile(r"^(?:\[?\d{1,2}\]?|下一页|下页)$")


# the statutory tables' headings (二、主动公开… 三、收到和处理… 四、…行政复议…): a report
# that prints them and no table of its own shows its tables as pictures
_TABLE_HEADINGS = re.compile(r"主动公开政府信息情况|收到和处理政府信息公开申请"
                             r"|行政复议.{0,6}行政诉讼")
_NOT_A_TABLE = re.compile(r"logo|icon|banner|button|btn|qrcode|ewm|erweima|share|print|close|"
                          r"spacer|blank|arrow|dot|line|bg[_.-]|weixin|weibo|wza|jiucuo|dzjg|"
                          r"gongan|beian|police|red_?head", re.I)
_MIN_SIDE = 120  # pixels: a picture smaller than this (width or height given) is no table
MAX_PICTURES = 8


def table_pictures(root: Any, url: str) -> list[str]:
    """The pictures a report page shows instead of its statistics tables: when the page
    names the tables' sections and has no table of its own (of 4 rows or more), the
    ``<img>`` of its body that are not the site's furniture (logos, icons, QR codes,
    badges) or too small, in order, at most ``MAX_PICTURES``."""
    if any(len(table.xpath(".//tr")) >= 4 for table in root.iter("table")):
        return []  # (most report pages: looked at before their text)
    if not _TABLE_HEADINGS.search(" ".join(root.xpath("//body//text()[not(ancestor::script)]"))):
        return []
    found: list[str] = []
    for img in root.iter("img"):
        src = (img.get("src") or img.get("data-src") or "").strip()
        if not src or src.startswith("data:") or _NOT_A_TABLE.search(src) or _small(img):
            continue
        absolute = urljoin(url, src)
        if absolute not in found:
            found.append(absolute)
    return found[:MAX_PICTURES]


def _small(img: Any) -> bool:
    for side in ("width", "height"):
        value = re.match(r"\s*(\d+)\s*(?:px)?\s*$", img.get(side) or "")
        if value and int(value.group(1)) < _MIN_SIDE:
            return True
    return False


def report_parts(url: str, links: list[Link], code: str) -> list[str]:
    """The further pages of the report page at ``url``: the TRS article pager's
    ``createPageHTML(3, 0, "t20240129_1", "html")`` over its own name, or numbered
    links to its own name with ``_2``, ``_3``..."""
    directory, name = url.rsplit("/", 1)
    stem, ext = splitext(urlsplit(name).path)
    created = _CREATE_PAGE.search(code)
    if created and created.group(2) == stem and int(created.group(1)) > 1:
        count, ext = int(created.group(1)), created.group(3)
        return [f"{directory}/{stem}_{n}.{ext}" for n in range(1, count)]
    own = re.compile(rf"^{re.escape(directory)}/{re.escape(stem)}_(\d{{1,2}}){re.escape(ext)}$")
    numbered = {int(m.group(1)): link.url for link in links
                if (m := own.match(link.url)) and _PAGE_TEXT.match(link.text.strip())}
    return [numbered[n] for n in sorted(numbered)]


def report_documents(links: list[Link], agency: Agency, page: str) -> list[Link]:
    """A report page's own documents on its agency's hosts, each once (an icon and a
    title link to one file are one document), the most readable first."""
    seen: dict[str, Link] = {}
    for link in links:
        if attachment_type(link.url) and agency.owns(link.url) and link.url != page:
            kept = seen.get(link.url)
            seen[link.url] = kept if kept is not None and kept.text else link
    return order_documents(list(seen.values()))


def order_documents(documents: list[Link]) -> list[Link]:
    """Readable documents first (PDF, DOCX, DOC, WPS), then the rest (OFD...)."""
    def rank(link: Link) -> int:
        kind = attachment_type(link.url)
        return READ_ORDER.index(kind) if kind in READ_ORDER else len(READ_ORDER)

    return sorted(documents, key=rank)


def has_content(item: Any) -> bool:
    """A page that is the report itself: its tables, or (before 2019) its text."""
    if item.requests or item.proactive or item.appeals:
        return True
    return len(item.text or "") >= 400 and (item.year or 2019) < 2019
