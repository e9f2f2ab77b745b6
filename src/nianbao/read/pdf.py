"""PDF reports with a text layer: ruled tables as cell grids, everything else as lines of text.

pdfium does all the reading (characters with boxes, vector paths), which keeps a page at a
few milliseconds; pdfplumber's geometry turns the rulings into cells. Pages without a usable
text layer (scans, fonts without a Unicode map) are read by OCR (read/ocr.py) when the ocr
extra is installed; otherwise they are listed as needing OCR and contribute no text.
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from nianbao.limits import limits
from nianbao.read.document import Cell, Document, Paragraph, Place, ReadError, TableBlock
from nianbao.read.furniture import PAGE_NUMBER as _PAGE_NUMBER
from nianbao.read.furniture import looks_like_value
from nianbao.read.pdfgeom import Box, Grid, find_grids, page_edges
from nianbao.read.repair import drop_label_fillers, is_form_label

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_MARGIN = 0.09  # share of the page height at top and bottom where furniture lives
_BAD_TEXT = 0.3  # share of unmappable glyphs above which a page's text layer is unusable


@dataclass
class _Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    space_before: bool = False  # pdfium saw a word gap before this character

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Line:
    text: str
    top: float
    bottom: float


def read_pdf(data: bytes) -> Document:
    """Read a PDF's text layer into paragraphs and tables. Raises ReadError when it cannot be opened."""
    pdf = _open(data)
    try:
        doc = Document([], "pdf", page_count=len(pdf))
        pages = [_read_page(pdf[i], i + 1, doc) for i in range(len(pdf))]
    finally:
        pdf.close()
    assemble_pages(pages, doc)
    return doc


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if pdfium_c.FPDF_GetLastError() == pdfium_c.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            raise ReadError("PDF 已加密，需要密码才能打开", "encrypted PDF: a password is needed") from exc
        raise ReadError("PDF 文件损坏，无法打开", f"corrupt PDF, cannot be opened ({exc})") from exc
    if len(pdf) == 0:
        pdf.close()
        raise ReadError("PDF 文件损坏：没有页面", "corrupt PDF: no pages")
    if len(pdf) > limits().pdf_pages:
        n = len(pdf)
        pdf.close()
        raise ReadError(f"PDF 页数过多（{n} 页，上限 {limits().pdf_pages}）",
                        f"PDF has too many pages ({n}, limit {limits().pdf_pages})")
    return pdf


# --- one page -----------------------------------------------------------------------------

@dataclass
class _Page:
    number: int
    height: float
    items: list[tuple[float, _Line | TableBlock]]  # (top, item) in reading order
    ocr: bool = False  # read by OCR


def _read_page(page: pdfium.PdfPage, number: int, doc: Document) -> _Page:
    height = page.get_height()
    chars, unmapped = _page_chars(page, height)
    edges, has_image = page_edges(page)
    real = [c for c in chars if not c.text.isspace()]
    if (not real and has_image) or (real and unmapped > _BAD_TEXT * len(real)):
        return _ocr_page(page, number, height, doc)
    grids = find_grids(edges)
    in_table: set[int] = set()
    items: list[tuple[float, _Line | TableBlock]] = []
    for grid in grids:
        table, used = _table(grid, chars, number)
        in_table |= used
        table = drop_label_fillers(table)
        items.append((grid.box[1], table))
    outside = [c for i, c in enumerate(chars) if i not in in_table]
    items.extend((line.top, line) for line in _lines(outside))
    items.sort(key=lambda it: it[0])
    return _Page(number, height, _drop_page_numbers(items, height))


def _ocr_page(page: pdfium.PdfPage, number: int, height: float, doc: Document) -> _Page:
    """A page without a usable text layer, read by OCR when the extra is installed."""
    from nianbao.read.ocr import INSTALL_HINT, read_pdf_page

    items = read_pdf_page(page, number)
    if items is None:
        doc.pages_needing_ocr.append(number)
        if INSTALL_HINT not in doc.warnings:
            doc.warnings.append(INSTALL_HINT)
        return _Page(number, height, [])
    return page_from_items(number, height, items)


