"""One writer per database: an exclusive lock file next to it, held for a whole ingest batch.

``with ingest_lock(db, wait=30):`` takes ``<db>.lock`` with ``flock``. The kernel releases a
flock when its holder dies (even by SIGKILL), so the lock of a dead process is simply taken
over; the file's content (holder pid, host and start time) only serves the waiting message.
flock locks belong to an open file, so two threads of one process (two Streamlit sessions)
exclude each other like two processes do; the same thread taking the same lock again (an
ingest inside a demo build) re-enters instead of waiting for itself.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

POLL_SECONDS = 0.1
_HELD = threading.local()


class LockBusy(RuntimeError):
    """Another ingest holds the database; the message names it and says what to do."""

    def __init__(self, db: Path, holder: str, waited: float):
        self.db, self.holder, self.waited = db, holder, waited
        super().__init__(f"{db}: 另一个导入正在写入此数据库（{holder}），已等待 {waited:.0f} 秒；"
                         f"请稍后重试或使用 --wait 秒数 / another ingest is writing this database "
                         f"({holder}); waited {waited:.0f} s — retry later or pass --wait SECONDS")


def lock_path(db: str | Path) -> Path:
    db = Path(db)
    return db.with_name(f"{db.name}.lock")


def holder(db: str | Path) -> str:
    """Who holds (or last held) the lock, as written in the lock file."""
    try:
        info = json.loads(lock_path(db).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "?"
    return f"pid {info.get('pid', '?')} @ {info.get('host', '?')}, since {info.get('started', '?')}"


@contextmanager
def ingest_lock(db: str | Path, wait: float = 0.0,
                on_wait: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the database's write lock; wait up to ``wait`` seconds for another holder (calling
    ``on_wait`` once with the holder's description), then raise :class:`LockBusy`."""
    path = lock_path(db)
    key = str(path.resolve())
    held: dict[str, int] = _HELD.__dict__.setdefault("counts", {})
    if held.get(key):
        held[key] += 1
        try:
            yield path
        finally:
            held[key] -= 1
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OSError(exc.errno, f"{path}: 无法创建锁文件（{exc.strerror}），数据库未改变 / cannot create the "
                                 f"lock file ({exc.strerror}); nothing was changed") from exc
    try:
        _acquire(fd, Path(db), wait, on_wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                  "started": datetime.now().isoformat(timespec="seconds")}).encode(), 0)
        held[key] = 1
        try:
            yield path
        finally:
            held.pop(key, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, db: Path, wait: float, on_wait: Callable[[str], None] | None) -> None:
    start = time.monotonic()
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            waited = time.monotonic() - start
            if waited >= wait:
                raise LockBusy(db, holder(db), waited) from None
            if on_wait and not told:
                on_wait(holder(db))
                told = True
            time.sleep(min(POLL_SECONDS, wait - waited))
