"""RapidOCR vs Tesseract (chi_sim) on the table pages of generated scans, interleaved page by page.

Usage: ``nice -n 5 python benchmarks/compare_ocr_engines.py PAGES [--all-cores] [--no-page]``

The table pages of synthetic text-PDF reports (both forms: 2021 and 2023) are scanned at
200 dpi by ``synth/scan.py`` (blur 0.5 px, JPEG quality 70, no rotation, so that the text PDF's
cell boxes stay where the scan shows them); truth is the text PDF's own table cells. Both
engines read the same image of each page, one after the other, in the same process:

(a) whole page, each engine with its own layout (RapidOCR: ``engine(img)``, detection +
    recognition; Tesseract: ``--psm 3``, word boxes); each text box goes to the truth cell
    holding its centre (``|`` read from rulings is dropped).
(b) the crops nianbao cuts from the ruling grid (``read/ocr.py``: page straightened, rulings
    found and erased, a one-line cell cropped to its ink, a multi-line label cell cut into the
    detector's lines): the same crops to both engines, RapidOCR's recogniser batched as
    ``ocr_engine.recognise`` does, Tesseract ``--psm 7`` (one line) per crop with the model
    kept loaded. The shared layout time (rulings, erasing, line detection) is reported apart.

Scores: digit cells read exactly; label cells read exactly, equal once folded as nianbao
matches labels (``normalize_label``: NFKC, so （ and ( are one), and their mean normalised
Levenshtein distance (rapidfuzz; 0 = same, 1 = nothing right); spaces ignored. One thread per engine
(``OMP_THREAD_LIMIT=1``; onnxruntime intra/inter-op threads 1) unless ``--all-cores``.

Benchmark-only dependency, in no extra of nianbao: ``pip install tesserocr`` (its manylinux
wheel carries libtesseract) and Debian's ``tesseract-ocr-chi-sim`` for the traineddata.
"""

from __future__ import annotations

import os
import sys

ALL_CORES = "--all-cores" in sys.argv
if not ALL_CORES:
    os.environ["OMP_THREAD_LIMIT"] = "1"  # read by libtesseract's OpenMP when it loads

import random  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
import tesserocr  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402
from rapidocr_onnxruntime import RapidOCR  # noqa: E402

from nianbao.form.labels import normalize_label  # noqa: E402
from nianbao.read import ocr, ocr_engine  # noqa: E402
from nianbao.read.ocr_layout import erase_lines, find_rulings, page_gray, straighten  # noqa: E402
from nianbao.read.pdf import _page_chars, _table  # noqa: E402
from nianbao.read.pdfgeom import find_grids, page_edges  # noqa: E402
from nianbao.synth.corpus import generate_corpus  # noqa: E402
from nianbao.synth.scan import ScanStyle, render_pages, scan_image  # noqa: E402

DPI = 200
SCALE = DPI / 72
TESSDATA = next((str(p) for p in Path("/usr/share/tesseract-ocr").glob("*/tessdata")), None)
_DROP = re.compile(r"[\s|]+")
Box = tuple[float, float, float, float]

THREADS = -1 if ALL_CORES else 1
RAPID = RapidOCR(intra_op_num_threads=THREADS, inter_op_num_threads=THREADS)
ocr_engine._engine = lambda: RAPID  # nianbao's recogniser and detector on this session


def truth_cells(page) -> list[tuple[Box, str]]:
    """The text PDF's table cells that print something: (box in points, text without spaces)."""
    chars, _ = _page_chars(page, page.get_height())
    out = []
    for grid in find_grids(page_edges(page)[0]):
        table, _ = _table(grid, chars, 1)
        texts = [c.text for row in table.rows for c in row]
        out += [(box, _DROP.sub("", t)) for (_, _, _, _, box), t in zip(grid.cells, texts, strict=True) if t]
    return out


def rapid_page(img) -> list[tuple[Box, str]]:
    res, _ = RAPID(np.asarray(img), use_cls=False)
    return [((min(p[0] for p in b), min(p[1] for p in b), max(p[0] for p in b), max(p[1] for p in b)), t)
            for b, t, _ in (res or [])]