def page_from_items(number: int, height: float, items: list[tuple[float, str | TableBlock, float]]) -> _Page:
    """A page from OCR'd items (top, paragraph text or table, confidence)."""
    placed = [(top, item if isinstance(item, TableBlock) else _Line(item, top, top)) for top, item, _ in items]
    return _Page(number, height, _drop_page_numbers(placed, height), ocr=True)


def _page_chars(page: pdfium.PdfPage, height: float) -> tuple[list[_Char], int]:
    """The page's characters in pdfium's reading order, and how many have no Unicode mapping."""
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n else ""
        chars: list[_Char] = []
        unmapped = 0
        gap = False
        boxes = _CharBoxes(textpage)
        for i in range(min(n, len(text))):
            ch = text[i]
            if ch.isspace():
                # pdfium's word gaps separate numbers; its line breaks we rebuild from geometry
                gap = gap or ch in " \t\u3000"
                continue
            if pdfium_c.FPDFText_HasUnicodeMapError(textpage.raw, i) == 1 or _garbage(ch):
                unmapped += 1
                continue
            left, bottom, right, top = boxes.box(i)
            chars.append(_Char(ch, left, height - top, right, height - bottom, gap))
            gap = False
        return chars, unmapped
    finally:
        textpage.close()


class _CharBoxes:
    """Glyph boxes through pdfium's raw calls with reused out-parameters (the helper's
    get_charbox allocates four doubles per call, and every character needs two boxes)."""

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self.raw = textpage.raw
        self.l, self.r, self.b, self.t = (ctypes.c_double() for _ in range(4))
        self.loose = pdfium_c.FS_RECTF()

    def box(self, i: int) -> tuple[float, float, float, float]:
        """The glyph's ink box across, the font's line height up and down.

        Ink boxes alone put "一", "、" and "." on lines of their own; the loose (font) box is right
        for lines but pdfium gets it wildly wrong for some stacked vertical labels, so it is used
        only when it is plausible next to the ink box.
        """
        loose = self.loose
        if not (pdfium_c.FPDFText_GetCharBox(self.raw, i, self.l, self.r, self.b, self.t)  # sic: l, r, b, t
                and pdfium_c.FPDFText_GetLooseCharBox(self.raw, i, loose)):
            raise pdfium.PdfiumError("Failed to get charbox.")  # as the helper does
        left, bottom, right, top = self.l.value, self.b.value, self.r.value, self.t.value
        ink_w, ink_h = right - left, top - bottom
        if (loose.right - loose.left) <= 2.5 * ink_w + 12 and (loose.top - loose.bottom) <= 3 * ink_h + 24:
            return left, min(bottom, loose.bottom), right, max(top, loose.top)
        return left, bottom, right, top


def _garbage(ch: str) -> bool:
    code = ord(ch)
    return code == 0xFFFD or 0xE000 <= code <= 0xF8FF or (code < 32 and ch not in "\t")


def _inside(c: _Char, box: Box) -> bool:
    return box[0] <= c.cx <= box[2] and box[1] <= c.cy <= box[3]


def _table(grid: Grid, chars: list[_Char], page: int) -> tuple[TableBlock, set[int]]:
    """Cells of a grid with the text inside each; blank cells stay as empty strings."""
    used: set[int] = set()
    by_cell: list[list[_Char]] = [[] for _ in grid.cells]
    cell_of = _cell_finder(grid)
    for i, c in enumerate(chars):
        if not _inside(c, grid.box):
            continue
        j = cell_of(c)
        if j is not None:
            by_cell[j].append(c)
            used.add(i)
    rows: dict[int, list[Cell]] = {}
    for (r, col, rowspan, colspan, _), cell_chars in zip(grid.cells, by_cell, strict=True):
        text = "\n".join(line.text for line in _lines(cell_chars))
        place = Place(page=page, row=r + 1, col=col + 1)
        rows.setdefault(r, []).append(Cell(text, place, rowspan, colspan))
    ordered = tuple(tuple(rows[r]) for r in sorted(rows))
    return TableBlock(ordered, Place(page=page)), used


