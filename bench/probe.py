"""A timeline of where a crawl's memory and work sit, for benchmarks (``national.py --trace``).

Every ``PROBE_INTERVAL`` seconds one JSON line to ``PROBE_FILE``: the process's RSS,
requests in the scheduler and in the downloader (and how many of those are
transferring), responses waiting in the scraper and their bytes, bytes waiting for
the WARC writer, responses and items so far, glibc's heap, and Python's cycle
collector (full collections, objects they freed, seconds they took). Scrapy's own
stats say how much was done, not where the work waits; this says which stage a
growing RSS belongs to.

``PROBE_CENSUS = True`` adds, per line, the gc-tracked objects by type (count, own
size) and the report drafts waiting (how many, their pages and items): about half a
second per line, and a list of every object while it counts (RSS peaks include it).
``PROBE_TRACEMALLOC = S`` (``national.py``: the environment variable) starts tracing
Python's allocations S seconds in, with the top 15 lines alive per sample; it slowed
the national bench's report phase about tenfold, so what it saw was a different crawl.
"""

from __future__ import annotations

import ctypes
import gc
import json
import pickle
import sys
import time
import tracemalloc
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils import trackref
from twisted.internet.task import LoopingCall


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _malloc() -> dict[str, float]:
    """glibc's own account: bytes in use, free but kept (fragments), mmapped."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):
        return {}
    info = libc.mallinfo2()
    return {"heap_used_mib": round(info.uordblks / 2**20, 1),
            "heap_free_mib": round(info.fordblks / 2**20, 1),
            "mmap_mib": round(info.hblkhd / 2**20, 1)}


class CrawlProbe:
    def __init__(self, crawler, path: str, interval: float) -> None:
        self.crawler, self.interval = crawler, interval
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115  # closed with the spider
        self.started = time.monotonic()
        self.loop = LoopingCall(self.sample)
        # Python's cycle collector, per generation since the last sample: runs, objects
        # freed (cyclic garbage that lived until then), seconds spent.
        self.gc = {generation: [0, 0, 0.0] for generation in (0, 1, 2)}
        self._gc_started = 0.0
        gc.callbacks.append(self._collected)

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("PROBE_FILE")
        if not path:
            raise NotConfigured("no PROBE_FILE")
        probe = cls(crawler, path, crawler.settings.getfloat("PROBE_INTERVAL", 10.0))
        crawler.signals.connect(probe.opened, signal=signals.spider_opened)
        crawler.signals.connect(probe.closed, signal=signals.spider_closed)
        return probe

    def opened(self, spider) -> None:
        # Seconds after the start to begin tracing Python's allocations (-1: never), so a
        # snapshot shows what was allocated in a late phase and is still alive.
        start = self.crawler.settings.getfloat("PROBE_TRACEMALLOC", -1)
        if start >= 0:
            from twisted.internet import reactor

            reactor.callLater(start, tracemalloc.start, 1)
        self.loop.start(self.interval, now=False)

    def closed(self, spider) -> None:
        gc.callbacks.remove(self._collected)
        if self.loop.running:
            self.loop.stop()
        self.sample()
        self.file.close()

    def _collected(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
            return
        account = self.gc[info["generation"]]
        account[0] += 1
        account[1] += info["collected"]
        account[2] += time.perf_counter() - self._gc_started

    def _gc(self) -> dict:
        line = {"gc2_runs": self.gc[2][0],
                "gc2_freed": self.gc[2][1], "gc2_s": round(self.gc[2][2], 2),
                "gc01_freed": self.gc[0][1] + self.gc[1][1]}
        self.gc = {generation: [0, 0, 0.0] for generation in (0, 1, 2)}
        return line

    @staticmethod
    def _census() -> dict:
        """With ``PROBE_CENSUS``: the objects Python's gc tracks, by type, the 12 types of
        the largest total ``sys.getsizeof`` (their own size, not what they refer to)."""
        sizes: dict[str, list[int]] = {}
        objects = gc.get_objects()
        for obj in objects:
            entry = sizes.setdefault(type(obj).__qualname__, [0, 0])
            entry[0] += 1
            entry[1] += sys.getsizeof(obj)
        top = sorted(sizes.items(), key=lambda kv: -kv[1][1])[:12]
        return {"census": [[name, count, round(size / 2**20, 2)] for name, (count, size) in top],
                **CrawlProbe._drafts(objects)}

    @staticmethod
    def _drafts(objects: list) -> dict:
        """Report drafts alive (waiting for a further page or an attachment): how many,
        their pages (compressed), how many hold a built item and its pickled size."""
        from crawler.reports import ReportDraft

        drafts = [o for o in objects if type(o) is ReportDraft]
        items = [d.item for d in drafts if d.item is not None]
        return {"drafts": len(drafts),
                "draft_pages_mib": round(sum(len(p) for d in drafts
                                             for p in (*d.packed, *d.fresh)) / 2**20, 1),
                "draft_items": len(items),
                "draft_items_mib": round(sum(len(pickle.dumps(i)) for i in items) / 2**20, 1),
                "drafts_unwritten": sum(1 for d in drafts if getattr(d.record, "future", None)
                                        is not None and not d.record.future.done())}

    def _writer_bytes(self) -> int:
        for extension in self.crawler.extensions.middlewares:
            writer = getattr(extension, "writer", None)
            if writer is not None and hasattr(writer, "_queued_bytes"):
                return int(writer._queued_bytes)
        return -1

    @staticmethod
    def _live() -> dict[str, float]:
        """Live Requests, Responses (and their bodies, MiB), Selectors: Scrapy's trackref."""
        live = {}
        for cls, refs in trackref.live_refs.items():
            live[cls.__name__] = len(refs)
            if cls.__name__.endswith("Response"):
                live[cls.__name__ + "_mib"] = round(
                    sum(len(r.body) for r in list(refs)) / 2**20, 1)
        return live

    @staticmethod
    def _traced() -> dict:
        if not tracemalloc.is_tracing():
            return {}
        snapshot = tracemalloc.take_snapshot()
        top = snapshot.statistics("lineno")[:15]
        return {"traced_mib": round(tracemalloc.get_traced_memory()[0] / 2**20, 1),
                "top": [[round(s.size / 2**20, 1), s.count,
                         [f"{f.filename.split('site-packages/')[-1]}:{f.lineno}"
                          for f in s.traceback][-8:]] for s in top]}

    def sample(self) -> None:
        engine = self.crawler.engine
        downloader, slot = engine.downloader, engine.scraper.slot
        stats = self.crawler.stats
        line = {
            "t": round(time.monotonic() - self.started, 1), "rss": round(_rss_mib(), 1),
            "scheduled": len(engine._slot.scheduler) if engine._slot else -1,
            "downloader": len(downloader.active),
            "transferring": sum(len(s.transferring) for s in downloader.slots.values()),
            "scraper": len(slot.queue) + len(slot.active) if slot else -1,
            "scraper_mib": round(slot.active_size / 2**20, 1) if slot else -1,
            "writer_mib": round(self._writer_bytes() / 2**20, 1),
            "responses": stats.get_value("response_received_count", 0),
            "items": stats.get_value("item_scraped_count", 0),
            **self._live(), **self._traced(), **_malloc(), **self._gc(),
            **(self._census() if self.crawler.settings.getbool("PROBE_CENSUS") else {}),
        }
        self.file.write(json.dumps(line) + "\n")
        self.file.flush()
