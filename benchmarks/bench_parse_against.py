"""Parse time of this checkout against another checkout's, and both against the floor, in one
run: two worker processes (one per source tree) parse the same file in turn with the floor
timed here, the order rotating every round; each figure is the median over the rounds. For a
speed change, the before/after ratio then comes from the same run under the same load.

    python benchmarks/bench_parse_against.py OTHER_SRC [FILES OR FOLDERS ...] [--rounds N]

OTHER_SRC is the other checkout's ``src`` folder (e.g. /work/main/src).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_parse import html_floor, text_floor
from interleave import files_of, rounds_option

_SUFFIXES = (".txt", ".md", ".html", ".htm")
_HERE = Path(__file__).resolve()


def _worker(paths: list[str]) -> None:
    """Parse file i each time i is read on stdin; print the seconds it took."""
    from nianbao.parse import parse_bytes

    datas = [(Path(p).read_bytes(), Path(p).name) for p in paths]
    print(" ".join(str(len(parse_bytes(d, n).facts)) for d, n in datas), flush=True)
    for line in sys.stdin:
        data, name = datas[int(line)]
        start = time.perf_counter()
        parse_bytes(data, name)
        print(time.perf_counter() - start, flush=True)


class _Tree:
    def __init__(self, src: str, files: list[Path]) -> None:
        env = dict(os.environ, PYTHONPATH=src)
        self.proc = subprocess.Popen([sys.executable, str(_HERE), "--worker", *map(str, files)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self.facts = [int(x) for x in self.proc.stdout.readline().split()]

    def time(self, i: int) -> float:
        self.proc.stdin.write(f"{i}\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def _is_html(path: Path) -> bool:
    return path.suffix.lower() in (".html", ".htm")


def main(argv: list[str]) -> None:
    rounds = rounds_option(argv, 9)
    if not argv:
        sys.exit(__doc__)
    other, files = argv[0], files_of(argv[1:], _SUFFIXES)
    trees = {"other": _Tree(other, files), "this": _Tree(str(_HERE.parents[1] / "src"), files)}
    datas = [f.read_bytes() for f in files]

    def floor(i: int) -> float:
        start = time.perf_counter()
        (html_floor if _is_html(files[i]) else text_floor)(datas[i])
        return time.perf_counter() - start

    kinds = ("other", "this", "floor")
    times = {k: [[] for _ in files] for k in kinds}
    load = os.getloadavg()[0]
    for r in range(rounds):
        for i in range(len(files)):
            for k in kinds[(r + i) % 3:] + kinds[:(r + i) % 3]:
                times[k][i].append(floor(i) if k == "floor" else trees[k].time(i))
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(files):
        groups.setdefault(f"{'html' if _is_html(f) else 'text'} {'with' if trees['this'].facts[i] else 'without'}"
                          " tables", []).append(i)
    print(f"{len(files)} files, median of {rounds} rotated rounds; load average {load:.1f} → "
          f"{os.getloadavg()[0]:.1f}; other = {other}")
    print(f"{'group':<22}{'files':>6}{'other ms':>10}{'this ms':>9}{'floor ms':>10}{'other':>7}{'this':>7}"
          f"{'speed-up':>10}")
    for group, idx in sorted(groups.items()):
        ms = {k: sum(statistics.median(times[k][i]) for i in idx) / len(idx) * 1000 for k in kinds}
        print(f"{group:<22}{len(idx):>6}{ms['other']:>10.2f}{ms['this']:>9.2f}{ms['floor']:>10.2f}"
              f"{ms['other'] / ms['floor']:>6.1f}×{ms['this'] / ms['floor']:>6.1f}×{ms['other'] / ms['this']:>9.2f}×")
    for tree in trees.values():
        tree.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        _worker(sys.argv[2:])
    else:
        main(sys.argv[1:])
