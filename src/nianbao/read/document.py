"""The document model every reader produces and the parser consumes.

A document is an ordered list of blocks: paragraphs (one line of text each) and tables
(grids of cells with merged cells already resolved). Each block and cell knows where in the
source file it came from, so every parsed number can be traced back.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """Where a piece of text sits in the source file. Unknown parts stay None."""

    page: int | None = None  # 1-based PDF page
    line: int | None = None  # 1-based line in a text file
    table: int | None = None  # 1-based table number in the document
    row: int | None = None  # 1-based row in that table
    col: int | None = None  # 1-based column in that table's grid

    def __str__(self) -> str:
        parts = []
        for name, value in (("page", self.page), ("line", self.line), ("table", self.table),
                            ("row", self.row), ("col", self.col)):
            if value is not None:
                parts.append(f"{name} {value}")
        return ", ".join(parts) or "?"


@dataclass(frozen=True)
class Cell:
    text: str
    place: Place
    # A merged cell appears once; the other grid positions it covers are not listed.
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    place: Place


@dataclass(frozen=True)
class TableBlock:
    rows: tuple[tuple[Cell, ...], ...]
    place: Place


Block = Paragraph | TableBlock


@dataclass
class Document:
    """What a reader made of one file."""

    blocks: list[Block]
    source_format: str  # txt | md | html | pdf | docx | doc | wps
    warnings: list[str] = field(default_factory=list)
    # Pages that have no usable text layer (scans, glyphs without a Unicode map).
    pages_needing_ocr: list[int] = field(default_factory=list)
    page_count: int | None = None
    # Page metadata a format carries outside the text (HTML <meta name="PubDate">), name -> value.
    properties: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """All the text in reading order, tables row by row with cells joined by tabs."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            else:
                out.extend("\t".join(c.text for c in row) for row in block.rows)
        return "\n".join(out)


class ReadError(Exception):
    """A file that cannot be read as a report. The message says why, in Chinese and English."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en
