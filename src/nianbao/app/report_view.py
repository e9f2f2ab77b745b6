"""One report's table laid out like the official form, as a DataFrame plus per-cell CSS."""

from __future__ import annotations

import re

import pandas as pd

from nianbao.form import FORMS

NA_MARK = "—"
NOT_READ_MARK = "？"  # a form cell with no value: unreadable or not printed — never shown as blank
FLAG_CSS = "background-color: #fde2e1; color: #9b1c1c; font-weight: 600"
NOT_IN_FORM_CSS = "background-color: #f1f1f1"
MISSING_CSS = "background-color: #fafafa; color: #999"


_FULL_WIDTH = str.maketrans("()", "（）")
UNITS_EN = {"件": "cases", "万元": "10k yuan", "项": "items", "个": "items"}


def column_label(col, lang: str) -> str:
    """A column header with its unit when the unit is not 件 (本年收费金额（万元）)."""
    name = col.en if lang == "en" else col.zh
    if col.unit in ("件", "", "as printed"):
        return name
    return f"{name} ({UNITS_EN.get(col.unit, col.unit)})" if lang == "en" else f"{name}（{col.unit}）"


def row_labels(row, lang: str) -> tuple[str, str]:
    """(group heading, row label) as the form prints them; the group is empty for top rows."""
    if lang == "en":
        return (row.en.split(":")[0] if row.group and ":" in row.en else ""), row.en
    return row.group.translate(_FULL_WIDTH), f"{row.prefix}{row.zh}".translate(_FULL_WIDTH)


def source_line(source_text: str | None, place: str | None, raw: str | None) -> str | None:
    """The source line a value was read from, when its place names a line ("line 120")."""
    if not source_text or not place:
        return None
    m = re.search(r"\bline (\d+)", place)
    if not m:
        return None
    lines = source_text.splitlines()
    n = int(m.group(1))
    return lines[n - 1].strip() if 0 < n <= len(lines) else None


def place_text(place: str | None, lang: str) -> str:
    """"page 3, table 2, row 5, col 2" → 第 3 页，第 2 张表，第 5 行，第 2 列."""
    if not place:
        return "—"
    if lang == "en":
        return place
    words = {"page": "第 {} 页", "line": "第 {} 行（原文）", "table": "第 {} 张表", "row": "第 {} 行",
             "col": "第 {} 列"}
    out = []
    for part in re.split(r",\s*", place):
        m = re.match(r"(page|line|table|row|col) (\d+)(.*)", part)
        out.append(words[m.group(1)].format(m.group(2)) + m.group(3) if m else part)
    return "，".join(out)


def table_version(facts: pd.DataFrame, table_key: str, form_version: str) -> str:
    """The form a table was printed in: the report's version, or (for mixed reports) the form
    whose cells the table's facts match best."""
    if form_version in FORMS:
        return form_version
    keys = set(zip(facts.loc[facts["table_key"] == table_key, "row_key"],
                   facts.loc[facts["table_key"] == table_key, "col_key"], strict=True))

    def overlap(version: str) -> int:
        return len(keys & {(r.key, c.key) for r, c in FORMS[version].table(table_key).cells()})

    return max(("2021", "2019"), key=overlap)


def flagged_cells(findings: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(table, row, col) of every cell named in a finding."""
    out = set()
    for cells in findings.get("cells", pd.Series(dtype=str)).dropna():
        for cell in str(cells).split(","):
            parts = cell.strip().split(".")
            if len(parts) == 3:
                out.add(tuple(parts))
    return out


def form_grid(facts: pd.DataFrame, table_key: str, version: str, lang: str,
              flagged: set[tuple[str, str, str]]) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(values, css, cells): rows and columns of the form — a number as printed, blank as "",
    不适用 as — — and (row position, column header) → the cell's fact (raw text, place)."""
    table = FORMS[version].table(table_key)
    mine = facts[facts["table_key"] == table_key]
    by_cell = {(r, c): (k, v) for r, c, k, v in zip(mine["row_key"], mine["col_key"], mine["kind"],
                                                     mine["value_text"], strict=True)}
    sources = {(r, c): {"raw": raw, "place": place} for r, c, raw, place in zip(
        mine["row_key"], mine["col_key"], mine["raw"], mine["place"], strict=True)}
    cells: dict[tuple[int, str], dict] = {}
    columns = [column_label(c, lang) for c in table.columns]
    labels, values, css = [], [], []
    for i, row in enumerate(table.rows):
        labels.append(row_labels(row, lang))
        for col, header in zip(table.columns, columns, strict=True):
            if (row.key, col.key) in sources:
                cells[(i, header)] = sources[(row.key, col.key)]
        vrow, crow = [], []
        for col in table.columns:
            if col.key not in row.cols:
                vrow.append("")
                crow.append(NOT_IN_FORM_CSS)
                continue
            kind, text = by_cell.get((row.key, col.key), (None, ""))
            vrow.append(NA_MARK if kind == "na" else NOT_READ_MARK if kind is None else "" if kind == "blank" else text)
            style = FLAG_CSS if (table_key, row.key, col.key) in flagged else (MISSING_CSS if kind is None else "")
            crow.append(style)
        values.append(vrow)
        css.append(crow)
    # two index levels: the merged group heading (（三）不予公开) and the row under it
    index = pd.MultiIndex.from_tuples(labels, names=["", " "])
    return (pd.DataFrame(values, index=index, columns=columns), pd.DataFrame(css, index=index, columns=columns),
            cells)
