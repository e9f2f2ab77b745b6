"""The one write path into the database file, and the read-only open that waits for it.

Two ways to write, both under the database's write lock (:func:`nianbao.lock.ingest_lock`),
both landing whole or not at all:

- **in place** (:func:`writable`, the default for a reviewer's decision and for a small batch):
  the file is opened read-write and everything runs in one transaction, then CHECKPOINT. Cost
  O(batch), not O(database). DuckDB holds an exclusive file lock while the file is open
  read-write, so readers cannot open it meanwhile: :func:`open_read_only` waits for the lock (the
  write is short). A SIGKILL before COMMIT leaves the file as it was; after COMMIT the batch is
  in the WAL (``<db>.wal``), which the next open replays — a read-only open too, in memory
  (measured with duckdb 2.0.1, docs/scale-ingest.md). While any reader holds the file open the
  writer cannot start, so it waits ``READERS_WAIT_S`` for them (saying so in ``<db>.write-wanted``,
  which makes the app let go of its kept connection, :mod:`nianbao.app.db`) and then falls back
  to the copy.
- **copy** (:func:`writable_copy`, a multi-chunk batch): copy the file, write into the copy,
  CHECKPOINT, rename it over the original. O(database), but readers are never refused: an open
  reader keeps its (old) file, the next open gets the new one.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from nianbao.limits import limits
from nianbao.lock import ingest_lock
from nianbao.store.schema import create_schema

WRITE_WAIT_S = 120.0  # how long a writer that holds no lock yet waits for another (a decision during an ingest)
READERS_WAIT_S = 1.0  # how long an in-place writer waits for open readers before it copies instead
READ_WAIT_S = 30.0  # how long a reader waits for an in-place write to finish
POLL_S = 0.02


class WriteError(OSError):
    """The database could not be written (full disk, read-only folder); it is unchanged."""


class DatabaseBusy(RuntimeError):
    """The database stayed locked by a writer for longer than a reader waits."""


@contextmanager
def writable(path: str | Path, wait: float = WRITE_WAIT_S, in_place: bool = True
             ) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection; what is written through it lands whole or not at all.
    In place (one transaction in the file itself) unless ``in_place`` is false, the file does not
    exist yet, or readers keep it open for ``READERS_WAIT_S``: then into a copy swapped in at the
    end. Raises :class:`WriteError` (nothing changed) when the file cannot be written."""
    path = Path(path)
    with ingest_lock(path, wait=wait):
        con = _open_in_place(path) if in_place else None
        if con is None:
            yield from _write_copy(path)
        else:
            yield from _write_in_place(path, con)


