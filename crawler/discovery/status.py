"""The one rule for an agency's status, read from its account (``AgencyAccount``), in
order:

1. ``blocked: <reason>`` when the site would not serve the crawl at all;
2. ``unreachable: start page <reason>`` when its start page gave nothing to follow;
3. ``no report column found`` when neither a column nor a report turned up;
4. ``incomplete: <why>``: a list short of its stated size, a column whose pages gave no
   record and do not say they list none, a list page or a report lost or refused, a
   report cut short, requests over the page budget, report links not yet ended or
   requests still on their way (a crawl that stopped), reports found with no column, a
   portal on which no department's site was found, even in a browser;
5. ``trapped: <URL template>, N requests refused``: a URL space that led only to more
   of itself was left, so something behind it may be missed;
6. ``no report found``: a column, and nothing in it, with no page saying it is empty;
7. ``complete``: the column found, every list read to its stated size (or its pager
   ended), every report link ended in an item or a named reason, and at least one
   report found, or the column shown empty.

Plain Python, as every decision in ``crawler.discovery``: a test builds an account by
hand and reads the status it gets.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .completeness import BUDGET

if TYPE_CHECKING:
    from ..agencies.account import AgencyAccount

__all__ = ["agency_status"]


def agency_status(account: AgencyAccount) -> str:
    """The agency's status (the module's rule), naming the pages that needed a browser
    no one could run (``BROWSER=never``, no Chromium): never ``complete`` with them."""
    status = _status(account)
    unrendered = account.unrendered.of("browser")
    if not unrendered:
        return status
    said = f"{sum(unrendered.values())} page(s) need a browser, not rendered: {_kinds(unrendered)}"
    return f"incomplete: {said}" if status == "complete" else f"{status} ({said})"


def _status(account: AgencyAccount) -> str:
    if account.blocked:
        return f"blocked: {account.blocked}"
    columns = list(account.columns)
    if not columns and not account.reports:
        start = account.lost.of("start") + account.refused.of("start")
        return f"unreachable: start page {_kinds(start)}" if start else \
            "no report column found"
    why = [short for column in columns if (short := column.shortfall())]
    why += _problems(account) + _unended(account)
    if account.departments_sought and not account.department_links:
        why.append("no department's site found on the portal")
    if not columns and account.report_count:
        why.append(f"no report column found ({account.report_count} report(s) linked "
                   "elsewhere)")
    if why:
        return f"incomplete: {'; '.join(why)}"
    if account.traps:
        template, refused = account.traps.most_common(1)[0]
        return f"trapped: {template}, {refused} requests refused"
    if not account.report_count and not any(column.is_empty for column in columns):
        return "no report found"
    return "complete"


def _problems(account: AgencyAccount) -> list[str]:
    """Every loss and refusal that leaves a list or a report unread."""
    said = [f"{n} list page(s) not fetched ({kind})"
            for kind, n in sorted(account.lost.of("list").items())]
    said += [f"{n} list page(s) refused ({kind})"
             for kind, n in sorted(account.refused.of("list").items()) if kind != BUDGET]
    said += [f"{n} report(s) not fetched or not read ({kind})"
             for kind, n in sorted(account.lost.of("report").items())]
    said += [f"{n} report(s) refused ({kind})"
             for kind, n in sorted(account.refused.of("report").items()) if kind != BUDGET]
    said += [f"{n} report(s) cut short ({kind})"
             for kind, n in sorted(account.partial.of("report").items())]
    over = sum(n for (_, kind), n in account.refused.counts.items() if kind == BUDGET)
    if over:
        said.append(f"{over} request(s) over the page budget")
    return said


def _unended(account: AgencyAccount) -> list[str]:
    """What a crawl that stopped early left on its way (a finished crawl has ended every
    report link by the time its summary is written: ``crawler.extensions.accounts``)."""
    said = []
    if account.unsettled():
        said.append(f"{len(account.unsettled())} report link(s) not ended")
    if account.outstanding:
        said.append(f"{len(account.outstanding)} request(s) still on their way")
    return said


def _kinds(counts: Counter[str]) -> str:
    return ", ".join(kind for kind, _ in counts.most_common())
