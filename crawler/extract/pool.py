"""Extraction off the crawler's event loop.

Reading a PDF (pdfplumber) or converting a DOC takes from tenths of a second to
minutes of pure-Python work; on Scrapy's loop it would stall every download. A
small pool of worker processes does it; HTML pages (milliseconds) stay inline.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

from ..items import ReportItem
from . import extract

__all__ = ["ExtractionPool"]


class ExtractionPool:
    def __init__(self, processes: int = 1) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, body: bytes, url: str, content_type: str | None) -> Future[ReportItem]:
        if self.processes <= 0:
            future: Future[ReportItem] = Future()
            try:
                future.set_result(extract(body, url, content_type))
            except Exception as exc:  # noqa: BLE001 - handed to the caller like a worker's
                future.set_exception(exc)
            return future
        if self._pool is None:  # "spawn": never fork a process that runs threads
            self._pool = ProcessPoolExecutor(self.processes,
                                             mp_context=multiprocessing.get_context("spawn"))
        return self._pool.submit(extract, body, url, content_type)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
