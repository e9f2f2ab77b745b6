"""The app keeps one read-only connection per database between queries (a page's queries share
DuckDB's buffer pool) and lets go of it when idle or when an in-place writer waits, so writes
still land in place and the next query sees them."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

import nianbao.app.db as app_db
from nianbao.app.db import IDLE_CLOSE_S, clear_results, fetch_df, reading
from nianbao.pipeline import ingest
from nianbao.store.write import READERS_WAIT_S, write_wanted
from tests.test_store import GOOD
from tests.test_store import write as write_report

# a child that adds one roster row in place and says whether it was in place (the same file)
WRITER = r"""
import os, sys
from nianbao.store.write import writable
path = sys.argv[1]
inode = os.stat(path).st_ino
with writable(path) as con:
    con.execute("INSERT INTO roster VALUES ('new', NULL, NULL, NULL)")
print("in place" if os.stat(path).st_ino == inode else "copied", flush=True)
"""


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "n.duckdb"
    ingest([write_report(tmp_path / "a.txt", GOOD.format(n=3))], path)
    clear_results()
    yield path
    app_db.close_connections()


def _wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def _roster(db) -> int:
    return int(fetch_df(db, "SELECT count(*) AS n FROM roster")["n"].iloc[0])


def test_queries_share_one_connection_until_it_is_idle(db):
    fetch_df(db, "SELECT count(*) AS n FROM reports")
    first = app_db._INSTANCES[str(db)]
    fetch_df(db, "SELECT count(*) AS n FROM facts")
    assert app_db._INSTANCES[str(db)] is first  # the second query did not open the file again
    assert _wait_until(lambda: str(db) not in app_db._INSTANCES, 20 * IDLE_CLOSE_S)


def test_a_write_after_the_idle_close_lands_in_place_and_is_seen(db):
    assert _roster(db) == 0
    out = subprocess.run([sys.executable, "-c", WRITER, str(db)], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "in place", out.stderr[-2000:]
    assert _roster(db) == 1  # a new version: not the cached 0, not the closed connection's view


def test_a_writer_gets_in_while_queries_keep_coming(db):
    """Queries run back to back (the connection is never idle): the waiting writer's marker makes
    the app let go, so the write lands in place, and queries after it see it."""
    stop = threading.Event()
    seen: set[int] = set()
    errors: list[BaseException] = []

    def keep_querying() -> None:
        try:
            while not stop.is_set():
                clear_results()
                seen.add(_roster(db))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    readers = [threading.Thread(target=keep_querying) for _ in range(2)]
    for t in readers:
        t.start()
    try:
        assert _wait_until(lambda: str(db) in app_db._INSTANCES, 30)
        out = subprocess.run([sys.executable, "-c", WRITER, str(db)], capture_output=True, text=True, timeout=120)
        assert _wait_until(lambda: 1 in seen, 30)
    finally:
        stop.set()
        for t in readers:
            t.join(30)
    assert not errors, errors
    assert out.stdout.strip() == "in place", out.stderr[-2000:]
    assert seen <= {0, 1}
    assert not write_wanted(db)  # the writer took its marker away


def test_a_kept_connection_is_closed_when_a_writer_in_this_process_waits(db):
    """A reviewer's decision is written by the app's own process: the idle connection must not
    keep it out for longer than the writer waits."""
    from nianbao.store.decisions import record_decision

    _roster(db)
    with reading(db):
        pass  # a fresh use: idle from now
    inode = os.stat(db).st_ino
    record_decision(db, "file:a.txt", "A-1", "", "3", "dismissed", "", "me")
    assert os.stat(db).st_ino == inode  # in place, not the copy
    assert int(fetch_df(db, "SELECT count(*) AS n FROM decisions")["n"].iloc[0]) == 1


def test_a_marker_left_by_a_killed_writer_is_ignored(db):
    marker = db.with_name(f"{db.name}.write-wanted")
    marker.touch()
    assert write_wanted(db)
    old = time.time() - 10 * READERS_WAIT_S
    os.utime(marker, (old, old))
    assert not write_wanted(db)
    fetch_df(db, "SELECT 1 AS x")
    assert str(db) in app_db._INSTANCES  # kept again, not one open per query forever
