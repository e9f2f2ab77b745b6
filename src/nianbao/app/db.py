"""Read-only DuckDB access for the app (references §2.3).

Each query opens the file read-only, runs and closes it (about 35 ms at 10 k or 100 k reports,
measured): a connection kept open would hold DuckDB's shared file lock and keep an in-place
writer (:mod:`nianbao.store.write`) out for as long as the app runs. While a write holds the file,
the open waits for it (``open_read_only``). Results are cached per database *version* (the file's
and its WAL's mtime and size) and shared by all sessions; a result is cached only under the
version it was read from (:func:`reading`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from nianbao.store.write import DatabaseBusy, database_version, open_read_only  # noqa: F401  (for the pages)

DEFAULT_DB = Path("data") / "nianbao.duckdb"


def db_path() -> Path:
    """The database the app serves: ``$NIANBAO_DB`` or ``data/nianbao.duckdb``."""
    return Path(os.environ.get("NIANBAO_DB") or DEFAULT_DB)


class _Moved(Exception):
    """A write landed around the open: the result is not cached under the version taken before."""


_OPEN: dict[str, tuple[int, tuple]] = {}  # path -> (connections of this process open on it, their version)
_OPEN_LOCK = threading.Lock()


@contextmanager
def reading(db: str | Path, version: tuple | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, closed on the way out. With ``version`` (taken before), raise
    :class:`_Moved` unless the connection reads exactly that version: the file must not change
    between the two looks around the open (a copy swapped in does not wait for readers), and
    DuckDB hands a connect() the instance this process already has open on the path — which,
    after a copy was renamed over it, is the replaced file."""
    path = str(db)
    con = open_read_only(path)
    now = database_version(path)
    with _OPEN_LOCK:
        n, shared = _OPEN.get(path, (0, now))
        _OPEN[path] = (n + 1, now if n == 0 else shared)
    try:
        if version is not None and (now != version or (n and shared != version)):
            raise _Moved
        yield con
    finally:
        with _OPEN_LOCK:
            n, shared = _OPEN[path]
            if n == 1:
                del _OPEN[path]
            else:
                _OPEN[path] = (n - 1, shared)
        con.close()


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
