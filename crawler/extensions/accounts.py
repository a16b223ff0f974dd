"""Each agency's account kept from Scrapy's own signals: every request of an agency
ends in it, once, as a page fetched, a refusal or a loss, and every report link in an
item or a named reason. (Its page budget is kept where requests enter the frontier:
``crawler.frontier.budget``.)

- ``request_scheduled``: a new request of an agency is outstanding; a report link is
  noted as one that must end in an item or a named reason.
- ``request_dropped``: refused by the budget (counted there); a duplicate (a report page
  first fetched under another role is no report link of its own); a redirect back into
  its own chain is a ``redirect loop``; a redirect onto a report asked for already is
  that report; a report redirected onto a page fetched before as no report is lost.
- ``response_received``: a page fetched; a report's answer, under its final URL.
- ``crawler.signals.request_failed`` (the spider's errback): refused (the crawl chose
  not to send it: robots.txt, off the agency's hosts, too many redirects...) or lost
  (HTTP 404, timeout, connection lost...), by kind, with its URL; a JavaScript challenge
  blocks the agency. A DNS failure is logged once per agency, not once per request
  (``crawler.extensions.unresolved``).
- ``item_scraped`` / ``item_dropped`` / ``item_error``: a report's item, stored, left
  out as unchanged, or lost on its way to the feeds.
- ``spider_closed``: a report link of a finished crawl that never ended is a loss,
  logged with its URL (``no answer``, or ``fetched, no item``); then the summary may
  read the accounts (``crawler.run.closing``: the ``accounts`` part).

Requests carry a token from their first scheduling (a redirect or a retry copies the
meta, so it is the same request going on): an agency with no token outstanding is
done (the progress line).
"""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import signals

from ..agencies import CrawlAgencies
from ..agencies.account import ANSWERED, ITEM, AgencyAccount, role_group
from ..discovery import REPORT_ROLES, Role, url_key
from ..discovery.failures import challenge, failure_reason
from ..exceptions import Refused
from ..frontier.budget import BUDGET_REFUSED
from ..meta import AGENCY, ROLE
from ..pipelines.changes import Unchanged
from ..run.closing import Closing
from ..signals import request_failed
from .unresolved import is_dns_error

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

__all__ = ["NEW_REPORT", "TOKEN", "AgencyBookkeeping"]

logger = logging.getLogger(__name__)
TOKEN = "account_token"  # request.meta: the request's place among its agency's outstanding
NEW_REPORT = "new_report_link"  # request.meta: its report link was new to the account


