"""The browser fetcher of last resort: Chromium through scrapy-playwright, for the pages
static reading cannot read (``crawler.discovery.escalation`` says which).

- ``handler``: the crawl's http/https download handler; a render request goes to the
  browser, every other the static way;
- ``traffic``: every request a rendered page makes goes through the crawl's own
  downloader (scope, robots.txt, politeness, WARC capture), never past it;
- ``pages``: a rendered page as a response, alike live and from the archive
  (``archive.rendered`` keeps its DOM and what it did).
"""

from .handler import BROWSER_SLOT, BrowserDownloadHandler, browser_executable, browser_mode

__all__ = ["BROWSER_SLOT", "BrowserDownloadHandler", "browser_executable", "browser_mode"]
