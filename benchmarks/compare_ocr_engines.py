"""RapidOCR vs Tesseract (chi_sim) on table pages of generated scans, page by page, interleaved.

Usage: ``nice python benchmarks/compare_ocr_engines.py N [PAGES]`` (N synthetic PDF reports,
at most PAGES table pages in all; their
table pages are scanned at 200 dpi, no rotation, blur and JPEG as in bench_ocr). Truth is the
text PDF's own table cells. Each engine reads the whole page; its text boxes are given to the
cell holding their centre. Digits: numeric cells read exactly; labels: label cells read exactly
(spaces ignored). Needs ``pytesseract`` and Debian ``tesseract-ocr tesseract-ocr-chi-sim``.
"""

from __future__ import annotations

import random
import re
import sys
import time

import numpy as np
import pypdfium2 as pdfium
import pytesseract

from nianbao.read.ocr_engine import _engine
from nianbao.read.pdf import _page_chars, _table
from nianbao.read.pdfgeom import find_grids, page_edges
from nianbao.synth.corpus import generate_corpus
from nianbao.synth.scan import ScanStyle, render_pages, scan_image

DPI = 200
_SPACE = re.compile(r"\s+")


def truth_cells(page) -> list[tuple[tuple[float, float, float, float], str]]:
    chars, _ = _page_chars(page, page.get_height())
    out = []
    for grid in find_grids(page_edges(page)[0]):
        table, _ = _table(grid, chars, 1)
        texts = [c.text for row in table.rows for c in row]
        out += [(box, _SPACE.sub("", t)) for (_, _, _, _, box), t in zip(grid.cells, texts, strict=True) if t]
    return out


def rapid_boxes(img) -> list[tuple[tuple[float, float, float, float], str]]:
    res, _ = _engine()(np.asarray(img), use_cls=False)
    return [((min(p[0] for p in b), min(p[1] for p in b), max(p[0] for p in b), max(p[1] for p in b)), t)
            for b, t, _ in (res or [])]


def tesseract_boxes(img) -> list[tuple[tuple[float, float, float, float], str]]:
    d = pytesseract.image_to_data(img, lang="chi_sim", config="--psm 6", output_type=pytesseract.Output.DICT)
    return [((x, y, x + w, y + h), t) for x, y, w, h, t in zip(d["left"], d["top"], d["width"], d["height"],
                                                               d["text"], strict=True) if t.strip()]


def cell_score(truth, boxes, scale: float) -> tuple[int, int, int, int]:
    got = {i: [] for i in range(len(truth))}
    for (x0, y0, x1, y1), text in sorted(boxes, key=lambda b: (b[0][1], b[0][0])):
        cx, cy = (x0 + x1) / 2 / scale, (y0 + y1) / 2 / scale
        for i, (box, _) in enumerate(truth):
            if box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                got[i].append(text)
                break
    digits = [(t, _SPACE.sub("", "".join(got[i]))) for i, (_, t) in enumerate(truth) if t.isdigit()]
    labels = [(t, _SPACE.sub("", "".join(got[i]))) for i, (_, t) in enumerate(truth) if not t.isdigit()]
    return (sum(a == b for a, b in digits), len(digits), sum(a == b for a, b in labels), len(labels))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 10**6
    totals = {"rapidocr": [0, 0, 0, 0, 0.0], "tesseract": [0, 0, 0, 0, 0.0]}
    pages = 0
    _engine()
    for report in list(generate_corpus(3, n_agencies=n, years=[2021], formats=("pdf",)))[:n]:
        pdf = pdfium.PdfDocument(report.data)
        images = render_pages(report.data, DPI)
        rng = random.Random(report.name)
        for i, img in enumerate(images):
            truth = truth_cells(pdf[i])
            if not truth or pages >= limit:
                continue
            scan = scan_image(img, ScanStyle(DPI, 0.0, 0.5, 70), rng)
            pages += 1
            for name, fn in (("rapidocr", rapid_boxes), ("tesseract", tesseract_boxes)):
                t0 = time.perf_counter()
                boxes = fn(scan)
                totals[name][4] += time.perf_counter() - t0
                for k, v in enumerate(cell_score(truth, boxes, DPI / 72)):
                    totals[name][k] += v
        pdf.close()
    print(f"{pages} table pages at {DPI} dpi")
    for name, (dok, dn, lok, ln, secs) in totals.items():
        print(f"{name:>10}: digits {dok}/{dn} = {100 * dok / max(dn, 1):.1f} %, labels {lok}/{ln} = "
              f"{100 * lok / max(ln, 1):.1f} %, {secs / max(pages, 1):.1f} s/page")


if __name__ == "__main__":
    main()
