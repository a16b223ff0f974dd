"""One account per agency (``crawler.agencies.account``) and the one rule that reads it
(``agency_status``): "complete" only with evidence, anything else named."""

from __future__ import annotations

import pytest

from crawler.agencies import AgencyAccount, CrawlAgencies
from crawler.agencies.account import ANSWERED, ITEM
from crawler.discovery import Role
from crawler.discovery.completeness import BUDGET
from crawler.discovery.families import ListSize
from crawler.discovery.status import agency_status

COLUMN = "http://a.gov.cn/ndbg/index.html"
REPORT = "http://a.gov.cn/ndbg/2023.html"


def with_column(links: int = 1, **size) -> AgencyAccount:
    account = AgencyAccount("a")
    column = account.column(COLUMN, "link '年报'")
    column.page(COLUMN)
    column.links = links
    if size:
        column.state(ListSize(**size), "page 1")
    return account


def with_report(account: AgencyAccount, url: str = REPORT, year: int = 2023) -> AgencyAccount:
    account.report_found(url)
    account.report_answered(url)
    account.report_settled(url, ITEM)
    account.item(year, 0)
    return account


def test_complete_needs_a_column_and_a_report_or_a_column_shown_empty():
    assert agency_status(with_report(with_column())) == "complete"
    assert agency_status(with_column()) == "no report found"
    assert agency_status(with_column(links=0, here=0, records=0)) == "complete"  # 共0条
    said = with_column(links=0)
    said.column(COLUMN).shown_empty = True  # 暂无数据
    assert agency_status(said) == "complete"
    assert agency_status(AgencyAccount("a")) == "no report column found"


def test_a_column_that_gave_nothing_and_does_not_say_it_is_empty_is_not_read():
    account = with_report(with_column(links=0))  # an app shell: its list comes by script
    assert agency_status(account) == (
        f"incomplete: {COLUMN}: no records read from its 1 page(s), which do not say they "
        "list none (a list made by script?)")


def test_reports_found_without_a_column_are_not_complete():
    account = with_report(AgencyAccount("a"))
    assert agency_status(account) == ("incomplete: no report column found (1 report(s) "
                                      "linked elsewhere)")


@pytest.mark.parametrize(("act", "status"), [
    (lambda a: a.lose("HTTP 404", "http://a.gov.cn/ndbg/index_1.html", Role.LIST),
     "incomplete: 1 list page(s) not fetched (HTTP 404)"),
    (lambda a: a.refuse("robots.txt", "http://a.gov.cn/ndbg/index_1.html", Role.LIST),
     "incomplete: 1 list page(s) refused (robots.txt)"),
    (lambda a: a.lose("redirect loop", "http://a.gov.cn/ndbg/2022.html", Role.REPORT),
     "incomplete: 1 report(s) not fetched or not read (redirect loop)"),
    (lambda a: a.refuse("too many redirects", "http://a.gov.cn/ndbg/2021.html", Role.DOCUMENT),
     "incomplete: 1 report(s) refused (too many redirects)"),
    (lambda a: a.cut_short("cut short", "http://a.gov.cn/ndbg/2022.html"),
     "incomplete: 1 report(s) cut short (cut short)"),
    (lambda a: a.refuse(BUDGET, COLUMN, Role.REPORT, 49_998),
     "incomplete: 49998 request(s) over the page budget"),
    (lambda a: a.block("JavaScript challenge (HTTP 412 at http://a.gov.cn/)"),
     "blocked: JavaScript challenge (HTTP 412 at http://a.gov.cn/)"),
])
def test_every_loss_and_refusal_is_named(act, status):
    account = with_report(with_column())
    act(account)
    assert agency_status(account) == status


def test_a_list_short_of_its_stated_size_is_incomplete():
    account = with_report(with_column(here=1, records=40))
    assert agency_status(account) == (f"incomplete: {COLUMN}: the list states 40 records, "
                                      "1 collected")


def test_a_trap_left_is_named_with_its_template_and_what_it_refused():
    account = with_report(with_column())
    for n in [*range(7), 3, 4]:  # the same page asked for twice is refused once
        account.trapped("www.a.gov.cn/search.do?p=*&q=*", f"http://a.gov.cn/search.do?q=x&p={n}")
    assert agency_status(account) == "trapped: www.a.gov.cn/search.do?p=*&q=*, 7 requests refused"


