"""The in-place write (store/write.py): O(batch), lands whole or not at all under SIGKILL, and a
reader that arrives during it waits and then sees the state after it — never an error."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest

import nianbao.store.write as write
from nianbao.app.db import fetch_df
from nianbao.pipeline import ingest
from nianbao.store.decisions import record_decision
from nianbao.store.write import DatabaseBusy, open_read_only, writable
from tests.test_store import GOOD
from tests.test_store import write as write_report

ROWS = 300_000  # enough that COMMIT and CHECKPOINT take a measurable while

# a child that writes ROWS roster rows in place, says so, waits for a line on stdin, then commits
HOLDER = r"""
import sys
from nianbao.store.write import writable
with writable(sys.argv[1], in_place=True) as con:
    con.execute("INSERT INTO roster SELECT 'a' || range, NULL, NULL, NULL FROM range(ROWS_)")
    print("inside", flush=True)
    sys.stdin.readline()
print("done", flush=True)
""".replace("ROWS_", str(ROWS))


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "n.duckdb"
    ingest([write_report(tmp_path / "a.txt", GOOD.format(n=3))], path)
    return path


def _roster(db) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM roster").fetchone()[0]
    finally:
        con.close()


def _holder(db) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "inside", proc.stderr.read()
    return proc


def test_a_small_write_does_not_copy_the_database(db, monkeypatch):
    def no_copy(*a, **k):
        raise AssertionError("the database was copied")

    monkeypatch.setattr(write.shutil, "copyfile", no_copy)
    record_decision(db, "file:a.txt", "A-1", "", "3", "confirmed", "ok", "me")
    ingest([write_report(db.parent / "b.txt", GOOD.format(n=6).replace("商务局", "财政局"))], db)
    con = open_read_only(db)
    assert con.execute("SELECT count(*) FROM decisions").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
    con.close()


def test_an_error_inside_an_in_place_write_changes_nothing(db):
    before = db.read_bytes(), _roster(db)
    with pytest.raises(RuntimeError, match="boom"):
        with writable(db) as con:
            con.execute("INSERT INTO roster VALUES ('x', NULL, NULL, NULL)")
            raise RuntimeError("boom")
    assert _roster(db) == before[1] == 0
    with writable(db) as con:  # and the next write works
        con.execute("INSERT INTO roster VALUES ('y', NULL, NULL, NULL)")
    assert _roster(db) == 1


def test_a_read_during_an_in_place_write_waits_and_sees_the_state_after(db, monkeypatch):
    refused = threading.Event()
    real = write._is_lock_conflict

    def conflict(exc):
        refused.set()
        return real(exc)

    monkeypatch.setattr(write, "_is_lock_conflict", conflict)
    proc = _holder(db)
    answers, errors = [], []

    def read():
        try:
            answers.append(int(fetch_df(db, "SELECT count(*) AS n FROM roster")["n"].iloc[0]))
        except Exception as exc:  # noqa: BLE001 — the test's point: no error reaches a reader
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    assert refused.wait(60)  # the reader was refused by the writer's lock and is waiting
    assert reader.is_alive() and not answers
    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.wait(60) == 0, proc.stderr.read()
    reader.join(60)
    assert errors == [] and answers == [ROWS]


def test_a_result_cached_before_a_write_is_not_served_after_it(db):
    assert int(fetch_df(db, "SELECT count(*) AS n FROM roster")["n"].iloc[0]) == 0  # cached
    proc = _holder(db)
    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.wait(60) == 0, proc.stderr.read()
    assert int(fetch_df(db, "SELECT count(*) AS n FROM roster")["n"].iloc[0]) == ROWS  # no clear_results()


def test_a_reader_that_waits_too_long_gets_a_clear_busy_error(db):
    proc = _holder(db)
    try:
        with pytest.raises(DatabaseBusy, match="数据库正在更新"):
            open_read_only(db, wait=0.2)
    finally:
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(60)


def test_a_writer_falls_back_to_the_copy_while_a_reader_keeps_the_file_open(db, monkeypatch):
    monkeypatch.setattr(write, "READERS_WAIT_S", 0.1)
    reader = subprocess.Popen([sys.executable, "-c", "import duckdb,sys;c=duckdb.connect(sys.argv[1],read_only=True);"
                               "print('open',flush=True);sys.stdin.readline()", str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "open"
    try:
        record_decision(db, "file:a.txt", "A-1", "", "3", "dismissed", "", "me")  # does not hang on the reader
    finally:
        reader.stdin.write("\n")
        reader.stdin.flush()
        reader.wait(30)
    con = open_read_only(db)
    assert con.execute("SELECT decision FROM decisions").fetchall() == [("dismissed",)]
    con.close()


def test_sigkill_during_an_in_place_write_leaves_before_or_after_state(db):
    """Kills at random moments of a write (the inserts, COMMIT, CHECKPOINT): the next read-only
    open, and the next read-write open, see no rows or all of them."""
    script = HOLDER.replace('    print("inside", flush=True)\n    sys.stdin.readline()\n', '')
    base = db.read_bytes()
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-c", script, str(db)], check=True, timeout=120)
    duration = time.monotonic() - t0
    assert _roster(db) == ROWS
    rng = random.Random(7)
    seen = []
    for _ in range(6):
        db.write_bytes(base)
        db.with_name(f"{db.name}.wal").unlink(missing_ok=True)
        proc = subprocess.Popen([sys.executable, "-c", script, str(db)])
        deadline = time.monotonic() + rng.uniform(0.3, 1.0) * duration
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        read_only = _roster(db)
        with writable(db) as con:  # the next writer (replays the WAL, if any) and its view
            read_write = con.execute("SELECT count(*) FROM roster").fetchone()[0]
        assert read_only == read_write and read_only in (0, ROWS), (read_only, read_write)
        seen.append(read_only)
    assert len(seen) == 6


def test_a_connection_still_open_on_a_replaced_file_does_not_poison_the_cache(db):
    """DuckDB hands a connect() the instance this process already has open on the path; after a
    copy was renamed over the file that is the old file, so what it reads must not be cached
    under the new file's version."""
    from nianbao.app.db import reading

    with reading(db) as old:  # e.g. an export still running in another session
        with writable(db, in_place=False) as con:  # a copy swapped in meanwhile
            con.execute("INSERT INTO roster VALUES ('new', NULL, NULL, NULL)")
        assert old.execute("SELECT count(*) FROM roster").fetchone()[0] == 0
        fetch_df(db, "SELECT count(*) AS n FROM roster")  # served from the old instance, not cached
    assert int(fetch_df(db, "SELECT count(*) AS n FROM roster")["n"].iloc[0]) == 1


@pytest.mark.parametrize("in_place", [True, False])
def test_the_writers_memory_is_bounded(db, monkeypatch, in_place):
    """DuckDB's buffer pool keeps every block an ingest writes unless limited: the writer's
    memory grew with the database (session 10: +12 MB per 1 000 reports)."""
    monkeypatch.setenv("NIANBAO_WRITER_MEMORY_MB", "96")
    with (writable(db) if in_place else write.writable_copy(db)) as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit == "96.0 MiB"
