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
- ``{name}:done``         set of agency ids crawled to the end;
- ``{name}:status``       hash: agency id -> its status when it was done;
- ``{name}:created``      set once with the frontier: a Redis that restarted without
                          its data has lost it, and the workers put back what they know
                          (``restore``).

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
        self.redis.setnx(self._key("created"), "1")
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

    def finish(self, statuses: dict[str, str] | None = None) -> list[str]:
        """Everything this worker claimed is crawled: done (with its status, when
        given), its lease given back."""
        entries = self.redis.lrange(self._claimed(self.worker), 0, -1)
        ids = [json.loads(entry)["id"] for entry in entries]
        if ids:
            self.redis.sadd(self._key("done"), *ids)
            said = {i: (statuses or {}).get(i) for i in ids}
            if any(said.values()):
                self.redis.hset(self._key("status"), mapping={
                    i: s for i, s in said.items() if s})
        self.redis.delete(self._claimed(self.worker))
        return ids

    def lost(self) -> bool:
        """Has Redis lost the frontier (restarted without its data)?"""
        return not self.redis.exists(self._key("created"))

    def restore(self, selection: Iterable[dict[str, Any]], claimed: Iterable[dict[str, Any]],
                done: Iterable[str]) -> list[str]:
        """After Redis lost the frontier: this worker's agencies in hand leased to it
        again, those it finished done, and its selection added again (what no worker
        puts back is crawled again: twice rather than never). The ids added pending."""
        claimed = list(claimed)
        for entry in claimed:
            self.redis.sadd(self._key("known"), entry["id"])
            self.redis.rpush(self._claimed(self.worker), json.dumps(entry, sort_keys=True))
        done = list(done)
        if done:
            self.redis.sadd(self._key("known"), *done)
            self.redis.sadd(self._key("done"), *done)
        return self.add(selection)

    def progress(self) -> tuple[int, int, int, bool]:
        """(agencies known, done, pending, held by any worker): the whole crawl's."""
        held = any(self.redis.llen(k) for k in self.redis.scan_iter(match=self._claimed("*")))
        return (int(self.redis.scard(self._key("known"))),
                int(self.redis.scard(self._key("done"))), self.pending(), held)

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
