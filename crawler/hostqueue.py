"""The scheduler's queue for many polite hosts: a host's next request waits in the
scheduler until the downloader has room for it on that host.

Scrapy's ``DownloaderAwarePriorityQueue`` hands out the request of the host with
the fewest requests in the downloader, but it hands them out while the downloader
has room at all, and a request that waits out its host's delay holds a place there
(``Downloader.active``). A list page naming twenty reports then fills twenty places
for twenty delays, the downloader fills up with hosts that are waiting, and hosts
that could be asked sit in the scheduler: on a generated national web
(``bench/national.py``: 3200 hosts, 45-60 s delays) the crawl took 1.5 times the
politeness limit. Here a host whose slot is full (as many requests as its
concurrency, which ``crawler.extensions.politeness`` sets to 1 for a host with a
delay) is not a candidate; when no host is, nothing is handed out until an answer
frees one (the engine asks again after each download).
"""

from __future__ import annotations

from scrapy import Request
from scrapy.pqueues import DownloaderAwarePriorityQueue

__all__ = ["PoliteHostQueue"]


class PoliteHostQueue(DownloaderAwarePriorityQueue):
    def _ready(self) -> list[tuple[int, str]]:
        """(requests in the downloader, slot) of the hosts that have room now."""
        slots = self._downloader_interface.downloader.slots
        ready = []
        for active, key in self._downloader_interface.stats(self.pqueues):
            slot = slots.get(key)
            if slot is None or active < slot.concurrency:
                ready.append((active, key))
        return ready

    def pop(self) -> Request | None:
        ready = self._ready()
        if not ready:
            return None
        key = self._next_slot(ready, update_state=True)
        queue = self.pqueues[key]
        request = queue.pop()
        if len(queue) == 0:
            del self.pqueues[key]
            queue.close()
        return request

    def peek(self) -> Request | None:
        ready = self._ready()
        if not ready:
            return None
        return self.pqueues[self._next_slot(ready, update_state=False)].peek()
