"""Scanned pages and pictures read with OCR into the same blocks a text PDF gives.

A page is straightened, its ruled tables found from the lines it shows (ocr_layout), the
rulings erased, text lines detected, cut where a ruling crosses them, and recognised. A cell
with no ink is blank without asking the engine; a cell with ink the engine cannot read is
"?" (never blank). Every cell's place is an :class:`OcrPlace` carrying the engine's
confidence, so each number parsed from it says in its provenance that OCR read it.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from nianbao.read import ocr_engine
from nianbao.read.document import Cell, Document, Place, ReadError, TableBlock
from nianbao.read.ocr_engine import INSTALL_HINT
from nianbao.read.ocr_layout import erase_lines, find_rulings, page_gray, straighten
from nianbao.read.pdfgeom import Grid
from nianbao.read.repair import drop_label_fillers

OCR_DPI = 200  # 6-pt digits are 17 px tall: enough for the recogniser, which scales lines to 48 px
_INK = 170
_MIN_INK = 6  # dark pixels below which a cell is blank paper (JPEG specks)
_PAD = 3  # pixels of paper kept round a crop
_STUB, _SLIVER = 6, 3  # pixels: ruling remnants in a cell (see _without_ruling_remnants)
_ALONE_MARGIN = 0.5  # white above and below a crop read alone, in its heights (see _reread)
_NARROW = 6  # grid columns: 表二's tables; 表三 and 表四 are wider and checked by their sums
_ONE_LINE = 13.0  # points: ink no taller than this in a cell is one line of text
UNREAD = "?"
_MARKS = "/-—–－?"  # printed in place of a number (or UNREAD): a reading, not a doubtful glyph
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "TIFF": "tif", "BMP": "bmp", "WEBP": "webp"}


@dataclass(frozen=True)
class OcrPlace(Place):
    """A place on a page read by OCR, with the engine's confidence in the text found there."""

    confidence: float = 0.0
    reread: bool | None = None  # read a second time alone: the same text (True) or not (False)
    first: str = ""  # a first reading the second replaced (a lone 0 read as 。 in its row)
    again: float = 0.0  # the second reading's confidence, when there was one

    def __str__(self) -> str:
        again = {True: " reread", False: " reread-differs", None: ""}[self.reread]
        if self.first:
            again = f" reread-replaces:{self.first}"
        return f"{super().__str__()}; ocr {self.confidence:.2f}{again}"


