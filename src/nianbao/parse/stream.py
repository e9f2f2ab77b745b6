"""A document flattened into one normalised string with cell and row boundaries kept.

Every reader's output — cell grids, one-cell-per-line text, run-together crawler text — is
matched by the same label patterns over this string, so there is one parser for all formats.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import NamedTuple

from nianbao.form.labels import normalize_text
from nianbao.read.document import Document, Paragraph, Place

CELL = "\x1f"
ROW = "\n"


class CellSpan(NamedTuple):  # a tuple: one per cell, built many times per report
    start: int
    end: int
    place: Place
    last_in_row: bool
    row_end: int


@dataclass
class Stream:
    text: str
    cells: list[CellSpan]
    _starts: list[int]
    _place_texts: dict[int, str] = field(default_factory=dict)

    def cell_at(self, offset: int) -> CellSpan:
        """The cell holding ``offset`` (or the one ending exactly there)."""
        return self.cells[self._index(offset)]

    def _index(self, offset: int) -> int:
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def place_at(self, offset: int) -> Place:
        return self.cell_at(offset).place

    def place_text_at(self, offset: int) -> str:
        """``str(place_at(offset))``, worked out once per cell: a run-together row's values
        all name the one cell they were split from."""
        i = self._index(offset)
        if i not in self._place_texts:
            self._place_texts[i] = str(self.cells[i].place)
        return self._place_texts[i]


# Joins every cell's raw text for one normalisation pass: a private-use character is a
# stable NFKC boundary (a starter that composes with nothing), not whitespace and not Han or
# CJK punctuation, so no rule of normalize_text reaches across it — the pieces come out exactly
# as each cell normalised alone would, for a fraction of the calls.
_JOIN = "\ue000"


def _normalize_cells(texts: list[str]) -> list[str]:
    """Each text normalised (normalize_text, then line breaks and CELL as spaces), in one pass."""
    joined = _JOIN.join(texts)
    if joined.count(_JOIN) != len(texts) - 1:  # a cell prints the joiner itself: one by one
        return [_clean(normalize_text(t)) for t in texts]
    return _clean(normalize_text(joined)).split(_JOIN)


def _clean(norm: str) -> str:
    return norm.replace(CELL, " ").replace("\r", "").replace("\n", " ")


def flatten(doc: Document) -> Stream:
    """Join every block's cells: cells by CELL, rows by ROW; text normalised per cell."""
    texts: list[str] = []
    places: list[Place] = []
    widths: list[int] = []  # cells per row, in order
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
            places.append(block.place)
            widths.append(1)
        else:
            for row in block.rows:
                texts.extend(c.text for c in row)
                places.extend(c.place for c in row)
                widths.append(len(row))
    norms = _normalize_cells(texts)
    parts: list[str] = []
    cells: list[CellSpan] = []
    pos = k = 0
    for width in widths:
        row_norms = norms[k:k + width]
        row_end = pos + sum(map(len, row_norms)) + width - 1
        for j, norm in enumerate(row_norms):
            end = pos + len(norm)
            cells.append(CellSpan(pos, end, places[k + j], j == width - 1, row_end))
            pos = end + 1  # past the CELL, or the ROW after the last cell
        if not width:
            pos += 1  # a row without cells still ends with ROW
        parts.append(CELL.join(row_norms))
        k += width
    return Stream(ROW.join(parts) + ROW if parts else "", cells, [c.start for c in cells])
