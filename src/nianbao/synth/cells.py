"""A year's figures fitted to one form and printed: each cell's printed text and its CSV value.

The CSV value is exactly what the corpus expected files hold for the printed text: canonical
numbers, empty for a blank cell, ``NA`` for a ``/``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from nianbao.form import FORMS
from nianbao.parse.model import format_decimal
from nianbao.synth.numbers import APPLICANT_COLS, OTHER_2021_ROWS, OUTCOME_ROWS, REVIEW_PARTS, YearFigures

Key = tuple[str, str, str]


@dataclass(frozen=True)
class Cell:
    value: str  # the expected CSV value
    printed: str  # what the report prints ("" = blank cell)


@dataclass(frozen=True)
class PrintStyle:
    """How one report prints its numbers (real reports differ in all of these)."""

    plus_sign: bool = False  # 2019 本年增/减: "+4"
    fixed_decimals: bool = False  # 2021 fee: "12.30", "0.00"
    regulations_mark: str = "0"  # agencies that make no 规章: "0" | "NA" ("/") | "blank"
    zero_blank: bool = False  # table 三 prints zeros as blank cells (as Shanghai 2019 does)
    procurement_yuan: bool = False  # 2019 采购总金额 printed in 元 with the unit: "251000元"


def choose_style(rng: random.Random, blank_share: float, makes_regulations: bool) -> PrintStyle:
    mark = "0"
    if not makes_regulations:
        r = rng.random()
        mark = "NA" if r < 0.12 else "blank" if r < 0.12 + blank_share else "0"
    return PrintStyle(
        plus_sign=rng.random() < 0.4,
        fixed_decimals=rng.random() < 0.5,
        regulations_mark=mark,
        zero_blank=rng.random() < blank_share,
        procurement_yuan=rng.random() < 0.3,
    )


_SMALL = tuple(Cell(str(i), str(i)) for i in range(5000))


def _int(n: int) -> Cell:
    if 0 <= n < 5000:
        return _SMALL[n]
    s = str(n)
    return Cell(s, s)


@cache
def _plan(version: str) -> tuple[tuple[Key, int, int], ...]:
    """Each cell of the form with where its value comes from: (key, kind, index).
    kind 0: table 三 (index = column), 1: table 四 (index = part, -1 = total), 2: table 二."""
    plan = []
    for table in FORMS[version].tables:
        for row in table.rows:
            for col in row.cols:
                key = (table.key, row.key, col)
                if table.key == "applications":
                    index = len(APPLICANT_COLS) if col == "total" else APPLICANT_COLS.index(col)
                    plan.append((key, 0, index))
                elif table.key == "review_litigation":
                    plan.append((key, 1, -1 if col == "total" else REVIEW_PARTS.index(col)))
                else:
                    plan.append((key, 2, 0))
    return tuple(plan)


@cache
def csv_prefix(key: Key) -> str:
    return f"{key[0]},{key[1]},{key[2]},"


def fit_to_form(fig: YearFigures, version: str, style: PrintStyle) -> dict[Key, Cell]:
    """Every cell of the form ``version``, in the form's order."""
    out: dict[Key, Cell] = {}
    apps = _application_rows(fig, version)
    blank = Cell("", "")
    for key, kind, index in _plan(version):
        if kind == 0:
            n = apps[key[1]][index]
            out[key] = blank if style.zero_blank and n == 0 else _int(n)
        elif kind == 1:
            parts = fig.review[key[1]]
            out[key] = _int(sum(parts) if index < 0 else parts[index])
        else:
            out[key] = _active_cell(key[1], key[2], fig.active[f"{key[1]}.{key[2]}"], style)
    return out


def _application_rows(fig: YearFigures, version: str) -> dict[str, list[int]]:
    t3 = {r: list(v) for r, v in fig.applications.items()}
    t3["total"] = [sum(t3[r][c] for r in OUTCOME_ROWS) for c in range(len(APPLICANT_COLS))]
    if version == "2019":
        t3["other"] = [sum(t3[r][c] for r in OTHER_2021_ROWS) for c in range(len(APPLICANT_COLS))]
    for values in t3.values():
        values.append(sum(values))
    return t3


def _active_cell(row: str, col: str, value: int | Decimal, style: PrintStyle) -> Cell:
    if row == "regulations" and value == 0 and style.regulations_mark != "0":
        return Cell("NA", "/") if style.regulations_mark == "NA" else Cell("", "")
    if col == "change":
        return Cell(str(value), f"+{value}" if style.plus_sign and value > 0 else str(value))
    if col == "amount_10k_yuan":
        return Cell(format_decimal(value), f"{value:.2f}" if style.fixed_decimals else format_decimal(value))
    if col == "amount":
        if style.procurement_yuan:
            yuan = int(value * 10000)
            return Cell(str(yuan), f"{yuan}元")
        return Cell(format_decimal(value), f"{value:.2f}" if style.fixed_decimals else format_decimal(value))
    return _int(int(value))


def expected_csv(cells: dict[Key, Cell]) -> str:
    """The corpus expected-values file: header, then one line per cell in form order."""
    lines = ["table,row,col,value"]
    lines.extend(csv_prefix(key) + cell.value for key, cell in cells.items())
    return "\n".join(lines) + "\n"


def plant_table_error(cells: dict[Key, Cell], rng: random.Random, kind: str) -> dict:
    """Print one wrong 总计 and say which consistency rules must catch it."""
    if kind == "t3_grand_total":
        key = ("applications", "total", rng.choice(APPLICANT_COLS[:2]))
        rules = ["T3-1", "T3-2", "T3-3"]
    elif kind == "t3_row_total":
        key = ("applications", rng.choice(("granted", "unable_no_info", "partially_granted")), "total")
        rules = ["T3-2", "T3-3"]
    elif kind == "t3_new_total":
        key = ("applications", "new_received", "total")
        rules = ["T3-1", "T3-3"]
    elif kind == "t4_total":
        key = ("review_litigation", rng.choice(("review", "litigation_direct", "litigation_after_review")),
               "total")
        rules = ["T4-1"]
    else:
        raise ValueError(f"unknown table error kind: {kind}")
    old = int(cells[key].value or 0)
    delta = rng.randint(1, 9)
    if old >= delta and rng.random() < 0.5:
        delta = -delta
    cells[key] = _int(old + delta)
    return {"kind": kind, "rules": rules, "cell": ".".join(key), "printed": old + delta, "correct": old}


TABLE_ERROR_KINDS: tuple[str, ...] = ("t3_grand_total", "t3_row_total", "t3_new_total", "t4_total")
