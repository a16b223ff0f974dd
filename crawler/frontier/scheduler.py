"""Scrapy's scheduler and duplicate filter, without Scrapy's job state in ``JOBDIR``.

This project resumes a ``JOBDIR`` crawl by replaying its run from the WARCs
(``crawler.extensions.resume``), because Scrapy's own job state does not survive
``kill -9``. Scrapy would still pickle every pending request into
``JOBDIR/requests.queue`` (one open file per host and priority) and every
fingerprint into ``requests.seen``, for a resume that does not read them. Pending
requests do go to disk with ``JOBDIR``, in one file made new by each run: the
scheduler's queues are ``crawler.frontier.diskqueue.SpillingLifoQueue``
(``SCHEDULER_MEMORY_QUEUE``), which keep what cannot be pickled in memory, in its
place. Each agency's budget is kept here too, after the duplicate filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.misc import load_object

from .budget import AgencyBudget
from .diskqueue import DiskFrontier

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["RunDupeFilter", "RunScheduler"]


class RunDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter. With the frontier on disk its fingerprints are rows of
    the frontier file too: one per request of the crawl, they are what grows with it
    (about 100 bytes each in Scrapy's set). A fingerprint the file cannot take (a full
    disk) is kept in memory instead."""

    frontier: DiskFrontier | None = None
    kept: set[bytes]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunDupeFilter:
        dupefilter = cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"),
                         fingerprinter=crawler.request_fingerprinter)
        dupefilter.frontier, dupefilter.kept = DiskFrontier.of(crawler), set()
        return dupefilter

    def request_seen(self, request: Request) -> bool:
        if self.frontier is None:
            return super().request_seen(request)
        fingerprint = self.fingerprinter.fingerprint(request)
        if fingerprint in self.kept:
            return True
        first = self.frontier.first_sight(fingerprint)
        if first is None:
            self.kept.add(fingerprint)
            return False
        return not first


class RunScheduler(Scheduler):
    """Scrapy's scheduler, with each agency's budget kept between the duplicate filter and
    the queues (``crawler.frontier.budget``)."""

    budget: AgencyBudget

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunScheduler:
        settings = crawler.settings
        dupefilter_cls = load_object(settings["DUPEFILTER_CLASS"])
        scheduler = cls(dupefilter=dupefilter_cls.from_crawler(crawler), jobdir=None,
                        mqclass=load_object(settings["SCHEDULER_MEMORY_QUEUE"]),
                        logunser=settings.getbool("SCHEDULER_DEBUG"), stats=crawler.stats,
                        pqclass=load_object(settings["SCHEDULER_PRIORITY_QUEUE"]),
                        crawler=crawler)
        scheduler.budget = AgencyBudget.from_crawler(crawler)
        return scheduler

    def enqueue_request(self, request: Request) -> bool:
        """Scrapy's, with the budget after the duplicate filter (so a duplicate is never a
        refusal) and before the queues."""
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if not self.budget.admit(request):
            return False  # counted in the agency's account; Scrapy says request_dropped
        assert self.stats is not None
        if self._dqpush(request):
            self.stats.inc_value("scheduler/enqueued/disk")
        else:
            self._mqpush(request)
            self.stats.inc_value("scheduler/enqueued/memory")
        self.stats.inc_value("scheduler/enqueued")
        return True
