"""Fair timing for the parse benchmarks: nianbao and its floor run alternately on the same bytes
in the same process (the order flips every round, so neither gets the warmer cache), and each
file's figure is the median over the rounds."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "reports"


def time_pair(ours: Callable[[], object], floor: Callable[[], object], rounds: int) -> tuple[float, float]:
    """(median seconds of ``ours``, median seconds of ``floor``), interleaved."""
    a, b = [], []
    for i in range(rounds):
        for fn, out in ((ours, a), (floor, b)) if i % 2 == 0 else ((floor, b), (ours, a)):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def files_of(args: Iterable[str], suffixes: tuple[str, ...]) -> list[Path]:
    """Files and folders named on the command line (default: the shared corpus), by suffix."""
    out: list[Path] = []
    for p in map(Path, list(args) or [CORPUS]):
        out += sorted(f for f in p.rglob("*") if f.suffix.lower() in suffixes) if p.is_dir() else [p]
    return out


def print_groups(rows: list[tuple[str, float, float]]) -> None:
    """Per group: files, nianbao ms/report, floor ms/report and the ratio of the sums."""
    groups: dict[str, list[tuple[float, float]]] = {}
    for group, ours, floor in rows:
        groups.setdefault(group, []).append((ours, floor))
    print(f"{'group':<28}{'files':>6}{'nianbao ms':>12}{'floor ms':>10}{'ratio':>8}")
    for group, pairs in sorted(groups.items()):
        ours = sum(p[0] for p in pairs) / len(pairs)
        floor = sum(p[1] for p in pairs) / len(pairs)
        print(f"{group:<28}{len(pairs):>6}{ours * 1000:>12.2f}{floor * 1000:>10.2f}{ours / floor:>7.1f}×")


def rounds_option(argv: list[str], default: int) -> int:
    """``--rounds N`` taken out of ``argv``."""
    if "--rounds" not in argv:
        return default
    i = argv.index("--rounds")
    rounds = int(argv[i + 1])
    del argv[i:i + 2]
    return rounds


def run_benchmark(argv: list[str], suffixes: tuple[str, ...], floor_of: Callable[[Path], Callable[[bytes], object]],
                  group_of: Callable[[Path], str], default_rounds: int = 9) -> None:
    """Parse every file and its floor interleaved; print the ratio per group (``group_of(path)``
    plus with/without tables). The first parse (imports, compiled patterns) is outside the timing."""
    from nianbao.parse import parse_bytes

    rounds = rounds_option(argv, default_rounds)
    files = files_of(argv, suffixes)
    if not files:
        sys.exit(f"no {'/'.join(suffixes)} files")
    parse_bytes(files[0].read_bytes(), files[0].name)
    rows = []
    for path in files:
        data = path.read_bytes()
        report = parse_bytes(data, path.name)
        ours, base = time_pair(partial(parse_bytes, data, path.name), partial(floor_of(path), data), rounds)
        rows.append((f"{group_of(path)} {'with' if report.facts else 'without'} tables", ours, base))
    print(f"{len(files)} files, median of {rounds} interleaved rounds each")
    print_groups(rows)
