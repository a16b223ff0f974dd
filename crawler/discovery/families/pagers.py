"""Lists that page with links: 下一页 and numbered pages, whatever the CMS.

A page link may be an ordinary ``href`` (``index_2.html``, ``?page=2``) or an
``onclick="location.href='index_5.jhtml'"`` (JEECMS: the URL is in the page). A call into
the page's own script (``javascript:goPage(3)``, ``onclick="toPage(3)"``) is left to the
browser, which turns it as a reader does (``crawler.browser.behaviours``): it was read here
from the string pattern in the function's body, a special case each new variant broke,
and the browser reads it at 2.4 times the cost (measured on the demo's goPage portal:
2.6 s against 6.2 s, the same five reports; issue 24's closing note). Lists that
print their size (``共1648条记录``, ``6/66页``, ``共5页``) say so, and so do the script
pager widgets a list page configures (jQuery pagination's ``totalData``, layui's
``laypage.render({count: …, limit: …})``, a ``totalCount``/``pageSize`` pair): their total
over their page size is the pages the column has, whether or not the crawl can turn them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import SplitResult, urlsplit

import scrapy
from scrapy.http import TextResponse

from .base import Family, ListSize, scripts
from .forms import form_pages

__all__ = ["PageLinks", "Ucap"]

_NEXT_TEXT = re.compile(r"^(?:下一页|下页|后一页|后页|next|›|»|>|>>)$", re.I)
_NUMBER = re.compile(r"^\[?\d{1,3}\]?$")
_DIGITS = re.compile(r"[_-]?\d+")
_LOCATION = re.compile(r"""location(?:\.href)?\s*=\s*['"]([^'"]+)['"]""")
_RECORDS = re.compile(r"共\s*(\d+)\s*(?:条|篇|项)")
_PAGES = re.compile(r"共\s*(\d+)\s*页|\d+\s*/\s*(\d+)\s*页")
# A pager widget's total and page size, as list pages' scripts set them.
_SCRIPT_TOTAL = re.compile(r"""\b(?:totalCount|totalRecords?|recordCount|totalNum|totalSize|
                           total_count|totalData|totalRows)\s*[:=]\s*['"]?(\d+)""", re.X)
_WIDGET_COUNT = re.compile(r"""(?:laypage\.render|\.pagination|\.paginate|\.pager|Pagination)
                           \s*\(\s*\{[^}]*?\bcount\s*:\s*['"]?(\d+)""", re.X | re.S)
_SCRIPT_SIZE = re.compile(r"""\b(?:pageSize|perPage|showData|pagesize|limit|pageRows)
                          \s*[:=]\s*['"]?(\d+)""", re.X)


class PageLinks(Family):
    name = "pagelinks"

    def pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        here = urlsplit(response.url)
        for text, url, scripted in _page_anchors(response):
            target = urlsplit(url)
            if target.netloc != here.netloc or url == response.url:
                continue
            numbered = _NUMBER.match(text) and (scripted or _same_list(here, target))
            if _NEXT_TEXT.match(text) or numbered:
                yield scrapy.Request(url)
        for url in form_pages(response, lambda: (self.size(response) or ListSize()).pages):
            if urlsplit(url).netloc == here.netloc and url != response.url:
                yield scrapy.Request(url)

    def size(self, response: TextResponse) -> ListSize | None:
        # lxml's strings, not a parsel Selector per text node: 16x faster on a big page
        text = " ".join(response.selector.root.xpath("//body//text()[not(ancestor::script)]",
                                                     smart_strings=False))
        records, pages = _RECORDS.search(text), _PAGES.search(text)
        if not records and not pages:
            return _widget_size(scripts(response))
        return ListSize(records=int(records.group(1)) if records else None,
                        pages=int(pages.group(1) or pages.group(2)) if pages else None)


def _page_anchors(response: TextResponse) -> list[tuple[str, str, bool]]:
    """(text, URL, whether the page's script made it) of each anchor, its URL from
    href or a URL its onclick goes to (that pager is this list's own)."""
    found = []
    for node in response.xpath("//a"):
        text = " ".join(node.xpath(".//text()").getall()).strip()
        href = (node.attrib.get("href") or "").strip()
        onclick = node.attrib.get("onclick") or ""
        url, scripted = None, True
        if href and not href.startswith(("javascript:", "#")):
            url, scripted = href, False
        elif (location := _LOCATION.search(onclick)) is not None:
            url = location.group(1)
        if url:
            found.append((text, response.urljoin(url), scripted))
    return found


def _same_list(here: SplitResult, target: SplitResult) -> bool:
    """A numbered link of this list: the same URL but for its numbers."""
    if here.path == target.path:
        return _DIGITS.sub("", here.query) == _DIGITS.sub("", target.query)
    return _DIGITS.sub("", _index(here.path)) == _DIGITS.sub("", _index(target.path))


def _index(path: str) -> str:
    return path + "index.html" if path.endswith("/") else path


class Ucap(Family):
    """开普云 Ucap: ``.shtml`` articles named by a 32-hex id, ``<ucapcontent>`` bodies;
    its lists page with ordinary next/numbered links (``PageLinks``)."""

    name = "ucap"

    def detect(self, response: TextResponse) -> bool:
        body = response.body
        return (b"<ucapcontent" in body or b"<ucaptitle" in body
                or bool(re.search(rb"/[0-9a-f]{32}\.shtml", body)))


def _widget_size(code: str) -> ListSize | None:
    """What a script pager widget is told of its list: a total and a page size."""
    total = _SCRIPT_TOTAL.search(code) or _WIDGET_COUNT.search(code)
    size = _SCRIPT_SIZE.search(code)
    if total is None or int(total.group(1)) == 0:
        return None
    records = int(total.group(1))
    per_page = int(size.group(1)) if size and int(size.group(1)) > 0 else None
    return ListSize(records=records, pages=-(-records // per_page) if per_page else None)
