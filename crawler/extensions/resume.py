"""Resuming a crawl after it was stopped, however it was stopped (``JOBDIR``).

Scrapy's own ``JOBDIR`` state (the pending-request queue, the seen-request set)
is written as the crawl goes and does not survive ``kill -9``: the seen set is
then empty and the queue incomplete. This project resumes differently, from
what cannot be lost: the WARC files. ``JOBDIR/run.json`` says which run the job
directory holds and whether it finished. Restarted on an unfinished run, the
crawl keeps the run's id, sets Scrapy's queue state aside, and starts again
from the start pages; ``crawler.middlewares.replay`` answers every request the
run's WARCs already answered from those records, without the network. So every
piece of crawl state (departments found on portals, list tallies, the report
ledger, per-agency counts) is rebuilt exactly as it was, nothing archived is
fetched again, and the items of the reports archived before the stop are made
again and written to this attempt's feed. The earlier attempt's feed files
(possibly cut short: feed storages buffer) are kept beside it, renamed
``NAME.attempt<N>.EXT``.

A ``JOBDIR`` whose run finished starts a new run (Scrapy's seen set from the
last one would otherwise filter every request). Settings: ``JOBDIR``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.lookup import CaptureIndex

from ..outcome import SetupError
from ..run import Run
from ..shared import shared
from .warc import ArchiveClosing

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

__all__ = ["CrawlResume", "feed_paths"]

logger = logging.getLogger(__name__)
STATE_FILE = "run.json"
# What Scrapy keeps in JOBDIR (scheduler queue, dupefilter, spider state): replaced by replay.
_SCRAPY_STATE = ("requests.queue", "requests.seen", "spider.state")


def feed_paths(settings: BaseSettings) -> list[Path]:
    """The local files the crawl's feeds write (URIs without ``%(...)s`` parameters)."""
    paths = []
    for uri in settings.getdict("FEEDS"):
        parts = urlsplit(str(uri))
        if parts.scheme in ("", "file") and "%(" not in str(uri):
            paths.append(Path(parts.path))
    return paths


class CrawlResume:
    def __init__(self, crawler: Crawler, jobdir: Path) -> None:
        self.crawler = crawler
        self.state_path = jobdir / STATE_FILE
        self.run = shared(crawler, Run)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlResume:
        settings = crawler.settings
        if not settings.get("JOBDIR"):
            raise NotConfigured("no JOBDIR: every crawl is a run of its own")
        if not settings.getbool("WARC_ENABLED"):
            logger.warning("JOBDIR without WARC_ENABLED: resuming needs the WARCs; "
                           "only Scrapy's own queue state is kept")
            raise NotConfigured("WARC_ENABLED is off")
        resume = cls(crawler, Path(settings["JOBDIR"]))
        # Now, before the scheduler reads JOBDIR and the feeds open their files.
        resume.begin(settings)
        crawler.signals.connect(resume.spider_closed, signal=signals.spider_closed)
        return resume

    def begin(self, settings: BaseSettings) -> None:
        state = self._load()
        # A new run starts from nothing; a resumed one is rebuilt by replay. Either way
        # Scrapy's seen set would filter the requests out (and its queue may be torn).
        self._clear_scrapy_state()
        if state and state.get("status") != "finished":
            self._resume(state, settings)
        elif state:
            logger.info("The run in %s (%s) finished; starting a new run",
                        self.state_path.parent, state.get("run_id"))
        self._save("running")

    def _clear_scrapy_state(self) -> None:
        for name in _SCRAPY_STATE:
            path = self.state_path.parent / name
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)

    def _resume(self, state: dict[str, Any], settings: BaseSettings) -> None:
        run = self.run
        run.id, run.attempt = state["run_id"], int(state.get("attempts", 1)) + 1
        run.feeds_set_aside = [str(p) for p in self._set_feeds_aside(settings, state)]
        run.captures = CaptureIndex.build([settings["WARC_DIR"]], run.id)
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("resume/attempt", run.attempt)
        stats.set_value("resume/captures", len(run.captures))
        logger.info("Resuming run %s (attempt %d): %d captures in %d WARC file(s) answer "
                    "again without the network", run.id, run.attempt, len(run.captures),
                    len(run.captures.files))

    def _set_feeds_aside(self, settings: BaseSettings, state: dict[str, Any]) -> list[Path]:
        """The earlier attempt's feed files (and their summaries), renamed out of the way."""
        moved = []
        attempt = int(state.get("attempts", 1))
        for path in feed_paths(settings):
            for old in (path, path.with_name(f"{path.stem}.summary.json")):
                if old.exists():
                    new = old.with_name(f"{old.stem}.attempt{attempt}{old.suffix}")
                    os.replace(old, new)
                    logger.info("Kept the interrupted attempt's %s as %s", old, new)
                    moved.append(new)
        return moved

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        await shared(self.crawler, ArchiveClosing).wait()
        assert self.crawler.stats is not None
        if reason == "finished" and self.crawler.stats.get_value("warc/errors"):
            reason = "warc_write_error"  # the last records were not written: not done
        self._save("finished" if reason == "finished" else f"interrupted: {reason}")

    def _load(self) -> dict[str, Any] | None:
        try:
            return dict(json.loads(self.state_path.read_text("utf-8")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise SetupError(f"{self.state_path} cannot be read ({exc}); "
                                "move it away to start a new run") from exc

    def _save(self, status: str) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        state = {"run_id": self.run.id, "attempts": self.run.attempt, "status": status,
                 "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        temporary = self.state_path.with_suffix(".tmp")
        with open(temporary, "w", encoding="utf-8") as fh:
            json.dump(state, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, self.state_path)  # whole or not at all, whenever the kill comes
