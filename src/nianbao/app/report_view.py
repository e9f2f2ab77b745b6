"""One report's table laid out like the official form, as a DataFrame plus per-cell CSS."""

from __future__ import annotations

import pandas as pd

from nianbao.form import FORMS

NA_MARK = "—"
NOT_READ_MARK = "？"  # a form cell with no value: unreadable or not printed — never shown as blank
FLAG_CSS = "background-color: #fde2e1; color: #9b1c1c; font-weight: 600"
NOT_IN_FORM_CSS = "background-color: #f1f1f1"
MISSING_CSS = "background-color: #fafafa; color: #999"


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
              flagged: set[tuple[str, str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, css): rows and columns of the form; a number as printed, blank as "", 不适用 as —."""
    table = FORMS[version].table(table_key)
    mine = facts[facts["table_key"] == table_key]
    by_cell = {(r, c): (k, v) for r, c, k, v in zip(mine["row_key"], mine["col_key"], mine["kind"],
                                                     mine["value_text"], strict=True)}
    columns = [c.en if lang == "en" else c.zh for c in table.columns]
    labels, values, css = [], [], []
    for row in table.rows:
        labels.append(row.en if lang == "en" else f"{row.prefix}{row.zh}")
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
    index = pd.Index(labels, name="")
    return pd.DataFrame(values, index=index, columns=columns), pd.DataFrame(css, index=index, columns=columns)
