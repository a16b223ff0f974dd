"""One crawl run: its id, which attempt at it this process is, and what earlier
attempts archived.

A run is one crawl from its start pages to its end. Killed and restarted with
the same ``JOBDIR`` it is the same run, attempted again
(``crawler.extensions.resume``): its id stays, and is written into every WARC's
warcinfo record (``run-id``), so that the captures of *this* run can be told
from those of earlier crawls into the same ``WARC_DIR``. Shared by the
components of one crawler through ``crawler.shared``.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive.lookup import CaptureIndex

__all__ = ["Run", "new_run_id"]


def new_run_id() -> str:
    """``20261201T110500Z-3f9a1c``: sortable by start time, unique across machines."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)


@dataclass
class Run:
    id: str = field(default_factory=new_run_id)
    attempt: int = 1
    # Set on a resumed attempt: every capture the earlier attempts of this run left.
    captures: CaptureIndex | None = None
    # Files an earlier attempt left open and that were repaired, and feeds set aside.
    repaired: list[str] = field(default_factory=list)
    feeds_set_aside: list[str] = field(default_factory=list)

    @property
    def resumed(self) -> bool:
        return self.attempt > 1
