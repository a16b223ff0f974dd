"""Why a request failed, as a short name the crawl summary can count.

Told from the exception's type: this project's refusals carry their own
``reason`` (``crawler.exceptions``); Scrapy's download errors map to a name
each; an HTTP error is its status (and an anti-bot challenge page says so).
"""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError

from ..exceptions import Refused

__all__ = ["challenge", "failure_reason"]

# Scrapy raises DownloadCancelledError when a body outgrows its download_maxsize.
_DOWNLOAD_ERRORS: dict[type[BaseException], str] = {
    DownloadCancelledError: "too large",
    CannotResolveHostError: "DNS lookup failed",
    DownloadConnectionRefusedError: "connection refused",
    DownloadTimeoutError: "timeout",
    DownloadFailedError: "connection lost",
    ResponseDataLossError: "truncated",
}
_ANTI_BOT_MARKERS = (b"$_ts",)  # 瑞数 (Riversecurity) JavaScript challenge


def challenge(error: BaseException | None) -> str | None:
    """``JavaScript challenge (HTTP 412)`` when an error answer is an anti-bot page
    that only a browser passes (瑞数's ``$_ts``), else None."""
    if isinstance(error, HttpError):
        response = error.response
        if any(marker in response.body[:20000] for marker in _ANTI_BOT_MARKERS):
            return f"JavaScript challenge (HTTP {response.status})"
    return None


def failure_reason(error: BaseException | None) -> str:
    """``HTTP 404``, ``robots.txt``, ``off the agency's hosts``, ``too large``..."""
    if error is None:
        return "unknown"
    if isinstance(error, Refused):
        return error.reason
    if isinstance(error, HttpError):
        response = error.response
        if any(marker in response.body[:20000] for marker in _ANTI_BOT_MARKERS):
            return f"HTTP {response.status} anti-bot JavaScript challenge"
        return f"HTTP {response.status}"
    for kind, reason in _DOWNLOAD_ERRORS.items():
        if isinstance(error, kind):
            return reason
    return type(error).__name__
