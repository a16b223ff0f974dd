"""Each agency's page budget (``AGENCY_MAX_PAGES``), kept where a request enters the
frontier: after Scrapy's duplicate filter (a link seen before costs nothing and is no
refusal), before any queue or host delay (a column of 50,000 links is refused at once,
not one host delay at a time).

A request going on (a redirect, a retry) was charged when it first entered. A further
page or document of a report being assembled is never refused: the report was taken,
its parts come with it (refused, it would be a report without an item). A refusal is
counted in the agency's account with its URL and marked on the request
(``BUDGET_REFUSED``), so the ``request_dropped`` that follows is not taken for a
duplicate (``crawler.extensions.accounts``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..agencies import CrawlAgencies
from ..discovery.completeness import BUDGET
from ..meta import AGENCY, REPORT_KEY, ROLE

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["BUDGET_REFUSED", "AgencyBudget"]

logger = logging.getLogger(__name__)
BUDGET_REFUSED = "budget_refused"  # request.meta: refused by its agency's budget


class AgencyBudget:
    def __init__(self, agencies: CrawlAgencies, max_pages: int) -> None:
        self.agencies, self.max_pages = agencies, max_pages
        self._said: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AgencyBudget:
        return cls(CrawlAgencies.of(crawler), crawler.settings.getint("AGENCY_MAX_PAGES"))

    def admit(self, request: Request) -> bool:
        """Charge ``request`` to its agency's budget, or refuse it (counted, said once
        per agency)."""
        account = self.agencies.account_of(request.meta.get(AGENCY))
        if account is None or "redirect_times" in request.meta \
                or "retry_times" in request.meta:
            return True  # not an agency's, or one going on
        if self.max_pages and account.requests >= self.max_pages \
                and REPORT_KEY not in request.meta:
            if account.agency_id not in self._said:
                self._said.add(account.agency_id)
                logger.warning("Agency %s reached AGENCY_MAX_PAGES=%d; its further requests "
                               "are refused and counted", account.agency_id, self.max_pages)
            account.refuse(BUDGET, request.url, request.meta.get(ROLE))
            request.meta[BUDGET_REFUSED] = True
            return False
        account.requests += 1
        return True
