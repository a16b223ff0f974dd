"""CMS families: how each one lists its articles and pages through a column.

Each family reads a list page (``links``: records only it knows where to find;
``pages``: requests for the rest of the column; ``size``: what the page says of
the column's size) and, where it has one, its own list API's answers
(``api_links``, ``api_pages``, ``api_size``). ``detect`` says whether a page was
made by the family. The spider applies every family to every list page: one
whose markers are absent contributes nothing, and unknown layouts still get
their plain links and the generic page-link rule. Requests come back without
callbacks: the spider gives them their agency, role and callback.
"""

from __future__ import annotations

from scrapy.http import TextResponse

from .base import Family, ListSize
from .hanweb import Hanweb
from .jsonlists import Gkmlpt, SiteGroupJson
from .pagers import PageLinks, Ucap
from .trs import Trs

__all__ = ["FAMILIES", "Family", "Gkmlpt", "Hanweb", "ListSize", "PageLinks", "SiteGroupJson",
           "Trs", "Ucap", "detect_family", "family_named"]

FAMILIES: tuple[Family, ...] = (Gkmlpt(), Hanweb(), Trs(), SiteGroupJson(), Ucap(), PageLinks())
_BY_NAME = {family.name: family for family in FAMILIES}


def family_named(name: str) -> Family:
    return _BY_NAME[name]


def detect_family(response: TextResponse) -> str | None:
    """The CMS family that made ``response``, or None when nothing tells."""
    for family in FAMILIES:
        if family.detect(response):
            return family.name
    return None
