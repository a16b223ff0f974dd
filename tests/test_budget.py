"""Bounded intake (``crawler.downloadhandlers.budget``, ``crawler.frontier.hostqueue``): a crawl
whose spider falls behind holds no more than ``RESPONSE_BUDGET`` responses, and a
host's requests wait in the scheduler, not in the downloader.

Real Scrapy crawls (in a subprocess, each with its own reactor) of a real server on
127.0.0.1. Each test also runs without the part it tests, to show what it prevents.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT
from tests.pages import page_server

SLOW_SPIDER = """
import asyncio, json, sys
import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from crawler.downloadhandlers.budget import ResponseBudget

held = []

class Slow(scrapy.Spider):
    name = "slow"
    start_urls = [f"http://127.0.0.1:%(port)d/{n}" for n in range(40)]

    async def parse(self, response):
        slot = self.crawler.engine.scraper.slot
        budget = ResponseBudget.of(self.crawler)
        held.append(len(slot.queue) + len(slot.active) + budget.on_wire)
        await asyncio.sleep(0.05)  # the spider is the bottleneck
        yield {"url": response.url}

process = CrawlerProcess({
    "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "ERROR",
    "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_HANDLERS": {"http": "crawler.downloadhandlers.http11.HTTP11DownloadHandler"},
    "RESPONSE_BUDGET": %(budget)d,
})
crawler = process.create_crawler(Slow)
process.crawl(crawler)
process.start()
budget = ResponseBudget.of(crawler)
print(json.dumps({"held": held, "stats": crawler.stats.get_stats(),
                  "left": [budget.on_wire, len(budget._waiting)]}, default=str))
"""

HOSTS_SPIDER = """
import json
import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess

most = {}
left = set()  # answered: still in the slot's ``active`` for a moment, no longer waiting

class Hosts(scrapy.Spider):
    name = "hosts"

    async def start(self):
        self.crawler.signals.connect(self.reached, signal=signals.request_reached_downloader)
        self.crawler.signals.connect(self.gone, signal=signals.request_left_downloader)
        for n in range(12):
            host = f"h{n %% 3}"
            yield scrapy.Request(f"http://127.0.0.1:%(port)d/{n}", dont_filter=True,
                                 meta={"download_slot": host})

    def reached(self, request):
        key = request.meta["download_slot"]
        slot = self.crawler.engine.downloader.slots[key]
        active = sum(1 for r in slot.active if r not in left)
        most[key] = max(most.get(key, 0), active)

    def gone(self, request):
        left.add(request)

    def parse(self, response):
        yield {"url": response.url}

process = CrawlerProcess({
    "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 8,
    "DOWNLOAD_SLOTS": {f"h{n}": {"delay": 0.1, "concurrency": 1} for n in range(3)},
    "SCHEDULER_PRIORITY_QUEUE": "%(queue)s",
})
crawler = process.create_crawler(Hosts)
process.crawl(crawler)
process.start()
print(json.dumps({"most": most, "items": crawler.stats.get_value("item_scraped_count")}))
"""


def run(code: str) -> dict:
    with page_server() as (server, _):
        out = subprocess.run([sys.executable, "-c", code % {"port": server.server_port}],
                             cwd=ROOT, check=True, timeout=120, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def slow_crawl(budget: int) -> dict:
    return run(SLOW_SPIDER.replace("%(budget)d", str(budget)))


def test_a_slow_spider_holds_no_more_responses_than_the_budget():
    result = slow_crawl(3)
    assert len(result["held"]) == 40  # nothing lost: every page reached the spider
    assert result["stats"]["item_scraped_count"] == 40
    assert max(result["held"]) <= 3, result["held"]
    assert result["stats"]["response_budget/waited"] > 0
    assert result["left"] == [0, 0]  # every admission given back, nobody left waiting


def test_without_the_budget_responses_pile_up_in_front_of_the_spider():
    assert max(slow_crawl(0)["held"]) > 3


def hosts_crawl(queue: str) -> dict:
    return run(HOSTS_SPIDER.replace("%(queue)s", queue))


def test_a_host_with_a_delay_holds_one_place_in_the_downloader():
    result = hosts_crawl("crawler.frontier.hostqueue.PoliteHostQueue")
    assert result["items"] == 12
    assert result["most"] == {"h0": 1, "h1": 1, "h2": 1}


def test_scrapys_queue_fills_the_downloader_with_requests_that_wait():
    result = hosts_crawl("scrapy.pqueues.DownloaderAwarePriorityQueue")
    assert result["items"] == 12
    assert max(result["most"].values()) > 1
