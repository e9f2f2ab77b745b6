"""The 雷同 step (rule D-6): cost per report pair, and for all consecutive pairs of a 20 k-report
database, rapidfuzz (what nianbao uses) against difflib in the same run.

    python benchmarks/bench_similarity.py [--pairs 20000] [--difflib-pairs 20]

The pairs: consecutive years of the synthetic demo agencies (the generator's txt reports, parsed
by nianbao) and the real 平潭 series from ../shared/corpus when present. Building a real 20 k
database takes hours of parsing, so the 20 k figure compares 20 000 pairs drawn in turn from
those parsed pairs: the same amount of work as 20 000 distinct pairs of the same sizes (the
cost depends on the texts' lengths, not on which texts they are).
"""

from __future__ import annotations

import difflib
import sys
import time
from pathlib import Path

from nianbao.check.similarity import MIN_RUN, compare, section_texts
from nianbao.parse import parse_bytes
from nianbao.synth import generate_corpus

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reports"


def synthetic_pairs(agencies: int = 20) -> list[tuple]:
    reports = [parse_bytes(r.data, r.name) for r in generate_corpus(7, n_agencies=agencies, formats=("txt",))]
    return [(a, b) for a, b in zip(reports[1:], reports, strict=False) if a.source_name[:-9] == b.source_name[:-9]]


def corpus_pairs() -> list[tuple]:
    files = sorted(CORPUS.glob("pingtan-syq_20*.txt")) if CORPUS.is_dir() else []
    reports = [parse_bytes(p.read_bytes(), p.name) for p in files]
    return list(zip(reports[1:], reports, strict=False))


def difflib_compare(report, previous) -> int:
    """The same measure with difflib: characters in matching blocks of ≥ MIN_RUN."""
    mine, theirs = section_texts(report), section_texts(previous)
    total = 0
    for number, text in mine.items():
        matcher = difflib.SequenceMatcher(None, text, theirs.get(number, ""), autojunk=False)
        total += sum(m.size for m in matcher.get_matching_blocks() if m.size >= MIN_RUN)
    return total


def per_pair(fn, pairs: list[tuple], n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        fn(*pairs[i % len(pairs)])
    return (time.perf_counter() - start) / n


def main() -> None:
    argv = sys.argv[1:]
    total_pairs = int(argv[argv.index("--pairs") + 1]) if "--pairs" in argv else 20000
    slow_pairs = int(argv[argv.index("--difflib-pairs") + 1]) if "--difflib-pairs" in argv else 20
    sets = {"synthetic": synthetic_pairs(), "平潭 corpus": corpus_pairs()}
    for label, pairs in sets.items():
        if not pairs:
            print(f"{label}: no pairs (corpus absent)")
            continue
        chars = sum(sum(map(len, section_texts(a).values())) for a, _ in pairs) / len(pairs)
        fast = per_pair(compare, pairs, max(len(pairs), 50))
        slow = per_pair(difflib_compare, pairs, min(slow_pairs, len(pairs)) or 1)
        print(f"{label}: {len(pairs)} pairs, {chars:.0f} compared characters per report")
        print(f"  rapidfuzz {fast * 1000:8.2f} ms/pair   difflib {slow * 1000:8.2f} ms/pair   "
              f"difflib/rapidfuzz {slow / fast:5.1f}x")
    synthetic = sets["synthetic"]
    start = time.perf_counter()
    for i in range(total_pairs):
        compare(*synthetic[i % len(synthetic)])
    seconds = time.perf_counter() - start
    print(f"all consecutive pairs of a {total_pairs}-report database (synthetic texts): {seconds:.1f} s "
          f"({seconds / total_pairs * 1000:.2f} ms/pair, one core)")
    real = sets["平潭 corpus"]
    if real:
        cost = per_pair(compare, real, len(real) * 3)
        print(f"  at the 平潭 reports' length: {cost * total_pairs:.0f} s estimated from {cost * 1000:.1f} ms/pair")


if __name__ == "__main__":
    main()
