"""Extraction off the crawler's event loop, in worker processes that cannot take
the crawl down with them.

Reading a PDF (pdfplumber, OCR) or converting a DOC takes from tenths of a
second to minutes of pure-Python work; on Scrapy's loop it would stall every
download. A small pool of worker processes does it, and report pages larger
than ``inline_max`` bytes go there too (a 16 MB page of table rows takes ~18 s
to read). Small HTML pages (a few milliseconds each) go to a worker that is
idle (``EXTRACT_PAGES_WHEN_IDLE``): reading them was over a third of the crawl
thread's CPU on the national bench (``bench/national.py``), the thread every
download waits on. When every worker is busy (a long PDF), or none could be
started, they are read inline rather than wait.

What can go wrong in a worker stays there:

- a worker that dies (killed by the OOM killer, crashed by a hostile file) is
  replaced, and the document it was reading is read once more in a fresh one;
  if that one dies too, ``ExtractionFailed`` says so;
- a document that takes longer than ``timeout`` seconds has its worker killed
  (``ExtractionFailed``, not retried: it would take as long again);
- a worker may use at most ``memory_limit`` bytes of address space
  (``RLIMIT_AS``): a file that wants more fails alone instead of swapping the
  machine;
- an exception inside the extractor comes back as its type and message (an
  lxml or pdfminer exception may not survive pickling: the caller would see
  ``cannot pickle ...`` instead of the cause);
- workers die with the crawl process, however it dies (``PR_SET_PDEATHSIG``):
  no orphan keeps reading after a ``kill -9``.

``concurrent.futures.ProcessPoolExecutor`` does the process work, one executor of
one process per worker, so that a death or a timeout has one culprit and costs
only that worker; what it does not do (replacing a broken executor, a time limit
per task, limits and parent-death signals in the children) is this module's.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import resource
import signal
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..items import ReportItem
from . import extract, extract_pages

__all__ = ["ExtractionFailed", "ExtractionPool", "WorkerUnavailable"]

logger = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
STARTUP_TIMEOUT = 120.0  # seconds a fresh worker may take to start and import the extractors


class ExtractionFailed(Exception):
    """A document no worker could read; the message says why, ``details`` how (the
    extractor's traceback, when it raised)."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


class WorkerUnavailable(ExtractionFailed):
    """No worker process could be started: the document was never tried."""


def _start_worker(parent: int, memory_limit: int) -> None:
    """Runs first in each worker: die with the parent, stay within the memory limit
    (never above a hard limit the crawl itself was given)."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: shutdown still applies
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    if memory_limit > 0:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            memory_limit = min(memory_limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, hard))


def _ready() -> bool:
    """Answered once the worker has imported this module (and the extractors)."""
    return True


def _work(pages: bool, data: Any, url: str, content_type: str | None
          ) -> ReportItem | tuple[str, str, str]:
    """In the worker: the item, or (exception type, message, traceback) for anything
    it raised (sent as text: an lxml or pdfminer exception may not pickle)."""
    try:
        if pages:
            return extract_pages(data, url, content_type)
        return extract(data, url, content_type)
    except MemoryError:
        return ("MemoryError", "more memory than the worker's limit (EXTRACT_MEMORY_LIMIT)",
                "")
    except Exception as exc:  # noqa: BLE001 - a bug or a file no reader expected: said
        return (type(exc).__name__, str(exc), traceback.format_exc())


class _Worker:
    """One worker process, started on first use and again after it is discarded."""

    def __init__(self, memory_limit: int, extra: bool = False) -> None:
        self.memory_limit = memory_limit
        self.executor: ProcessPoolExecutor | None = None
        self.since: float | None = None  # when it took the document it is reading
        self.extra = extra  # started for a slow document: retired once nothing waits

    def busy_for(self) -> float:
        return time.monotonic() - self.since if self.since is not None else 0.0

    async def start(self) -> None:
        """The process, started and ready (the extractors imported): its start-up, slow
        on a busy machine, never counts against a document's ``EXTRACT_TIMEOUT``."""
        if self.executor is None:  # "spawn": never fork a process that runs threads
            self.executor = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker, initargs=(os.getpid(), self.memory_limit))
            try:
                await asyncio.wait_for(asyncio.wrap_future(self.executor.submit(_ready)),
                                       STARTUP_TIMEOUT)
            except TimeoutError:
                self.discard(kill=True)
                raise WorkerUnavailable(f"the worker did not start in {STARTUP_TIMEOUT} s") \
                    from None

    def submit(self, *args: Any) -> asyncio.Future[Any]:
        assert self.executor is not None, "start() first"
        return asyncio.wrap_future(self.executor.submit(_work, *args))

    def discard(self, kill: bool = False) -> None:
        executor, self.executor = self.executor, None
        if executor is None:
            return
        if kill:  # Python 3.14 has kill_workers(); before it, only this private map
            for process in list(getattr(executor, "_processes", {}).values()):
                process.kill()
        executor.shutdown(wait=not kill, cancel_futures=True)


