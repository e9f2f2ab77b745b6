"""Seconds per stage of reading scanned pages: render, straighten, rulings, erasing, detector,
recognition of the strips, second readings, layout (the rest of ``read_page_image``).

Usage: ``nice python benchmarks/profile_ocr.py [N] [SEED]`` — the pages of the first N
scanned synthetic reports of ``bench_ocr.py`` (same generator and seed), each page timed
stage by stage in this process. Stages are timed by wrapping the functions ``read/ocr.py``
calls, so the figures add up to the page's wall time.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter

import pypdfium2 as pdfium

from nianbao.read import ocr, ocr_engine
from nianbao.synth.scan import scanned_corpus

SPENT: Counter = Counter()


def timed(stage: str, fn):
    def run(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[stage] += time.perf_counter() - t0
    return run


def instrument() -> None:
    """Wrap the stages ``read_page_image`` calls (second readings go through _reread)."""
    ocr.straighten = timed("straighten", ocr.straighten)
    ocr.page_gray = timed("red channel", ocr.page_gray)
    ocr.find_rulings = timed("rulings", ocr.find_rulings)
    ocr.erase_lines = timed("erase", ocr.erase_lines)
    ocr._detect = timed("detector (half res)", ocr._detect)
    reread = ocr._reread
    read_strips = ocr._read_strips

    def strips(*args, **kwargs):
        return timed("second readings" if SPENT["_in_reread"] else "recognition", read_strips)(*args, **kwargs)

    def again(*args, **kwargs):
        SPENT["_in_reread"] = 1
        try:
            return reread(*args, **kwargs)
        finally:
            SPENT["_in_reread"] = 0
    ocr._read_strips = strips
    ocr._reread = again


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    ocr_engine.available()
    instrument()
    pages, total = 0, 0.0
    for name, data, _, style in scanned_corpus(seed, n):
        pdf = pdfium.PdfDocument(data)
        count = len(pdf)
        for i in range(count):
            t0 = time.perf_counter()
            img = timed("render", lambda p: p.render(scale=ocr.OCR_DPI / 72).to_pil().convert("RGB"))(pdf[i])
            ocr.read_page_image(img, i + 1, ocr.OCR_DPI / 72)
            total += time.perf_counter() - t0
            pages += 1
        pdf.close()
        print(f"{name}: {style.dpi} dpi, {count} pages", flush=True)
    SPENT.pop("_in_reread", None)
    print(f"\n{pages} pages, {total / pages:.2f} s/page wall, {ocr_engine.ocr_threads()} onnxruntime threads "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    staged = sum(SPENT.values())
    for stage, s in SPENT.most_common():
        print(f"  {stage:>20}: {s / pages:6.2f} s/page  {100 * s / total:5.1f} %")
    print(f"  {'layout (rest)':>20}: {(total - staged) / pages:6.2f} s/page  {100 * (total - staged) / total:5.1f} %")


if __name__ == "__main__":
    main()
