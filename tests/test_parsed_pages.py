"""A parsed page is freed when its callback is done (``crawler.middlewares.parsedpages``),
not when Python's cyclic collector next runs: in a national crawl the collector's full
passes are rare and dead pages' lxml trees held up to 150 MiB between them.

A real crawl of a real server on 127.0.0.1, in a subprocess with the cyclic collector
off: with the project's spider middlewares, the pages the spider parsed are gone by
the end of the crawl; without ours, every one of them is still held.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES as REAL
from tests.conftest import ROOT
from tests.pages import page_server

SPIDER = """
import gc, json, sys, weakref
import scrapy
from scrapy.crawler import CrawlerProcess
from crawler import settings

gc.disable()  # as if its full collection had not come round yet
pages = []
middlewares = dict(settings.SPIDER_MIDDLEWARES)
if sys.argv[1] == "without":
    middlewares.pop("crawler.middlewares.parsedpages.FreeParsedPagesMiddleware")

class Pages(scrapy.Spider):
    name = "pages"
    start_urls = [f"http://127.0.0.1:%(port)d/{n}" for n in range(30)]

    async def parse(self, response):
        pages.append(weakref.ref(response))
        for title in response.xpath("//title/text()").getall():  # parsed: a selector
            yield {"title": title, "links": response.css("a::attr(href)").getall()}

process = CrawlerProcess({"ROBOTSTXT_OBEY": False, "LOG_LEVEL": "ERROR",
                          "DOWNLOAD_DELAY": 0, "SPIDER_MIDDLEWARES": middlewares})
crawler = process.create_crawler(Pages)
process.crawl(crawler)
process.start()
print(json.dumps({"parsed": len(pages), "alive": sum(ref() is not None for ref in pages),
                  "items": crawler.stats.get_value("item_scraped_count")}))
"""


def page(path: str) -> bytes:
    return (f"<html><head><title>page {path}</title></head><body>"
            + "".join(f'<p><a href="/x{n}">{n}</a></p>' for n in range(200))
            + "</body></html>").encode()


@pytest.fixture(scope="module")
def port():
    with page_server(page) as (server, _):
        yield server.server_address[1]


def crawl(port: int, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", SPIDER % {"port": port}, mode], cwd=ROOT,
                         check=True, capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_parsed_pages_are_freed_when_their_callback_is_done(port):
    freed = crawl(port, "with")
    assert freed["parsed"] == freed["items"] == 30
    assert freed["alive"] == 0, freed


def test_without_it_the_cycle_keeps_every_parsed_page(port):
    kept = crawl(port, "without")
    assert kept["parsed"] == 30
    assert kept["alive"] == 30, kept


def test_reading_a_report_page_leaves_none_of_its_tree_behind():
    """The extractor's walks over a page (``crawler.extract.html``) are freed by
    reference counting: once a real report page is read (one whose content is found
    by its density of prose), none of its elements is left, which a reference cycle
    would keep, and with them the whole lxml tree, until a full gc."""
    code = """
import gc, sys
from pathlib import Path
from lxml import etree
from crawler.extract import extract
body = Path(sys.argv[1]).read_bytes()
gc.collect()
gc.disable()
item = extract(body, "http://www.pingtan.gov.cn/report.html", "text/html; charset=utf-8")
assert item.requests, "the page's tables were not read"
print(sum(isinstance(o, etree._Element) for o in gc.get_objects()))
"""
    for name in ("pingtan-gwh-2021-report.html", "shanghai-bgt-2019-report.html"):
        out = subprocess.run([sys.executable, "-c", code, str(REAL / name)], cwd=ROOT,
                             check=True, capture_output=True, text=True, timeout=120)
        assert int(out.stdout.strip()) == 0, f"elements of {name} left after reading it"
