"""Read-only DuckDB access for the app (references §2.3).

The process keeps one read-only connection per database while queries come, and closes it once it
has been idle for ``IDLE_CLOSE_S``: each query gets a cursor on it, so a page's queries share
DuckDB's buffer pool (opening the file for every query started each one on an empty pool: at
100 k reports the summary page took 9–14 s against 6 s kept, docs/app.md). DuckDB holds a shared
file lock while the connection is open, which keeps an in-place writer
(:mod:`nianbao.store.write`) out; ``IDLE_CLOSE_S`` is well under the writer's ``READERS_WAIT_S``,
and a writer that is waiting says so (:func:`write_wanted`), after which the connection is
closed as soon as its queries are done and each further query opens the file for itself until the
writer is in. While a write holds the file, the open waits for it (``open_read_only``).

Results are cached per database *version* (the file's and its WAL's mtime and size) and shared by
all sessions; a result is cached only under the version its connection reads (:func:`reading`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from nianbao.store.write import (  # noqa: F401  (DatabaseBusy, database_version: for the pages)
    READERS_WAIT_S,
    DatabaseBusy,
    database_version,
    open_read_only,
    write_wanted,
)

DEFAULT_DB = Path("data") / "nianbao.duckdb"
IDLE_CLOSE_S = READERS_WAIT_S / 4  # an idle connection is closed long before a waiting writer gives up


def db_path() -> Path:
    """The database the app serves: ``$NIANBAO_DB`` or ``data/nianbao.duckdb``."""
    return Path(os.environ.get("NIANBAO_DB") or DEFAULT_DB)


class _Moved(Exception):
    """A write landed around the open: the result is not cached under the version taken before."""


@dataclass
class _Instance:
    """The process's one connection on a path. DuckDB hands every connect() on a path the
    instance this process already has open, so there is never a second, newer one beside it."""

    con: duckdb.DuckDBPyConnection
    version: tuple  # the file's version when it was opened (no in-place write can land while it is)
    users: int = 0
    idle_since: float = 0.0
    retired: bool = False  # stale (a copy was renamed over the file) or a writer waits: close when unused


_INSTANCES: dict[str, _Instance] = {}
_LOCK = threading.Condition()  # guards _INSTANCES; wakes the idle closer
_CLOSER: list[threading.Thread] = []


def _acquire(path: str, version: tuple | None) -> _Instance:
    """The instance to read ``path`` through, with one more user. Raises :class:`_Moved` when it
    does not read ``version``."""
    with _LOCK:
        inst = _INSTANCES.get(path)
        wanted = write_wanted(path)
        if inst is not None and (wanted or inst.version != database_version(path)):
            inst.retired = True
        if inst is not None and inst.retired and inst.users == 0:
            _close(path, inst)
            inst = None
        if inst is None:  # holding the lock: other queries would wait for the same writer anyway
            con = open_read_only(path)
            inst = _INSTANCES[path] = _Instance(con, database_version(path), retired=wanted)
        if version is not None and inst.version != version:
            raise _Moved
        inst.users += 1
        return inst


def _release(path: str, inst: _Instance) -> None:
    with _LOCK:
        inst.users -= 1
        if inst.users:
            return
        if inst.retired or write_wanted(path):
            _close(path, inst)
        else:
            inst.idle_since = time.monotonic()
            _start_closer()
            _LOCK.notify_all()


def _close(path: str, inst: _Instance) -> None:
    if _INSTANCES.get(path) is inst:
        del _INSTANCES[path]
    inst.con.close()


def _start_closer() -> None:
    if not _CLOSER or not _CLOSER[0].is_alive():
        _CLOSER[:] = [threading.Thread(target=_close_idle, name="nianbao-idle-close", daemon=True)]
        _CLOSER[0].start()


def _close_idle() -> None:
    """Close every connection idle for ``IDLE_CLOSE_S``; sleep until the next one would be."""
    with _LOCK:
        while True:
            now = time.monotonic()
            due = None
            for path, inst in list(_INSTANCES.items()):
                if inst.users:
                    continue
                if now - inst.idle_since >= IDLE_CLOSE_S:
                    _close(path, inst)
                else:
                    due = min(due or now + IDLE_CLOSE_S, inst.idle_since + IDLE_CLOSE_S)
            _LOCK.wait(None if due is None else max(due - now, 0.005))


def close_connections() -> None:
    """Close every unused connection now (tests; a process about to write the file itself)."""
    with _LOCK:
        for path, inst in list(_INSTANCES.items()):
            if not inst.users:
                _close(path, inst)


@contextmanager
def reading(db: str | Path, version: tuple | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the process's read-only connection to ``db``, closed on the way out (a cursor
    per query: one DuckDB connection must not run two threads' queries at once). With ``version``
    (taken before), raise :class:`_Moved` unless it reads exactly that version."""
    path = str(db)
    inst = _acquire(path, version)
    try:
        cur = inst.con.cursor()
    except BaseException:
        _release(path, inst)
        raise
    try:
        yield cur
    finally:
        cur.close()
        _release(path, inst)


# cache_resource, not cache_data: cache_data pickles every result in and out of its store on each
# read, which cost 7 % of the server under load; sessions get a shallow copy of the one frame,
# which pandas' copy-on-write keeps from changing the cached one.
@st.cache_resource(ttl=3600, max_entries=2000, show_spinner=False)
def _fetch(path: str, version: tuple, sql: str, params: tuple) -> pd.DataFrame:
    with reading(path, version) as con:
        return con.execute(sql, list(params)).df()


def fetch_df(db: str | Path, sql: str, params: tuple | list = ()) -> pd.DataFrame:
    """Run one parameterised query; results are cached per database version and shared by all
    sessions (each gets its own shallow copy)."""
    for _ in range(5):
        try:
            return _fetch(str(db), database_version(db), sql, tuple(params)).copy(deep=False)
        except _Moved:
            continue  # take the new version and read again
    with reading(db) as con:  # writes keep landing: answer uncached
        return con.execute(sql, list(params)).df()


def clear_results() -> None:
    """Forget every cached query result (after this process wrote the database)."""
    _fetch.clear()


def fetch_blob(db: str | Path, sql: str, params: tuple | list = ()) -> bytes | None:
    """A single BLOB value, uncached (original files can be large)."""
    with reading(db) as con:
        row = con.execute(sql, list(params)).fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


def has_table(db: str | Path, table: str) -> bool:
    """True when the database holds ``table``."""
    df = fetch_df(db, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ?", [table])
    return bool(df["n"].iloc[0])


def has_schema(db: str | Path) -> bool:
    """True when the file exists and holds the ``reports`` table."""
    return Path(db).exists() and has_table(db, "reports")
