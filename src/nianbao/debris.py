"""What killed ingests and conversions leave behind, removed at the next start.

A large ingest writes into ``.<db>.<pid>.tmp`` (plus DuckDB's ``.wal`` and spill folder) and swaps
it in; a kill before the swap leaves those files. (A small write goes into the file itself: its
``<db>.wal`` may hold a committed batch, which DuckDB replays, so it is never removed here.)
The temp copies are removed by the next ingest *while it holds the database lock*, so no live
writer can own them. Temp folders (LibreOffice profiles, uploads, demo builds) carry their
creator's pid in the name and are removed once that process is gone.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

TEMP_PREFIXES = ("nianbao-lo-", "nianbao-upload-", "nianbao-demo-")
_PID_DIR = re.compile(r"^nianbao-(?:lo|upload|demo)-(\d+)-")


def temp_dir(kind: str) -> str:
    """A new temp folder named after this process, for :func:`remove_stale_temp_dirs`."""
    return tempfile.mkdtemp(prefix=f"nianbao-{kind}-{os.getpid()}-")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_write_debris(db: str | Path) -> list[Path]:
    """Temp copies of ``db`` left by killed ingests. Call only while holding the db's lock."""
    db = Path(db)
    if not db.parent.is_dir():
        return []
    removed = []
    for p in db.parent.glob(f".{glob_escape(db.name)}.*.tmp*"):
        _remove(p)
        removed.append(p)
    return removed


def remove_stale_temp_dirs(root: str | Path | None = None) -> list[Path]:
    """Temp folders of nianbao processes that no longer run."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    for p in entries:
        m = _PID_DIR.match(p.name)
        if m and int(m.group(1)) != os.getpid() and not pid_alive(int(m.group(1))):
            _remove(p)
            removed.append(p)
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        p.unlink(missing_ok=True)
