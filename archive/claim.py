"""What a replay holds while it runs: its collection's folder and its port.

Two replays used to share one pywb folder (``var/replay``): each rewrote the
other's listing and deleted the other's indexes as stale, so a reader saw
"0 reports" and 404s on and off. Now each WARC directory has a folder of its
own under the replay root, held with an advisory lock (``fcntl.flock``) for as
long as its replay runs. The kernel drops the lock when the process ends, however
it ends (``kill -9`` too), so there is no pid file to go stale and nothing to
clean up.

A second replay of a collection already being replayed is refused, in one line
that gives the running one's address, rather than handed a folder of its own:
whoever starts it has almost always forgotten the first (``make replay`` in
another terminal), which already serves the same reports, and a second index of
the same files would only double the indexing on a small machine. Whoever really
wants two can give the second one another ``--root``.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import socket
from pathlib import Path
from typing import IO

__all__ = ["Busy", "CollectionClaim", "check_port", "collection_root"]


class Busy(Exception):
    """What a replay needs is in use by another process; the message says which and
    what to do, in one line."""


def collection_root(base: str | Path, warc_dir: str | Path) -> Path:
    """The folder under ``base`` for the collection in ``warc_dir``: named after the
    directory's last two parts (readable: ``demo-warc``) and a hash of its full path
    (two ``warc`` directories in different places never share one)."""
    resolved = Path(warc_dir).resolve()
    readable = re.sub(r"[^\w.]+", "-", "-".join(resolved.parts[-2:])).strip("-.") or "root"
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:8]
    return Path(base) / f"{readable}-{digest}"


class CollectionClaim:
    """The lock on a collection's replay folder, held until ``release`` (or exit)."""

    LOCK = "replay.lock"

    def __init__(self, root: Path, warc_dir: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.path = root / self.LOCK
        self._file: IO[str] | None = None
        self.warc_dir = warc_dir

    def acquire(self, address: str) -> None:
        """Take the lock and write who holds it (for the message a second replay
        prints); Busy if a live replay holds it."""
        lock = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open on purpose
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            lock.close()
            raise Busy(f"replay: {self.warc_dir} is already being replayed by {holder}; "
                       "open that one, or stop it first") from None
        lock.truncate(0)
        lock.write(f"pid {os.getpid()} at {address}\n")
        lock.flush()
        self._file = lock

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the flock
            self._file = None


def check_port(port: int, host: str = "127.0.0.1") -> None:
    """Busy if ``port`` on ``host`` cannot be listened on. Bound the way pywb's gevent
    server binds (with SO_REUSEADDR, so a port in TIME_WAIT counts as free, as it is
    for pywb); a listener elsewhere still makes the bind fail."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            reason = "in use" if exc.errno == errno.EADDRINUSE else exc.strerror
            raise Busy(f"replay: port {port} on {host} is {reason}; "
                       "choose another with --port") from None
