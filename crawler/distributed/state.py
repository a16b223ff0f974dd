"""The crawl state of recrawls in Redis, shared by workers on several machines.

On one machine the state is an SQLite file in ``WARC_DIR`` (``archive.state``,
``crawler.changes``), which the workers there share. SQLite cannot be shared over
a network filesystem (its locks do not hold there), so workers on several machines
keep the same two things in the crawl's Redis instead, under ``CRAWL_STATE_KEY``:

- ``{key}:captures``          hash: URL -> the capture that holds its payload
                              (``archive.state.Stored`` as JSON), for conditional
                              requests and revisit records;
- ``{key}:runs``, ``:finished`` every run in the order it began, and those finished;
- ``{key}:versions:{url}``    list: a report's versions (JSON), oldest first;
- ``{key}:seen``              hash: each report -> the last run that found it and its
                              agency (JSON), as the SQLite ``seen`` table;
- ``{key}:crawled:{agency}``  set: the runs that found any of the agency's reports.

A capture is used only where its WARC file can be read (``Stored.available``):
with ``WARC_DIR`` one directory shared by the machines, a worker asks only for
what changed wherever the last capture was made; otherwise it fetches in full
what another machine archived, as a first crawl would. Report versions need no
file: a silent edit is caught whichever worker read the report before. The
classes answer as ``archive.state.CrawlState`` and ``crawler.changes.ReportVersions``
do; redis-py's client is safe across threads (the WARC writer's thread updates
captures). An update that reads before it writes (a revisit's new validators, a
report read again in the same run) is one Lua script, so Redis runs it whole: no
other worker's write can fall between its read and its write.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from archive.state import Stored

from ..changes import Version, bytes_fingerprint, content_fingerprint
from .outage import Outage

__all__ = ["RedisCrawlState", "RedisReportVersions"]

# KEYS: captures hash; ARGV: url, date, etag, last_modified ('' for none: keep the old)
_CHECKED = """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local stored = cjson.decode(raw)
stored['checked'] = ARGV[2]
if ARGV[3] ~= '' then stored['etag'] = ARGV[3] end
if ARGV[4] ~= '' then stored['last_modified'] = ARGV[4] end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(stored))
return 1
"""
# KEYS: a report's versions list; ARGV: the version (JSON), how its run's versions begin
# (``{"run_id": "<run>",``: compared, not decoded, to keep Redis quick for the others).
# Read again in the same run, the newer reading replaces the run's version; else appended.
_VERSION = """
local last = redis.call('LINDEX', KEYS[1], -1)
if last and string.sub(last, 1, #ARGV[2]) == ARGV[2] then
  redis.call('LSET', KEYS[1], -1, ARGV[1])
else
  redis.call('RPUSH', KEYS[1], ARGV[1])
end
return 1
"""


class RedisCrawlState:
    """While Redis is out (``Outage``, said once) a URL has no capture (it is fetched
    whole, as on a first crawl), and a capture is not noted (the next crawl fetches it
    whole): a recrawl's shortcut lost, nothing archived lost. The WARC writer's thread,
    which notes captures, never waits for Redis: a full writer queue would stop the crawl."""

    def __init__(self, redis: Any, key: str, outage: Outage | None = None) -> None:
        """``redis``: a client answering ``str`` (``decode_responses=True``)."""
        self.redis, self.key = redis, f"{key}:captures"
        self.outage = outage or Outage.of(_url(redis))
        self._checked = redis.register_script(_CHECKED)

    def get(self, url: str) -> Stored | None:
        try:
            raw = self.redis.hget(self.key, url)
        except self.outage.errors as exc:
            self.outage.failed("crawl state", exc)
            return None
        self.outage.ok()
        return Stored(**json.loads(raw)) if raw else None

    def put(self, stored: Stored) -> None:
        self._try(lambda: self.redis.hset(self.key, stored.url, json.dumps(asdict(stored))))

    def checked(self, url: str, date: str, etag: str | None, last_modified: str | None) -> None:
        """A revisit: the payload is where it was; the answer's validators may be new."""
        self._try(lambda: self._checked(keys=[self.key],
                                        args=[url, date, etag or "", last_modified or ""]))

    def _try(self, call: Any) -> None:
        try:
            call()
        except self.outage.errors as exc:
            self.outage.failed("crawl state", exc)
        else:
            self.outage.ok()

    def forget(self, url: str) -> None:
        try:
            self.redis.hdel(self.key, url)
        except self.outage.errors as exc:
            self.outage.failed("crawl state", exc)

    def __len__(self) -> int:
        return int(self.redis.hlen(self.key))

    def close(self) -> None:
        """The client belongs to whoever made it."""


class RedisReportVersions:
    def __init__(self, redis: Any, key: str, outage: Outage | None = None) -> None:
        self.redis, self.key = redis, key
        self.outage: Outage | None = outage or Outage.of(_url(redis))  # the pipeline waits
        self._version = redis.register_script(_VERSION)

    def begin(self, run_id: str) -> None:
        if self.redis.sadd(f"{self.key}:runset", run_id):
            self.redis.rpush(f"{self.key}:runs", run_id)

    def finish(self, run_id: str) -> None:
        self.redis.sadd(f"{self.key}:finished", run_id)

    def previous(self, url: str, run_id: str) -> Version | None:
        """The latest version a finished earlier run read."""
        finished = self.redis.smembers(f"{self.key}:finished")
        for raw in reversed(self.redis.lrange(self._versions(url), 0, -1)):
            entry = json.loads(raw)
            if entry["run_id"] != run_id and entry["run_id"] in finished:
                return Version(**entry)
        return None

    def record(self, url: str, run_id: str, item: dict[str, Any],
               previous: Version | None) -> None:
        """This run found it; a version if it differs from ``previous``."""
        agency = item.get("agency_id") or ""
        self.redis.hset(f"{self.key}:seen", url, json.dumps([run_id, agency], ensure_ascii=False))
        self.redis.sadd(f"{self.key}:crawled:{agency}", run_id)
        fingerprint, content = content_fingerprint(item), bytes_fingerprint(item)
        if previous is not None and (previous.fingerprint, previous.bytes) == (fingerprint,
                                                                               content):
            return
        entry = json.dumps({"run_id": run_id, "captured": (item.get("warc") or {}).get("date")
                            or "", "fingerprint": fingerprint, "bytes": content, "item": item},
                           ensure_ascii=False)
        begins = f'{{"run_id": {json.dumps(run_id, ensure_ascii=False)},'
        assert entry.startswith(begins)
        self._version(keys=[self._versions(url)], args=[entry, begins])

    def gone(self, run_id: str) -> dict[str, list[str]]:
        """Per agency, the reports its last finished crawl found and this one did not
        (as ``crawler.changes.ReportVersions.gone``: per agency, so that another worker's
        run over other agencies hides nothing)."""
        finished = self.redis.smembers(f"{self.key}:finished")
        order = {run: n for n, run in enumerate(self.redis.lrange(f"{self.key}:runs", 0, -1))}
        seen = {url: json.loads(raw) for url, raw in self.redis.hgetall(f"{self.key}:seen").items()}
        agencies = sorted({agency for _, agency in seen.values()})
        pipe = self.redis.pipeline(transaction=False)
        for agency in agencies:
            pipe.smembers(f"{self.key}:crawled:{agency}")
        named: dict[str, set[str]] = {}  # for a state from before the sets: as seen tells
        for run, agency in seen.values():
            named.setdefault(agency, set()).add(run)
        last = {agency: max((r for r in (runs or named[agency]) if r != run_id and r in finished),
                            key=lambda r: order.get(r, -1), default=None)
                for agency, runs in zip(agencies, pipe.execute(), strict=True)}
        found: dict[str, list[str]] = {}
        for url, (run, agency) in sorted(seen.items()):
            if last[agency] is not None and run == last[agency]:
                found.setdefault(agency, []).append(url)
        return found

    def close(self) -> None:
        """The client belongs to whoever made it."""

    def _versions(self, url: str) -> str:
        return f"{self.key}:versions:{url}"


def _url(redis: Any) -> str:
    """``redis://host:port/db`` of a client, as the log names it."""
    kwargs = redis.connection_pool.connection_kwargs
    return f"redis://{kwargs.get('host')}:{kwargs.get('port')}/{kwargs.get('db', 0)}"
