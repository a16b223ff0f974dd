"""``scrapy crawl archive``: the disclosure crawl again, read from WARC files.

    scrapy crawl archive -a warc=PATH[,PATH...] [-a run=RUN_ID]
                         [the disclosure spider's arguments] [-O items.jsonl]

The crawl's own arguments travel with its WARCs (their warcinfo's
``crawl-arguments``): without ``registry``, ``agency``, ``province``, ``years`` or
``departments``, the ones the crawl was given are used, when the WARCs (of ``run``)
agree on them.

The same spider (``DisclosureSpider``: the same discovery roles, families and
extraction), with the network swapped for the archive
(``crawler.downloadhandlers.warc``): a better extractor re-run over every report
without fetching anything again, its items pointing at the records they were read
from. ``warc`` names WARC files or directories (comma-separated); ``run`` keeps
only one crawl run's records (its warcinfo ``run-id``), for a collection that holds
many. Nothing is written to the archive, no crawl state is read or kept, and a
request the archive does not answer is an error of its own ("not in the archive").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archive.lookup import warcinfo_fields
from archive.verify import iter_warc_paths

from .arguments import ArgumentError
from .disclosure import DisclosureSpider

__all__ = ["ArchiveSpider"]

_HANDLER = "crawler.downloadhandlers.warc.WarcDownloadHandler"
# Request middlewares that would act on the network: recrawl validators (no state
# here), and the private-address check, which resolves host names.
_OFF = ("crawler.middlewares.revisits.RevisitMiddleware",
        "crawler.middlewares.replay.ReplayMiddleware",
        "crawler.middlewares.addresses.PrivateAddressMiddleware",
        "crawler.middlewares.retryafter.RetryAfterMiddleware")


_CRAWL_ARGUMENTS = ("registry", "agency", "province", "years", "departments")


def crawl_arguments(paths: list[Path], run: str | None) -> dict[str, str]:
    """The arguments the crawl that wrote ``paths`` (of run ``run``) was given, from
    their warcinfo records; none when they disagree (two crawls of other agencies:
    the user must say which)."""
    found = set()
    for path in iter_warc_paths(paths):
        try:
            fields = warcinfo_fields(path)
        except (OSError, ValueError):
            continue  # an unreadable file: the capture index says so
        if run is None or fields.get("run-id") == run:
            found.add(fields.get("crawl-arguments") or "{}")
    if len(found) != 1:
        return {}
    asked = json.loads(found.pop())
    return {key: str(asked[key]) for key in _CRAWL_ARGUMENTS if asked.get(key)}


class ArchiveSpider(DisclosureSpider):
    name = "archive"

    def __init__(self, warc: str | None = None, run: str | None = None,
                 **kwargs: Any) -> None:
        if not warc:
            raise ArgumentError("give the WARCs to read: -a warc=PATH[,PATH...] "
                                "(files or directories)")
        paths = [Path(p.strip()) for p in warc.split(",") if p.strip()]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise ArgumentError(f"-a warc: no such file or directory: {', '.join(missing)}")
        if not any(True for _ in iter_warc_paths(paths)):
            raise ArgumentError(f"-a warc: no WARC files in {warc}")
        if not any(kwargs.get(key) for key in _CRAWL_ARGUMENTS):
            kwargs.update(crawl_arguments(paths, run))
        super().__init__(**kwargs)
        self.warc_paths = paths
        self.warc_run = run or None
        self._asked.update(warc=warc, run=run)

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """The archive in place of the network, and no politeness to keep."""
        super().update_settings(settings)
        handlers = settings.getdict("DOWNLOAD_HANDLERS")
        handlers.update({"http": _HANDLER, "https": _HANDLER})
        middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
        middlewares.update(dict.fromkeys(_OFF))
        for name, value in {
            "DOWNLOAD_HANDLERS": handlers, "DOWNLOADER_MIDDLEWARES": middlewares,
            "WARC_ENABLED": False, "CRAWL_STATE": "", "RETRY_ENABLED": False,
            "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
            "BROWSER": "archive",  # rendered pages read back from their DOM records
        }.items():
            settings.set(name, value, priority="spider")
