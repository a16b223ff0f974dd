"""Honour ``Retry-After`` on ``429 Too Many Requests`` and ``503 Service Unavailable``.

Scrapy's ``RetryMiddleware`` retries these at once; a government server that
says "come back in 120 s" means the whole host. This middleware (before
``RetryMiddleware`` in the response chain) widens that host's download-slot
delay to what the server asked, so the retry and every other request to the host
wait; AutoThrottle then eases the delay back down as responses come in. A wait
longer than ``RETRY_AFTER_MAX`` (default 600 s) is not retried.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["RetryAfterMiddleware", "retry_after_seconds"]

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP-date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("RETRY_AFTER_MAX", 600)
        self.codes = {429, 503}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in self.codes:
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None:
            return response
        self.crawler.stats.inc_value(f"retry_after/{response.status}")
        if wait > self.max_wait:
            logger.warning("%s asks to wait %.0f s (Retry-After), more than RETRY_AFTER_MAX=%.0f:"
                           " not retrying %s", response.status, wait, self.max_wait, request.url)
            request.meta["dont_retry"] = True
            return response
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < wait:
            slot.delay = wait
        logger.info("%s %s: server asks to wait %.0f s (Retry-After); host %s slowed down",
                    response.status, request.url, wait, key)
        return response
