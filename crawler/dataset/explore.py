"""``explore``: the dataset in Datasette on 127.0.0.1, with its metadata and canned
queries. Served immutable (``-i``): Datasette then counts rows once and never writes."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from .metadata import metadata

__all__ = ["DEFAULT_PORT", "datasette_command", "explore", "write_metadata"]

DEFAULT_PORT = 8001


def write_metadata(db: Path) -> Path:
    """``reports.sqlite`` -> ``reports.datasette.json`` beside it (Datasette names the
    database after the file's stem, and so does the metadata)."""
    path = db.with_name(f"{db.stem}.datasette.json")
    path.write_text(json.dumps(metadata(db.stem), ensure_ascii=False, indent=1), "utf-8")
    return path


def datasette_command(db: Path, port: int = DEFAULT_PORT, host: str = "127.0.0.1"
                      ) -> list[str]:
    return [sys.executable, "-m", "datasette", "serve", "-i", str(db),
            "--metadata", str(write_metadata(db)), "-h", host, "-p", str(port),
            "--setting", "sql_time_limit_ms", "5000"]


def explore(db: Path, port: int = DEFAULT_PORT) -> NoReturn:
    """Become Datasette serving ``db`` (exec: a signal to this process reaches Datasette
    itself, and no child outlives it)."""
    command = datasette_command(db, port)
    print(f"Datasette on http://127.0.0.1:{port}/{db.stem} (Ctrl-C stops it)", flush=True)
    os.execv(command[0], command)
