"""A host's delay counts from its last answer (``crawler.extensions.politeness``): a slow
host never gets the next request sooner than the delay after it finished answering.

A real server on 127.0.0.1 that takes 0.4 s to answer, and a real Scrapy crawl with
a 0.3 s delay. Scrapy alone counts the delay from the last request *sent*, so its
next request arrives while (or right after) the host is still busy; the spacing
asserted is a floor that a slower machine only widens.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import ROOT

SERVICE = 0.4
DELAY = 0.3
SPIDER = """
import scrapy
from scrapy.crawler import CrawlerProcess

class Pages(scrapy.Spider):
    name = "pages"
    start_urls = [f"http://127.0.0.1:%(port)d/{n}" for n in range(5)]
    def parse(self, response):
        pass

process = CrawlerProcess({
    "DOWNLOAD_DELAY": %(delay)s, "DOWNLOAD_DELAY_JITTER": 0, "ROBOTSTXT_OBEY": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4, "LOG_LEVEL": "ERROR",
    "EXTENSIONS": {"crawler.extensions.politeness.DelayFromResponse": 300},
    "DELAY_FROM_RESPONSE": %(on)s,
})
process.crawl(Pages)
process.start()
"""


def serve():
    events: list[tuple[float, float]] = []  # (arrived, answered) per request

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            arrived = time.monotonic()
            time.sleep(SERVICE)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            self.wfile.flush()
            events.append((arrived, time.monotonic()))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, events


def gaps_after_answers(on: bool) -> list[float]:
    """For each request, the time since the previous one was answered."""
    server, events = serve()
    try:
        code = SPIDER % {"port": server.server_port, "delay": DELAY, "on": on}
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)
    finally:
        server.shutdown()
        server.server_close()
    events.sort()
    pairs = zip(events, events[1:], strict=False)
    return [arrived - answered for (_, answered), (arrived, _) in pairs]


def test_the_next_request_waits_the_delay_after_the_last_answer():
    gaps = gaps_after_answers(on=True)
    assert len(gaps) == 4
    assert min(gaps) >= 0.9 * DELAY, gaps


def test_scrapy_alone_counts_from_the_request_sent():
    """The reason for the extension: without it a request arrives before the delay since
    the last answer is over (here while the host still answers)."""
    assert min(gaps_after_answers(on=False)) < 0.5 * DELAY
