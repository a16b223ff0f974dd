"""Scrapy's cookie handling, deciding public suffixes offline.

``scrapy.downloadermiddlewares.cookies`` asks ``tldextract`` whether a cookie's
domain is a public suffix (so that ``gov.cn`` cannot set cookies for every
agency). ``tldextract``'s default first downloads the Public Suffix List from
publicsuffix.org: a request outside every agency's hosts, made behind the scope
middleware's back, which on machines without internet prints two tracebacks
before it falls back to the list bundled in its wheel. Scrapy has no setting
for it, so its module-level splitter is replaced, once, by one that only reads
the bundled snapshot (``suffix_list_urls=()``) and keeps no cache on disk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import scrapy.downloadermiddlewares.cookies as scrapy_cookies
from tldextract import TLDExtract

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["OFFLINE_SUFFIXES", "OfflineCookiesMiddleware"]

OFFLINE_SUFFIXES = TLDExtract(cache_dir=None, suffix_list_urls=(),
                              include_psl_private_domains=True)


class OfflineCookiesMiddleware(scrapy_cookies.CookiesMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OfflineCookiesMiddleware:
        scrapy_cookies._split_domain = OFFLINE_SUFFIXES
        return super().from_crawler(crawler)
