"""Plain text as copied out of a web page: one cell per line, tab first, a blank line between
table rows, a cell covered by a merged cell above printed as an empty tabbed line (the seed
report's layout). A line break inside a header cell continues on an untabbed line."""

from __future__ import annotations

from functools import cache

from nianbao.synth.cells import Cell, Key
from nianbao.synth.grids import build_grid, covered_rows, fill_template
from nianbao.synth.layout import Layout

Template = tuple[tuple[str, ...], tuple[Key | None, ...]]


@cache
def _table_template(version: str, table: str, wrap: bool, numbering: str) -> Template:
    """Static text pieces with value slots between them: piece0 slot0 piece1 slot1 … pieceN."""
    pieces: list[str] = []
    slots: list[Key | None] = []
    buf: list[str] = []
    for row in covered_rows(build_grid(version, table, wrap, numbering)):
        for cell in row:
            if cell is not None and cell.slot:
                buf.append("\t")
                pieces.append("".join(buf))
                slots.append(cell.slot)
                buf = ["\n"]
            else:
                buf.append("\t" + ("" if cell is None else cell.text) + "\n")
        buf.append("\n")
    pieces.append("".join(buf))
    return tuple(pieces), tuple(slots)


def render_table(version: str, table: str, cells: dict[Key, Cell], wrap: bool, numbering: str) -> str:
    return fill_template(*_table_template(version, table, wrap, numbering), cells, str)


def render_txt(layout: Layout) -> bytes:
    lines: list[str] = []
    for kind, text in layout.blocks:
        if kind == "table":
            lines.append("\n" + render_table(layout.version, text, layout.cells, layout.wrap_headers,
                                             layout.numbering))
        elif kind == "sign":
            lines.append(text)
        elif kind == "para":
            lines.append(layout.indent + text)
        else:
            lines.append(text)
    return ("\n".join(lines) + "\n").encode("utf-8")
