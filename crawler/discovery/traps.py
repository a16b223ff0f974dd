"""URL spaces that never end: a site's search, and pages that lead only to more of
themselves.

Two rules, neither naming a site:

- **Site search** (``is_search_url``): a URL whose path names a search service
  (``search.do``, ``/jsearch/``, ``sousuo``...) or whose query carries a search term
  (``q=``, ``keyword=``, ``searchword=``...). Portals put 热门搜索 boxes whose links
  read like a report column (``search.do?q=政府信息公开年报``), and every result page
  links the next few: an endless list of whatever matched. Such links are declined as
  a way to the column (counted, not an error: declining a search is what a polite
  crawler does); a report link that happens to be a search URL is still fetched.
- **Barren templates** (``TemplateTally``): pages of one URL template (the URL with its
  numbers and query values blanked, ``url_template``) reached through a pager that
  states no size, each yielding no new report link. After ``limit`` of them in a row
  the template is a trap: its further pages are refused and counted, and the agency
  says ``trapped: <template>, N requests refused``, since what lay behind is unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

__all__ = ["TemplateTally", "is_search_url", "url_template"]

_SEARCH_PATH = re.compile(r"search|sousuo|jiansuo|retrieval|fulltext", re.IGNORECASE)
_SEARCH_KEYS = {"q", "query", "keyword", "keywords", "searchword", "searchkey", "kw", "wd",
                "word", "search", "sword", "qt", "searchtext", "searchvalue"}
_DIGITS = re.compile(r"\d+")


def is_search_url(url: str) -> bool:
    """Does ``url`` ask a site's search service (its path or a search-term parameter)?"""
    parts = urlsplit(url)
    if _SEARCH_PATH.search(parts.path):
        return True
    return any(key.lower() in _SEARCH_KEYS and value.strip()
               for key, value in parse_qsl(parts.query, keep_blank_values=True))


def url_template(url: str) -> str:
    """``www.x.gov.cn/search.do?p=*&q=*`` for ``http://www.x.gov.cn/search.do?q=年报&p=7``;
    ``www.x.gov.cn/col/index_*.html`` for ``…/col/index_12.html``: what the pages of one
    pager or one endless space share."""
    parts = urlsplit(url)
    path = _DIGITS.sub("*", parts.path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    query = "&".join(f"{key}=*" for key in keys)
    return f"{parts.netloc}{path}{'?' + query if query else ''}"


@dataclass
class TemplateTally:
    """The pages of one template an agency's crawl fetched, and how many in a row
    gave nothing new."""

    pages: int = 0
    barren: int = 0  # pages in a row that yielded no new report link

    def page(self, new_reports: int) -> None:
        """A page of the template was read, and gave ``new_reports`` report links."""
        self.pages += 1
        self.barren = 0 if new_reports else self.barren + 1

    def is_trap(self, limit: int) -> bool:
        return limit > 0 and self.barren >= limit
