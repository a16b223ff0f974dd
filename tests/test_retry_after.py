"""Retry-After holds a host from the response, then gives the host its own delay back.

The middleware runs against a real crawler and real ``Slot`` objects; only the
downloader around them, the clock and the timers are stand-ins, so every
moment is exact and nothing waits.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.http import HtmlResponse

from crawler.middlewares.retryafter import RetryAfterMiddleware
from tests.conftest import project_crawler

HOST = "gdj.zj.gov.cn"
URL = f"http://{HOST}/module/jpage/dataproxy.jsp"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Timers:
    """``call_later`` that only records: the test fires timers itself."""

    def __init__(self) -> None:
        self.scheduled: list[SimpleNamespace] = []

    def __call__(self, delay, func, *args):
        timer = SimpleNamespace(delay=delay, fire=lambda: func(*args), cancelled=False)
        timer.cancel = lambda: setattr(timer, "cancelled", True)
        self.scheduled.append(timer)
        return timer

    @property
    def pending(self) -> list[SimpleNamespace]:
        return [t for t in self.scheduled if not t.cancelled]


class Downloader:
    """The part of Scrapy's downloader the middleware touches."""

    def __init__(self) -> None:
        self.slots = {HOST: Slot(concurrency=2, delay=0.5, jitter=0.5)}
        self.woken: list[Slot] = []

    def get_slot_key(self, request: Request) -> str:
        return urlsplit(request.url).hostname

    def _process_queue(self, slot: Slot) -> None:
        self.woken.append(slot)


@pytest.fixture
def held():
    crawler = project_crawler(RETRY_AFTER_MAX=600)
    crawler.engine = SimpleNamespace(downloader=Downloader())
    clock, timers = Clock(100.0), Timers()
    middleware = RetryAfterMiddleware(crawler, clock=clock, schedule=timers)
    slot = crawler.engine.downloader.slots[HOST]
    slot.lastseen = 98.0  # the request went out 2 s before its answer came
    return SimpleNamespace(middleware=middleware, slot=slot, clock=clock, timers=timers,
                           downloader=crawler.engine.downloader, stats=crawler.stats)


def answer(middleware, status: int, retry_after: str | None = None, url: str = URL):
    request = Request(url)
    headers = {"Retry-After": retry_after} if retry_after else {}
    response = HtmlResponse(url, status=status, headers=headers, body=b"", request=request)
    assert middleware.process_response(request, response) is response
    return request


def next_send(slot: Slot) -> float:
    """When Scrapy's downloader sends the slot's next request (no jitter: exact)."""
    assert slot.jitter == 0
    return slot.lastseen + slot.download_delay()


def test_the_host_waits_from_the_response_not_from_the_request(held):
    answer(held.middleware, 429, "5")
    assert next_send(held.slot) == 105.0  # 100 + 5, not 98 + 5 (or ±50% of it)
    [timer] = held.timers.pending
    assert timer.delay == 5.0
    assert held.stats.get_value("retry_after/429") == 1


def test_the_host_gets_its_own_delay_back_when_the_wait_is_over(held):
    answer(held.middleware, 503, "5")
    held.clock.now = 105.0
    held.slot.latercall = SimpleNamespace(cancel=lambda: None)  # set while held
    held.timers.pending[0].fire()
    assert (held.slot.delay, held.slot.jitter) == (0.5, 0.5)
    assert held.slot.latercall is None and held.downloader.woken == [held.slot]
    answer(held.middleware, 200)  # and later answers leave it alone
    assert (held.slot.delay, held.slot.jitter) == (0.5, 0.5)


def test_answers_during_the_hold_keep_it(held):
    answer(held.middleware, 429, "5")
    held.clock.now, held.slot.delay = 101.0, 0.8  # AutoThrottle adjusted the delay
    answer(held.middleware, 200)
    assert next_send(held.slot) == 105.0


def test_a_longer_wait_extends_the_hold_and_a_shorter_one_does_not(held):
    answer(held.middleware, 429, "5")
    held.clock.now = 101.0
    answer(held.middleware, 429, "10")
    assert next_send(held.slot) == 111.0
    assert [t.delay for t in held.timers.pending] == [10.0]
    answer(held.middleware, 429, "1")
    assert next_send(held.slot) == 111.0
    held.timers.pending[0].fire()
    assert (held.slot.delay, held.slot.jitter) == (0.5, 0.5)  # the original, not a held one


def test_a_wait_beyond_retry_after_max_is_not_retried(held, caplog):
    caplog.set_level(logging.WARNING)
    request = answer(held.middleware, 429, "601")
    assert request.meta.get("dont_retry") is True
    assert (held.slot.delay, held.slot.jitter) == (0.5, 0.5) and not held.timers.pending
    assert "more than RETRY_AFTER_MAX=600: not retrying" in caplog.text
    request = answer(held.middleware, 429, "600")
    assert "dont_retry" not in request.meta and next_send(held.slot) == 700.0


def test_other_answers_and_other_hosts_are_left_alone(held):
    answer(held.middleware, 429)  # no Retry-After: Scrapy's retry as usual
    answer(held.middleware, 500, "5")
    answer(held.middleware, 429, "5", url="http://fzggw.zj.gov.cn/x")  # a slot not open
    assert (held.slot.delay, held.slot.jitter) == (0.5, 0.5) and not held.timers.pending
