"""Downloader middlewares on their own, with a real crawler object and no network."""

from __future__ import annotations

import asyncio
from email.utils import formatdate

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.agencies import CrawlAgencies
from crawler.agencies.registry import Agency
from crawler.exceptions import OffHosts, OffScope, PrivateAddress
from crawler.middlewares.addresses import PrivateAddressMiddleware, is_private
from crawler.middlewares.retryafter import retry_after_seconds
from crawler.middlewares.scope import AgencyScopeMiddleware
from crawler.middlewares.useragent import ContactUserAgentMiddleware
from tests.conftest import project_crawler


def test_retry_after_values():
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds(formatdate(1_000_030, usegmt=True), now=1_000_000) == 30
    assert retry_after_seconds(formatdate(999_000, usegmt=True), now=1_000_000) == 0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None


@pytest.mark.parametrize(("address", "private"), [
    ("127.0.0.1", True), ("10.1.2.3", True), ("192.168.0.1", True), ("169.254.1.1", True),
    ("::1", True), ("0.0.0.0", True), ("202.96.134.133", False), ("2400:da00::6666", False)])
def test_private_addresses(address, private):
    assert is_private(address) == private


@pytest.mark.parametrize("url", ["http://10.0.0.1/admin", "http://127.0.0.1:8080/",
                                 "http://[::1]/", "http://169.254.169.254/latest/meta-data/"])
def test_literal_private_addresses_are_refused_through_a_proxy_too(url):
    """A proxy resolves names itself, so names pass; a literal address is checked here."""
    middleware = PrivateAddressMiddleware.from_crawler(project_crawler())
    request = Request(url, meta={"proxy": "http://127.0.0.1:3128"})
    with pytest.raises(PrivateAddress):
        asyncio.run(middleware.process_request(request))
    named = Request("http://gdj.zj.gov.cn/", meta={"proxy": "http://127.0.0.1:3128"})
    assert asyncio.run(middleware.process_request(named)) is None


def test_private_address_middleware_can_be_switched_off():
    crawler = get_crawler(settings_dict={"ALLOW_PRIVATE_ADDRESSES": True})
    with pytest.raises(NotConfigured):
        PrivateAddressMiddleware.from_crawler(crawler)


def scope(agencies, **settings):
    crawler = project_crawler(**settings)
    CrawlAgencies.of(crawler).extend(agencies)
    return AgencyScopeMiddleware.from_crawler(crawler)


def agency(id_, host):
    return Agency(id_, "浙江省", id_, f"http://{host}/", (host,))


def test_scope_keeps_each_agency_on_its_own_hosts():
    middleware = scope([agency("a", "gdj.zj.gov.cn"), agency("b", "fzggw.zj.gov.cn")])
    middleware.process_request(Request("http://gdj.zj.gov.cn/x", meta={"agency_id": "a"}))
    with pytest.raises(OffHosts):  # a sibling's host is not this agency's
        middleware.process_request(Request("http://fzggw.zj.gov.cn/x", meta={"agency_id": "a"}))
    with pytest.raises(OffHosts):
        middleware.process_request(Request("http://gdj.zj.gov.cn.evil.com/x",
                                           meta={"agency_id": "a"}))
    # robots.txt and other agency-less requests: any agency's host
    middleware.process_request(Request("http://fzggw.zj.gov.cn/robots.txt"))
    with pytest.raises(OffScope):
        middleware.process_request(Request("http://www.bst365.com/robots.txt"))


def test_each_agencys_budget_is_kept_after_the_duplicate_filter_before_the_queues(caplog):
    """Over budget, a request is refused where it enters the frontier (no queue, no host
    delay) and counted; a duplicate is dropped as one, costs nothing and is no refusal;
    a further page of a report being assembled, a redirect and a retry go on."""
    from scrapy import Spider

    from crawler.frontier.scheduler import RunScheduler
    from crawler.meta import REPORT_KEY

    crawler = project_crawler(AGENCY_MAX_PAGES=2,  # Scrapy's own queue: it needs no engine
                              SCHEDULER_PRIORITY_QUEUE="scrapy.pqueues.ScrapyPriorityQueue")
    CrawlAgencies.of(crawler).extend([agency("a", "gdj.zj.gov.cn")])
    crawler.spider = Spider.from_crawler(crawler, "unit")
    scheduler = RunScheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)

    def ask(url: str, role: str = "list", **meta) -> bool:
        return scheduler.enqueue_request(Request(url, meta={"agency_id": "a", "role": role,
                                                            **meta}))

    assert ask("http://gdj.zj.gov.cn/0") and ask("http://gdj.zj.gov.cn/1")
    assert not ask("http://gdj.zj.gov.cn/0")  # a duplicate, over budget: not a refusal
    for i in range(3):
        assert not ask(f"http://gdj.zj.gov.cn/x{i}", "report")
    assert ask("http://gdj.zj.gov.cn/1_1.html", "part", **{REPORT_KEY: "7"})
    assert ask("http://gdj.zj.gov.cn/moved", redirect_times=1)
    account = CrawlAgencies.of(crawler).account("a")
    assert account.requests == 3 and account.refused.of("report") == {"page budget": 3}
    assert account.refused.of("list") == {}
    warnings = [r for r in caplog.records if "AGENCY_MAX_PAGES" in r.getMessage()]
    assert len(warnings) == 1  # said once


def test_user_agent_fills_in_the_contact():
    crawler = get_crawler(settings_dict={"USER_AGENT": "bot/1 (+{contact_url})",
                                         "CONTACT_URL": "https://example.org/bot"})
    middleware = ContactUserAgentMiddleware.from_crawler(crawler)
    request = Request("http://a.gov.cn/")
    middleware.process_request(request)
    assert request.headers["User-Agent"] == b"bot/1 (+https://example.org/bot)"