def test_declined_links_and_notes_do_not_make_an_agency_incomplete():
    account = with_report(with_column())
    account.decline("site search", "http://a.gov.cn/search.do?q=年报")
    account.note("charset read as gb18030", REPORT)
    account.report_settled("http://a.gov.cn/ndbg/jd.html", "not a report")
    assert agency_status(account) == "complete"


def test_a_start_page_that_gave_nothing_says_so():
    account = AgencyAccount("a")
    account.lose("DNS lookup failed", "http://a.gov.cn/", Role.START)
    assert agency_status(account) == "unreachable: start page DNS lookup failed"


def test_a_report_link_ends_once_and_an_item_settles_it_whatever_came_before():
    account = AgencyAccount("a")
    assert account.report_found(REPORT) and not account.report_found(REPORT + "#x")
    assert account.unsettled() == [("http://a.gov.cn/ndbg/2023.html", None)]
    account.report_answered(REPORT)
    assert account.unsettled() == [("http://a.gov.cn/ndbg/2023.html", ANSWERED)]
    account.lose("extraction failed", REPORT, Role.REPORT)
    account.report_settled(REPORT, "not a report")  # the first end stands...
    assert account.reports["http://a.gov.cn/ndbg/2023.html"] == "extraction failed"
    account.report_settled(REPORT, ITEM)  # ...but an item settles it
    assert account.reports["http://a.gov.cn/ndbg/2023.html"] == ITEM
    assert account.unsettled() == [] and account.errors() == {"extraction failed": 1}
    other = "http://a.gov.cn/ndbg/jd.html"
    account.report_settled(other, "not a report")
    account.report_settled(other, ITEM)
    assert account.settled_without_item() == {}


def test_a_redirected_report_is_answered_under_its_final_url():
    account = AgencyAccount("a")
    account.report_found("http://a.gov.cn/go?id=7")
    account.report_answered(REPORT, asked="http://a.gov.cn/go?id=7")
    assert account.unsettled() == [("http://a.gov.cn/ndbg/2023.html", ANSWERED)]


def test_one_account_per_agency_whoever_asks_first():
    agencies = CrawlAgencies()
    assert agencies.account_of("a") is None  # not an agency of this crawl
    first = agencies.account("a")
    assert agencies.account("a") is first and agencies.accounts() == []


def test_components_share_one_record_whatever_order_they_are_built_in():
    from crawler.extensions.accounts import AgencyBookkeeping
    from crawler.extensions.progress import CrawlProgress
    from crawler.extensions.summary import CrawlSummary
    from crawler.middlewares.charset import CharsetMiddleware
    from crawler.middlewares.scope import AgencyScopeMiddleware
    from tests.conftest import project_crawler

    kinds = [AgencyBookkeeping, CrawlSummary, CrawlProgress, CharsetMiddleware,
             AgencyScopeMiddleware]
    for order in (kinds, kinds[::-1]):
        crawler = project_crawler()
        built = [kind.from_crawler(crawler) for kind in order]
        assert len({id(component.agencies) for component in built}) == 1
        assert built[0].agencies is CrawlAgencies.of(crawler)


def test_pages_that_needed_a_browser_never_leave_an_agency_complete():
    """Without a browser (BROWSER=never, no Chromium), a page the rules would render is
    named, and the agency is not complete however complete the rest looks."""
    account = with_report(with_column())
    assert account.escalate("load more", "http://www.a.gov.cn/col/1/", rendered=False)
    assert not account.escalate("load more", "http://www.a.gov.cn/col/1/", rendered=False)
    assert agency_status(account) == (
        "incomplete: 1 page(s) need a browser, not rendered: load more")
    gone = AgencyAccount("a")
    gone.escalate("script navigation", "http://www.a.gov.cn/", rendered=False)
    assert agency_status(gone) == ("no report column found (1 page(s) need a browser, "
                                   "not rendered: script navigation)")


def test_pages_rendered_leave_the_status_to_what_they_showed():
    account = with_report(with_column())
    assert account.escalate("app shell", "http://www.a.gov.cn/xxgk/", rendered=True)
    assert agency_status(account) == "complete"
    routes = AgencyAccount("a")  # an app's routes are pages of their own
    assert routes.escalate("hash route", "http://www.a.gov.cn/#/xxgk", rendered=True)
    assert routes.escalate("hash route", "http://www.a.gov.cn/#/xxgk/ndbg", rendered=True)
