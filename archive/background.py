"""Run a ``WarcWriter`` on its own thread.

Digesting and compressing a record costs about a millisecond; done on a crawler's
event loop it slows the whole crawl. Here the loop only hands over references to
bytes it already has; the thread does the work (hashlib and zlib release the GIL,
so it runs on the other core) and reports each record's location through a
``concurrent.futures.Future``.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from .records import HttpExchange, exchange_records
from .rendered import RenderedPage, rendered_records
from .writer import RecordLocation, WarcWriter, WrittenRecord

__all__ = ["DEFAULT_QUEUE_MAX_BYTES", "BackgroundWriter", "PendingRecord", "RecordNotWritten"]

DEFAULT_QUEUE_MAX_BYTES = 256 * 1024**2

logger = logging.getLogger(__name__)

_STOP = object()


class RecordNotWritten(Exception):
    """The record's write failed, or its location was lost (only its id is known)."""


class PendingRecord:
    """A response record on its way to disk; resolves to a ``WrittenRecord``.

    It may sit in ``request.meta`` (a redirected or retried request copies its meta)
    and wait pickled in a frontier file: pickled once written, it keeps where it is;
    pickled before, only its id (``crawler.frontier.diskqueue`` keeps such records in
    memory, so it has them back whole). A record already on disk (a resumed run's, a
    revisit's original) is a ``PendingRecord.written(location)``: one type for every
    record a response stands on.
    """

    __slots__ = ("future", "record_id")

    def __init__(self, record_id: str, future: Future[WrittenRecord] | None = None) -> None:
        self.record_id = record_id
        self.future = future

    @classmethod
    def written(cls, location: RecordLocation) -> PendingRecord:
        future: Future[WrittenRecord] = Future()
        future.set_result(WrittenRecord(location))
        return cls(location.record_id, future)

    async def payload(self) -> RecordLocation:
        """Where the payload is, once written (a revisit's: its original's)."""
        if self.future is None:
            raise RecordNotWritten(f"only the id of record {self.record_id} is known")
        try:
            return (await asyncio.wrap_future(self.future)).payload
        except Exception as exc:  # the writer's own error, said when it happened
            raise RecordNotWritten(f"record {self.record_id} was not written: {exc}") from exc

    def __reduce__(self) -> tuple[Any, ...]:
        future = self.future
        if future is not None and future.done() and future.exception() is None:
            return (PendingRecord.written, (future.result().payload,))
        return (PendingRecord, (self.record_id,))

    def __repr__(self) -> str:
        state = "detached" if self.future is None else self.future._state.lower()
        return f"<PendingRecord {self.record_id} {state}>"


class BackgroundWriter:
    """Queue exchanges for a writer thread; block the producer only past ``max_queue_bytes``."""

    def __init__(
        self,
        writer: WarcWriter,
        *,
        max_queue_bytes: int = DEFAULT_QUEUE_MAX_BYTES,
        on_error: Callable[[BaseException], None] | None = None,
        batch_size: int = 64,
    ) -> None:
        self.writer = writer
        self.batch_size = batch_size
        self.max_queue_bytes = max_queue_bytes
        self.on_error = on_error
        self.errors = 0
        self.queued_bytes_max = 0
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._queued_bytes = 0
        self._space = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="warc-writer", daemon=True)
        self._thread.start()

    def submit(self, exchange: HttpExchange | RenderedPage) -> PendingRecord:
        """Queue an exchange (response and request records) or a rendered page (its DOM
        and page-info records); the pending record is the response's or the DOM's."""
        size = len(exchange.body) + len(exchange.request_body)
        with self._space:
            while self._queued_bytes and self._queued_bytes + size > self.max_queue_bytes:
                self._space.wait()
            self._queued_bytes += size
            self.queued_bytes_max = max(self.queued_bytes_max, self._queued_bytes)
        future: Future[WrittenRecord] = Future()
        self._queue.put((exchange, future, size))
        return PendingRecord(exchange.response_id, future)

    def close(self, timeout: float | None = None) -> list:
        """Write everything queued, close the current file, return the closed files."""
        self._queue.put(_STOP)
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError(f"WARC writer thread still busy after {timeout} s")
        self.writer.close()
        return list(self.writer.closed_files)

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.batch_size and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            stop = batch[-1] is _STOP
            if stop:
                batch.pop()
            self._write(batch)
            if stop:
                return

    def _write(self, batch: list) -> None:
        groups, futures = [], []
        for exchange, future, _ in batch:
            try:
                groups.append(exchange_records(exchange) if isinstance(exchange, HttpExchange)
                              else rendered_records(exchange))
            except Exception as exc:  # a record that cannot be serialised: that one only
                future.set_exception(exc)
                self._failed(exc)
            else:
                futures.append(future)
        try:
            locations = self.writer.write_groups(groups)
            self.writer.flush()
        except BaseException as exc:  # an I/O boundary: hand every failure to the caller
            for future in futures:
                future.set_exception(exc)
            self._failed(exc)
        else:
            for future, group_locations in zip(futures, locations, strict=True):
                future.set_result(group_locations[0])
        with self._space:
            self._queued_bytes -= sum(size for _, _, size in batch)
            self._space.notify_all()

    def _failed(self, exc: BaseException) -> None:
        self.errors += 1
        if self.on_error is not None:
            self.on_error(exc)