class AgencyBookkeeping:
    def __init__(self, crawler: Crawler) -> None:
        self.agencies = CrawlAgencies.of(crawler)
        self.closing = Closing.of(crawler)
        self.closing.expect("accounts")  # the summary reads the accounts once they are
        self._tokens = itertools.count()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AgencyBookkeeping:
        keeper = cls(crawler)
        for handler, signal in ((keeper.scheduled, signals.request_scheduled),
                                (keeper.dropped, signals.request_dropped),
                                (keeper.received, signals.response_received),
                                (keeper.failed, request_failed),
                                (keeper.item_scraped, signals.item_scraped),
                                (keeper.item_dropped, signals.item_dropped),
                                (keeper.item_error, signals.item_error),
                                (keeper.spider_closed, signals.spider_closed)):
            crawler.signals.connect(handler, signal=signal)
        return keeper

    def _account(self, request: Request) -> AgencyAccount | None:
        return self.agencies.account_of(request.meta.get(AGENCY))

    # ---------------------------------------------------------------- requests
    def scheduled(self, request: Request, spider: Spider) -> None:
        account = self._account(request)
        if account is None or TOKEN in request.meta:
            return  # not an agency's, or one going on (a redirect, a retry)
        request.meta[TOKEN] = token = next(self._tokens)
        account.outstanding.add(token)
        role = request.meta.get(ROLE)
        if role is not None and Role(role) in REPORT_ROLES and \
                account.report_found(request.url):
            request.meta[NEW_REPORT] = True

    def dropped(self, request: Request, spider: Spider) -> None:
        """Refused by the budget, or dropped by Scrapy's duplicate filter."""
        account = self._account(request)
        if account is None:
            return
        account.outstanding.discard(request.meta.get(TOKEN, -1))
        if request.meta.get(BUDGET_REFUSED):
            return  # counted where it was refused (crawler.frontier.budget)
        chain = request.meta.get("redirect_urls") or []
        role = request.meta.get(ROLE)
        if not chain:  # a duplicate link: a report page fetched before under another role
            if request.meta.get(NEW_REPORT):
                account.forget_report(request.url)
        elif url_key(request.url) in {url_key(url) for url in chain}:
            logger.warning("Redirect loop: %s -> %s (%s)", " -> ".join(chain), request.url,
                           account.agency_id)
            account.lose("redirect loop", chain[0], role)
        elif role_group(role) == "report":
            self._redirected_onto(account, chain[0], request.url, role)

    def _redirected_onto(self, account: AgencyAccount, asked: str, url: str,
                         role: Role | str | None) -> None:
        """A report link redirected onto a page fetched before: that report, when it was
        one; else (a removed report sent to the home page) a loss."""
        if account.knows_report(url):
            account.report_settled(asked, "the same report as another link")
        else:
            logger.warning("Report link %s redirected to %s, a page that is no report (%s)",
                           asked, url, account.agency_id)
            account.lose("redirected to a page that is no report", asked, role)

    def received(self, response: Response, request: Request, spider: Spider) -> None:
        account = self._account(request)
        if account is None:
            return
        account.fetched()
        account.outstanding.discard(request.meta.get(TOKEN, -1))
        role = request.meta.get(ROLE)
        if role is not None and Role(role) in REPORT_ROLES:
            chain = request.meta.get("redirect_urls") or []
            account.report_answered(response.url, chain[0] if chain else None)

    def failed(self, request: Request, failure: Failure) -> None:
        account = self._account(request)
        if account is None:
            return
        account.outstanding.discard(request.meta.get(TOKEN, -1))
        reason = failure_reason(failure.value)
        role = request.meta.get(ROLE)
        url = (request.meta.get("redirect_urls") or [request.url])[0]  # the link followed
        blocked = challenge(failure.value)
        if blocked:
            account.block(f"{blocked} at {request.url}")
        if isinstance(failure.value, Refused):
            account.refuse(reason, url, role)
        else:
            account.lose(reason, url, role)
        if url != request.url and role_group(role) == "report":
            account.report_settled(request.url, reason)  # the key its answer was noted by
        if not is_dns_error(failure.value):
            logger.info("Could not fetch %s (%s, %s): %s", request.url, account.agency_id,
                        role, reason)
        elif account.lost.by_kind()[reason] == 1:  # once per agency (extensions/unresolved.py)
            logger.warning("%s: DNS lookup failed for %s: its site cannot be reached; its "
                           "further DNS failures are counted in the summary, not logged",
                           account.agency_id, urlsplit(request.url).hostname)

    # ------------------------------------------------------------------- items
    def item_scraped(self, item: Any, spider: Spider) -> None:
        adapter = ItemAdapter(item)
        account = self.agencies.account_of(adapter.get("agency_id"))
        if account is None:
            return
        account.item(adapter.get("year"), len(adapter.get("attachments") or []))
        for url in _urls(adapter):
            account.report_settled(url, ITEM)
        if adapter.get("change"):
            revision = adapter.get("revision") or {}
            account.changes[revision.get("kind") or adapter["change"]] += 1

    def item_dropped(self, item: Any, exception: BaseException, spider: Spider) -> None:
        if isinstance(exception, Unchanged):  # found and archived: a report all the same
            self.item_scraped(item, spider)
            return
        self._item_lost(item, f"item dropped ({type(exception).__name__})")

    def item_error(self, item: Any, response: Response | None, spider: Spider,
                   failure: Failure) -> None:
        self._item_lost(item, f"item not stored ({type(failure.value).__name__})")

    def _item_lost(self, item: Any, kind: str) -> None:
        adapter = ItemAdapter(item)
        account = self.agencies.account_of(adapter.get("agency_id"))
        logger.error("Report %s (%s) became no stored item: %s", adapter.get("url"),
                     adapter.get("agency_id"), kind)
        if account is not None:
            account.lose(kind, str(adapter.get("url")), Role.REPORT)
            for url in _urls(adapter)[1:]:  # its parts and attachments end with it
                account.report_settled(url, kind)

    # ------------------------------------------------------------------- close
    def spider_closed(self, spider: Spider, reason: str) -> None:
        """A finished crawl's report links that never ended: each a loss, named (an
        interrupted one's are said by their status, and ended by the resumed attempt)."""
        try:
            if reason == "finished":
                self._lose_unsettled()
        finally:
            self.closing.done("accounts")

    def _lose_unsettled(self) -> None:
        for account in self.agencies.accounts():
            for key, fate in account.unsettled():
                kind = "fetched, no item" if fate == ANSWERED else "no answer"
                logger.error("Report link %s (%s) ended in no item and no error: %s", key,
                             account.agency_id, kind)
                account.lose(kind, key, Role.REPORT)


def _urls(adapter: ItemAdapter) -> list[str]:
    """The report links an item settles: its own, its parts', its attachments'."""
    return [adapter.get("url"), *(adapter.get("parts") or []),
            *(a.get("url") for a in adapter.get("attachments") or [])]
