"""Plain text and Markdown reports.

Layouts recognised:
- one cell per line, each prefixed by a tab, rows separated by blank lines (text copied from
  a web page, like the seed); an untabbed line inside a row continues the cell before it;
- pipe / Markdown tables (``| a | b |``), separator lines skipped;
- rows whose cells are separated by tabs;
- everything else is a paragraph (one per line); runs of numbers separated by spaces inside a
  paragraph are split into cells by the parser.
Page numbers and running headers copied out of a PDF are dropped first (``furniture``).
"""

from __future__ import annotations

import re

from nianbao.read.document import Cell, Document, Paragraph, Place, TableBlock
from nianbao.read.furniture import drop_text_furniture

_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def read_text(text: str, source_format: str = "txt") -> Document:
    lines = drop_text_furniture(text.splitlines())
    blocks: list[Paragraph | TableBlock] = []
    rows: list[tuple[Cell, ...]] = []
    row: list[Cell] = []
    table_start = 0

    def end_row() -> None:
        nonlocal row
        if row:
            rows.append(tuple(row))
            row = []

    def end_table() -> None:
        end_row()
        if rows:
            blocks.append(TableBlock(tuple(rows), Place(line=table_start)))
            rows.clear()

    mode = None  # "tab" | "pipe" | None
    for number, line in enumerate(lines, 1):
        if line is None:
            continue  # page furniture: the row or cell it interrupted goes on after it
        if line.startswith("\t") and mode in (None, "tab"):
            if mode is None:
                table_start, mode = number, "tab"
            row.append(Cell(line[1:].strip(), Place(line=number, row=len(rows) + 1, col=len(row) + 1)))
        elif line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            if mode != "pipe":
                end_table()
                table_start, mode = number, "pipe"
            if _PIPE_SEPARATOR.match(line):
                continue
            cells = line.strip()[1:-1].split("|")
            rows.append(tuple(Cell(c.strip(), Place(line=number, row=len(rows) + 1, col=i + 1))
                              for i, c in enumerate(cells)))
        elif not line.strip():
            end_row()  # a blank line ends a row but not the table
            if mode == "pipe":
                end_table()
                mode = None
        elif mode == "tab" and row:
            last = row[-1]
            # a line break copied from inside one cell: the cell's text runs on
            row[-1] = Cell(f"{last.text}{line.strip()}", last.place)
        else:
            end_table()
            mode = None
            if "\t" in line.strip():
                cells = line.strip().split("\t")
                blocks.append(TableBlock(
                    (tuple(Cell(c.strip(), Place(line=number, col=i + 1)) for i, c in enumerate(cells)),),
                    Place(line=number)))
            else:
                blocks.append(Paragraph(line.strip(), Place(line=number)))
    end_table()
    return Document(blocks, source_format)
