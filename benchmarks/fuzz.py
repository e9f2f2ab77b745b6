"""Fuzz the whole ingest path and print the outcome table.

    python benchmarks/fuzz.py N [--seed S] [--chunk 400] [--workers 2]

N mutated real + synthetic files (see nianbao.synth.mutate) are ingested in chunks into one
database. Checked for every file: an outcome exists, its status is ok/partial/failed, a failed
file has a message, no message holds a traceback; and every chunk completes. Limits are scaled
down so the crafted cases hit them quickly (file 2 MB, parse 20 s, conversion 20 s).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("NIANBAO_FILE_MB", "2")
os.environ.setdefault("NIANBAO_PARSE_TIMEOUT_S", "20")
os.environ.setdefault("NIANBAO_CONVERT_TIMEOUT_S", "20")

from nianbao.pipeline import ingest  # noqa: E402
from nianbao.synth.mutate import fuzz_files, seed_files  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reports"


def reason(message: str) -> str:
    """The cause in a message, without file names and numbers, for grouping."""
    english = message.split(" / ")[-1] if " / " in message else message
    english = re.sub(r"^\S+: ", "", english.split(" · ")[0])
    return re.sub(r"\d+(\.\d+)?", "#", english)[:70]


def run(n: int, seed: int, chunk: int, workers: int, out=sys.stdout) -> dict:
    seeds = seed_files(CORPUS, seed)
    by_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    reasons: collections.Counter = collections.Counter()
    problems: list[str] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nianbao-fuzz-") as tmp:
        db = Path(tmp) / "fuzz.duckdb"
        files = fuzz_files(seeds, n, seed)
        done = 0
        while done < n:
            folder = Path(tmp) / f"chunk{done}"
            folder.mkdir()
            kinds = {}
            for kind, name, data in (next(files) for _ in range(min(chunk, n - done))):
                (folder / name).write_bytes(data)
                kinds[name] = kind
            outcomes = ingest(sorted(folder.iterdir()), db, workers=workers)
            seen = {o.file for o in outcomes}
            problems += [f"{f}: no outcome" for f in kinds if f not in seen]
            for o in outcomes:
                by_kind[kinds[o.file]][o.status] += 1
                if o.status not in ("ok", "partial", "failed"):
                    problems.append(f"{o.file}: status {o.status}")
                if o.status == "failed":
                    if not o.message:
                        problems.append(f"{o.file}: failed without a message")
                    reasons[reason(o.message)] += 1
                if "Traceback" in o.message:
                    problems.append(f"{o.file}: traceback in message")
            done += len(kinds)
            for p in folder.iterdir():
                p.unlink()
            folder.rmdir()
    seconds = time.perf_counter() - start
    print(f"fuzz N={n} seed={seed} workers={workers}: {seconds:.0f} s, {n / seconds:.1f} files/s", file=out)
    print(f"{'kind':<12}{'ok':>8}{'partial':>9}{'failed':>8}", file=out)
    for kind in sorted(by_kind):
        c = by_kind[kind]
        print(f"{kind:<12}{c['ok']:>8}{c['partial']:>9}{c['failed']:>8}", file=out)
    total = collections.Counter()
    for c in by_kind.values():
        total.update(c)
    print(f"{'total':<12}{total['ok']:>8}{total['partial']:>9}{total['failed']:>8}", file=out)
    print("top failure reasons:", file=out)
    for r, k in reasons.most_common(12):
        print(f"  {k:>6}  {r}", file=out)
    print(f"invariant violations: {len(problems)}", file=out)
    for p in problems[:20]:
        print(f"  {p}", file=out)
    return {"by_kind": by_kind, "problems": problems, "total": total, "seconds": seconds}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chunk", type=int, default=400)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    result = run(a.n, a.seed, a.chunk, a.workers)
    sys.exit(1 if result["problems"] else 0)