def tess_page(api: tesserocr.PyTessBaseAPI, img) -> list[tuple[Box, str]]:
    api.SetPageSegMode(tesserocr.PSM.AUTO)
    api.SetImage(img)
    api.Recognize()
    out = []
    it = api.GetIterator()
    level = tesserocr.RIL.WORD
    for word in tesserocr.iterate_level(it, level):
        text = word.GetUTF8Text(level)
        box = word.BoundingBox(level)
        if text and text.strip() and box:
            out.append((tuple(float(v) for v in box), text))
    return out


def by_centre(truth: list[tuple[Box, str]], boxes: list[tuple[Box, str]]) -> list[str]:
    """Each truth cell's reading: the boxes whose centre lies in it, top to bottom, left to right."""
    got: list[list[str]] = [[] for _ in truth]
    for (x0, y0, x1, y1), text in sorted(boxes, key=lambda b: (round(b[0][1] / 8), b[0][0])):
        cx, cy = (x0 + x1) / 2 / SCALE, (y0 + y1) / 2 / SCALE
        for i, (box, _) in enumerate(truth):
            if box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                got[i].append(text)
                break
    return [_DROP.sub("", "".join(g)) for g in got]


def read_page(engine, truth: list[tuple[Box, str]], scan) -> list[str]:
    return by_centre(truth, engine(scan))


