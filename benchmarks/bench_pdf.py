"""Time nianbao's PDF parse against bare pypdfium2 text extraction of the same files.

    PYTHONPATH=src python benchmarks/bench_pdf.py [N] [FILE ...]

Without files it takes every PDF in the shared corpus. Each file is read from memory N times
(default 20) by both, in the same run; the table shows the median per parse and the ratio.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from nianbao.parse import parse_bytes

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "reports"


def pdfium_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def median_seconds(fn: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv and argv[0].isdigit() else 20
    files = [Path(a) for a in argv[1 if argv and argv[0].isdigit() else 0:]] or sorted(CORPUS.glob("*.pdf"))
    if not files:
        sys.exit("no PDF files (shared corpus absent and none given)")
    parse_bytes(files[0].read_bytes(), files[0].name)  # imports and caches outside the timing
    print(f"{'file':32} {'pages':>5} {'nianbao ms':>11} {'pdfium ms':>10} {'ratio':>6}  status")
    total_ours = total_base = 0.0
    for path in files:
        data = path.read_bytes()
        report = parse_bytes(data, path.name)
        ours = median_seconds(lambda data=data, name=path.name: parse_bytes(data, name), n)
        base = median_seconds(lambda data=data: pdfium_text(data), n)
        total_ours += ours
        total_base += base
        pages = len(pdfium.PdfDocument(data))
        print(f"{path.name:32} {pages:>5} {ours * 1000:>11.1f} {base * 1000:>10.1f} {ours / base:>6.1f}  "
              f"{report.status}, {len(report.facts)} facts")
    print(f"{'total':32} {'':>5} {total_ours * 1000:>11.1f} {total_base * 1000:>10.1f} "
          f"{total_ours / total_base:>6.1f}  (median of {n} runs per file)")


if __name__ == "__main__":
    main(sys.argv[1:])
