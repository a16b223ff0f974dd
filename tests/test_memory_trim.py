"""Freed heap goes back to the system (``crawler.extensions.memory``): without it a long
crawl's size grows with the heap's fragments, not with the work it has in hand.

In a fresh process: 300 MiB of 4 KiB blocks (glibc's heap, not Python's small-object
arenas), all but one in fifty freed, which leaves the heap full of holes the
allocator keeps. The extension's ``trim`` must give them back; without it the
process keeps them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crawler.extensions.memory import glibc
from tests.conftest import ROOT

FRAGMENT = """
import json, sys
from pathlib import Path
from crawler.extensions.memory import glibc, trim

def rss():
    status = Path("/proc/self/status").read_text()
    return int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmRSS"))) // 1024

blocks = [bytes(4096) + bytes([n % 256]) for n in range(75_000)]
kept = blocks[::50]
full = rss()
del blocks
freed = rss()
if sys.argv[1] == "trim":
    trim(glibc())
print(json.dumps({"full": full, "freed": freed, "after": rss(), "kept": len(kept)}))
"""


def measure(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", FRAGMENT, mode], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout)


@pytest.mark.skipif(glibc() is None, reason="not glibc")
def test_trim_gives_a_fragmented_heap_back():
    kept = measure("keep")
    trimmed = measure("trim")
    assert kept["full"] > 250  # 300 MiB of blocks were there
    assert kept["full"] - kept["after"] < 50, kept  # freed, the allocator keeps the holes
    assert trimmed["freed"] - trimmed["after"] > 200, trimmed  # trimmed, they go back
