"""This project's own Scrapy signals (sent with ``crawler.signals.send_catch_log``)."""

from __future__ import annotations

__all__ = ["report_settled", "request_failed"]

# A fetched report page or document that ends without an item of its own, and why
# ("not a report", "HTTP 404"...): arguments ``url``, ``agency_id``, ``reason``.
report_settled = object()

# A request of an agency that ended in its errback (a download error, a refusal):
# argument ``request``.
request_failed = object()
