"""This project's own Scrapy signals (sent with ``crawler.signals.send_catch_log``)."""

from __future__ import annotations

__all__ = ["request_failed"]

# A request of an agency that ended in its errback (a download error, a refusal):
# arguments ``request`` and ``failure``. Its agency's account notes it
# (``crawler.extensions.accounts``).
request_failed = object()
