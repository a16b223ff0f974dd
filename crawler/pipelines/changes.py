"""Items for what changed: each report compared with its last version (``crawler.changes``).

Every item gets ``run_id`` and ``change`` (``new``, ``changed`` or ``unchanged``);
a changed one the ``previous`` version's ``report_id``, payload digest and WARC
record, and a ``revision`` (which cells, which text, ``cosmetic`` or
``substantive``). By default only new reports and substantive changes go on to
the feeds; the rest are dropped quietly as ``Unchanged`` (counted, and still in
the summary's reports): ``-a emit=all`` keeps every item. Without a crawl state
(``CRAWL_STATE`` empty) every report is ``new``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem

from archive import RecordLocation

from ..changes import ReportVersions, compare
from ..run import Run
from ..run.closing import Closing
from ..run.outcome import feeds_failed
from ..shared import shared
from ..state import open_versions, state_path

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

    from ..distributed.state import RedisReportVersions

__all__ = ["ChangePipeline", "Revisions", "Unchanged"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Unchanged(DropItem):
    """A report as it was: archived (a revisit proves it), not emitted again."""

    def __init__(self, url: str, how: str) -> None:
        super().__init__(f"{how} since the last crawl: {url}", log_level="DEBUG")


class Revisions:
    """For the summary: the crawl's revised reports (``{agency_id, url, kind}``) and,
    per agency, the reports the last finished run found and this one did not."""

    def __init__(self) -> None:
        self.revised: list[dict[str, Any]] = []
        self.gone: dict[str, list[str]] = {}


class ChangePipeline:
    def __init__(self, crawler: Crawler,
                 versions: ReportVersions | RedisReportVersions | None) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats = crawler.stats
        self.run = Run.of(crawler)
        self.revisions = shared(crawler, Revisions)
        self.versions = versions
        self._state = state_path(crawler.settings) or "<WARC_DIR>/crawl-state.sqlite"
        if versions is not None:
            Closing.of(crawler).expect("versions")  # the summary lists the reports gone

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ChangePipeline:
        pipeline = cls(crawler, open_versions(crawler.settings))
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def spider_opened(self) -> None:
        if self.run.arguments.get("emit") == "all":
            logger.info("Feeds get every report found (-a emit=all)")
        else:
            logger.info("Feeds get new and changed reports only (-a emit=all for every "
                        "report); the dataset reads every report from the crawl state: "
                        "python -m crawler.dataset build --state %s", self._state)
        if self.versions is not None:
            self.versions.begin(self.run.id)

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        adapter["run_id"] = self.run.id
        data = _fields(adapter)
        versions = self.versions
        previous = await self._ask(lambda: versions.previous(data["url"], self.run.id)) \
            if versions is not None else None
        change, revision = compare(data, previous)
        adapter["change"], adapter["revision"] = change, revision
        if previous is not None and change == "changed":
            old = previous.item
            adapter["previous"] = {"report_id": old.get("report_id"),
                                   "payload_digest": (old.get("warc") or {}).get(
                                       "payload_digest"), "warc": old.get("warc")}
        if versions is not None and not _incomplete(data):  # a bad read: no version
            fields = _fields(adapter)
            await self._ask(lambda: versions.record(data["url"], self.run.id, fields, previous))
        return self._emit(adapter, change, revision)

    async def _ask(self, call: Callable[[], T]) -> T:
        """A call to the versions; in Redis, waited for while Redis is out: an item is
        never dropped because Redis restarted (``crawler.distributed.outage``)."""
        outage = self.versions.outage if self.versions is not None else None
        if outage is None:
            return call()
        return await outage.patiently("report versions", call)

    def _emit(self, adapter: ItemAdapter, change: str, revision: dict[str, Any] | None) -> Any:
        agency = adapter.get("agency_id") or "?"
        kind = revision["kind"] if revision else None
        if revision:
            self.revisions.revised.append({"agency_id": agency, "url": adapter["url"],
                                           "kind": kind})
        if self.run.arguments.get("emit") != "all" and (change == "unchanged"
                                                         or kind == "cosmetic"):
            raise Unchanged(adapter["url"], "cosmetic change only" if kind else "unchanged")
        return adapter.item

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        """The reports gone, for the summary (the ``versions`` part of the closing); then
        the run's versions count, once it finished and everything is stored."""
        versions = self.versions
        if versions is None:
            return
        closing = Closing.of(self.crawler)
        try:
            if not self.run.arguments.get("years"):  # else other years were not looked for
                self.revisions.gone = await self._ask(lambda: versions.gone(self.run.id))
        finally:
            closing.done("versions")
        await closing.wait(but="versions")
        stats = self.stats.get_stats()
        if reason == "finished" and not stats.get("warc/errors") and not feeds_failed(stats) \
                and not closing.failed:
            await self._ask(lambda: versions.finish(self.run.id))
        versions.close()


def _fields(adapter: ItemAdapter) -> dict[str, Any]:
    """The item's fields, read only: a shallow view (``asdict`` copies every nested
    dict and list of a report: a sixth of re-extraction's time, called twice), its
    record's location as the feeds and the crawl state keep it (a dict)."""
    fields = {name: adapter.get(name) for name in adapter.field_names()}
    location = fields.get("warc")
    if isinstance(location, RecordLocation):
        fields["warc"] = location.as_dict()
    return fields


def _incomplete(item: dict[str, Any]) -> bool:
    """Read in part only (a part or an attachment not fetched, a download cut short,
    extraction failed): no version, or the whole report would look changed next time."""
    return bool(item.get("partial")) or any(
        "not fetched" in w or w.startswith("extraction failed")
        for w in item.get("warnings") or [])
