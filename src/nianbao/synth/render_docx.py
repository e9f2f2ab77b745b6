"""Word (.docx) as agencies write the report: title, paragraphs, ruled tables whose merged
cells are real merges (python-docx ``cell.merge``), as in the official template."""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import datetime
from functools import cache

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from nianbao.synth.cells import Cell, Key
from nianbao.synth.grids import build_grid, place_cells
from nianbao.synth.layout import Layout

_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def _set_font(run, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "仿宋_GB2312"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")


def _write_cell(cell, text: str, center: bool) -> None:
    para = cell.paragraphs[0]
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = text.split("\n")
    run = para.add_run(lines[0])
    for line in lines[1:]:
        run.add_break()
        run = para.add_run(line)


@cache
def _table_template(version: str, key: str, wrap: bool, numbering: str):
    """The table built once with python-docx merges; returns its XML and, for each value
    cell, its position among the table's ``w:tc`` elements."""
    grid = build_grid(version, key, wrap, numbering)
    table = Document().add_table(rows=len(grid.rows), cols=grid.ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    unmerged = table._cells  # all grid cells, row by row (table.cell() recomputes this every call)
    n = grid.ncols
    slot_tcs = []
    for r, row in enumerate(place_cells(grid)):
        for c, gcell in row:
            target = unmerged[r * n + c]
            if gcell.rowspan > 1 or gcell.colspan > 1:
                target = target.merge(unmerged[(r + gcell.rowspan - 1) * n + c + gcell.colspan - 1])
            if gcell.slot:
                target.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                slot_tcs.append((target._tc, gcell.slot))
            else:
                _write_cell(target, gcell.text, gcell.header)
    tcs = list(table._tbl.iter(qn("w:tc")))
    slots = tuple((tcs.index(tc), slot) for tc, slot in slot_tcs)
    return table._tbl, slots


def _add_table(document, version: str, key: str, cells: dict[Key, Cell], wrap: bool, numbering: str) -> None:
    template, slots = _table_template(version, key, wrap, numbering)
    tbl = copy.deepcopy(template)
    tcs = list(tbl.iter(qn("w:tc")))
    for index, slot in slots:
        text = cells[slot].printed
        if text:
            Paragraph(tcs[index].find(qn("w:p")), None).add_run(text)
    document.element.body.sectPr.addprevious(tbl)


def render_docx(layout: Layout) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "仿宋_GB2312"
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    props = document.core_properties
    stamp = datetime(layout.year + 1, 1, int(layout.published_on[-2:]) if layout.published_on else 15)
    props.author = props.last_modified_by = layout.agency.name
    props.title = layout.title
    props.created = props.modified = stamp
    props.revision = 1
    for kind, text in layout.blocks:
        if kind == "table":
            _add_table(document, layout.version, text, layout.cells, layout.wrap_headers, layout.numbering)
            continue
        para = document.add_paragraph()
        if kind == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(para.add_run(text), 18, bold=True)
        elif kind == "sign":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _set_font(para.add_run(text), 14)
        else:
            if kind == "para":
                para.paragraph_format.first_line_indent = Pt(28)
            _set_font(para.add_run(text), 14, bold=kind == "heading")
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same package with fixed member timestamps, so equal input gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
