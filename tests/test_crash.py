"""Crash safety: SIGKILL at random moments leaves the before- or after-state and no running
workers; debris of killed runs is removed at the next start; a full disk or a read-only
folder is a clear error that changes nothing."""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from nianbao.pipeline import ingest
from nianbao.store.load import WriteError
from tests.test_store import GOOD, counts, write

HARNESS = Path(__file__).with_name("crash_harness.py")


def _reports(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write(folder / f"{n}.txt", GOOD.format(n=i + 2).replace("商务局", n)) for i, n in enumerate(names)]


def test_sigkill_at_random_moments_leaves_before_or_after_state(tmp_path):
    base = tmp_path / "base.duckdb"
    ingest(_reports(tmp_path / "a", ["商务局", "财政局"]), base)
    _reports(tmp_path / "batch", ["教育局", "司法局", "民政局"])
    proc = subprocess.run([sys.executable, str(HARNESS), str(base), str(tmp_path / "batch"), str(tmp_path / "work"),
                           "20", "7"], capture_output=True, text=True, timeout=500)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["other"] == 0 and result["before"] + result["after"] == 20, result
    assert result["workers_left"] == 0, result
    assert result["debris_left"] == [], result


def test_sigkill_in_a_multi_chunk_batch_leaves_before_or_after_state(tmp_path):
    """100 files in chunks of 20 all go into one copy: a kill after some chunks are written
    still leaves the database as it was before the batch."""
    from nianbao.synth.corpus import write_corpus

    base = tmp_path / "base.duckdb"
    ingest(_reports(tmp_path / "a", ["商务局"]), base)
    write_corpus(tmp_path / "batch", seed=3, limit=100, n_agencies=15)
    for extra in (tmp_path / "batch").iterdir():  # the expected values, not reports
        if extra.suffix not in (".txt", ".html"):
            extra.unlink()
    proc = subprocess.run([sys.executable, str(HARNESS), str(base), str(tmp_path / "batch"), str(tmp_path / "work"),
                           "8", "11", "20"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["other"] == 0 and result["before"] + result["after"] == 8, result
    assert result["before"] > 0, result  # at least one kill landed mid-batch
    assert result["workers_left"] == 0 and result["debris_left"] == [], result


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_debris_of_killed_runs_is_removed_at_the_next_start(tmp_path, monkeypatch):
    db = tmp_path / "n.duckdb"
    ingest(_reports(tmp_path / "a", ["商务局"]), db)
    pid = _dead_pid()
    left = [tmp_path / f".n.duckdb.{pid}.tmp", tmp_path / f".n.duckdb.{pid}.tmp.wal"]
    for p in left:
        p.write_bytes(b"x" * 1000)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    profile = tmp_path / "tmp" / f"nianbao-lo-{pid}-abc" / "profile"
    profile.mkdir(parents=True)
    mine = tmp_path / "tmp" / "nianbao-lo-1-keep"  # pid 1 is alive: not ours to remove
    mine.mkdir()
    ingest(_reports(tmp_path / "b", ["财政局"]), db)
    assert not any(p.exists() for p in left)
    assert not profile.parent.exists() and mine.exists()
    assert counts(db)["reports"] == 2


@pytest.mark.parametrize("where", ["copyfile", "replace"])
def test_a_full_disk_is_a_clear_error_and_changes_nothing(tmp_path, monkeypatch, where):
    """The copy path (a batch larger than ``IN_PLACE_FILES``) fails on the copy or the rename."""
    import nianbao.pipeline as pipeline
    import nianbao.store.write as write

    db = tmp_path / "n.duckdb"
    ingest(_reports(tmp_path / "a", ["商务局"]), db)
    before = counts(db), db.read_bytes()

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline, "IN_PLACE_FILES", 0)  # this batch goes through the copy
    monkeypatch.setattr(write.shutil if where == "copyfile" else write.os, where, full)
    with pytest.raises(WriteError, match="No space left on device.*nothing was changed"):
        ingest(_reports(tmp_path / "b", ["财政局"]), db)
    monkeypatch.undo()
    assert (counts(db), db.read_bytes()) == before
    assert not list(tmp_path.glob(".n.duckdb.*"))


def _mount(kind: str, target: Path, options: str) -> bool:
    target.mkdir()
    ok = subprocess.run(["mount", "-t", kind, "-o", options, kind, str(target)], capture_output=True).returncode == 0
    return ok


@pytest.fixture
def small_disk(tmp_path):
    """A real 4 MB tmpfs (needs root, as CI runs); skipped where mounting is not allowed."""
    target = tmp_path / "disk"
    if shutil.which("mount") is None or not _mount("tmpfs", target, "size=4m"):
        pytest.skip("cannot mount a tmpfs here")
    yield target
    subprocess.run(["umount", "-l", str(target)], check=False)


@pytest.mark.parametrize("batch, chunk, room", [
    (["财政局", "教育局"], 1, "half"),  # two chunks: written into a copy, and the disk has room for half of one
    (["财政局"], 1000, "none"),  # one small chunk: written in place, and the disk is full to the last byte
])
def test_a_real_full_disk_and_read_only_folder(tmp_path, small_disk, batch, chunk, room):
    db = small_disk / "n.duckdb"
    ingest(_reports(tmp_path / "a", ["商务局"]), db)
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    filler.write_bytes(b"\0" * max(0, free - (db.stat().st_size // 2 if room == "half" else 0)))
    before = db.read_bytes()
    files = [str(p) for p in _reports(tmp_path / "b", batch)]
    proc = subprocess.run([sys.executable, "-m", "nianbao", "ingest", *files, "--db", str(db), "--chunk", str(chunk)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "nothing was changed" in " ".join(proc.stderr.split())
    assert db.read_bytes() == before and not list(small_disk.glob(".n.duckdb.*"))
    filler.unlink()
    assert names_in(db) == {"商务局.txt"}  # the next open (which replays any WAL) sees the state before
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    proc = subprocess.run([sys.executable, "-m", "nianbao", "ingest", *files, "--db", str(db), "--chunk", str(chunk)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "nothing was changed" in " ".join(proc.stderr.split())
    assert db.read_bytes() == before


def names_in(db: Path) -> set[str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT source_name FROM reports").fetchall()}
    finally:
        con.close()


def test_an_error_in_a_later_chunk_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    """Chunks already written into the copy are dropped with it when a later chunk fails."""
    import nianbao.pipeline as pipeline

    db = tmp_path / "n.duckdb"
    ingest(_reports(tmp_path / "a", ["商务局"]), db)
    before = counts(db), db.read_bytes()
    calls = []
    real = pipeline.load_reports

    def fail_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk gone")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "load_reports", fail_second)
    with pytest.raises(RuntimeError, match="disk gone"):
        ingest(_reports(tmp_path / "b", ["财政局", "教育局", "司法局"]), db, chunk=2)
    assert len(calls) == 2
    assert (counts(db), db.read_bytes()) == before
    assert not list(tmp_path.glob(".n.duckdb.*"))