def cell_crops(scan, truth: list[tuple[Box, str]]) -> list[list[np.ndarray]]:
    """For each truth cell, the crops nianbao would hand the engine (none if no grid cell found)."""
    gray, _ = straighten(page_gray(scan))
    grids, lines = find_rulings(gray, SCALE)
    clean = erase_lines(gray, lines)
    detected = [p for b in ocr._detect(clean) for p in ocr._split_at_rulings(b, grids, SCALE)]
    crops: list[list[np.ndarray]] = [[] for _ in truth]
    for grid in grids:
        for _, _, _, _, cell in grid.cells:
            cx, cy = (cell[0] + cell[2]) / 2, (cell[1] + cell[3]) / 2
            i = next((k for k, (b, _) in enumerate(truth) if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
            if i is None:
                continue
            px = ocr._cell_px(cell, SCALE)
            ink = ocr._ink_box(clean, px)
            if ink is not None and ink[3] - ink[1] <= ocr._ONE_LINE * SCALE:
                parts = [ink]
            else:
                parts = sorted((b for b in detected if ocr._centre_in(b, px)), key=lambda b: b[1]) or (
                    [ink] if ink else [])
            crops[i] += [ocr._crop(clean, b) for b in parts]
    return crops


def rapid_crops(crops: list[list[np.ndarray]]) -> list[str]:
    flat = [c for cs in crops for c in cs]
    read = iter(ocr_engine.recognise(flat))
    return [_DROP.sub("", "".join(ch for part in [next(read) for _ in cs] for ch, _, _ in part)) for cs in crops]


def tess_crops(api: tesserocr.PyTessBaseAPI, crops: list[list[np.ndarray]]) -> list[str]:
    from PIL import Image

    api.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)
    out = []
    for cs in crops:
        texts = []
        for c in cs:
            api.SetImage(Image.fromarray(c))
            texts.append(api.GetUTF8Text())
        out.append(_DROP.sub("", "".join(texts)))
    return out


class Score:
    def __init__(self) -> None:
        self.digits = [0, 0]
        self.labels = [0, 0]
        self.matched = 0  # labels equal once folded as nianbao matches them (normalize_label)
        self.dist = 0.0
        self.secs = 0.0
        self.wrong: list[tuple[str, str]] = []

    def add(self, truth: list[tuple[Box, str]], read: list[str], secs: float) -> None:
        self.secs += secs
        for (_, t), r in zip(truth, read, strict=True):
            tally = self.digits if t.isdigit() else self.labels
            tally[0] += t == r
            tally[1] += 1
            if not t.isdigit():
                self.matched += normalize_label(t) == normalize_label(r)
                self.dist += Levenshtein.normalized_distance(t, r)
            if t != r and t.isdigit() and len(self.wrong) < 400:
                self.wrong.append((t, r))

    def line(self, name: str, pages: int) -> str:
        d, lab = self.digits, self.labels
        n = max(lab[1], 1)
        return (f"| {name} | {d[0]}/{d[1]} = {100 * d[0] / max(d[1], 1):.1f} % | {lab[0]}/{lab[1]} = "
                f"{100 * lab[0] / n:.1f} % | {100 * self.matched / n:.1f} % | {self.dist / n:.3f} | "
                f"{self.secs / max(pages, 1):.2f} |")


def table_pages(limit: int):
    """(name, page index, text-PDF page, page image) for up to ``limit`` table pages, both forms."""
    n = 0
    for report in generate_corpus(3, n_agencies=limit, years=[2021, 2023], formats=("pdf",)):
        pdf = pdfium.PdfDocument(report.data)
        images = render_pages(report.data, DPI)
        for i, img in enumerate(images):
            truth = truth_cells(pdf[i])
            if truth:
                yield report.name, i, truth, img
                n += 1
                if n >= limit:
                    pdf.close()
                    return
        pdf.close()


def main() -> None:
    limit = int(next((a for a in sys.argv[1:] if a.isdigit()), "10"))
    whole_page = "--no-page" not in sys.argv
    names = ("RapidOCR", "Tesseract")
    page_scores = {n: Score() for n in names}
    crop_scores = {n: Score() for n in names}
    layout_secs = 0.0
    pages = 0
    api = tesserocr.PyTessBaseAPI(path=TESSDATA, lang="chi_sim")
    start = time.time()
    for name, i, truth, img in table_pages(limit):
        rng = random.Random(f"{name}:{i}")
        scan = scan_image(img, ScanStyle(DPI, 0.0, 0.5, 70), rng)
        pages += 1
        t0 = time.perf_counter()
        crops = cell_crops(scan, truth)
        layout_secs += time.perf_counter() - t0
        runs = [("RapidOCR", partial(rapid_crops, crops), crop_scores),
                ("Tesseract", partial(tess_crops, api, crops), crop_scores)]
        if whole_page:
            runs += [("RapidOCR", partial(read_page, rapid_page, truth, scan), page_scores),
                     ("Tesseract", partial(read_page, partial(tess_page, api), truth, scan), page_scores)]
        if pages % 2 == 0:  # flip the order every page: neither engine always gets the warm cache
            runs = [r for pair in zip(runs[1::2], runs[0::2], strict=True) for r in pair]
        for engine, fn, scores in runs:
            t0 = time.perf_counter()
            read = fn()
            scores[engine].add(truth, read, time.perf_counter() - t0)
        print(f"page {pages}: {name} p{i + 1}, {len(truth)} cells, {time.time() - start:.0f} s, "
              f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    api.End()
    print(f"{pages} table pages at {DPI} dpi, {'all cores' if ALL_CORES else 'one thread per engine'}, "
          f"load average {' / '.join(f'{v:.1f}' for v in os.getloadavg())}; "
          f"RapidOCR {ocr_engine.__name__} on onnxruntime, {tesserocr.tesseract_version().splitlines()[0]} "
          f"chi_sim from {TESSDATA}")
    print(f"shared layout for (b): {layout_secs / max(pages, 1):.2f} s/page")
    print("| engine | digits exact | labels exact | labels as matched | label edit distance | s/page |")
    print("|---|---|---|---|---|---|")
    for kind, scores in (("(b) nianbao's cell crops", crop_scores), ("(a) whole page", page_scores)):
        if kind.startswith("(a)") and not whole_page:
            continue
        for engine in names:
            print(scores[engine].line(f"{engine}, {kind}", pages))
    for engine in names:
        print(f"{engine} (b) digit cells misread ({len(crop_scores[engine].wrong)}), first 20:",
              crop_scores[engine].wrong[:20])


if __name__ == "__main__":
    main()
