"""The agencies of one distributed crawl, in Redis, each crawled by one worker under a lease.

Keys, under one crawl's name (``FRONTIER``):

- ``{name}:pending``      list of agencies (JSON) no worker has taken yet;
- ``{name}:known``        set of the registry's agency ids ever added: each joins the
                          crawl once, whichever worker added it;
- ``{name}:departments``  hash of departments found on portals -> the portal: crawled
                          with their portal, by whoever crawls it (again, after a
                          reclaim), never by a worker crawling another portal;
- ``{name}:claimed:{w}``  list of the agencies worker ``w`` is crawling;
- ``{name}:alive:{w}``    worker ``w``'s heartbeat, expiring ``ttl`` seconds after its
                          last beat;
- ``{name}:done``         set of agency ids crawled to the end.

A claim moves an agency from ``pending`` to the worker's list in one atomic step
(``LMOVE``), so no two workers take it, and no agency is ever in neither list: a
worker killed with ``kill -9`` leaves its list behind, and once its heartbeat has
expired any other worker moves the list back to ``pending`` (``reclaim``), where the
agencies are crawled again from their start. This is the lease scrapy-redis lacks:
its scheduler pops requests for good, and a dead worker's in-flight requests are
lost. Plain Redis commands only, no Scrapy: the crawler's extension drives it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

__all__ = ["AgencyFrontier"]


class AgencyFrontier:
    def __init__(self, redis: Any, name: str, worker: str, ttl: float = 20.0) -> None:
        """``redis``: a client answering ``str`` (``decode_responses=True``)."""
        self.redis, self.name, self.worker, self.ttl = redis, name, worker, ttl

    def _key(self, *parts: str) -> str:
        return ":".join((self.name, *parts))

    def add(self, agencies: Iterable[dict[str, Any]]) -> list[str]:
        """Agencies new to the crawl join it, pending (their ids returned)."""
        added = []
        for agency in agencies:
            if self.redis.sadd(self._key("known"), agency["id"]):
                added.append(agency["id"])
                self.redis.rpush(self._key("pending"), json.dumps(agency, sort_keys=True))
        return added

    def department(self, agency_id: str, portal: str) -> bool:
        """May the worker crawling ``portal`` crawl this department it found there? Yes
        unless it is a registry agency or another portal's department."""
        if self.redis.sismember(self._key("known"), agency_id):
            return False
        self.redis.hsetnx(self._key("departments"), agency_id, portal)
        return bool(self.redis.hget(self._key("departments"), agency_id) == portal)

    def claim(self, count: int) -> list[dict[str, Any]]:
        """Up to ``count`` agencies for this worker, leased to it."""
        claimed = []
        for _ in range(count):
            entry = self.redis.lmove(self._key("pending"), self._claimed(self.worker),
                                     "LEFT", "RIGHT")
            if entry is None:
                break
            claimed.append(json.loads(entry))
        return claimed

    def finish(self) -> list[str]:
        """Everything this worker claimed is crawled: done, its lease given back."""
        entries = self.redis.lrange(self._claimed(self.worker), 0, -1)
        ids = [json.loads(entry)["id"] for entry in entries]
        if ids:
            self.redis.sadd(self._key("done"), *ids)
        self.redis.delete(self._claimed(self.worker))
        return ids

    def beat(self) -> None:
        self.redis.set(self._key("alive", self.worker), "1", px=int(self.ttl * 1000))

    def leave(self) -> None:
        self.redis.delete(self._key("alive", self.worker))

    def reclaim(self) -> list[str]:
        """The agencies of workers whose heartbeat expired, back to ``pending``."""
        returned = []
        for key in self.redis.scan_iter(match=self._claimed("*")):
            worker = key.rsplit(":", 1)[-1]
            if worker == self.worker or self.redis.exists(self._key("alive", worker)):
                continue
            while (entry := self.redis.lmove(key, self._key("pending"), "LEFT", "RIGHT")):
                returned.append(json.loads(entry)["id"])
        return returned

    def reclaim_own(self) -> list[str]:
        """This worker stops before the end: its agencies back to ``pending`` now."""
        returned = []
        while (entry := self.redis.lmove(self._claimed(self.worker), self._key("pending"),
                                         "LEFT", "RIGHT")):
            returned.append(json.loads(entry)["id"])
        return returned

    def busy_elsewhere(self) -> bool:
        """Is another worker still crawling agencies (whose pages may name departments)?"""
        return any(not k.endswith(f":{self.worker}") and self.redis.llen(k)
                   for k in self.redis.scan_iter(match=self._claimed("*")))

    def pending(self) -> int:
        return int(self.redis.llen(self._key("pending")))

    def _claimed(self, worker: str) -> str:
        return self._key("claimed", worker)