@dataclass
class Piece:
    """One recognised run of text on the page, in points."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float


Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def read_page_image(img: Image.Image, page: int, scale: float) -> list[tuple[float, str | TableBlock, float]]:
    """The page's items in reading order: (top, paragraph text or table, confidence).

    ``scale`` is the image's pixels per point.
    """
    gray, _ = straighten(page_gray(img))
    grids, lines = find_rulings(gray, scale)
    clean = erase_lines(gray, lines)
    detected = [piece for b in _detect(clean) for piece in _split_at_rulings(b, grids, scale)]
    strips: list[list[Box]] = []  # crops read together: a table row's one-line cells, or one text line
    cell_boxes: list[list[tuple[int, Box | None, list[Box]]]] = []
    taken: set[int] = set()
    for grid in grids:
        per_cell = []
        rows: dict[int, list[Box]] = {}
        for r, _, _, _, cell in grid.cells:
            px = _cell_px(cell, scale)
            ink = _ink_box(clean, px)
            inside = [i for i, b in enumerate(detected) if _centre_in(b, px)]
            taken.update(inside)
            if ink is not None and ink[3] - ink[1] <= _ONE_LINE * scale:
                rows.setdefault(r, []).append(ink)
                per_cell.append((r, ink, []))
            else:  # blank, or lines of a label: the detector's lines (or the ink, if it found none)
                parts = [detected[i] for i in inside] or ([ink] if ink else [])
                strips.extend([b] for b in parts)
                per_cell.append((r, None, parts))
        strips.extend(rows[r] for r in sorted(rows))
        cell_boxes.append(per_cell)
    outside = [b for i, b in enumerate(detected) if i not in taken]
    strips.extend([b] for b in outside)
    read = _read_strips(clean, strips)
    again = _reread(clean, grids, cell_boxes, read)
    items: list[tuple[float, str | TableBlock, float]] = []
    for grid, per_cell in zip(grids, cell_boxes, strict=True):
        # as for a text PDF: a label cell drawn in two parts leaves an empty cell that is no value
        items.append((grid.box[1], drop_label_fillers(_table(grid, per_cell, read, again, scale, page)), 1.0))
    pieces = [_piece(b, read[b], scale) for b in outside]
    for line in _lines([p for p in pieces if p.text]):
        items.append((line[0].top, "".join(_joined(line)), min(p.confidence for p in line)))
    items.sort(key=lambda it: it[0])
    return items


def _reread(clean: np.ndarray, grids: list[Grid], cell_boxes: list[list[tuple[int, Box | None, list[Box]]]],
            read: dict[Box, tuple[str, float]]) -> dict[Box, tuple[str, float]]:
    """Second readings of one-line cells, each crop on its own, out of its row's context:
    every cell of a narrow table (表二: no sum rule can vouch for its numbers; the two readings
    must agree), and in any table a cell first read as one glyph that is neither a digit, a
    printed mark nor a word — a 0 at the end of a row strip reads as 。 or o.
    A crop alone is given white paper above and below (half its height each side): cropped
    tight to its ink, a lone 0 fills the recogniser's whole 48-px height, which it never saw
    in training, and reads as 。."""
    boxes = [b for grid, per_cell in zip(grids, cell_boxes, strict=True) for _, one_line, parts in per_cell
             if (b := _single_crop(one_line, parts)) is not None
             and (grid.n_cols <= _NARROW and one_line is not None or _doubtful(read[b][0]))]
    return _read_strips(clean, [[b] for b in boxes], _ALONE_MARGIN)


def _single_crop(one_line: Box | None, parts: list[Box]) -> Box | None:
    """The one crop a cell was read from, if it was one."""
    return one_line if one_line is not None else parts[0] if len(parts) == 1 else None


def _doubtful(text: str) -> bool:
    return len(text) == 1 and not text.isdigit() and text not in _MARKS and not "\u4e00" <= text <= "\u9fff"


def _detect(clean: np.ndarray) -> list[Box]:
    """Text lines found on the page at half resolution (as good, six times faster)."""
    half = np.asarray(Image.fromarray(clean).reduce(2))
    return [(x0 * 2, y0 * 2, x1 * 2, y1 * 2) for x0, y0, x1, y1 in ocr_engine.detect(half)]


def _read_strips(gray: np.ndarray, strips: list[list[Box]], margin: float = 0.0) -> dict[Box, tuple[str, float]]:
    """Text and confidence of every box: each strip's crops pasted side by side (with
    ``margin`` × height of white above and below), recognised once, and every character
    given to the crop it was read in."""
    images, spans = [], []
    for boxes in strips:
        crops = [_crop(gray, b) for b in boxes]
        inner = max(c.shape[0] for c in crops)
        gap = max(8, inner // 2)
        height = inner + 2 * int(inner * margin)
        width = sum(c.shape[1] for c in crops) + gap * (len(crops) + 1)
        canvas = np.full((height, width), 255, dtype=np.uint8)
        x, ranges = gap, []
        for c in crops:
            y = (height - c.shape[0]) // 2
            canvas[y:y + c.shape[0], x:x + c.shape[1]] = c
            ranges.append((x, x + c.shape[1]))
            x += c.shape[1] + gap
        images.append(canvas)
        spans.append(ranges)
    out: dict[Box, tuple[str, float]] = {}
    for boxes, ranges, chars in zip(strips, spans, ocr_engine.recognise(images), strict=True):
        texts: list[list[tuple[str, float]]] = [[] for _ in boxes]
        for ch, prob, x in chars:
            nearest = min(range(len(ranges)), key=lambda i: max(ranges[i][0] - x, x - ranges[i][1], 0))
            texts[nearest].append((ch, prob))
        for b, t in zip(boxes, texts, strict=True):
            text = "".join(ch for ch, _ in t).strip()
            out[b] = (text, min((p for ch, p in t if not ch.isspace()), default=0.0))
    return out


def _piece(b: Box, read: tuple[str, float], scale: float) -> Piece:
    return Piece(read[0], b[0] / scale, b[1] / scale, b[2] / scale, b[3] / scale, read[1])


def _split_at_rulings(box: Box, grids: list[Grid], scale: float) -> list[Box]:
    """A detected line cut where a vertical cell border crosses it (the detector, having no
    idea of cells, runs "0 0 1" across three of them)."""
    x0, top, x1, bottom = box
    cuts = sorted({c for grid in grids if _overlaps_rows(grid, top / scale, bottom / scale)
                   for _, _, _, _, cell in grid.cells for c in (cell[0] * scale, cell[2] * scale)
                   if x0 + 2 < c < x1 - 2})
    edges = [x0, *cuts, x1]
    return [(a, top, b, bottom) for a, b in zip(edges, edges[1:], strict=False) if b - a > 3]


def _overlaps_rows(grid: Grid, top: float, bottom: float) -> bool:
    return grid.box[1] < bottom and top < grid.box[3]


def _cell_px(box: Box, scale: float) -> tuple[int, int, int, int]:
    return (int(box[0] * scale) + 2, int(box[1] * scale) + 2, int(box[2] * scale) - 2, int(box[3] * scale) - 2)


def _ink_box(clean: np.ndarray, px: tuple[int, int, int, int]) -> Box | None:
    x0, y0, x1, y1 = px
    ink = _without_ruling_remnants(clean[y0:y1, x0:x1] < _INK)
    if ink.sum() < _MIN_INK:
        return None
    ys, xs = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return (float(x0 + xs[0]), float(y0 + ys[0]), float(x0 + xs[-1] + 1), float(y0 + ys[-1] + 1))


def _without_ruling_remnants(ink: np.ndarray) -> np.ndarray:
    """The cell's ink less what is left of its rulings: on a page straightened from a slight
    tilt, the erased lines leave stubs in the corners and slivers along an edge. Cropped with
    the text, a stub reads as a dash ("—0") and a sliver makes one line of text look like two.
    A piece of ink touching the cell's edge goes when it is a stub (a few pixels) or a sliver
    (a few pixels thick, running along most of that edge); a digit that touches the edge is
    neither."""
    import cv2  # with the ocr extra (rapidocr's dependency)

    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    height, width = ink.shape
    remnants = []
    for i in range(1, n):
        x, y, w, h = stats[i, :4]
        side, end = x == 0 or x + w == width, y == 0 or y + h == height
        stub = (side or end) and max(w, h) <= _STUB
        sliver = side and w <= _SLIVER and h >= 0.6 * height or end and h <= _SLIVER and w >= 0.6 * width
        if stub or sliver:
            remnants.append(i)
    return ink & ~np.isin(labels, remnants) if remnants else ink


def _centre_in(b: Box, px: tuple[int, int, int, int]) -> bool:
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return px[0] <= cx <= px[2] and px[1] <= cy <= px[3]


def _crop(gray: np.ndarray, b: Box) -> np.ndarray:
    h, w = gray.shape
    x0, y0 = max(0, int(b[0]) - _PAD), max(0, int(b[1]) - _PAD)
    x1, y1 = min(w, int(b[2]) + _PAD + 1), min(h, int(b[3]) + _PAD + 1)
    return gray[y0:y1, x0:x1]


def _table(grid: Grid, per_cell: list[tuple[int, Box | None, list[Box]]],
           read: dict[Box, tuple[str, float]], again: dict[Box, tuple[str, float]], scale: float,
           page: int) -> TableBlock:
    """The grid's cells with their text; a cell with ink nobody could read is UNREAD."""
    rows: dict[int, list[Cell]] = {}
    for (r, col, rowspan, colspan, _), (_, one_line, parts) in zip(grid.cells, per_cell, strict=True):
        boxes = [one_line] if one_line is not None else parts
        pieces = [_piece(b, read[b], scale) for b in boxes]
        found = [p for p in pieces if p.text]
        if found:
            text = "\n".join("".join(_joined(line)) for line in _lines(found))
            confidence = min(p.confidence for p in found)
        elif not boxes:
            text, confidence = "", 1.0  # paper only: blank for certain
        else:
            text, confidence = UNREAD, 0.0
        reread, first = None, ""
        crop = _single_crop(one_line, parts)
        if crop in again:
            second, sure = again[crop]
            reread = unicodedata.normalize("NFKC", second) == unicodedata.normalize("NFKC", read[crop][0])  # ０ is 0
            if not reread and _doubtful(text) and second.isdigit():
                # the reading alone replaces the glyph; it is loaded only if the table's sums vouch
                text, confidence, first = second, min(confidence, sure), text
        place = OcrPlace(page=page, row=r + 1, col=col + 1, confidence=round(confidence, 3), reread=reread,
                         first=first, again=round(again[crop][1], 3) if crop in again else 0.0)
        rows.setdefault(r, []).append(Cell(text, place, rowspan, colspan))
    ordered = tuple(tuple(rows[r]) for r in sorted(rows))
    return TableBlock(ordered, OcrPlace(page=page, confidence=1.0))


