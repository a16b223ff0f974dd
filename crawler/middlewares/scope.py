"""Keep every request on its agency's own hosts.

Scrapy's ``OffsiteMiddleware`` knows one ``allowed_domains`` list per spider;
this crawl has one per agency (``request.meta["agency_id"]``), so a department
may not wander onto its portal's or a sibling's host, and a redirect that leaves
the agency's hosts is recorded (its 3xx is already in the WARC) but not followed.
Requests without an agency (robots.txt) may go to any agency's host.

A CMS family's list API that the agency's own column page names may be on
another government host (``SCOPE_LIST_API_DOMAINS``: provincial site-group
search services); what it lists is held to the agency's hosts like any link.

Each agency's page budget (``AGENCY_MAX_PAGES``) is kept before a request waits in
any queue, by ``crawler.extensions.accounts``.

Settings: ``SCOPE_ENABLED``, ``SCOPE_LIST_API_DOMAINS``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NoReturn

from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from ..agencies import CrawlAgencies
from ..exceptions import OffHosts
from ..meta import AGENCY, LIST_API

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["AgencyScopeMiddleware"]

logger = logging.getLogger(__name__)


class AgencyScopeMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.agencies = CrawlAgencies.of(crawler)
        self.api_domains = tuple(crawler.settings.getlist("SCOPE_LIST_API_DOMAINS"))

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
