"""Scrapy's scheduler and duplicate filter, without Scrapy's job state in ``JOBDIR``.

This project resumes a ``JOBDIR`` crawl by replaying its run from the WARCs
(``crawler.extensions.resume``), because Scrapy's own job state does not survive
``kill -9``. Scrapy would still pickle every pending request into
``JOBDIR/requests.queue`` (one open file per host and priority) and every
fingerprint into ``requests.seen``, for a resume that does not read them. Pending
requests do go to disk with ``JOBDIR``, in one file made new by each run: the
scheduler's queues are ``crawler.diskqueue.SpillingLifoQueue``
(``SCHEDULER_MEMORY_QUEUE``), which keep a report's follow-up requests, whose
draft cannot be pickled, in memory in their place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.misc import load_object

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["RunDupeFilter", "RunScheduler"]


class RunDupeFilter(RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunDupeFilter:
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"),
                   fingerprinter=crawler.request_fingerprinter)


class RunScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunScheduler:
        settings = crawler.settings
        dupefilter_cls = load_object(settings["DUPEFILTER_CLASS"])
        return cls(dupefilter=dupefilter_cls.from_crawler(crawler), jobdir=None,
                   mqclass=load_object(settings["SCHEDULER_MEMORY_QUEUE"]),
                   logunser=settings.getbool("SCHEDULER_DEBUG"), stats=crawler.stats,
                   pqclass=load_object(settings["SCHEDULER_PRIORITY_QUEUE"]), crawler=crawler)
