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

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from ..agencies import stat_key
from ..changes import ReportVersions, compare
from ..run import Run
from ..shared import shared

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["ChangePipeline", "Revisions", "Unchanged"]


class Unchanged(DropItem):
    """A report as it was: archived (a revisit proves it), not emitted again."""

    def __init__(self, url: str, how: str) -> None:
        super().__init__(f"{how} since the last crawl: {url}", log_level="DEBUG")


class Revisions:
    """For the summary: the crawl's revised reports (``{agency_id, url, kind}``) and,
    per agency, the reports earlier runs found that this one did not."""

    def __init__(self) -> None:
        self.revised: list[dict[str, Any]] = []
        self.gone: dict[str, list[str]] = {}


class ChangePipeline:
    def __init__(self, crawler: Crawler, versions: ReportVersions | None) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.run = shared(crawler, Run)
        self.revisions = shared(crawler, Revisions)
        self.versions = versions
        self.seen: dict[str, set[str]] = {}  # agency -> report URLs read this run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ChangePipeline:
        path = crawler.settings.get("CRAWL_STATE")
        return cls(crawler, ReportVersions(path) if path else None)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        adapter["run_id"] = self.run.id
        data = adapter.asdict()
        previous = self.versions.previous(data["url"], self.run.id) if self.versions else None
        change, revision = compare(data, previous)
        adapter["change"], adapter["revision"] = change, revision
        self.seen.setdefault(data.get("agency_id") or "?", set()).add(data["url"])
        if previous is not None and change == "changed":
            old = previous.item
            adapter["previous"] = {"report_id": old.get("report_id"),
                                   "payload_digest": (old.get("warc") or {}).get(
                                       "payload_digest"), "warc": old.get("warc")}
        if self.versions is not None:
            self.versions.record(data["url"], self.run.id, adapter.asdict())
        return self._emit(adapter, change, revision)

    def _emit(self, adapter: ItemAdapter, change: str, revision: dict[str, Any] | None) -> Any:
        agency = adapter.get("agency_id") or "?"
        kind = revision["kind"] if revision else None
        self.stats.inc_value(stat_key(agency, "changes", kind or change))
        if revision:
            self.revisions.revised.append({"agency_id": agency, "url": adapter["url"],
                                           "kind": kind})
        if self.run.arguments.get("emit") != "all" and (change == "unchanged"
                                                         or kind == "cosmetic"):
            raise Unchanged(adapter["url"], "cosmetic change only" if kind else "unchanged")
        return adapter.item

    def close_spider(self) -> None:
        if self.versions is None:
            return
        if not self.run.arguments.get("years"):  # else the other years were not looked for
            for agency, urls in self.seen.items():
                gone = sorted(self.versions.urls(agency) - urls)
                if gone:
                    self.revisions.gone[agency] = gone
        self.versions.close()
