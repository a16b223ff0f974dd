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

A request handed out counts against its host from then on, not only once it is in
the downloader's slot: it first goes through the downloader middlewares, and the
engine asks for the next request meanwhile (Scrapy's queue then hands out a second
request for the same host, and the downloader fills with hosts holding two places).
It counts while it is in the downloader (``Downloader.active``, which it enters as
it is handed out) and not yet in its slot: one answered or dropped on its way
(replayed from the archive, refused by robots.txt) stops counting as it leaves.

Scrapy's queue also looks at every host on each ``pop`` (and ``len``), which with
thousands of hosts was a tenth of the crawl's CPU. Here hosts take turns in a line
of those that may have room: a host found full is set aside until one of its
requests leaves the downloader (``request_left_downloader``), so a ``pop`` looks
at few hosts. A look over the hosts set aside, at most once a second as requests
are asked for (the engine asks at least every 5 s), puts back those whose request
was answered or dropped on its way.
"""

from __future__ import annotations

from collections import deque
from time import monotonic
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.pqueues import DownloaderAwarePriorityQueue

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["PoliteHostQueue"]

_RECHECK = 1.0  # seconds between looks at the hosts set aside


class PoliteHostQueue(DownloaderAwarePriorityQueue):
    def __init__(self, crawler: Crawler, *args: Any, **kwargs: Any) -> None:
        super().__init__(crawler, *args, **kwargs)
        self._line: deque[str] = deque(self.pqueues)  # hosts that may have room
        self._in_line: set[str] = set(self.pqueues)
        self._aside: set[str] = set()  # hosts found full, until a request of theirs leaves
        self._leaving: dict[str, set[Request]] = {}  # left, not yet out of ``slot.active``
        self._handed: dict[str, set[Request]] = {}  # handed out, not yet in the slot
        self._count = sum(len(queue) for queue in self.pqueues.values())
        self._rechecked = monotonic()
        crawler.signals.connect(self._request_left, signal=signals.request_left_downloader)
        crawler.signals.connect(self._settled, signal=signals.request_reached_downloader)
        crawler.signals.connect(self._settled, signal=signals.response_received)

    def push(self, request: Request) -> None:
        super().push(request)
        self._count += 1
        key = self._downloader_interface.get_slot_key(request)
        if key not in self._aside:
            self._enter(key)

    def pop(self) -> Request | None:
        key = self._next_host()
        if key is None:
            return None
        queue = self.pqueues[key]
        request = queue.pop()
        if request is not None:
            self._count -= 1
            self._handed.setdefault(key, set()).add(request)
        if len(queue) == 0:
            del self.pqueues[key]
            queue.close()
            self._leaving.pop(key, None)
            self._handed.pop(key, None)  # (it is in the downloader: it counts there)
        else:
            self._enter(key)  # back of the line: hosts take turns
        return request

    def peek(self) -> Request | None:
        for key in self._line:
            if key in self.pqueues and self._has_room(key):
                return self.pqueues[key].peek()
        return None

    def __len__(self) -> int:
        return self._count

    def _next_host(self) -> str | None:
        """The first host in line that has a request and room in the downloader."""
        self._recheck()
        for _ in range(len(self._line)):
            key = self._line.popleft()
            self._in_line.discard(key)
            if key not in self.pqueues:
                self._leaving.pop(key, None)
                self._handed.pop(key, None)
                continue
            if self._has_room(key):
                return key
            self._aside.add(key)
        return None

    def _has_room(self, key: str) -> bool:
        handed = self._still_handed(key)
        slot = self._downloader_interface.downloader.slots.get(key)
        if slot is None:
            return handed == 0  # its first request makes the slot, with its concurrency
        active = len(slot.active) + handed
        leaving = self._leaving.get(key)
        if leaving:
            leaving &= slot.active
            active -= len(leaving)
            if not leaving:
                del self._leaving[key]
        return active < slot.concurrency

    def _still_handed(self, key: str) -> int:
        handed = self._handed.get(key)
        if not handed:
            return 0
        handed &= self._downloader_interface.downloader.active  # answered or dropped: gone
        if not handed:
            del self._handed[key]
        return len(handed)

    def _settled(self, request: Request) -> None:
        """In the slot now (it counts there), or answered on its way (a middleware
        replayed it from the archive): no longer handed out."""
        key = self._downloader_interface.get_slot_key(request)
        handed = self._handed.get(key)
        if handed and request in handed:
            handed.discard(request)
            if not handed:
                del self._handed[key]
            if key in self._aside:
                self._aside.discard(key)
                self._enter(key)

    def _enter(self, key: str) -> None:
        if key not in self._in_line:
            self._in_line.add(key)
            self._line.append(key)

    def _request_left(self, request: Request) -> None:
        """One of its requests is done: the host may have room (the request is still in
        the slot's ``active`` for a moment; ``_has_room`` does not count it)."""
        key = self._downloader_interface.get_slot_key(request)
        if key in self.pqueues:
            self._leaving.setdefault(key, set()).add(request)
        if key in self._aside:
            self._aside.discard(key)
            self._enter(key)

    def _recheck(self) -> None:
        now = monotonic()
        if not self._aside or now - self._rechecked < _RECHECK:
            return
        self._rechecked = now
        for key in [key for key in self._aside if key not in self.pqueues or self._has_room(key)]:
            self._aside.discard(key)
            if key in self.pqueues:
                self._enter(key)
