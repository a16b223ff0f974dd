"""``explore``: the dataset in Datasette on 127.0.0.1, with its metadata and canned
queries, and the audit pages served beside it at ``/audit/`` so that each links to
the other. Served immutable (``-i``): Datasette then counts rows once and never writes."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote

from .metadata import metadata
from .page import DEFAULT_REPLAY, listing_url, write_audit

__all__ = ["AUDIT_MOUNT", "DEFAULT_PORT", "DEMO_DB", "audit_folder", "datasette_command",
           "explore", "fresh_audit", "write_metadata"]

DEFAULT_PORT = 8001
DEMO_DB = Path("var/demo/dataset/reports.sqlite")  # what `make demo` builds
AUDIT_MOUNT = "audit"  # Datasette serves the audit folder at /audit/


def audit_folder(db: Path) -> Path:
    """Where the audit of ``db`` is written: ``var/audit`` for
    ``var/dataset/reports.sqlite``, ``var/demo/audit`` for the demo's, else ``audit/``
    beside the file."""
    return db.parent.parent / "audit" if db.parent.name == "dataset" else db.parent / "audit"


def fresh_audit(db: Path, port: int = DEFAULT_PORT) -> Path:
    """The audit folder of ``db``, written anew when it is missing, older than the
    dataset, or links to a Datasette on another port (``make demo`` writes it for the
    default one)."""
    folder = audit_folder(db)
    index = folder / "index.html"
    datasette = f"http://127.0.0.1:{port}/"
    if (not index.is_file() or index.stat().st_mtime < db.stat().st_mtime
            or f'href="{datasette}{quote(db.stem)}"' not in index.read_text("utf-8")):
        write_audit(db, folder, datasette=datasette)
    return folder


def write_metadata(db: Path, audit: bool = False) -> Path:
    """``reports.sqlite`` -> ``reports.datasette.json`` beside it (Datasette names the
    database after the file's stem, and so does the metadata)."""
    path = db.with_name(f"{db.stem}.datasette.json")
    content = metadata(db.stem, f"/{AUDIT_MOUNT}/index.html" if audit else None,
                       listing_url(DEFAULT_REPLAY))
    path.write_text(json.dumps(content, ensure_ascii=False, indent=1), "utf-8")
    return path


def datasette_command(db: Path, port: int = DEFAULT_PORT, host: str = "127.0.0.1",
                      audit: Path | None = None) -> list[str]:
    """Datasette serving ``db``, and the ``audit`` folder at ``/audit/`` when given."""
    static = ["--static", f"{AUDIT_MOUNT}:{audit}"] if audit else []
    return [sys.executable, "-m", "datasette", "serve", "-i", str(db),
            "--metadata", str(write_metadata(db, audit is not None)), *static,
            "-h", host, "-p", str(port), "--setting", "sql_time_limit_ms", "5000"]


def explore(db: Path, port: int = DEFAULT_PORT) -> NoReturn:
    """Become Datasette serving ``db`` and its audit (exec: a signal to this process
    reaches Datasette itself, and no child outlives it)."""
    command = datasette_command(db, port, audit=fresh_audit(db, port).resolve())
    print(f"Datasette on http://127.0.0.1:{port}/{db.stem}, the audit on "
          f"http://127.0.0.1:{port}/{AUDIT_MOUNT}/index.html (Ctrl-C stops it)", flush=True)
    os.execv(command[0], command)
