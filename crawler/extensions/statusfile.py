"""Where a crawl's status file is, and how it is written: no Scrapy here, so that
``gov-archive status`` reads it at once (``crawler.extensions.status`` writes it).

Its name follows the crawl summary's (``items.summary.json`` -> ``items.status.json``,
``var/summary-<run id>.json`` -> ``var/status-<run id>.json``), so a reader finds it
from the feed they asked for, and no two runs share one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["find_status", "replace_json", "status_path"]

_PATTERNS = ("*.status.json", "status-*.json")
_FEEDS = (".jsonl", ".jl", ".json", ".csv")


def status_path(summary: Path) -> Path:
    """``items.summary.json`` -> ``items.status.json``; ``summary-<run>.json`` ->
    ``status-<run>.json``; any other summary file ``<stem>.status.json``."""
    name = summary.name
    if name.endswith(".summary.json"):
        return summary.with_name(name.removesuffix(".summary.json") + ".status.json")
    if name.startswith("summary-"):
        return summary.with_name("status-" + name.removeprefix("summary-"))
    return summary.with_name(f"{summary.stem}.status.json")


def find_status(path: Path) -> Path | None:
    """The status file ``path`` means: itself; the one of a feed (``items.jsonl``) or
    a summary; in a directory, the newest status file under it."""
    if path.is_dir():
        found = [p for pattern in _PATTERNS for p in path.rglob(pattern) if p.is_file()]
        return max(found, key=lambda p: p.stat().st_mtime, default=None)
    name = path.name
    if name.endswith(".status.json") or name.startswith("status-"):
        return path
    if name.endswith(".summary.json") or name.startswith("summary-"):
        return status_path(path)
    if path.suffix in _FEEDS:
        return path.with_name(f"{path.stem}.status.json")
    return path


def replace_json(path: Path, data: dict[str, Any]) -> None:
    """Whole or not at all: written beside it under a temporary name and renamed over
    it, so a reader sees the last one or this one, never half of either."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    os.replace(temporary, path)
