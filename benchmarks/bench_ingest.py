"""Ingest N synthetic reports into an empty database and print reports/s, peak RSS of the
whole process tree (main + parse workers, sampled from /proc), the database size, and the time
in each phase: read and parse (summed over the workers, which read each file once and parse it;
on older code read is the main process hashing the files and parse the whole parse phase), check
(findings, main process), check·w (the checks the workers run on each report alone, summed over
them) and load (inserts, main process). With streaming, parsing overlaps
checking and loading, so the phases add up to more than the wall time; shares are of their sum.
The phases are wall times (a busy machine inflates them); the CPU line gives this process's and the
parse workers' CPU seconds per report, the figures to compare with the 12 ms/report that 100 k
reports in 10 min on 2 cores allow.

Phases are timed by wrapping the pipeline's own functions from outside (no behaviour change,
no hook in pipeline.py); a phase whose function is not found prints "n/a". Runs on the code of
whichever nianbao is imported (PYTHONPATH=/path/to/other/src compares another checkout).

    python benchmarks/bench_ingest.py N [--workers W] [--executor local|dask] [--chunk C]
                                       [--format txt,html,docx,pdf|demo] [--files DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from streamlit import logger

from nianbao import pipeline
from nianbao.synth.corpus import DEMO_WEIGHTS, FORMATS, write_corpus

PHASES = {"read": "_sha256", "parse": "parse_files", "check": "recheck", "load": "load_reports"}
STREAM = "parse_stream"  # streaming code: workers report their read and parse seconds
WORKER_CHECK = "check·w"  # the checks a worker runs on its own report (session 10), summed over the workers


def _children(pid: int) -> list[int]:
    """Child pids of every thread of ``pid`` (Linux ``/proc/<pid>/task/<tid>/children``)."""
    kids: list[int] = []
    with contextlib.suppress(OSError):
        for tid in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                kids += map(int, Path(f"/proc/{pid}/task/{tid}/children").read_text().split())
    return kids


def tree_rss_mb(root: int) -> tuple[float, float]:
    """Resident memory of ``root`` and all its descendants, and of ``root`` alone (Linux /proc),
    in MB. Walks down from ``root`` instead of reading every process's stat: the sampler shares
    the GIL with the ingest it measures, and the full /proc scan took 13 % of the main process's
    samples (session 9)."""
    total = own = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += _children(pid)
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kb = int(line.split()[1])
                    total += kb
                    own = kb if pid == root else own
                    break
    return total / 1024, own / 1024


class PeakSampler(threading.Thread):
    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.peak, self.own, self.interval, self._done = 0.0, 0.0, interval, threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            tree, own = tree_rss_mb(os.getpid())
            self.peak, self.own = max(self.peak, tree), max(self.own, own)
            self._done.wait(self.interval)

    def stop(self) -> float:
        self._done.set()
        self.join()
        return self.peak


def _cpu_seconds() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children (the parse workers, once the pool
    is joined): unlike the phases' wall times, not inflated by other load on the machine."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _dask_exec() -> object:
    try:
        from nianbao import dask_exec
    except ImportError:  # older code, or the dask extra not installed
        return None
    return dask_exec


def _timed_stream(stream: Callable, seconds: dict[str, float]) -> Callable:
    def timed(*args: object, **kwargs: object):
        for results in stream(*args, **kwargs):
            for _, item in results:
                seconds["read"] += item.read_s
                seconds["parse"] += item.parse_s
                if hasattr(item, "check_s"):  # older code checks in this process only
                    seconds[WORKER_CHECK] += item.check_s
            yield results
    timed.__name__ = stream.__name__
    return timed


def instrument(seconds: dict[str, float]) -> None:
    """Wrap each phase's function in ``pipeline`` to add up its wall time."""
    for module in (pipeline, _dask_exec()):
        stream = getattr(module, STREAM, None) or getattr(module, "dask_stream", None)
        if stream is not None:
            setattr(module, stream.__name__, _timed_stream(stream, seconds))
    for phase, name in PHASES.items():
        fn = getattr(pipeline, name, None)
        if fn is None:
            continue

        def timed(*args: object, _fn: Callable = fn, _phase: str = phase, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return _fn(*args, **kwargs)
            finally:
                seconds[_phase] += time.perf_counter() - start
        setattr(pipeline, name, timed)


def _formats(spec: str) -> dict:
    """``demo``: the demo's mix of formats (the issue's target); else a comma list, equally often."""
    if spec == "demo":
        return {"formats": FORMATS, "format_weights": DEMO_WEIGHTS}
    return {"formats": tuple(spec.split(","))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=1000, help="streaming code only")
    ap.add_argument("--executor", default="local", choices=("local", "dask"), help="streaming code only")
    ap.add_argument("--format", default="txt", help="txt,html,docx,pdf (any of them) or demo (the demo's mix)")
    ap.add_argument("--files", type=Path, help="use these files instead of generating N")
    args = ap.parse_args()
    logger.set_log_level("error")
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        files = args.files
        if files is None:
            files = Path(folder) / "reports"
            write_corpus(files, seed=1, limit=args.n, n_agencies=args.n // 7 + 1, **_formats(args.format))
        paths = pipeline.collect_files([files])[: args.n]
        db = Path(folder) / "bench.duckdb"
        seconds: dict[str, float] = defaultdict(float)
        instrument(seconds)
        sampler = PeakSampler()
        sampler.start()
        start = time.perf_counter()
        cpu0 = _cpu_seconds()
        extra = {"chunk": args.chunk, "executor": args.executor} if hasattr(pipeline, STREAM) else {}
        outcomes = pipeline.ingest(paths, db, workers=args.workers, **extra)
        wall = time.perf_counter() - start
        cpu = [b - a for a, b in zip(cpu0, _cpu_seconds(), strict=True)]
        peak = sampler.stop()
        failed = sum(o.status == "failed" for o in outcomes)
        print(f"{len(paths)} files ({args.format}), --workers {args.workers} {extra or ''}: {len(outcomes)} "
              f"outcomes, {failed} failed")
        print(f"wall {wall:.1f} s · {len(paths) / wall:.1f} reports/s · peak RSS (tree) {peak:.0f} MB "
              f"(this process {sampler.own:.0f} MB) · "
              f"database {db.stat().st_size / 2**20:.1f} MB")
        n = len(paths) or 1
        cores = os.cpu_count() or 1
        print(f"CPU (user+sys): this process {cpu[0]:.1f} s = {cpu[0] / n * 1000:.1f} ms/report · parse workers "
              f"{cpu[1]:.1f} s = {cpu[1] / n * 1000:.1f} ms/report ({cores} cores × wall = "
              f"{cores * wall / n * 1000:.1f} ms/report)")
        total = sum(seconds.values()) or 1.0
        for phase in (*PHASES, *([WORKER_CHECK] if WORKER_CHECK in seconds else [])):
            share = f"{seconds[phase]:8.1f} s {seconds[phase] / total * 100:5.1f} %" if phase in seconds else "n/a"
            print(f"  {phase:<8}{share}")


if __name__ == "__main__":
    main()
