"""Read-only DuckDB access for the app (references §2.3).

One connection per database file *version* (path + mtime) is cached for the process; every query
takes its own cursor, because Streamlit runs each script run in its own thread and a shared
DuckDB connection refuses concurrent calls. Ingest swaps in a new file atomically, so a new mtime
gives a fresh connection while older sessions finish on the old file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

DEFAULT_DB = Path("data") / "nianbao.duckdb"


def db_path() -> Path:
    """The database the app serves: ``$NIANBAO_DB`` or ``data/nianbao.duckdb``."""
    return Path(os.environ.get("NIANBAO_DB") or DEFAULT_DB)


def db_mtime(path: str | Path) -> float:
    try:
        return Path(path).stat().st_mtime
    except FileNotFoundError:
        return 0.0


@st.cache_resource(max_entries=4, on_release=lambda con: con.close(), show_spinner=False)
def _connection(path: str, mtime: float) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path, read_only=True)


# cache_resource, not cache_data: cache_data pickles every result in and out of its store on each
# read, which cost 7 % of the server under load; sessions get a shallow copy of the one frame,
# which pandas' copy-on-write keeps from changing the cached one.
@st.cache_resource(ttl=3600, max_entries=2000, show_spinner=False)
def _fetch(path: str, mtime: float, sql: str, params: tuple) -> pd.DataFrame:
    cur = _connection(path, mtime).cursor()
    try:
        return cur.execute(sql, list(params)).df()
    finally:
        cur.close()


_SEEN: dict[str, float] = {}
_SEEN_LOCK = threading.Lock()


def _version(path: str) -> float:
    """The file's mtime; when it changed (an ingest swapped the file in), close the old
    connection first: DuckDB caches database instances by path, so a new connect() while the
    old one is open would hand back the replaced file."""
    mtime = db_mtime(path)
    with _SEEN_LOCK:
        if _SEEN.get(path, mtime) != mtime:
            _connection.clear()
        _SEEN[path] = mtime
    return mtime


def fetch_df(db: str | Path, sql: str, params: tuple | list = ()) -> pd.DataFrame:
    """Run one parameterised query; results are cached per database version and shared by all
    sessions (each gets its own shallow copy)."""
    return _fetch(str(db), _version(str(db)), sql, tuple(params)).copy(deep=False)


def clear_results() -> None:
    """Forget every cached query result (after this process wrote the database)."""
    _fetch.clear()


def fetch_blob(db: str | Path, sql: str, params: tuple | list = ()) -> bytes | None:
    """A single BLOB value, uncached (original files can be large)."""
    cur = _connection(str(db), _version(str(db))).cursor()
    try:
        row = cur.execute(sql, list(params)).fetchone()
    finally:
        cur.close()
    return bytes(row[0]) if row and row[0] is not None else None


def has_table(db: str | Path, table: str) -> bool:
    """True when the database holds ``table``."""
    df = fetch_df(db, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ?", [table])
    return bool(df["n"].iloc[0])


def has_schema(db: str | Path) -> bool:
    """True when the file exists and holds the ``reports`` table."""
    if not Path(db).exists():
        return False
    df = fetch_df(db, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'reports'")
    return bool(df["n"].iloc[0])
