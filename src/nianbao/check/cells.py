"""Reading a report's cells for the checks, and naming them in messages.

A cell the checks may use is a printed number in a row the parser read exactly. Everything
else is *absent*, with a reason the info findings can state: the table was not found, the
row could not be read or is not printed, the cell is blank or marked not applicable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from nianbao.form import FORMS, Column, Row, Table
from nianbao.parse.model import Value, format_decimal

TABLE_ZH = {"active": "表二", "applications": "表三", "review_litigation": "表四"}
TABLE_EN = {"active": "Table 2", "applications": "Table 3", "review_litigation": "Table 4"}
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "、"})
_QUOTED = re.compile(r'"([^"]*)"')
# Rows only one form version has, per table: they tell a table's version from its facts.
_EXCLUSIVE_ROWS: dict[str, dict[str, set[str]]] = {
    t: {v: {r.key for r in FORMS[v].table(t).rows} - {r.key for r in FORMS[o].table(t).rows}
        for v, o in (("2019", "2021"), ("2021", "2019"))}
    for t in ("active", "applications", "review_litigation")
}


@dataclass(frozen=True)
class Cell:
    table: str
    row: str
    col: str

    @property
    def key(self) -> str:
        return f"{self.table}.{self.row}.{self.col}"


@dataclass(frozen=True)
class Reading:
    """A cell as the checks see it: a number, or the reason it has none."""

    cell: Cell
    number: Decimal | None
    reason_zh: str = ""
    reason_en: str = ""
    parser_gap: bool = False  # absent because the parser could not read it, not because of the report


class Cells:
    """The numbers of one report (or of a lightweight previous-year record)."""

    def __init__(self, report: Any) -> None:
        self.values: dict[tuple[str, str, str], Value] = report.fact_map()
        self.tables = getattr(report, "tables", None) or {}
        self.form_version: str = getattr(report, "form_version", "") or ""
        # The rules read the same cells many times (each sum, each column): a report's readings
        # are computed once. 5 ms of checks per report were mostly Reading objects rebuilt.
        self._readings: dict[tuple[str, str, str], Reading] = {}
        self._versions: dict[str, str | None] = {}
        self._printed: dict[str, list[tuple[Cell, Value]]] = {}

    def version(self, table: str) -> str | None:
        """The form version of one table: the rows it prints, else the parser's answer, else the report's.

        The printed rows decide first because the parser may tag table 三 by a guess when the
        rows that tell the versions apart (（六）) are the ones it could not read.
        """
        if table not in self._versions:
            self._versions[table] = self._find_version(table)
        return self._versions[table]

    def _find_version(self, table: str) -> str | None:
        printed_rows = {r for (t, r, _) in self.values if t == table}
        matching = [v for v, rows in _EXCLUSIVE_ROWS[table].items() if rows & printed_rows]
        if len(matching) == 1:
            return matching[0]
        result = self.tables.get(table)
        if result is not None and result.version in FORMS:
            return result.version
        if self.form_version in FORMS:
            return self.form_version
        return None

    def form_table(self, table: str) -> Table | None:
        version = self.version(table)
        return FORMS[version].table(table) if version else None

    def read(self, table: str, row: str, col: str) -> Reading:
        key = (table, row, col)
        reading = self._readings.get(key)
        if reading is None:
            reading = self._readings[key] = self._read(table, row, col)
        return reading

    def _read(self, table: str, row: str, col: str) -> Reading:
        cell = _cell(table, row, col)
        result = self.tables.get(table)
        if result is not None:
            if not result.found:
                return _absent(cell, "未找到该表", "table not found", True)
            if row in result.unreadable_rows:
                return _absent(cell, "该行无法准确读取", "row could not be read exactly", True)
            if row in result.missing_rows:
                return _absent(cell, "报告未印此行", "row not printed", False)
        value = self.values.get((table, row, col))
        if value is None:
            return _absent(cell, "未读到此单元格", "cell not read", True)
        if value.kind == "blank":
            return _absent(cell, "空白", "blank", False)
        if value.kind == "na":
            return Reading(cell, None, f"不适用（{value.raw.strip()}）", "not applicable")
        return Reading(cell, value.number)

    def number(self, table: str, row: str, col: str) -> Decimal | None:
        return self.read(table, row, col).number

    def printed(self, table: str) -> list[tuple[Cell, Value]]:
        """Every printed number of a table in rows the parser read exactly."""
        if table not in self._printed:
            readings = [(self.read(t, r, c), value) for (t, r, c), value in self.values.items()
                        if t == table and value.kind == "number"]
            self._printed[table] = [(reading.cell, value) for reading, value in readings if reading.number is not None]
        return list(self._printed[table])


@cache  # the cells are the form's, a few hundred: one object each, shared by every report
def _cell(table: str, row: str, col: str) -> Cell:
    return Cell(table, row, col)


@cache  # readings are frozen, so an absence with a fixed reason is shared too
def _absent(cell: Cell, reason_zh: str, reason_en: str, parser_gap: bool) -> Reading:
    return Reading(cell, None, reason_zh, reason_en, parser_gap=parser_gap)


# --- names --------------------------------------------------------------------------------


@cache  # labels are pure functions of the frozen form declarations
def zh_text(label: str) -> str:
    """A declared label in print form: full-width brackets, 、 and quotes."""
    return _QUOTED.sub(r"“\1”", label.translate(_FULL_WIDTH))


@cache
def row_zh(table: Table, row: Row) -> str:
    """The row as the report prints it, with its numbering and merged group label."""
    if table.key == "review_litigation":
        return f"{row.group}·{row.zh}" if row.group else row.zh
    if table.key != "applications":
        return row.zh
    prefix = zh_text(row.prefix)
    if row.group.startswith("("):  # a numbered item under （三）…（六）
        return f"{zh_text(row.group)}{prefix}{zh_text(row.zh)}"
    return f"{prefix}{zh_text(row.zh)}"


@cache
def row_short_zh(table: Table, row: Row) -> str:
    """一 / 二 / 四 for the top-level rows of table 三, the full label otherwise (as in T3-1's header)."""
    if table.key == "applications" and row.prefix.endswith("、"):
        return row.prefix.rstrip("、")
    if table.key == "applications" and row.prefix.startswith("(") and not row.group:
        return table.group_labels[0].split("、")[0] + row_zh(table, row)  # 三（七）总计
    return row_zh(table, row)


@cache
def col_zh(table: Table, col: Column) -> str:
    if table.key == "applications" and col.key not in (table.columns[0].key, table.columns[-1].key):
        return f"法人或其他组织·{col.zh}"
    return col.zh


@cache
def cell_zh(table: Table, row_key: str, col_key: str) -> str:
    row, col = row_zh(table, table.row(row_key)), col_zh(table, table.column(col_key))
    return f"{TABLE_ZH[table.key]}「{row}」·「{col}」"


def cell_en(table: Table, row_key: str, col_key: str) -> str:
    return f"{TABLE_EN[table.key]} '{table.row(row_key).en}' × '{table.column(col_key).en}'"


def num(value: Decimal | None) -> str:
    return format_decimal(value) if value is not None else "—"
