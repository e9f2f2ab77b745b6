"""One writer per database: concurrent ingests both land, a busy database is refused clearly,
the lock of a killed holder is taken over, failed files replace nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from nianbao.lock import LockBusy, ingest_lock, lock_path
from nianbao.pipeline import ingest
from nianbao.store.load import connect
from tests.test_store import GOOD, counts, write

AGENCIES = ("商务局", "财政局", "教育局", "司法局", "民政局", "水利局")


def _set(folder, names):
    folder.mkdir()
    return [write(folder / f"{name}.txt", GOOD.format(n=i + 2).replace("商务局", name)) for i, name in enumerate(names)]


def _cli(*args):
    return subprocess.Popen([sys.executable, "-m", "nianbao", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _names(db):
    con = connect(db)
    try:
        return {r[0] for r in con.execute("SELECT source_name FROM reports").fetchall()}
    finally:
        con.close()


def test_two_concurrent_ingests_of_different_sets_both_land(tmp_path):
    db = tmp_path / "n.duckdb"
    a = _set(tmp_path / "a", AGENCIES[:3])
    b = _set(tmp_path / "b", AGENCIES[3:])
    procs = [_cli("ingest", *map(str, files), "--db", str(db), "--wait", "300") for files in (a, b)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert _names(db) == {f"{n}.txt" for n in AGENCIES}
    assert any("waiting for another ingest" in err for _, err in results), results  # they did overlap


def test_a_busy_database_is_refused_clearly_and_left_alone(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest(_set(tmp_path / "a", AGENCIES[:1]), db)
    before = counts(db)
    with ingest_lock(db):
        proc = _cli("ingest", *map(str, _set(tmp_path / "b", AGENCIES[1:2])), "--db", str(db), "--wait", "0.5")
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3 and "Traceback" not in err
    assert "another ingest is writing" in err and f"pid {os.getpid()}" in err
    assert counts(db) == before


def test_the_lock_of_a_killed_holder_is_taken_over(tmp_path):
    db = tmp_path / "n.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom nianbao.lock import ingest_lock\n"
        f"with ingest_lock({str(db)!r}):\n    print('held', flush=True)\n    time.sleep(600)\n")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    assert json.loads(lock_path(db).read_text())["pid"] == holder.pid
    with pytest.raises(LockBusy, match=f"pid {holder.pid}"):
        ingest(_set(tmp_path / "a", AGENCIES[:1]), db)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    out = ingest(list((tmp_path / "a").iterdir()), db)  # the pid is still in the file; the lock is free
    assert [o.action for o in out] == ["loaded"]


def test_a_waiting_ingest_says_who_it_waits_for_then_proceeds(tmp_path):
    db = tmp_path / "n.duckdb"
    files = _set(tmp_path / "a", AGENCIES[:1])
    told: list[str] = []
    held = threading.Event()

    def hold():
        with ingest_lock(db):
            held.set()
            deadline = time.monotonic() + 60
            while not told and time.monotonic() < deadline:
                time.sleep(0.02)

    t = threading.Thread(target=hold)
    t.start()
    assert held.wait(30)
    out = ingest(files, db, wait=60, on_wait=told.append)
    t.join()
    assert told and f"pid {os.getpid()}" in told[0]
    assert [o.action for o in out] == ["loaded"]


def test_same_thread_reenters_its_own_lock(tmp_path):
    db = tmp_path / "n.duckdb"
    with ingest_lock(db):
        out = ingest(_set(tmp_path / "a", AGENCIES[:1]), db)
    assert [o.action for o in out] == ["loaded"]


def test_every_writer_waits_for_the_lock_so_none_swaps_over_an_ingest(tmp_path):
    """A reviewer's decision (or a roster import) writes through writable_copy like an ingest:
    while another holder has the lock it waits, then refuses — it never swaps its copy over."""
    import threading

    from nianbao.lock import LockBusy, ingest_lock
    from nianbao.store.load import writable_copy

    db = tmp_path / "n.duckdb"
    with writable_copy(db):
        pass
    outcome = []

    def other_writer():
        try:
            with writable_copy(db, wait=0.2) as con:
                con.execute("CREATE TABLE intruder (x INTEGER)")
            outcome.append("wrote")
        except LockBusy:
            outcome.append("refused")

    with ingest_lock(db):
        thread = threading.Thread(target=other_writer)
        thread.start()
        thread.join(30)
    assert outcome == ["refused"]