class ExtractionPool:
    def __init__(self, processes: int = 1, *, timeout: float = 600.0,
                 memory_limit: int = 0, inline_max: int = 512 * 1024,
                 pages_when_idle: bool = True, slow: float = 30.0, extra: int = 2) -> None:
        self.processes = processes
        self.timeout = timeout
        self.slow, self.extra = slow, extra
        self.memory_limit = memory_limit
        self.inline_max = inline_max
        self.pages_when_idle = pages_when_idle
        self.replaced = 0  # workers that died (or overran) and were replaced
        self._workers = [_Worker(memory_limit) for _ in range(max(processes, 0))]
        self._idle: asyncio.Queue[_Worker] | None = None
        self._waiting = 0  # callers waiting for a worker: the next idle ones are theirs
        self._said_unavailable = False

    @classmethod
    def from_settings(cls, settings: Any) -> ExtractionPool:
        """``EXTRACT_PROCESSES``, ``EXTRACT_TIMEOUT``, ``EXTRACT_MEMORY_LIMIT``,
        ``EXTRACT_INLINE_MAX``, ``EXTRACT_PAGES_WHEN_IDLE`` (a Scrapy ``Settings``)."""
        return cls(settings.getint("EXTRACT_PROCESSES"),
                   timeout=settings.getfloat("EXTRACT_TIMEOUT"),
                   memory_limit=settings.getint("EXTRACT_MEMORY_LIMIT"),
                   inline_max=settings.getint("EXTRACT_INLINE_MAX"),
                   pages_when_idle=settings.getbool("EXTRACT_PAGES_WHEN_IDLE", True),
                   slow=settings.getfloat("EXTRACT_SLOW", 30.0),
                   extra=settings.getint("EXTRACT_EXTRA_PROCESSES", 2))

    async def read(self, body: bytes, url: str, content_type: str | None) -> ReportItem:
        """A document (PDF, DOC, DOCX...), read in a worker."""
        return await self._run(False, body, url, content_type)

    async def read_pages(self, bodies: list[bytes], url: str,
                         content_type: str | None) -> ReportItem:
        """A report page and its further pages: in a worker when they are large or a
        worker is idle, else inline (small pages do not wait behind a long document),
        and inline too when no worker could be started."""
        if sum(map(len, bodies)) > self.inline_max:
            return await self._run(True, bodies, url, content_type)
        if self._a_worker_is_idle():
            try:
                return await self._run(True, bodies, url, content_type)
            except WorkerUnavailable as exc:
                if not self._said_unavailable:
                    self._said_unavailable = True
                    logger.warning("Report pages are read in the crawl's process: %s", exc)
        return _result(_work(True, bodies, url, content_type))

    def _a_worker_is_idle(self) -> bool:
        """An idle worker no earlier caller is waiting for. Checked and taken with no
        ``await`` between, so ``_run`` gets that worker; a worker handed back wakes its
        waiter only on a later turn of the loop, and pages must not take it meanwhile
        (a document would wait as long as pages keep coming)."""
        return (self.pages_when_idle and bool(self._workers)
                and (self._idle is None or self._idle.qsize() > self._waiting))

    async def _run(self, pages: bool, data: Any, url: str,
                   content_type: str | None) -> ReportItem:
        if not self._workers:
            return _result(_work(pages, data, url, content_type))
        if self._idle is None:
            self._idle = asyncio.Queue()
            for worker in self._workers:
                self._idle.put_nowait(worker)
        self._waiting += 1
        try:
            worker = await self._take(self._idle)
        finally:
            self._waiting -= 1
        worker.since = time.monotonic()
        try:
            return await self._in(worker, (pages, data, url, content_type))
        finally:
            worker.since = None
            if worker.extra and not self._waiting:  # its memory back once nothing waits
                worker.discard()
                self._workers.remove(worker)
            else:
                self._idle.put_nowait(worker)

    async def _take(self, idle: asyncio.Queue[_Worker]) -> _Worker:
        """An idle worker. When every worker has been on one document for longer than
        ``slow`` seconds (a flate bomb, a long scan), one more is started (at most
        ``extra`` more): one document that runs until ``EXTRACT_TIMEOUT`` or its memory
        limit never holds the others back. An idle worker is taken at once, with no
        ``await`` (``_a_worker_is_idle`` counts on it): ``wait_for`` would take it only on a
        later turn of the loop, and pages meanwhile would be read inline."""
        if not idle.empty():
            return idle.get_nowait()
        while True:
            try:
                return await asyncio.wait_for(idle.get(), self.slow)
            except TimeoutError:
                busy = [w for w in self._workers if w.since is not None]
                if len(self._workers) - self.processes < self.extra and busy and \
                        len(busy) == len(self._workers) and \
                        all(w.busy_for() >= self.slow for w in busy):
                    self._workers.append(worker := _Worker(self.memory_limit, extra=True))
                    logger.warning("Every extraction worker has been on one document for over "
                                   "%g s; starting one more (%d in all)", self.slow,
                                   len(self._workers))
                    return worker

    async def _in(self, worker: _Worker, args: tuple[Any, ...]) -> ReportItem:
        """Read in ``worker``; once more in a fresh process if it dies."""
        for attempt in (1, 2):
            try:
                await worker.start()
                return _result(await asyncio.wait_for(worker.submit(*args), self.timeout))
            except TimeoutError:
                worker.discard(kill=True)
                self.replaced += 1
                raise ExtractionFailed(f"took longer than {self.timeout:g} s "
                                       "(EXTRACT_TIMEOUT); worker stopped") from None
            except BrokenProcessPool:
                worker.discard()
                self.replaced += 1
                if attempt == 1:
                    logger.warning("The extraction worker died reading %s; reading it "
                                   "again in a new worker", args[2])
        raise ExtractionFailed("the extraction worker died reading it, twice "
                               "(out of memory, or crashed by the file)")

    def close(self) -> None:
        for worker in self._workers:
            worker.discard()


def _result(outcome: ReportItem | tuple[str, str, str]) -> ReportItem:
    if isinstance(outcome, ReportItem):
        return outcome
    kind, message, details = outcome
    raise ExtractionFailed(f"{kind}: {message}" if message else kind, details)
