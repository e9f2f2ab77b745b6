"""Each page of ``bench_pages.py`` timed for this code and for other source trees, interleaved:
one worker process per tree keeps its imports, and every round times each page in every tree
back to back (the order rotates each round), so a load swing on a shared machine hits all trees
alike. Prints each page's median seconds per tree and the ratio to the first tree.

Usage: ``python benchmarks/bench_pages_against.py DB.duckdb [--rounds N] [--pages a,b] SRC...``
(``SRC``: another checkout's ``src`` folder, e.g. ``/work/main/src``; this tree is always first)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKER = r"""
import sys, time
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from streamlit import logger
logger.set_log_level("error")
import bench_pages as bp
from nianbao.app import db as app_db, figure_cache
from nianbao.app.filters import Filters
db, f = Path(sys.argv[1]), Filters()
bp.summary(db, f)  # imports and first open, once (as a served process has done)
print("ready", flush=True)
for line in sys.stdin:
    fn = bp.PAGES[line.strip()]
    app_db.clear_results()
    figure_cache.clear_figures()
    getattr(app_db, "close_connections", lambda: None)()  # the idle close a user's pause gives
    start = time.perf_counter()
    fn(db, f)
    print("seconds", time.perf_counter() - start, flush=True)
"""


def _worker(db: Path, src: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": src}
    proc = subprocess.Popen([sys.executable, "-c", WORKER, str(db), str(HERE)], env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    if proc.stdout.readline().strip() != "ready":
        raise SystemExit(f"{src}: the worker did not start")
    return proc


def _time(proc: subprocess.Popen, page: str) -> float:
    proc.stdin.write(page + "\n")
    proc.stdin.flush()
    while True:  # DuckDB's progress bar shares stdout (without a newline of its own): find the timing
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"a worker stopped while timing {page!r}")
        if "seconds " in line:
            return float(line.rsplit("seconds ", 1)[1])


def main(argv: list[str]) -> int:
    rounds, pages = 5, None
    if "--rounds" in argv:
        i = argv.index("--rounds")
        rounds = int(argv[i + 1])
        del argv[i:i + 2]
    if "--pages" in argv:
        i = argv.index("--pages")
        pages = argv[i + 1].split(",")
        del argv[i:i + 2]
    if len(argv) < 2:
        sys.exit(__doc__)
    db, trees = Path(argv[0]), [str(HERE.parent / "src"), *argv[1:]]
    sys.path.insert(0, str(HERE))
    import bench_pages

    names = pages or [p for p in bench_pages.PAGES if not p.startswith("(")]
    load_start = os.getloadavg()[0]
    workers = [_worker(db, t) for t in trees]
    times = {(p, t): [] for p in names for t in trees}
    for r in range(rounds):
        for page in names:
            order = list(range(len(trees)))
            order = order[r % len(order):] + order[:r % len(order)]
            for i in order:
                times[page, trees[i]].append(_time(workers[i], page))
    for w in workers:
        w.stdin.close()
        w.wait(60)
    print(f"load average {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
          f"median of {rounds} rounds, seconds (ratio to the first tree)")
    print(f"{'page':<28}" + "".join(f"{Path(t).parent.name[:14]:>16}" for t in trees))
    for page in names:
        med = [statistics.median(times[page, t]) for t in trees]
        cells = [f"{med[0]:>16.3f}"] + [f"{m:>9.3f} ({m / med[0]:.1f}×)" for m in med[1:]]
        print(f"{page:<28}" + "".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
