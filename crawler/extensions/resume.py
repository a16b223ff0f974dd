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
accounts of the agencies) is rebuilt exactly as it was, nothing archived is
fetched again, and the items of the reports archived before the stop are made
again and written to this attempt's feed. The earlier attempt's feed files
(possibly cut short: feed storages buffer) are kept beside it, renamed
``NAME.attempt<N>.EXT`` (``items.attempt1.jsonl``, ``items.attempt1.summary.json``).

A ``JOBDIR`` whose run finished starts a new run (Scrapy's seen set from the
last one would otherwise filter every request). Settings: ``JOBDIR``.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.lookup import Capture, CaptureIndex, is_lasting

from ..run import Run, attempt_name, feed_paths, summary_path
from ..run.closing import Closing
from ..run.outcome import SetupError, feeds_failed
from ..run.record import RUN_STATE, read_run_state
from ..shared import shared
from ..state import CrawlStateStore

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

__all__ = ["CrawlResume", "JobDirLock"]

logger = logging.getLogger(__name__)
# What Scrapy keeps in JOBDIR (scheduler queue, dupefilter, spider state), and the pending
# requests of crawler/frontier/diskqueue.py: replaced by replay.
_SCRAPY_STATE = ("requests.queue", "requests.seen", "spider.state", "frontier.sqlite")


class JobDirLock:
    """One crawl per job directory (Scrapy's queue state and ``frontier.sqlite`` are
    written by one process): held until this process ends, however it ends."""

    def __init__(self) -> None:
        self.file: Any = None

    def take(self, jobdir: Path) -> None:
        if self.file is not None:
            return
        jobdir.mkdir(parents=True, exist_ok=True)
        file = open(jobdir / "run.lock", "a")  # noqa: SIM115  # open while the process lives
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.close()
            raise SetupError(f"JOBDIR {jobdir} is in use by another crawl") from None
        self.file = file


class CrawlResume:
    def __init__(self, crawler: Crawler, jobdir: Path) -> None:
        self.crawler = crawler
        self.state_path = jobdir / RUN_STATE
        self.run = Run.of(crawler)
        self.closing = Closing.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlResume:
        settings = crawler.settings
        if not settings.get("JOBDIR"):
            raise NotConfigured("no JOBDIR: every crawl is a run of its own")
        # Any crawl with a JOBDIR, resumable or not: its queue files are its own.
        shared(crawler, JobDirLock).take(Path(settings["JOBDIR"]))
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
        state = read_run_state(self.state_path)
        # A new run starts from nothing; a resumed one is rebuilt by replay. Either way
        # Scrapy's seen set would filter the requests out (and its queue may be torn).
        self._clear_scrapy_state()
        if self.run.unfinished is not None:  # settled by Run.of: this attempt goes on
            self._resume(self.run.unfinished, settings)
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
        if state.get("arguments", run.arguments) != run.arguments:
            raise SetupError(
                f"JOBDIR {self.state_path.parent} holds run {state['run_id']} of another "
                f"crawl ({_asked(state['arguments'])}, not {_asked(run.arguments)}): give this "
                "crawl a JOBDIR of its own, or remove that one to start over")
        run.feeds_set_aside = [str(p) for p in self._set_feeds_aside(settings, state)]
        retried = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        run.captures = CaptureIndex.build([settings["WARC_DIR"]], run.id,
                                          lambda status: is_lasting(status)
                                          and status not in retried, self._original)
        stats = self.crawler.stats
        assert stats is not None
        for path, why in run.captures.unreadable:  # what it held is fetched again
            logger.error("Cannot read %s to resume from it (%s): skipped", path, why)
        if run.captures.unreadable:
            stats.set_value("resume/unreadable_files", len(run.captures.unreadable))
        stats.set_value("resume/attempt", run.attempt)
        stats.set_value("resume/captures", len(run.captures))
        logger.info("Resuming run %s (attempt %d): %d captures in %d WARC file(s) answer "
                    "again without the network", run.id, run.attempt, len(run.captures),
                    len(run.captures.files))

    def _original(self, record_id: str, url: str) -> Capture | None:
        """A revisit's original in an earlier run's files, from the crawl state."""
        store = CrawlStateStore.of(self.crawler)
        stored = store.state.get(url) if store.state is not None else None
        if stored is None or stored.record_id != record_id or not stored.available(
                store.warc_dir):
            return None
        return Capture(url, stored.status, str(store.warc_dir / stored.filename),
                       stored.offset, stored.length, stored.record_id, stored.date,
                       stored.payload_digest)

    def _set_feeds_aside(self, settings: BaseSettings, state: dict[str, Any]) -> list[Path]:
        """The earlier attempt's feed files and summary, renamed out of the way."""
        moved = []
        attempt = int(state.get("attempts", 1))
        for old in [*feed_paths(settings, self.run), summary_path(settings, self.run)]:
            if old.exists():
                new = attempt_name(old, attempt)
                os.replace(old, new)
                logger.info("Kept the interrupted attempt's %s as %s", old, new)
                moved.append(new)
        return moved

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        """Finished only once every record, item and the summary are on disk; a failure
        in the last WARC records, in storing a feed or the summary leaves the run to be
        resumed."""
        await self.closing.wait()
        stats = self.crawler.stats
        assert stats is not None
        if reason == "finished" and (stats.get_value("warc/errors") or self.closing.failed
                                     or feeds_failed(stats.get_stats())):
            reason = "not everything stored"
        if reason == "finished":
            _sync(feed_paths(self.crawler.settings, self.run))
        self._save("finished" if reason == "finished" else f"interrupted: {reason}")

    def _save(self, status: str) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        state = {"run_id": self.run.id, "attempts": self.run.attempt, "status": status,
                 "arguments": self.run.arguments,
                 "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        temporary = self.state_path.with_suffix(".tmp")
        with open(temporary, "w", encoding="utf-8") as fh:
            json.dump(state, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, self.state_path)  # whole or not at all, whenever the kill comes


def _sync(paths: list[Path]) -> None:
    """Feeds on disk before the run is called finished (a power cut may follow)."""
    for path in paths:
        if path.exists():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())


def _asked(arguments: dict[str, Any]) -> str:
    return " ".join(f"-a {k}={v}" for k, v in arguments.items() if v is not None) or "no -a"
