"""Several crawler processes, on one machine or many, sharing one crawl through Redis.

Switched on by ``REDIS_URL`` (scrapy-redis's setting name). The unit shared is the
agency, not the request: each agency (its start page, lists, reports, documents and
the departments found on it) is crawled by one worker, which leases it from the
frontier (``frontier.AgencyFrontier``) and gives it back done; a worker that dies
loses its lease and its agencies are crawled again by another. Why not share
requests, as scrapy-redis's scheduler does: a report's follow-up requests carry its
draft, whose pending WARC records only the process that fetched its pages sees
written (another would lose where they are); an agency's completeness tallies and
summary would be split across workers; and two workers would hit one host at once,
breaking its politeness delay. See
``extension.DistributedCrawl``.
"""

from __future__ import annotations

from typing import Any

from ..run.outcome import SetupError

__all__ = ["is_distributed", "reach"]


def is_distributed(settings: Any) -> bool:
    return bool(settings.get("REDIS_URL"))


def reach(url: str, setting: str = "REDIS_URL") -> Any:
    """A client of the Redis at ``url`` (scrapy-redis's connection), answering ``str``;
    a one-line setup error (exit 2) if it does not answer, before anything is crawled."""
    from redis.exceptions import RedisError
    from scrapy_redis.connection import get_redis

    client = get_redis(url=url, decode_responses=True)
    try:
        client.ping()
    except (RedisError, ValueError) as exc:
        raise SetupError(f"{setting} {url} cannot be reached: {exc}") from exc
    return client
