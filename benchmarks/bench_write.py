"""The cost of one small write into a large database: a one-file import and a reviewer's decision,
for two checkouts in the same run, interleaved (the order flips every round).

    python benchmarks/bench_write.py DB [DB ...] [--other /path/to/other/src] [--rounds 3]

Each trial copies DB to a scratch file (untimed), then a fresh interpreter with ``PYTHONPATH``
set to a checkout's ``src`` imports nianbao and times, inside the process, ``ingest([one new
report], db)`` and then ``record_decision(...)``. The import's time includes parsing that one
file in a worker (the same on both sides); the decision is the write path alone. Prints the
medians per checkout and their ratio, with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "src"
TRIAL = r"""
import json, sys, time
from pathlib import Path
from nianbao.pipeline import ingest
from nianbao.store.decisions import record_decision
db, report = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
out = ingest([report], db)
t1 = time.perf_counter()
record_decision(db, "file:bench.txt", "A-1", "", "1", "confirmed", "bench", "bench")
t2 = time.perf_counter()
assert [o.action for o in out] == ["loaded"], out
print(json.dumps({"ingest": t1 - t0, "decision": t2 - t1}))
"""


def one_report(folder: Path) -> Path:
    """One synthetic report of an agency no grown database holds."""
    sys.path.insert(0, str(HERE))
    from nianbao.synth.corpus import write_corpus

    write_corpus(folder, seed=99, limit=1, n_agencies=1)
    report = next(p for p in sorted(folder.iterdir()) if p.suffix in (".txt", ".html"))
    return report


def trial(src: str, db: Path, scratch: Path, report: Path) -> dict[str, float]:
    for p in (scratch, Path(f"{scratch}.wal")):
        p.unlink(missing_ok=True)
    shutil.copyfile(db, scratch)
    env = {**os.environ, "PYTHONPATH": src}
    proc = subprocess.run([sys.executable, "-c", TRIAL, str(scratch), str(report)], env=env,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode:
        raise SystemExit(f"{src}: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dbs", nargs="+", type=Path)
    ap.add_argument("--other", default="/work/main/src", help="the checkout to compare with (its src)")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    sides = {"other": a.other, "this": str(HERE)}
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-write-") as tmp:
        report = one_report(Path(tmp) / "report")
        for db in a.dbs:
            load0 = os.getloadavg()
            times: dict[str, dict[str, list[float]]] = {s: {"ingest": [], "decision": []} for s in sides}
            for i in range(a.rounds):
                order = list(sides) if i % 2 == 0 else list(sides)[::-1]
                for side in order:
                    got = trial(sides[side], db, Path(tmp) / "scratch.duckdb", report)
                    for k, v in got.items():
                        times[side][k].append(v)
            load1 = os.getloadavg()
            size = db.stat().st_size / 1e6
            for k in ("ingest", "decision"):
                o, t = (statistics.median(times[s][k]) for s in sides)
                print(f"{db.name} ({size:.0f} MB) {k:8s}: other {o:6.2f} s · this {t:6.2f} s · this/other {t / o:.2f}"
                      f"  (medians of {a.rounds}; load {load0[0]:.1f} → {load1[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
