"""Host names that do not resolve: one line per agency, not a traceback per request.

Offline, or for a site whose domain has lapsed, every request fails its DNS lookup.
Scrapy's retry middleware then says ``Gave up retrying`` for each request, and its
robots.txt middleware logs each host's failure with two chained tracebacks: an
offline run of the 31 portals printed 62 tracebacks in 2,722 lines. The failure is
the agency's, so it is said once per agency, by the bookkeeping
(``crawler.extensions.accounts``: ``DNS lookup failed for HOST``), and counted in its
account as before (the summary's ``DNS lookup failed``). This extension keeps
Scrapy's own records of DNS failures out of the log (counted in the stats,
``log/dns_records_quieted``); every other download error is logged as Scrapy logs it.
At ``LOG_LEVEL=DEBUG`` it is off: whoever debugs sees every record.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import CannotResolveHostError, NotConfigured
from twisted.internet.error import DNSLookupError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

__all__ = ["DNS_ERRORS", "QuietDnsErrors", "is_dns_error"]

DNS_ERRORS = (CannotResolveHostError, DNSLookupError)
# Scrapy's loggers that report each request's DNS failure again
_LOGGERS = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")


def is_dns_error(error: BaseException | None) -> bool:
    return isinstance(error, DNS_ERRORS)


def _error_of(record: logging.LogRecord) -> object:
    """The exception a record is about: its traceback's (robots.txt), or the
    ``reason`` of a retry given up."""
    if record.exc_info and record.exc_info[1] is not None:
        return record.exc_info[1]
    return record.args.get("reason") if isinstance(record.args, Mapping) else None


class _DnsRecords(logging.Filter):
    def __init__(self, stats: StatsCollector) -> None:
        super().__init__()
        self.stats = stats

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a record of a DNS failure above DEBUG (a retry's debug line is kept,
        for whoever logs at that level)."""
        if record.levelno > logging.DEBUG and isinstance(_error_of(record), DNS_ERRORS):
            self.stats.inc_value("log/dns_records_quieted")
            return False
        return True


class QuietDnsErrors:
    def __init__(self, stats: StatsCollector) -> None:
        self.filter = _DnsRecords(stats)
        self.loggers = [logging.getLogger(name) for name in _LOGGERS]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietDnsErrors:
        if logging.getLevelName(crawler.settings.get("LOG_LEVEL")) == logging.DEBUG:
            raise NotConfigured("LOG_LEVEL=DEBUG: every DNS failure is logged")
        assert crawler.stats is not None
        quiet = cls(crawler.stats)
        crawler.signals.connect(quiet.engine_started, signal=signals.engine_started)
        crawler.signals.connect(quiet.engine_stopped, signal=signals.engine_stopped)
        return quiet

    def engine_started(self) -> None:
        for logger in self.loggers:
            logger.addFilter(self.filter)

    def engine_stopped(self) -> None:
        for logger in self.loggers:
            logger.removeFilter(self.filter)