@contextmanager
def writable_copy(path: str | Path, wait: float = WRITE_WAIT_S) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a copy of ``path``; swap it in only on success. A failure
    to write (full disk, read-only folder) raises :class:`WriteError` and changes nothing. Every
    writer holds the database's write lock (an ingest re-enters the one it holds), so two writers
    (an ingest and a reviewer's decision) never swap their copies over each other."""
    with ingest_lock(path, wait=wait):
        yield from _write_copy(Path(path))


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    """Another process holds the file's lock, or this process has it open in the other mode."""
    text = str(exc)
    return "Could not set lock" in text or "different configuration" in text


def _open_in_place(path: Path) -> duckdb.DuckDBPyConnection | None:
    """The file opened read-write, or None when it does not exist or readers keep it open. While
    it waits, ``<db>.write-wanted`` tells readers that keep a connection open to let go."""
    if not path.exists():
        return None
    deadline = time.monotonic() + READERS_WAIT_S
    marker = _wanted_marker(path)
    try:
        marker.touch()
    except OSError:
        pass  # a read-only folder: the open below fails and the copy path reports it
    try:
        while True:
            try:
                return connect_writer(path)
            except (duckdb.IOException, duckdb.ConnectionException) as exc:
                if not _is_lock_conflict(exc):
                    return None  # e.g. a read-only folder: the copy path reports it
                if time.monotonic() >= deadline:
                    return None
                time.sleep(POLL_S)
    finally:
        marker.unlink(missing_ok=True)


def connect_writer(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection whose memory is bounded (``limits().writer_memory_mb``)."""
    return duckdb.connect(str(path), config={"memory_limit": f"{limits().writer_memory_mb}MiB"})


def _wanted_marker(path: str | Path) -> Path:
    return Path(f"{path}.write-wanted")


def write_wanted(path: str | Path) -> bool:
    """True while an in-place writer waits for this database's readers. A marker older than a
    writer ever waits was left by a killed writer and is ignored."""
    try:
        age = time.time() - _wanted_marker(path).stat().st_mtime
    except OSError:
        return False
    return age < 5 * READERS_WAIT_S


_IN_TRANSACTION: set[int] = set()  # ids of the connections of in-place writes, while their transaction is open


def in_batch_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """True inside an in-place write, whose one transaction a caller must not commit: DuckDB has
    no nested transactions, and a second BEGIN aborts the open one."""
    return id(con) in _IN_TRANSACTION


def _write_in_place(path: Path, con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    try:
        con.execute("BEGIN TRANSACTION")
        _IN_TRANSACTION.add(id(con))
        create_schema(con)
        yield con
        _IN_TRANSACTION.discard(id(con))
        try:
            con.execute("COMMIT")
        except duckdb.Error as exc:  # the WAL could not be written (a full disk): not committed
            raise _write_error(path, exc) from exc
    except BaseException as exc:
        _IN_TRANSACTION.discard(id(con))
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the failed statement already aborted it
        con.close()
        # a full disk at the CHECKPOINT comes as DuckDB's FatalException; the copy is dropped, the file is as it was
        if isinstance(exc, OSError | duckdb.IOException | duckdb.FatalException) and not isinstance(exc, WriteError):
            raise _write_error(path, exc) from exc
        raise
    try:
        con.execute("CHECKPOINT")  # folds the WAL into the file; the batch is durable either way
    except duckdb.Error:
        pass  # committed: the WAL holds it and the next open replays it
    finally:
        con.close()


def _write_copy(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")  # unique per call, not per process
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        if path.exists():
            shutil.copyfile(path, tmp)
        con = connect_writer(tmp)
    except (OSError, duckdb.Error) as exc:
        _remove_copy(tmp)
        raise _write_error(path, exc) from exc
    try:
        create_schema(con)
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, path)
    except BaseException as exc:
        con.close()
        _remove_copy(tmp)
        # a full disk at the CHECKPOINT comes as DuckDB's FatalException; the copy is dropped, the file is as it was
        if isinstance(exc, OSError | duckdb.IOException | duckdb.FatalException) and not isinstance(exc, WriteError):
            raise _write_error(path, exc) from exc
        raise


def _remove_copy(tmp: Path) -> None:
    for p in (tmp, Path(f"{tmp}.wal")):
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass


def _write_error(path: Path, exc: BaseException) -> WriteError:
    reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0][:200]
    return WriteError(f"{path}: 无法写入数据库（{reason}），数据库未改变 / cannot write the database "
                      f"({reason}); nothing was changed")


def open_read_only(path: str | Path, wait: float = READ_WAIT_S) -> duckdb.DuckDBPyConnection:
    """Open the file read-only, waiting up to ``wait`` seconds while a writer has it open in place
    (then :class:`DatabaseBusy`). A missing file is an error, not a new file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"数据库不存在 / database not found: {path}")
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(path), read_only=True)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_conflict(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(f"{path}: 数据库正在更新，请稍后刷新 / the database is being updated; "
                                   f"refresh in a moment (waited {wait:.0f} s)") from exc
            time.sleep(POLL_S)


def database_version(path: str | Path) -> tuple[int, int, int, int]:
    """What changes whenever a write lands: the file's and its WAL's mtime and size (a committed
    batch may sit in the WAL until the next CHECKPOINT, and the file's mtime alone can miss it)."""
    path = Path(path)
    out: list[int] = []
    for p in (path, Path(f"{path}.wal")):
        try:
            st = p.stat()
            out += [st.st_mtime_ns, st.st_size]
        except FileNotFoundError:
            out += [0, 0]
    return out[0], out[1], out[2], out[3]
