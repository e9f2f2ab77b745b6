"""Fault injection: SIGKILL a real ingest at random moments and look at what it left.

    python tests/crash_harness.py BASE_DB BATCH_DIR WORK_DIR TRIALS SEED [CHUNK]

A zygote process loads and warms the parser once, then forks one ingest per trial (so a trial
costs an ingest, not an interpreter start). The harness kills each ingest after a random delay
within one measured ingest's duration and checks: the database opens and holds exactly the
state before the batch or after it; the parser workers of the killed ingest are gone. After
the trials one more ingest starts, and no temp copy of the database may be left. With a CHUNK
smaller than the batch, a kill usually lands between chunks already written into the copy.
Prints one JSON line with the counts.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from nianbao.store.write import open_read_only

ZYGOTE = r"""
import os, signal, sys
from pathlib import Path
from nianbao.pipeline import ingest
from nianbao.worker import warm_up
warm_up()
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
batch = sorted(Path(sys.argv[1]).iterdir())
chunk = int(sys.argv[2])
print("ready", flush=True)
for line in sys.stdin:
    db = line.strip()
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        try:
            ingest(batch, db, chunk=chunk)
            os._exit(0)
        except BaseException:
            os._exit(1)
    print(pid, flush=True)
"""


def names(db: Path) -> frozenset[str]:
    # the product's read path: a parse worker the killed ingest forked while it had the file open
    # in place can hold DuckDB's lock until it notices and exits, and readers wait for that
    con = open_read_only(db, wait=30)
    try:
        return frozenset(r[0] for r in con.execute("SELECT source_name FROM reports").fetchall())
    finally:
        con.close()


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


def children(pid: int) -> set[int]:
    out: set[int] = set()
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out |= {int(c) for c in f.read().split()}
    except OSError:
        pass
    return out


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pids = {p for p in pids if alive(p)}
        if not pids:
            return pids
        time.sleep(0.02)
    return {p for p in pids if alive(p)}


def debris(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.glob(f".{db.name}.*"))


def main(base: Path, batch: Path, work: Path, trials: int, seed: int, chunk: int = 1000) -> dict:
    rng = random.Random(seed)
    work.mkdir(parents=True, exist_ok=True)
    db = work / "n.duckdb"
    before = names(base)
    after = before | {p.name for p in batch.iterdir()}
    zygote = subprocess.Popen([sys.executable, "-c", ZYGOTE, str(batch), str(chunk)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert zygote.stdout.readline().strip() == "ready"

    def start() -> int:
        Path(f"{db}.wal").unlink(missing_ok=True)  # a killed in-place write's WAL belongs to the old file
        shutil.copyfile(base, db)
        zygote.stdin.write(f"{db}\n")
        zygote.stdin.flush()
        return int(zygote.stdout.readline())

    t0 = time.monotonic()
    pid = start()
    wait_gone({pid}, 300)
    duration = time.monotonic() - t0
    assert names(db) == after, "an ingest that was not killed must land"
    counts = {"trials": trials, "ingest_seconds": round(duration, 2), "before": 0, "after": 0, "other": 0,
              "workers_left": 0, "debris_seen": 0}
    for _ in range(trials):
        pid = start()
        deadline = time.monotonic() + rng.uniform(0, duration)
        workers: set[int] = set()
        while time.monotonic() < deadline and alive(pid):
            workers |= children(pid)
            time.sleep(0.005)
        workers |= children(pid)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        wait_gone({pid}, 30)
        counts["workers_left"] += len(wait_gone(workers, 10))
        state = names(db)
        counts["before" if state == before else "after" if state == after else "other"] += 1
        counts["debris_seen"] = max(counts["debris_seen"], len(debris(db)))
    zygote.stdin.close()
    zygote.wait(timeout=60)
    from nianbao.pipeline import ingest

    ingest([], db)  # the next start cleans up
    counts["debris_left"] = debris(db)
    return counts


if __name__ == "__main__":
    a = sys.argv[1:]
    print(json.dumps(main(Path(a[0]), Path(a[1]), Path(a[2]), int(a[3]), int(a[4]), *map(int, a[5:6]))))
