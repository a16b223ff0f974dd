"""A list's pages and its list API's answers: what they say of their column (its stated
size, the records they give, that it is empty), and the rest of the column as far as the
agency's budget goes.

The spider routes a list page or an answer here once it knows its agency; which links
of it become requests is ``crawler.spiders.following``'s. Every CMS family applies to
every list page (``crawler.discovery.families``): one whose markers are absent gives
nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import scrapy
from scrapy.http import Response, TextResponse

from ..agencies import Agency, CrawlAgencies
from ..discovery import Link, Role, url_key
from ..discovery.completeness import Column, shows_empty
from ..discovery.families import FAMILIES, Family
from ..meta import LINK_TEXT, LIST_COLUMN
from .following import Following

__all__ = ["ListPages"]

# The spider's: a family's request given its agency, role, column and callbacks.
Scope = Callable[[scrapy.Request, Response, Agency, Role], scrapy.Request]


class ListPages:
    def __init__(self, agencies: CrawlAgencies, following: Following, scope: Scope) -> None:
        self.agencies, self.following, self.scope = agencies, following, scope

    def tally(self, response: TextResponse, agency: Agency) -> Column:
        """A list page of its column: what it says of its size."""
        account = self.agencies.account(agency.id)
        sizes = {family.name: family.size(response) for family in FAMILIES}
        identity = next((s.column for s in sizes.values() if s and s.column), None)
        url = response.meta.get(LIST_COLUMN, response.url)
        column = account.column(url, _found_by(response), identity)
        account.columns.alias(url, column)
        column.page(url_key(response.url))
        for family in FAMILIES:
            column.state(sizes[family.name], _answer(family.links(response), response))
        return column

    def plan(self, response: TextResponse, agency: Agency, column: Column,
             reserved: int) -> list[scrapy.Request]:
        """The rest of the column, as many pages as the agency's budget has room for
        once the page's own reports (``reserved``) are asked."""
        account = self.agencies.account(agency.id)
        planned = (self.scope(request, response, agency, Role.LIST)
                   for family in FAMILIES for request in self.following.unbarren(
                       account, family.name, family.pages(response)))
        return list(self.following.budgeted(account, column.url, planned, reserved))

    def empty(self, response: TextResponse, column: Column) -> None:
        """A list page that gave no record: does it say it lists none (暂无数据)?"""
        if not column.links and shows_empty(_text(response)):
            column.shown_empty = True

    def api_answer(self, response: TextResponse, agency: Agency,
                   family: Family) -> Iterator[scrapy.Request]:
        """An answer of ``family``'s list API: its records, then the rest of its pages."""
        account = self.agencies.account(agency.id)
        column_url = response.meta.get(LIST_COLUMN, response.url)
        column = account.column(column_url)
        links = family.api_links(response)
        column.state(family.api_size(response), _answer(links, response))
        chosen, _ = self.following.choose(response, agency, Role.LIST, links, column)
        follow = list(self.following.follow(response, agency, chosen, Counter()))
        # Planned now, before any of ``follow`` is scheduled and charged (counted twice).
        pages = list(self.following.budgeted(account, response.url, (
            self.scope(request, response, agency, Role.LIST)
            for request in family.api_pages(response)), reserved=len(follow)))
        yield from follow
        yield from pages


def _text(response: TextResponse) -> str:
    """A page's text, scripts left out (lxml's strings: 16x faster than parsel's)."""
    return " ".join(response.selector.root.xpath("//body//text()[not(ancestor::script)]",
                                                 smart_strings=False))


def _answer(records: list[Link], response: Response) -> str:
    """Names one list answer by the records in it, so that the same records reached
    twice (a retried call, one page under two URLs) are counted once."""
    if not records:
        return response.url
    return " ".join(sorted({url_key(link.url) for link in records}))


def _found_by(response: Response) -> str:
    """How a column was reached: the link's text and the page it was on."""
    request = response.request
    referer = request.headers.get("Referer") if request is not None else None
    text = response.meta.get(LINK_TEXT) or ""
    where = f" on {referer.decode('latin-1')}" if referer else ""
    return f"link {text!r}{where}" if text else f"start page{where}"
