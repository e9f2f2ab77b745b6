"""A document flattened into one normalised string with cell and row boundaries kept.

Every reader's output — cell grids, one-cell-per-line text, run-together crawler text — is
matched by the same label patterns over this string, so there is one parser for all formats.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

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
    rows: list[tuple[tuple[str, Place], ...]] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            rows.append(((block.text, block.place),))
        else:
            rows.extend(tuple((c.text, c.place) for c in row) for row in block.rows)
    norms = iter(_normalize_cells([text for row in rows for text, _ in row]))
    parts: list[str] = []
    cells: list[CellSpan] = []
    pos = 0
    for row in rows:
        row_cells: list[tuple[int, int, Place]] = []
        for i, (_, place) in enumerate(row):
            if i:
                parts.append(CELL)
                pos += 1
            norm = next(norms)
            parts.append(norm)
            row_cells.append((pos, pos + len(norm), place))
            pos += len(norm)
        for j, (start, end, place) in enumerate(row_cells):
            cells.append(CellSpan(start, end, place, j == len(row_cells) - 1, pos))
        parts.append(ROW)
        pos += 1
    return Stream("".join(parts), cells, [c.start for c in cells])
