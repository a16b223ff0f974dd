"""Scrapy's cookie handling, deciding public suffixes offline.

``scrapy.downloadermiddlewares.cookies`` asks ``tldextract`` whether a cookie's
domain is a public suffix (so that ``gov.cn`` cannot set cookies for every
agency). ``tldextract``'s default first downloads the Public Suffix List from
publicsuffix.org: a request outside every agency's hosts, made behind the scope
middleware's back, which on machines without internet prints two tracebacks
before it falls back to the list bundled in its wheel. Scrapy has no setting
for it, so its module-level splitter is replaced, once, by one that only reads
the bundled snapshot (``suffix_list_urls=()``) and keeps no cache on disk.

The browser (``crawler.browser``) shares its jar: a page starts with the cookies the
crawl holds for its host (``browser_cookies``), and the cookies the page set (a
challenge passed) come back as ``Set-Cookie`` on its response, which this middleware
stores as any other.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

import scrapy.downloadermiddlewares.cookies as scrapy_cookies
from scrapy.crawler import Crawler
from tldextract import TLDExtract

__all__ = ["OFFLINE_SUFFIXES", "OfflineCookiesMiddleware"]

OFFLINE_SUFFIXES = TLDExtract(cache_dir=None, suffix_list_urls=(),
                              include_psl_private_domains=True)
_BY_CRAWLER: WeakKeyDictionary[Crawler, OfflineCookiesMiddleware] = WeakKeyDictionary()


class OfflineCookiesMiddleware(scrapy_cookies.CookiesMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OfflineCookiesMiddleware:
        scrapy_cookies._split_domain = OFFLINE_SUFFIXES
        middleware = super().from_crawler(crawler)
        _BY_CRAWLER[crawler] = middleware
        return middleware

    @staticmethod
    def of(crawler: Crawler) -> OfflineCookiesMiddleware | None:
        return _BY_CRAWLER.get(crawler)

    def browser_cookies(self, url: str, cookiejar: Any = None) -> list[dict[str, Any]]:
        """The jar's cookies for ``url``'s host, as a browser context takes them."""
        host = urlsplit(url).hostname or ""
        cookies = []
        for cookie in self.jars[cookiejar].jar:
            domain = cookie.domain.lstrip(".")
            if host == domain or (cookie.domain.startswith(".") and host.endswith("." + domain)):
                cookies.append({"name": cookie.name, "value": cookie.value or "",
                                "domain": cookie.domain, "path": cookie.path or "/",
                                **({"expires": float(cookie.expires)} if cookie.expires else {})})
        return cookies
