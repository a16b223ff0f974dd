"""Keep every request on its agency's own hosts, and within its page budget.

Scrapy's ``OffsiteMiddleware`` knows one ``allowed_domains`` list per spider;
this crawl has one per agency (``request.meta["agency_id"]``), so a department
may not wander onto its portal's or a sibling's host, and a redirect that leaves
the agency's hosts is recorded (its 3xx is already in the WARC) but not followed.
Requests without an agency (robots.txt) may go to any agency's host.

A CMS family's list API that the agency's own column page names may be on
another government host (``SCOPE_LIST_API_DOMAINS``: provincial site-group
search services); what it lists is held to the agency's hosts like any link.

Settings: ``SCOPE_ENABLED``, ``AGENCY_MAX_PAGES`` (requests per agency; 0 for no
cap), ``SCOPE_LIST_API_DOMAINS``.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, NoReturn

from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from ..agencies import CrawlAgencies
from ..exceptions import OffHosts, OverBudget
from ..meta import AGENCY, DONT_COUNT_PAGE, LIST_API

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["AgencyScopeMiddleware"]

logger = logging.getLogger(__name__)


class AgencyScopeMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.agencies = CrawlAgencies.of(crawler)
        self.max_pages = crawler.settings.getint("AGENCY_MAX_PAGES")
        self.api_domains = tuple(crawler.settings.getlist("SCOPE_LIST_API_DOMAINS"))
        self.pages: Counter[str] = Counter()
        self._capped: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AgencyScopeMiddleware:
        if not crawler.settings.getbool("SCOPE_ENABLED"):
            raise NotConfigured("SCOPE_ENABLED is off")
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not len(self.agencies):
            return  # a crawl of no registry (another spider of the project)
        agency_id = request.meta.get(AGENCY)
        agency = self.agencies.get(agency_id)
        allowed = agency.owns(request.url) if agency else self.agencies.owner(request.url)
        if not allowed and not self._list_api(request):
            self._refuse(request, agency_id)
        if agency is None or request.meta.get(DONT_COUNT_PAGE):
            return
        self.pages[agency.id] += 1
        if self.max_pages and self.pages[agency.id] > self.max_pages:
            if agency.id not in self._capped:
                self._capped.add(agency.id)
                logger.warning("Agency %s reached AGENCY_MAX_PAGES=%d; its remaining requests "
                               "are dropped", agency.id, self.max_pages)
            self.stats.inc_value("scope/page_cap_dropped")
            raise OverBudget(f"{agency.id} is over its page budget")

    def _list_api(self, request: Request) -> bool:
        """A list API the agency's own column page named, on a government host."""
        host = urlparse_cached(request).hostname or ""
        return bool(request.meta.get(LIST_API)) and any(
            host == d or host.endswith("." + d) for d in self.api_domains)

    def _refuse(self, request: Request, agency_id: str | None) -> NoReturn:
        host = urlparse_cached(request).hostname
        redirected_from = request.meta.get("redirect_urls")
        if redirected_from:
            self.stats.inc_value("scope/offsite_redirect")
            logger.info("Redirect off the agency's hosts recorded, not followed: %s -> %s",
                        redirected_from[-1], request.url)
        else:
            self.stats.inc_value("scope/offsite")
            logger.debug("Off the agency's hosts, not requested: %s (%s)", request.url, agency_id)
        raise OffHosts(f"{host} is not a host of agency {agency_id}")
