"""Which of a page's links become requests, and as many as the agency's budget allows.

The decisions are ``crawler.discovery``'s (``link_role``, ``trap_reason``, the traps'
rules); here they meet the agency's account and its budget (``AGENCY_MAX_PAGES``):

- a link's role, or why it is not taken (a calendar, a site search: declined, counted;
  a barren template: a trap, refused and counted);
- reports first (the agency's own first among them): they have the budget before list
  pages, list pages before the rest;
- requests are made only while the budget has room, counted here as they are made (the
  account counts a request only once Scrapy schedules it, after the callback yielded
  it): a list stating 100,000,000 pages, or a column of 50,000 links, costs what the
  budget allows and one refusal said, never 100,000,000 requests built.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Container, Iterable, Iterator

import scrapy
from scrapy.http import TextResponse

from ..agencies import Agency, AgencyAccount, CrawlAgencies
from ..discovery import (
    REPORT_ROLES,
    Link,
    Role,
    is_sitemap,
    link_role,
    site_map_way,
    trap_reason,
    unique_links,
    url_key,
)
from ..discovery.completeness import BUDGET, Column
from ..discovery.traps import is_search_url, url_template
from ..meta import PAGER

__all__ = ["Following", "WALKED"]

PLAN_MAX = 10_000  # pages one list plans at once when the agency has no budget
WALKED = (Role.LIST, Role.AREA)  # links declined as a site search, or into a trapped template
RequestFactory = Callable[..., scrapy.Request]
DepartmentFinder = Callable[[Link, Agency], Iterable[scrapy.Request]]


class Following:
    def __init__(self, agencies: CrawlAgencies, make_request: RequestFactory,
                 department: DepartmentFinder, *, max_pages: int, trap_pages: int,
                 years: Container[int] | None = None, departments: bool = True) -> None:
        self.agencies = agencies
        self._request = make_request
        self.department = department
        self.max_pages, self.trap_pages = max_pages, trap_pages
        self.years, self.departments = years, departments

    def unbarren(self, account: AgencyAccount, family: str,
                  requests: Iterable[scrapy.Request]) -> Iterator[scrapy.Request]:
        """A pager that states no size (``pagelinks``) stops at a barren template; its
        pages are marked (``PAGER``), so that each one read says whether it was barren."""
        for request in requests:
            if family == "pagelinks":
                if self._trapped(account, request.url):
                    continue
                request.meta[PAGER] = family
            yield request

    def room(self, account: AgencyAccount, reserved: int = 0) -> int | None:
        """Requests the agency's budget still has room for (None: no budget), less those
        this callback made already. Counted here, as they are made: the account counts a
        request only once Scrapy schedules it, after the callback has yielded it."""
        return None if not self.max_pages else self.max_pages - account.requests - reserved

    def budgeted(self, account: AgencyAccount, url: str, requests: Iterator[scrapy.Request],
                  reserved: int = 0) -> Iterator[scrapy.Request]:
        """Requests up to the agency's remaining budget; the rest is never made (a list
        stating 100,000,000 pages costs what the budget allows), one refusal said. With
        no budget (``AGENCY_MAX_PAGES=0``), one list still plans at most ``PLAN_MAX``
        pages at once: a stated size is never a reason to build them all."""
        room = self.room(account, reserved)
        cap = PLAN_MAX if room is None else room
        for request in requests:
            if cap <= 0:
                account.refuse(BUDGET if room is not None else f"list plan over {PLAN_MAX}"
                               " pages", url, Role.LIST)
                return
            cap -= 1
            yield request

    # --------------------------------------------------------------- links
    def choose(self, response: TextResponse, agency: Agency, role: Role,
                links: Iterable[Link], column: Column | None = None,
                claimed: Collection[str] = ()) -> tuple[list[tuple[Link, Role]],
                                                        list[scrapy.Request]]:
        """The links worth following with their roles, reports first (they have the
        budget first), and the requests for departments' sites found on a portal; a
        list page's report and sub-column links counted for its column."""
        account = self.agencies.account(agency.id)
        on_portal = (agency.departments and self.departments
                     and role in (Role.START, Role.DEPARTMENTS))
        chosen: list[tuple[Link, Role]] = []
        departments: list[scrapy.Request] = []
        maps: list[Link] = []  # the start page's site map (网站地图)
        for link in unique_links(links, exclude=response.url):
            if not agency.owns(link.url):
                if on_portal:
                    departments += self.department(link, agency)
                continue
            next_role = self._role(account, link, role)
            if next_role is None and role is Role.START and is_sitemap(link.url, link.text):
                maps.append(link)
            if next_role is None or url_key(link.address) in claimed:
                continue
            if column is not None and (next_role in REPORT_ROLES or next_role is Role.LIST):
                column.links += 1
            chosen.append((link, next_role))
        chosen += [(link, Role.AREA) for link in site_map_way(chosen, maps)]
        # Stable: reports first, the agency's own first among them (a column of 40,000
        # reports of other bodies must not spend the budget before the agency's own).
        own = agency.name.replace(" ", "")
        chosen.sort(key=lambda c: (c[1] not in REPORT_ROLES,
                                   own not in c[0].text.replace(" ", "")))
        return chosen, departments

    def follow(self, response: TextResponse, agency: Agency,
                chosen: list[tuple[Link, Role]], new_reports: Counter[str],
                reserved: int = 0) -> Iterator[scrapy.Request]:
        """Requests for the chosen links, within the agency's budget; what the budget has
        no room for is counted, never made (a column of 50,000 links)."""
        account = self.agencies.account(agency.id)
        room = self.room(account, reserved)
        over: Counter[Role] = Counter()
        first: dict[Role, str] = {}  # the first link of each role refused, to name it
        for link, role in chosen:
            if room is not None and room <= 0:
                over[role] += 1
                first.setdefault(role, link.url)
                continue
            if role in REPORT_ROLES and not account.knows_report(link.address):
                new_reports["new"] += 1
            room = None if room is None else room - 1
            yield self._request(link.url, agency, role, link.text, link.fragment)
        for refused_role, n in over.items():
            account.refuse(BUDGET, first[refused_role], refused_role, n)

    def _role(self, account: AgencyAccount, link: Link, on: Role) -> Role | None:
        """The role of a link to follow, or None (nowhere near a report, declined, or a
        barren template's)."""
        reason = trap_reason(link.url)
        if reason:
            account.decline(reason, link.url)
            return None
        role = link_role(link.url, link.text, on, self.agencies[account.agency_id],
                         self.years)
        if role in WALKED and is_search_url(link.url):
            account.decline("site search", link.url)
            return None
        if role in WALKED and self._trapped(account, link.url):
            return None
        return role

    def _trapped(self, account: AgencyAccount, url: str) -> bool:
        template = url_template(url)
        if account.template(template).is_trap(self.trap_pages):
            account.trapped(template, url)
            return True
        return False

