"""The three tables laid out like the official template: cells with rowspan/colspan.

Labels come from :mod:`nianbao.form.definitions` and are printed as reports print them:
full-width numbering （一）, “quotes”, 、 between clauses. A grid is built once per form and
label style and cached; renderers fill its value slots from a report's cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nianbao.form import FORMS, Table

_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "、", ":": "："})
# Printed text of the official template that the declarations do not carry as labels.
APPLICATIONS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
PARTIAL_NOTE = "（区分处理的，只计这一情形，不计其他情形）"
LEGAL_PERSONS = "法人或其他组织"
APPLICANTS = "申请人情况"
CONTENT = "信息内容"
# 第二十条 item of each table-二 row (条例 art. 20).
_ARTICLE_ITEM = {"regulations": "一", "normative_documents": "一", "licensing": "五",
                 "other_admin_services": "五", "penalty": "六", "coercion": "六", "admin_fees": "八",
                 "gov_procurement": "九"}


@dataclass(frozen=True)
class GridCell:
    text: str  # "\n" marks a line break inside the cell
    rowspan: int = 1
    colspan: int = 1
    slot: tuple[str, str, str] | None = None  # a value cell: the fact it prints
    header: bool = False


@dataclass(frozen=True)
class Grid:
    table: str
    ncols: int
    rows: tuple[tuple[GridCell, ...], ...]


def print_label(text: str) -> str:
    """A declared label in print form: （一）, “三安全一稳定”, 、."""
    text = text.translate(_FULL_WIDTH)
    while '"' in text:
        text = text.replace('"', "“", 1).replace('"', "”", 1)
    return text


def _wrap(text: str, wrap: bool) -> str:
    """Narrow header cells wrap a four-character label over two lines (商业\\n企业)."""
    return f"{text[:2]}\n{text[2:]}" if wrap and len(text) == 4 else text


def _spans(k: int, width: int) -> list[int]:
    if k == width:
        return [1] * k
    if k == 1:
        return [width]
    if width == 4 and k == 3:
        return [1, 2, 1]
    if width == 4 and k == 2:
        return [2, 2]
    return [1] * (k - 1) + [width - k + 1]


@cache
def build_grid(version: str, table_key: str, wrap_headers: bool = False, numbering: str = ".") -> Grid:
    """The table's cells in reading order. ``numbering`` is how 1. 2. … are printed ("." or "．")."""
    table = FORMS[version].table(table_key)
    if table_key == "active":
        return _active_grid(version, table)
    if table_key == "applications":
        return _applications_grid(table, wrap_headers, numbering)
    return _review_grid(table, wrap_headers)


def _active_grid(version: str, table: Table) -> Grid:
    width = 3 if version == "2021" else 4
    rows: list[tuple[GridCell, ...]] = []
    item = None
    for row in table.rows:
        if _ARTICLE_ITEM[row.key] != item:
            item = _ARTICLE_ITEM[row.key]
            rows.append((GridCell(f"第二十条第（{item}）项", colspan=width + 1, header=True),))
            heads = [print_label(_column_label(table, c)) for c in row.cols]
            rows.append((GridCell(CONTENT, header=True),
                         *(GridCell(h, colspan=s, header=True) for h, s in
                           zip(heads, _spans(len(heads), width), strict=True))))
        rows.append((GridCell(print_label(row.zh)),
                     *(GridCell("", colspan=s, slot=("active", row.key, c)) for c, s in
                       zip(row.cols, _spans(len(row.cols), width), strict=True))))
    return Grid("active", width + 1, tuple(rows))


def _column_label(table: Table, key: str) -> str:
    col = table.column(key)
    return col.variants[0] if col.unit == "万元" and col.variants else col.zh


def _applications_grid(table: Table, wrap: bool, numbering: str) -> Grid:
    cols = table.columns
    person, orgs, total = cols[0], cols[1:-1], cols[-1]
    rows: list[tuple[GridCell, ...]] = [
        (GridCell(APPLICATIONS_NOTE, rowspan=3, colspan=3, header=True),
         GridCell(APPLICANTS, colspan=len(cols), header=True)),
        (GridCell(person.zh, rowspan=2, header=True), GridCell(LEGAL_PERSONS, colspan=len(orgs), header=True),
         GridCell(total.zh, rowspan=2, header=True)),
        tuple(GridCell(_wrap(c.zh, wrap), header=True) for c in orgs),
    ]
    results = [r for r in table.rows if r.group or r.prefix == "(七)"]
    group_sizes: dict[str, int] = {}
    for r in table.rows:
        if r.group and r.group != "三、本年度办理结果":
            group_sizes[r.group] = group_sizes.get(r.group, 0) + 1
    seen: set[str] = set()
    for r in table.rows:
        label = print_label(r.prefix.replace(".", numbering) + r.zh)
        if r.key == "partially_granted":
            label += PARTIAL_NOTE
        values = tuple(GridCell("", slot=("applications", r.key, c.key)) for c in cols)
        lead: list[GridCell] = []
        if r is results[0]:
            lead.append(GridCell(print_label("三、本年度办理结果"), rowspan=len(results)))
        if r.group in group_sizes:
            if r.group not in seen:
                seen.add(r.group)
                lead.append(GridCell(print_label(r.group), rowspan=group_sizes[r.group]))
            rows.append((*lead, GridCell(label), *values))
        elif r in results:
            rows.append((*lead, GridCell(label, colspan=2), *values))
        else:
            rows.append((GridCell(label, colspan=3), *values))
    return Grid("applications", 3 + len(cols), tuple(rows))


def _review_grid(table: Table, wrap: bool) -> Grid:
    parts = table.columns
    review, direct, after = table.rows
    n = len(parts)
    rows = (
        (GridCell(review.zh, colspan=n, header=True), GridCell(direct.group, colspan=2 * n, header=True)),
        (*(GridCell(_wrap(p.zh, wrap), rowspan=2, header=True) for p in parts),
         GridCell(direct.zh, colspan=n, header=True), GridCell(after.zh, colspan=n, header=True)),
        tuple(GridCell(_wrap(p.zh, wrap), header=True) for _ in (direct, after) for p in parts),
        tuple(GridCell("", slot=("review_litigation", r.key, p.key)) for r in table.rows for p in parts),
    )
    return Grid("review_litigation", 3 * n, rows)


def place_cells(grid: Grid) -> list[list[tuple[int, GridCell]]]:
    """Each row's cells with their starting grid column (merged cells resolved)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(grid.rows):
        c = 0
        placed = []
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
        out.append(placed)
    return out


def covered_rows(grid: Grid) -> list[list[GridCell | None]]:
    """Rows as a browser copy flattens them: a merged cell from a row above shows up as one
    empty cell (None) in each row it covers, where it stands."""
    placed = place_cells(grid)
    starts = [(r, c, cell) for r, row in enumerate(placed) for c, cell in row]
    out = []
    for r, row in enumerate(placed):
        items: list[tuple[int, GridCell | None]] = list(row)
        for r0, c0, cell in starts:
            if r0 < r < r0 + cell.rowspan:
                items.append((c0, None))
        items.sort(key=lambda x: (x[0], x[1] is not None))
        out.append([cell for _, cell in items])
    return out


def fill_template(pieces: tuple[str, ...], slots: tuple, values: dict, show) -> str:
    """Interleave a table template's fixed text with each value slot shown by ``show``."""
    out = [pieces[0]]
    for piece, slot in zip(pieces[1:], slots, strict=True):
        out.append(show(values[slot].printed))
        out.append(piece)
    return "".join(out)