def _cell_finder(grid: Grid) -> Callable[[_Char], int | None]:
    """The first cell (in grid order) whose box holds a character's centre, by bisecting the
    cells' edges instead of testing every cell: the edges cut the table into elementary
    rectangles, each inside a fixed set of cells. A centre exactly on an edge is rare and is
    tested cell by cell, as the inclusive boxes ask."""
    xs = sorted({v for *_, b in grid.cells for v in (b[0], b[2])})
    ys = sorted({v for *_, b in grid.cells for v in (b[1], b[3])})
    owner: dict[tuple[int, int], int] = {}
    for j, (*_, b) in enumerate(grid.cells):
        for xi in range(bisect_left(xs, b[0]), bisect_left(xs, b[2])):
            for yi in range(bisect_left(ys, b[1]), bisect_left(ys, b[3])):
                owner.setdefault((xi, yi), j)
    edges_x, edges_y = set(xs), set(ys)

    def cell_of(c: _Char) -> int | None:
        x, y = c.cx, c.cy
        if x in edges_x or y in edges_y:
            return next((j for j, (*_, box) in enumerate(grid.cells) if _inside(c, box)), None)
        return owner.get((bisect_right(xs, x) - 1, bisect_right(ys, y) - 1))
    return cell_of


def _lines(chars: list[_Char]) -> list[_Line]:
    """Group characters (in reading order) into lines; a space only where a gap separates non-Han text."""
    lines: list[_Line] = []
    parts: list[str] = []
    prev: _Char | None = None
    top = bottom = 0.0
    for c in chars:
        if prev is not None and _new_line(prev, c, top, bottom):
            lines.append(_Line("".join(parts).strip(), top, bottom))
            parts, prev = [], None
        if prev is None:
            top, bottom = c.top, c.bottom
        else:
            if c.space_before and not (_HAN.match(prev.text) and _HAN.match(c.text)):
                parts.append(" ")
            top, bottom = min(top, c.top), max(bottom, c.bottom)
        parts.append(c.text)
        prev = c
    if parts:
        lines.append(_Line("".join(parts).strip(), top, bottom))
    return [line for line in lines if line.text]


def _new_line(prev: _Char, c: _Char, top: float, bottom: float) -> bool:
    """A character clear of the line's vertical band, or one that jumps back to the left."""
    if c.top >= bottom or c.bottom <= top:
        return True
    size = max(prev.bottom - prev.top, c.bottom - c.top, 1.0)
    return c.x1 < prev.x0 - size


