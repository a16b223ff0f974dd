"""Give the memory a long crawl has freed back to the system, so its size stays flat.

A crawl allocates and frees parsed pages, bodies and compression buffers all day.
glibc's allocator keeps what is freed for reuse, and cannot return a stretch of its
heap while one small block further up is still in use: on ``bench/national.py``
the crawl process ended holding 90 MiB of free heap (``mallinfo2``), a third of its
size, and its peak grew with the length of the crawl, not with its work in hand.
Every ``MEMORY_TRIM_INTERVAL`` seconds this extension calls glibc's
``malloc_trim(0)``, which hands the free pages back (``madvise``) wherever they
are, in a few milliseconds; and it fixes the size above which blocks get their
own mapping (``M_MMAP_THRESHOLD``, 128 KiB: glibc raises it once a big block is
freed, after which every attachment body is carved from the heap). Nothing else
does this for a Python process (``gc`` frees objects, not the allocator's pages);
off glibc (musl, macOS) the extension is off.

Settings: ``MEMORY_TRIM_INTERVAL`` (seconds, default 30; 0 turns it off).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["MemoryTrim", "glibc", "trim"]

logger = logging.getLogger(__name__)

_M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from <malloc.h>
_MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value


def glibc() -> Any | None:
    """The C library if it is glibc (it has ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def trim(libc: Any) -> None:
    """Free heap pages back to the system, wherever they are in the heap."""
    libc.malloc_trim(0)


class MemoryTrim:
    def __init__(self, libc: Any, interval: float) -> None:
        self.libc, self.interval = libc, interval
        self.loop = LoopingCall(trim, libc)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MemoryTrim:
        interval = crawler.settings.getfloat("MEMORY_TRIM_INTERVAL")
        if interval <= 0:
            raise NotConfigured("MEMORY_TRIM_INTERVAL is 0")
        libc = glibc()
        if libc is None:
            raise NotConfigured("not glibc: its allocator is not trimmed")
        extension = cls(libc, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
        self.loop.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.loop.running:
            self.loop.stop()
