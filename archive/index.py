"""CDXJ indexes that pywb reads, written by cdxj-indexer."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path

with warnings.catch_warnings():  # cdxj-indexer's pyamf imports pkg_resources, which says so
    warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
    from cdxj_indexer.main import CDXJIndexer

from .verify import iter_warc_paths

__all__ = ["write_index"]


def write_index(paths: Iterable[str | Path], output: str | Path | None = None,
                *, post_append: bool = True) -> list[Path]:
    """Index finished WARCs (files, or directories searched recursively) into one
    sorted CDXJ file (``output``; stdout when None). ``post_append`` adds POST
    bodies to the URL key, as pywb does, so POSTed list pages replay too.
    Returns the WARCs indexed."""
    inputs = list(iter_warc_paths(paths))
    if not inputs:
        raise FileNotFoundError(f"no WARC files under {', '.join(map(str, paths))}")
    indexer = CDXJIndexer(str(output) if output is not None else None,
                          [str(p) for p in inputs], sort=True, post_append=post_append)
    indexer.process_all()
    return inputs
