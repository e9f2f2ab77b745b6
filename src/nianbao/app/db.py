"""Read-only DuckDB access for the app (references §2.3).

Each query opens the file read-only, runs and closes it (about 35 ms at 10 k or 100 k reports,
measured): a connection kept open would hold DuckDB's shared file lock and keep an in-place
writer (:mod:`nianbao.store.write`) out for as long as the app runs. While a write holds the file,
the open waits for it (``open_read_only``). Results are cached per database *version* (the file's
and its WAL's mtime and size) and shared by all sessions; a result is cached only under the
version it was read from.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from nianbao.store.write import DatabaseBusy, database_version, open_read_only  # noqa: F401  (for the pages)

DEFAULT_DB = Path("data") / "nianbao.duckdb"


def db_path() -> Path:
    """The database the app serves: ``$NIANBAO_DB`` or ``data/nianbao.duckdb``."""
    return Path(os.environ.get("NIANBAO_DB") or DEFAULT_DB)


class _Moved(Exception):
    """A write landed between taking the version and opening the file: not cached under it."""


# cache_resource, not cache_data: cache_data pickles every result in and out of its store on each
# read, which cost 7 % of the server under load; sessions get a shallow copy of the one frame,
# which pandas' copy-on-write keeps from changing the cached one.
@st.cache_resource(ttl=3600, max_entries=2000, show_spinner=False)
def _fetch(path: str, version: tuple, sql: str, params: tuple) -> pd.DataFrame:
    con = open_read_only(path)
    try:
        if database_version(path) != version:  # no writer can change it while we hold the file open
            raise _Moved
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def fetch_df(db: str | Path, sql: str, params: tuple | list = ()) -> pd.DataFrame:
    """Run one parameterised query; results are cached per database version and shared by all
    sessions (each gets its own shallow copy)."""
    for _ in range(5):
        try:
            return _fetch(str(db), database_version(db), sql, tuple(params)).copy(deep=False)
        except _Moved:
            continue  # take the new version and read again
    con = open_read_only(db)  # writes keep landing: answer uncached
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def clear_results() -> None:
    """Forget every cached query result (after this process wrote the database)."""
    _fetch.clear()


def fetch_blob(db: str | Path, sql: str, params: tuple | list = ()) -> bytes | None:
    """A single BLOB value, uncached (original files can be large)."""
    con = open_read_only(db)
    try:
        row = con.execute(sql, list(params)).fetchone()
    finally:
        con.close()
    return bytes(row[0]) if row and row[0] is not None else None


def has_schema(db: str | Path) -> bool:
    """True when the file exists and holds the ``reports`` table."""
    if not Path(db).exists():
        return False
    df = fetch_df(db, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'reports'")
    return bool(df["n"].iloc[0])
