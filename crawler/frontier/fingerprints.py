"""Request fingerprints that know when two URLs are one page.

Scrapy's fingerprint already sorts query parameters and drops fragments; sites
also link one page as ``/x/`` and ``/x/index.html``, with ``;jsessionid=`` or
with a cache-busting ``?_t=1706000000000``. Fingerprinting the request as at
``crawler.discovery.url_key`` makes the duplicate filter (and ``JOBDIR``'s
``requests.seen``) treat them as the same request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.utils.request import RequestFingerprinter

from ..discovery.urls import url_key

if TYPE_CHECKING:
    from scrapy import Request

__all__ = ["UrlKeyFingerprinter"]


class UrlKeyFingerprinter(RequestFingerprinter):
    def fingerprint(self, request: Request) -> bytes:
        key = url_key(request.url)
        return super().fingerprint(request if key == request.url else request.replace(url=key))
