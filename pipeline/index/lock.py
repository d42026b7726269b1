"""One writer per index: an OS-level lock (`fcntl.flock`) on `<index>/writer.lock`, held for a whole write.

The kernel releases a flock when its process dies, however it dies, so a lock can never be left
behind by a crash: the file's contents (pid, start time, host, command) only name the holder for
the message a second writer prints. Whatever a writer finds half-done when it takes the lock was
left by a writer that is gone (see `pipeline.ingest`).
"""
from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import IndexBusy

LOCK_FILE = "writer.lock"


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) an index's writer lock."""

    pid: int
    started: float
    host: str = ""
    command: str = ""

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.started))
        where = f" on {self.host}" if self.host and self.host != socket.gethostname() else ""
        what = f" ({self.command})" if self.command else ""
        return f"pid {self.pid}{where}, started {when}{what}"


def read_holder(index: str | os.PathLike) -> Holder | None:
    """The holder recorded in an index's lock file (it may have finished or died since)."""
    try:
        data = json.loads((Path(index) / LOCK_FILE).read_text(encoding="utf-8") or "{}")
        return Holder(int(data["pid"]), float(data["started"]), data.get("host", ""), data.get("command", ""))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class WriterLock:
    """The exclusive writer lock of one index folder.

    Args:
        index: the index folder (created if missing).
        wait: block until the current writer finishes instead of failing at once.
        on_wait: called once with the holder before blocking (to say why nothing happens).

        >>> with WriterLock("indexes/default"):
        ...     pass  # write to the stores
    Raises:
        IndexBusy: another process holds the lock and `wait` is False.
    """

    def __init__(self, index: str | os.PathLike, wait: bool = False, on_wait: Callable[[Holder | None], None] | None = None):
        self.path = Path(index) / LOCK_FILE
        self.wait, self.on_wait = wait, on_wait
        self._fd: int | None = None
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:  # re-entrant within one Library (ingest calls repair steps)
            self._depth += 1
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = read_holder(self.path.parent)
                if not self.wait:
                    who = holder.describe() if holder else "another process"
                    raise IndexBusy(
                        f"index {self.path.parent} is being written by {who}: "
                        "wait for it to finish, or add --wait to queue behind it"
                    ) from None
                if self.on_wait:
                    self.on_wait(holder)
                fcntl.flock(fd, fcntl.LOCK_EX)
            record = {
                "pid": os.getpid(), "started": time.time(), "host": socket.gethostname(),
                "command": " ".join(sys.argv)[:300],
            }
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(record).encode("utf-8"), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._depth = fd, 1

    def release(self) -> None:
        if self._fd is None:
            return
        self._depth -= 1
        if self._depth > 0:
            return
        fd, self._fd = self._fd, None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> "WriterLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
