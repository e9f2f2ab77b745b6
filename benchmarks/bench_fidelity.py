"""Fidelity over generated variants: how many printed cells come back exactly, how many come
back wrong (must be 0), and per perturbation class the share of reports read fully exactly.

    python benchmarks/bench_fidelity.py N [--seed S] [--routes txt,html,...] [--cache DIR] [--show K]
                                          [--class NAME]

--class NAME lists every report of that perturbation class that was not read exactly, with the
cells it missed (printed row, column, expected value), to find why a class fails.

The LibreOffice routes (template_pdf, template_html) convert through ``soffice``; their output
is cached under --cache (default benchmarks/.cache) keyed by the DOCX input's hash.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from collections import Counter
from pathlib import Path

from nianbao.export import facts_csv
from nianbao.parse import parse_bytes
from nianbao.synth.variants import DEFAULT_WEIGHTS, ROUTES, generate_variants


def cells(csv_text: str) -> dict[tuple[str, str, str], str]:
    rows = list(csv.reader(io.StringIO(csv_text)))
    return {(t, r, c): v for t, r, c, v in rows[1:]}


def main() -> None:
    argv = sys.argv[1:]
    if {"-h", "--help"} & set(argv):
        sys.exit(__doc__)

    def option(name: str, default: str) -> str:
        if name not in argv:
            return default
        at = argv.index(name)
        value = argv[at + 1]
        del argv[at:at + 2]
        return value

    seed = int(option("--seed", "13"))
    routes = tuple(option("--routes", ",".join(ROUTES)).split(","))
    cache = option("--cache", str(Path(__file__).with_name(".cache")))
    show = int(option("--show", "5"))
    focus = option("--class", "")
    n = int(argv[0]) if argv else 200
    weights = DEFAULT_WEIGHTS if routes == ROUTES else None
    exact_cells = expected_cells = wrong_cells = 0
    per_class: Counter[str] = Counter()
    per_class_exact: Counter[str] = Counter()
    failures: list[str] = []
    focused: list[str] = []
    wrong: list[str] = []
    started = time.perf_counter()
    for report in generate_variants(seed, n, routes, weights, cache_dir=cache):
        want = cells(report.expected_csv)
        got = cells(facts_csv(parse_bytes(report.data, report.name)))
        right = sum(1 for k, v in want.items() if got.get(k) == v)
        bad = [k for k, v in got.items() if want.get(k, v + "?") != v]
        exact_cells += right
        expected_cells += len(want)
        wrong_cells += len(bad)
        if bad:
            wrong.append(f"{report.name}: {[(k, got[k], want.get(k)) for k in bad[:3]]}")
        classes = [*report.meta["perturbations"], f"route:{report.meta['route']}"] or []
        if not report.meta["perturbations"]:
            classes.append("none")
        exact = right == len(want) and not bad
        for c in classes:
            per_class[c] += 1
            per_class_exact[c] += exact
        if not exact:
            failures.append(f"{report.name} {sorted(report.meta['perturbations'])}: "
                            f"{len(want) - right} cells not read")
            if focus and focus in classes:
                missed = [(k, want[k], got.get(k)) for k in want if got.get(k) != want[k]]
                focused.append(f"{report.name} {sorted(report.meta['perturbations'])} "
                               f"route {report.meta['route']}: missed {missed[:6]}")
    took = time.perf_counter() - started
    print(f"reports {n}, seed {seed}, {took:.0f} s")
    print(f"cells exact {exact_cells} / {expected_cells} ({100 * exact_cells / max(expected_cells, 1):.3f} %)")
    print(f"wrong cells {wrong_cells}")
    print("class                 reports  fully exact")
    for c in sorted(per_class):
        print(f"  {c:20s} {per_class[c]:7d}  {100 * per_class_exact[c] / per_class[c]:6.1f} %")
    for line in wrong[:show]:
        print("WRONG", line)
    for line in failures[:show]:
        print("NOT EXACT", line)
    for line in focused:
        print("CLASS", focus, line)


if __name__ == "__main__":
    main()