def _lines(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped into text lines (vertical overlap), top to bottom, each left to right."""
    lines: list[list[Piece]] = []
    for p in sorted(pieces, key=lambda p: (p.top + p.bottom) / 2):
        cy = (p.top + p.bottom) / 2
        if lines and lines[-1][0].top <= cy <= lines[-1][0].bottom:
            lines[-1].append(p)
        else:
            lines.append([p])
    return [sorted(line, key=lambda p: p.x0) for line in lines]


def _joined(line: list[Piece]) -> list[str]:
    """A line's texts, a space between two pieces only where neither side is Chinese."""
    out: list[str] = []
    for i, p in enumerate(line):
        if i and p.text and out and out[-1] and (out[-1][-1].isascii() and p.text[0].isascii()):
            out.append(" ")
        out.append(p.text)
    return out


# --- picture files -------------------------------------------------------------------------

def image_pages(data: bytes) -> tuple[str, list[tuple[Image.Image, float]]]:
    """The frames of an image file with their pixels per point (from the file's dpi, else
    taking the page for A4 width, the usual scan)."""
    try:
        img = Image.open(io.BytesIO(data))
        fmt = IMAGE_FORMATS.get(img.format or "", (img.format or "image").lower())
        frames = []
        for frame in ImageSequence.Iterator(img):
            rgb = frame.convert("RGB")
            dpi = frame.info.get("dpi", (0, 0))[0] or rgb.width / 8.27
            frames.append((rgb, float(dpi) / 72))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ReadError("图片文件损坏，无法打开", f"corrupt image, cannot be opened ({exc})") from exc
    return fmt, frames


def normalised(img: Image.Image, scale: float) -> tuple[Image.Image, float]:
    """The image resampled to OCR_DPI (large scans cost time and gain nothing)."""
    target = OCR_DPI / 72
    if abs(scale - target) / target < 0.1:
        return img, scale
    size = (max(1, round(img.width * target / scale)), max(1, round(img.height * target / scale)))
    return img.resize(size, Image.LANCZOS), target


def read_image(data: bytes) -> Document:
    """A picture file (PNG, JPEG, TIFF, one page per frame) read by OCR.

    Raises ReadError when the file cannot be opened or the OCR extra is not installed.
    """
    from nianbao.read.pdf import assemble_pages, page_from_items

    fmt, frames = image_pages(data)
    if not ocr_engine.available():
        raise ReadError("图片需要OCR识别，" + INSTALL_HINT.split(" / ")[0], INSTALL_HINT.split(" / ")[1])
    doc = Document([], fmt, page_count=len(frames))
    pages = []
    for number, (img, scale) in enumerate(frames, start=1):
        img, scale = normalised(img, scale)
        pages.append(page_from_items(number, img.height / scale, read_page_image(img, number, scale)))
    assemble_pages(pages, doc)
    return doc


def read_pdf_page(page, number: int) -> list[tuple[float, str | TableBlock, float]] | None:
    """A scanned PDF page (a ``pypdfium2.PdfPage``) rendered at OCR_DPI and read; None when
    the OCR extra is not installed."""
    if not ocr_engine.available():
        return None
    scale = OCR_DPI / 72
    img = page.render(scale=scale).to_pil().convert("RGB")
    return read_page_image(img, number, scale)


def ocr_note(pages: list[int]) -> str:
    shown = ", ".join(map(str, pages))
    return f"OCR识别：第 {shown} 页是图像，文字由OCR识别 / read by OCR: pages {shown} are images"
