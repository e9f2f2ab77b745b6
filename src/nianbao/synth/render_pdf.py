"""PDF as a word processor exports it: text layer in the built-in CID font STSong-Light,
ruled tables with the template's merged cells (reportlab SPAN), deterministic bytes."""

from __future__ import annotations

import io
from functools import cache
from html import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from nianbao.synth.cells import Cell, Key
from nianbao.synth.grids import build_grid, place_cells
from nianbao.synth.layout import Layout

FONT = "STSong-Light"
_WIDTH = A4[0] - 3.6 * cm
# Column widths (cm) per table and grid width; label columns wider than value columns.
_COLUMNS = {
    ("applications", 10): [1.5, 2.0, 4.4] + [1.3] * 7,
    ("review_litigation", 15): [1.16] * 15,
    ("active", 4): [4.4, 4.3, 4.3, 4.3],
    ("active", 5): [4.4, 3.25, 3.25, 3.25, 3.25],
}


@cache
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17, wordWrap="CJK", firstLineIndent=22)
    return {
        "title": ParagraphStyle("title", base, fontSize=16, leading=24, alignment=TA_CENTER,
                                firstLineIndent=0, spaceAfter=10),
        "heading": ParagraphStyle("heading", base, fontSize=12, spaceBefore=6),
        "subheading": base,
        "para": base,
        "sign": ParagraphStyle("sign", base, alignment=TA_RIGHT, firstLineIndent=0),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK"),
        "cell_center": ParagraphStyle("cell_center", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK",
                                      alignment=TA_CENTER),
    }


def _table(version: str, key: str, cells: dict[Key, Cell], wrap: bool, numbering: str) -> Table:
    styles = _styles()
    grid = build_grid(version, key, wrap, numbering)
    data: list[list[object]] = [[""] * grid.ncols for _ in grid.rows]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
    ]
    for r, row in enumerate(place_cells(grid)):
        for c, gcell in row:
            if gcell.slot:
                data[r][c] = cells[gcell.slot].printed
            else:
                style = styles["cell_center" if gcell.header else "cell"]
                data[r][c] = Paragraph("<br/>".join(escape(t) for t in gcell.text.split("\n")), style)
            if gcell.rowspan > 1 or gcell.colspan > 1:
                commands.append(("SPAN", (c, r), (c + gcell.colspan - 1, r + gcell.rowspan - 1)))
    widths = [w * cm for w in _COLUMNS.get((key, grid.ncols), [_WIDTH / grid.ncols / cm] * grid.ncols)]
    table = Table(data, colWidths=widths)
    table.setStyle(TableStyle(commands))
    return table


def render_pdf(layout: Layout) -> bytes:
    styles = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=1.8 * cm, rightMargin=1.8 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm, title=layout.title, author=layout.agency.name,
                            creator="nianbao.synth", invariant=1)
    story: list[object] = []
    pending_heading = None
    for kind, text in layout.blocks:
        if kind == "table":
            table = _table(layout.version, text, layout.cells, layout.wrap_headers, layout.numbering)
            story.append(KeepTogether([x for x in (pending_heading, Spacer(1, 4), table) if x is not None]))
            pending_heading = None
            continue
        if pending_heading is not None:
            story.append(pending_heading)
            pending_heading = None
        para = Paragraph(escape(text), styles[kind])
        if kind == "heading":
            pending_heading = para
        else:
            story.append(para)
    if pending_heading is not None:
        story.append(pending_heading)
    doc.build(story)
    return out.getvalue()
