"""Why a request was refused, as exception types.

Each refusal is an ``IgnoreRequest`` subclass carrying a short ``reason`` that
the crawl summary counts, so a failure's kind is told from its class, never by
reading its message.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

__all__ = ["NotArchived", "OffHosts", "OffScope", "OverBudget", "PrivateAddress", "Refused",
           "RobotsRefused", "TooLarge", "TooManyRedirects"]


class Refused(IgnoreRequest):
    """A request this crawl chose not to send."""

    reason = "refused"


class OffScope(Refused):
    """A request outside its agency's hosts or budget."""

    reason = "off scope"


class OffHosts(OffScope):
    reason = "off the agency's hosts"


class OverBudget(OffScope):
    reason = "page budget"


class PrivateAddress(Refused):
    reason = "private address"


class RobotsRefused(Refused):
    reason = "robots.txt"


class NotArchived(Refused):
    """Re-extraction (``scrapy crawl archive``): the archive holds no answer to it."""

    reason = "not in the archive"


class TooManyRedirects(Refused):
    """A redirect past ``REDIRECT_MAX_TIMES``: not followed (Scrapy says so only in a
    bare ``IgnoreRequest``; ``crawler.middlewares.redirect`` gives it this type)."""

    reason = "too many redirects"


class TooLarge(Refused):
    """A body over ``DOWNLOAD_MAXSIZE`` once decompressed (Scrapy says so in a bare
    ``IgnoreRequest``)."""

    reason = "too large"
