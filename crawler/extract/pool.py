"""Extraction off the crawler's event loop, in worker processes that cannot take
the crawl down with them.

Reading a PDF (pdfplumber, OCR) or converting a DOC takes from tenths of a
second to minutes of pure-Python work; on Scrapy's loop it would stall every
download. A small pool of worker processes does it, and report pages larger
than ``inline_max`` bytes go there too (a 16 MB page of table rows takes ~18 s
to read). Small HTML pages (milliseconds) are read inline by the caller.

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

``concurrent.futures.ProcessPoolExecutor`` does the process work; what it does
not do (replacing a broken pool, a time limit per task, limits and parent-death
signals in the children) is this module's.
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
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..items import ReportItem
from . import extract, extract_pages

__all__ = ["ExtractionFailed", "ExtractionPool"]

logger = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class ExtractionFailed(Exception):
    """A document no worker could read; the message says why."""


def _start_worker(parent: int, memory_limit: int) -> None:
    """Runs first in each worker: die with the parent, stay within the memory limit."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: shutdown still applies
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    if memory_limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))


def _work(pages: bool, data: Any, url: str, content_type: str | None
          ) -> ReportItem | tuple[str, str]:
    """In the worker: the item, or (exception type, message) for anything it raised."""
    try:
        if pages:
            return extract_pages(data, url, content_type)
        return extract(data, url, content_type)
    except MemoryError:
        return ("MemoryError", "more memory than the worker's limit (EXTRACT_MEMORY_LIMIT)")
    except Exception as exc:  # noqa: BLE001 - sent back as text: it may not pickle
        return (type(exc).__name__, str(exc))


class ExtractionPool:
    def __init__(self, processes: int = 1, *, timeout: float = 600.0,
                 memory_limit: int = 0, inline_max: int = 512 * 1024) -> None:
        self.processes = processes
        self.timeout = timeout
        self.memory_limit = memory_limit
        self.inline_max = inline_max
        self.replaced = 0  # workers found dead and replaced
        self._pool: ProcessPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> ExtractionPool:
        """``EXTRACT_PROCESSES``, ``EXTRACT_TIMEOUT``, ``EXTRACT_MEMORY_LIMIT``,
        ``EXTRACT_INLINE_MAX`` (a Scrapy ``Settings`` or any ``getint``/``getfloat``)."""
        return cls(settings.getint("EXTRACT_PROCESSES"),
                   timeout=settings.getfloat("EXTRACT_TIMEOUT"),
                   memory_limit=settings.getint("EXTRACT_MEMORY_LIMIT"),
                   inline_max=settings.getint("EXTRACT_INLINE_MAX"))

    async def read(self, body: bytes, url: str, content_type: str | None) -> ReportItem:
        """A document (PDF, DOC, DOCX...), read in a worker."""
        return await self._run(False, body, url, content_type)

    async def read_pages(self, bodies: list[bytes], url: str,
                         content_type: str | None) -> ReportItem:
        """A report page and its further pages: inline when small, else in a worker."""
        if sum(map(len, bodies)) <= self.inline_max:
            return _result(_work(True, bodies, url, content_type))
        return await self._run(True, bodies, url, content_type)

    async def _run(self, pages: bool, data: Any, url: str,
                   content_type: str | None) -> ReportItem:
        if self.processes <= 0:
            return _result(_work(pages, data, url, content_type))
        if self._slots is None:  # one document per worker at a time: a death has one culprit
            self._slots = asyncio.Semaphore(self.processes)
        async with self._slots:
            for attempt in (1, 2):
                pool = self._ensure_pool()
                try:
                    future = pool.submit(_work, pages, data, url, content_type)
                    return _result(await asyncio.wait_for(asyncio.wrap_future(future),
                                                          self.timeout))
                except TimeoutError:
                    self._discard(pool, kill=True)
                    raise ExtractionFailed(f"took longer than {self.timeout:g} s "
                                           "(EXTRACT_TIMEOUT); worker stopped") from None
                except BrokenProcessPool:
                    self.replaced += self._discard(pool)
                    if attempt == 1:
                        logger.warning("The extraction worker died reading %s; reading it "
                                       "again in a new worker", url)
            raise ExtractionFailed("the extraction worker died reading it, twice "
                                   "(out of memory, or crashed by the file)")
        raise AssertionError("unreachable")  # for type checkers: the loop returns or raises

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:  # "spawn": never fork a process that runs threads
            self._pool = ProcessPoolExecutor(
                self.processes, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker, initargs=(os.getpid(), self.memory_limit))
        return self._pool

    def _discard(self, pool: ProcessPoolExecutor, kill: bool = False) -> bool:
        """Shut ``pool`` down; True if it was the current one (not replaced already)."""
        if kill:  # Python 3.14 has pool.kill_workers(); before it, only this private map
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        current = self._pool is pool
        if current:
            self._pool = None
        return current

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _result(outcome: ReportItem | tuple[str, str]) -> ReportItem:
    if isinstance(outcome, ReportItem):
        return outcome
    kind, message = outcome
    raise ExtractionFailed(f"{kind}: {message}" if message else kind)