def _drop_page_numbers(items: list[tuple[float, _Line | TableBlock]], height: float) -> list:
    def furniture(top: float, item) -> bool:
        in_margin = top < height * _MARGIN or top > height * (1 - _MARGIN)
        return isinstance(item, _Line) and in_margin and bool(_PAGE_NUMBER.match(item.text))
    return [(top, item) for top, item in items if not furniture(top, item)]


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_repeated_furniture(pages: list[_Page]) -> None:
    """Running headers and footers: the same margin line (digits aside) on most pages."""
    if len(pages) < 3:
        return
    counts: dict[str, int] = {}
    for page in pages:
        keys = {_furniture_key(item.text) for top, item in page.items
                if isinstance(item, _Line) and _in_margin(top, item, page.height)}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    repeated = {k for k, n in counts.items() if n >= max(3, len(pages) // 2 + 1)}
    for page in pages:
        page.items = [(top, item) for top, item in page.items
                      if not (isinstance(item, _Line) and _in_margin(top, item, page.height)
                              and _furniture_key(item.text) in repeated)]


def _in_margin(top: float, line: _Line, height: float) -> bool:
    return top < height * _MARGIN or line.bottom > height * (1 - _MARGIN)


# --- the document -------------------------------------------------------------------------

def assemble_pages(pages: list[_Page], doc: Document) -> None:
    _drop_repeated_furniture(pages)
    _assemble(pages, doc)
    ocr = [p.number for p in pages if p.ocr]
    if ocr:
        from nianbao.read.ocr import ocr_note

        doc.warnings.append(ocr_note(ocr))


def _assemble(pages: list[_Page], doc: Document) -> None:
    """Blocks in page order; a table that runs on at the top of the next page is continued."""
    table_no = 0
    for page in pages:
        for _, item in page.items:
            if isinstance(item, _Line):
                doc.blocks.append(Paragraph(item.text, Place(page=page.number)))
                continue
            previous = doc.blocks[-1] if doc.blocks else None
            if isinstance(previous, TableBlock) and previous.place.page != page.number:
                doc.blocks[-1] = _continue(previous, item)
                continue
            table_no += 1
            doc.blocks.append(_numbered(item, table_no))


def _numbered(table: TableBlock, number: int) -> TableBlock:
    rows = tuple(tuple(Cell(c.text, _with_table(c.place, number), c.rowspan, c.colspan) for c in row)
                 for row in table.rows)
    return TableBlock(rows, Place(page=table.place.page, table=number))


def _with_table(place: Place, number: int) -> Place:
    return replace(place, table=number)  # keeps what a reader adds to a place (OCR confidence)


def _row_key(row: tuple[Cell, ...]) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", "", c.text) for c in row)


def _join_split_row(last: tuple[Cell, ...], head: tuple[Cell, ...]) -> tuple[Cell, ...] | None:
    """A row the page break cut in two: the label's tail starts the next page with no values.
    The tail may come with the tail of its group's label in the column before (（五）| 不予处理
    beside 1．信 | 访举报投诉类申请); each part joins the cell of its own column above.

    Joined only when the row label's two parts make exactly a label of the form, so that a caption
    or a repeated header at the top of the page is never glued onto the row above.
    """
    texts = [c for c in head if c.text.strip()]
    if not texts or len(texts) > 2 or any(looks_like_value(c.text) for c in texts):
        return None
    above = {c.place.col: i for i, c in enumerate(last)}
    if len(texts) == 2 and not all(c.place.col in above for c in texts):
        return None
    labels = [i for i, c in enumerate(last) if c.text.strip() and not looks_like_value(c.text)]
    if not labels:
        return None
    i = labels[-1] if len(texts) == 1 else above[texts[-1].place.col]
    cell = last[i]
    joined = cell.text + "\n" + texts[-1].text
    # a label cut inside its bracketed note (（区分处理的，只计这一情形，| 不计其他情形）) continues even
    # when its first part already reads as the label
    open_note = cell.text.count("（") + cell.text.count("(") > cell.text.count("）") + cell.text.count(")")
    closes_note = open_note and texts[-1].text.rstrip().endswith(("）", ")"))
    if not closes_note and (is_form_label(cell.text) or not is_form_label(joined)):
        return None
    row = list(last)
    row[i] = Cell(joined, cell.place, cell.rowspan, cell.colspan)
    if len(texts) == 2:  # the group label's tail
        g = above[texts[0].place.col]
        row[g] = Cell(last[g].text + "\n" + texts[0].text, last[g].place, last[g].rowspan, last[g].colspan)
    return tuple(row)


def _continue(first: TableBlock, more: TableBlock) -> TableBlock:
    """Append a continuation, without the header rows it repeats from the table's start."""
    rows = list(more.rows)
    head = [_row_key(r) for r in first.rows]
    skip = 0
    while skip < len(rows) and skip < len(head) and _row_key(rows[skip]) == head[skip] and any(head[skip]):
        skip += 1
    if skip < len(rows) and first.rows:  # the row the break cut starts the page, after any repeated header
        joined = _join_split_row(first.rows[-1], rows[skip])
        if joined is not None:
            first = TableBlock(first.rows[:-1] + (joined,), first.place)
            skip += 1
    number = first.place.table or 0
    offset = max((c.place.row or 0) for row in first.rows for c in row) if first.rows else 0
    added = tuple(
        tuple(Cell(c.text, replace(c.place, table=number, row=(c.place.row or 0) + offset), c.rowspan, c.colspan)
              for c in row)
        for row in rows[skip:])
    return TableBlock(first.rows + added, first.place)
