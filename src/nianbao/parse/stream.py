"""A document flattened into one normalised string with cell and row boundaries kept.

Every reader's output — cell grids, one-cell-per-line text, run-together crawler text — is
matched by the same label patterns over this string, so there is one parser for all formats.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from nianbao.form.labels import normalize_text
from nianbao.read.document import Document, Paragraph, Place

CELL = "\x1f"
ROW = "\n"


@dataclass(frozen=True)
class CellSpan:
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

    def cell_at(self, offset: int) -> CellSpan:
        """The cell holding ``offset`` (or the one ending exactly there)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.cells[max(i, 0)]

    def place_at(self, offset: int) -> Place:
        return self.cell_at(offset).place


def flatten(doc: Document) -> Stream:
    """Join every block's cells: cells by CELL, rows by ROW; text normalised per cell."""
    parts: list[str] = []
    cells: list[CellSpan] = []
    pos = 0
    for block in doc.blocks:
        rows = [((block.text, block.place),)] if isinstance(block, Paragraph) else [
            tuple((c.text, c.place) for c in row) for row in block.rows
        ]
        for row in rows:
            row_cells: list[tuple[int, int, Place]] = []
            for i, (text, place) in enumerate(row):
                if i:
                    parts.append(CELL)
                    pos += 1
                norm = normalize_text(text).replace(CELL, " ").replace("\r", "").replace("\n", " ")
                parts.append(norm)
                row_cells.append((pos, pos + len(norm), place))
                pos += len(norm)
            for j, (start, end, place) in enumerate(row_cells):
                cells.append(CellSpan(start, end, place, j == len(row_cells) - 1, pos))
            parts.append(ROW)
            pos += 1
    return Stream("".join(parts), cells, [c.start for c in cells])
