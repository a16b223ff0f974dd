"""Scrapy's depth limit, counted in steps towards reports rather than in pages.

``DEPTH_LIMIT`` keeps endless URL spaces (calendars, link loops) bounded. Counted
per page, it also cuts a long report column after a few of its pages, and a
report's attachments when the report sat deep in its list: silently. Here the
further pages of one column, a report's further pages and its attachments keep
their page's depth; a department's site found on a portal starts at depth 0
(``depth_reset``); and a request the limit does refuse is counted for its
agency and named in the log, never dropped unsaid.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.spidermiddlewares.depth import DepthMiddleware

from ..agencies import CrawlAgencies
from ..discovery import Role
from ..meta import AGENCY, LIST_COLUMN, ROLE

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["RoleDepthMiddleware"]

logger = logging.getLogger(__name__)
_KEEPS_DEPTH = (Role.PART, Role.ATTACHMENT)


def continues(request: Request, response: Response) -> bool:
    """Is ``request`` more of what ``response`` was (its list, its report)?"""
    role = request.meta.get(ROLE)
    if role is None:
        return False
    if Role(role) in _KEEPS_DEPTH:
        return True
    column = request.meta.get(LIST_COLUMN)
    return (Role(role) is Role.LIST and column is not None
            and response.meta.get(ROLE) == Role.LIST
            and response.meta.get(LIST_COLUMN) == column)


class RoleDepthMiddleware(DepthMiddleware):
    agencies: CrawlAgencies

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RoleDepthMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.agencies = CrawlAgencies.of(crawler)
        return middleware

    def get_processed_request(self, request: Request,
                              response: Response | None) -> Request | None:
        if response is not None and continues(request, response):
            request.meta["depth"] = response.meta.get("depth", 0)
            return request
        processed = super().get_processed_request(request, response)
        if processed is None:
            self._refused(request)
        return processed

    def _refused(self, request: Request) -> None:
        agency, role = request.meta.get(AGENCY, "?"), request.meta.get(ROLE)
        account = self.agencies.account_of(agency)
        if account is not None:
            account.refuse("depth limit", request.url, role)
        logger.info("Not following %s (%s, %s): deeper than DEPTH_LIMIT=%d", request.url,
                    agency, role, self.maxdepth)
