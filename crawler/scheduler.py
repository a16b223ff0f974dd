"""Scrapy's scheduler and duplicate filter, kept in memory even with ``JOBDIR``.

This project resumes a ``JOBDIR`` crawl by replaying its run from the WARCs
(``crawler.extensions.resume``), because Scrapy's own job state does not survive
``kill -9``. Scrapy would still pickle every pending request into
``JOBDIR/requests.queue`` and every fingerprint into ``requests.seen``: for
nothing, and at a cost, since a report's follow-up requests carry its draft (its
page bodies, and the pending WARC record of its page, whose future cannot
survive pickling: the item would lose its WARC location).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.misc import load_object

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["MemoryDupeFilter", "MemoryScheduler"]


class MemoryDupeFilter(RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MemoryDupeFilter:
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"),
                   fingerprinter=crawler.request_fingerprinter)


class MemoryScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MemoryScheduler:
        settings = crawler.settings
        dupefilter_cls = load_object(settings["DUPEFILTER_CLASS"])
        return cls(dupefilter=dupefilter_cls.from_crawler(crawler), jobdir=None,
                   mqclass=load_object(settings["SCHEDULER_MEMORY_QUEUE"]),
                   logunser=settings.getbool("SCHEDULER_DEBUG"), stats=crawler.stats,
                   pqclass=load_object(settings["SCHEDULER_PRIORITY_QUEUE"]), crawler=crawler)
