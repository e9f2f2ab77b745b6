"""Rules inside one report's tables.

表三 T3-1…T3-4, 表四 T4-1/T4-2, 表二 T2-1, T2-3 (first half), T2-4, T2-5.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from nianbao.check.cells import (
    TABLE_EN,
    TABLE_ZH,
    Cells,
    cell_en,
    cell_zh,
    col_zh,
    num,
    row_short_zh,
    row_zh,
)
from nianbao.check.equations import Equation, Term, evaluate, report_skipped
from nianbao.check.finding import Finding, violation
from nianbao.check.sum_identities import (
    APPLICATIONS,
    REVIEW,
    SumIdentity,
    application_balance,
    outcome_total,
    row_totals,
)
from nianbao.form import Table

ACTIVE = "active"
LOW_LEVELS = frozenset({"乡镇街道", "县级", "乡镇", "街道", "县"})
FEE_LIMIT_10K_YUAN = Decimal(10000)  # above 1 亿元 only a whole jurisdiction is plausible


# (row, column, zh label, en label) of one side of an identity
_Slot = tuple[str, str, str, str]
# (where zh, where en, left slots, right slots) of one equation
_Template = tuple[str, str, tuple[_Slot, ...], tuple[_Slot, ...]]


def _slot(table: Table, row: str, col: str, short: bool) -> _Slot:
    label = row_short_zh(table, table.row(row)) if short else cell_zh(table, row, col)
    return row, col, label, table.row(row).en


def _terms(cells: Cells, table_key: str, slots: tuple[_Slot, ...]) -> list[Term]:
    return [Term(cells.read(table_key, r, c), zh, en) for r, c, zh, en in slots]


def _equations(cells: Cells, rule_id: str, table: Table, templates: tuple[_Template, ...]) -> list[Equation]:
    return [Equation(rule_id, zh, en, _terms(cells, table.key, left), _terms(cells, table.key, right))
            for zh, en, left, right in templates]


def _column_where(table: Table, col: str) -> tuple[str, str]:
    c = table.column(col)
    return f"{TABLE_ZH[table.key]} {col_zh(table, c)}列", f"{TABLE_EN[table.key]}, column '{c.en}'"


def _run(rule_id: str, equations: list[Equation]) -> list[Finding]:
    outcome = evaluate(equations)
    return outcome.findings + report_skipped(rule_id, outcome.skipped)


def check_application_balance(cells: Cells) -> list[Finding]:
    """T3-1: 一 + 二 = 三（七）总计 + 四, per column, as printed in the table header."""
    return _run_per_column(cells, application_balance, "T3-1")


def check_outcome_total(cells: Cells) -> list[Finding]:
    """T3-2: （七）总计 = sum of the outcome rows of this table's form version."""
    return _run_per_column(cells, outcome_total, "T3-2")


def _run_per_column(cells: Cells, identities: Callable[[Table], list[SumIdentity]], rule_id: str) -> list[Finding]:
    table = cells.form_table(APPLICATIONS)
    if table is None:
        return []
    return _run(rule_id, _equations(cells, rule_id, table, _column_templates(identities, table)))


@cache  # the form is declared once: an equation's cells and labels are the same for every report
def _column_templates(identities: Callable[[Table], list[SumIdentity]], table: Table) -> tuple[_Template, ...]:
    return tuple((*_column_where(table, ident.along), tuple(_slot(table, r, c, True) for r, c in ident.left),
                  tuple(_slot(table, r, c, True) for r, c in ident.right)) for ident in identities(table))


def check_row_totals(cells: Cells, rule_id: str, table_key: str) -> list[Finding]:
    """T3-3 / T4-1: the 总计 column of each row = the sum of the row's other columns."""
    table = cells.form_table(table_key)
    if table is None:
        return []
    return _run(rule_id, _equations(cells, rule_id, table, _row_templates(table, rule_id)))


@cache
def _row_templates(table: Table, rule_id: str) -> tuple[_Template, ...]:
    out = []
    for ident in row_totals(table, rule_id):
        row = table.row(ident.along)
        out.append((f"{TABLE_ZH[table.key]}「{row_zh(table, row)}」行", f"{TABLE_EN[table.key]}, row '{row.en}'",
                    tuple((r, c, "总计", "total") for r, c in ident.left),
                    tuple((r, c, col_zh(table, table.column(c)), table.column(c).en) for r, c in ident.right)))
    return tuple(out)  # shared by every report: not to be changed


def _allowed(table_key: str, version: str | None, row: str, col: str) -> tuple[bool, bool]:
    """(may be negative, may be decimal) for one cell."""
    if table_key != ACTIVE:
        return False, False
    if version == "2021" and col == "amount_10k_yuan":
        return False, True
    if version == "2019" and col == "change":
        return True, False
    if version == "2019" and row == "gov_procurement" and col == "amount":
        return False, True
    return False, False


def check_number_kinds(cells: Cells, rule_id: str, table_key: str) -> list[Finding]:
    """T3-4 / T4-2 / T2-1: counts are non-negative integers, with the form's exceptions."""
    table = cells.form_table(table_key)
    if table is None:
        return []
    version = cells.version(table_key)
    rows, cols = _keys_of(table)
    out = []
    # most cells are whole and non-negative: only the others are sorted and judged in full
    odd = [(cell, value) for cell, value in cells.printed(table_key)
           if (value.number < 0 or value.number != value.number.to_integral_value())
           and cell.row in rows and cell.col in cols]  # a cell of the other form version is not this table's
    for cell, value in sorted(odd, key=lambda cv: cv[0].key):
        negative_ok, decimal_ok = _allowed(table_key, version, cell.row, cell.col)
        n = value.number
        problems_zh, problems_en = [], []
        if n < 0 and not negative_ok:
            problems_zh.append("为负数")
            problems_en.append("is negative")
        if n != n.to_integral_value() and not decimal_ok:
            problems_zh.append("不是整数")
            problems_en.append("is not a whole number")
        if problems_zh:
            printed = value.raw.strip() or num(n)
            out.append(violation(
                rule_id,
                f"{cell_zh(table, cell.row, cell.col)} 印为 {printed}，{'且'.join(problems_zh)}",
                f"{cell_en(table, cell.row, cell.col)} is printed as {printed}: "
                f"{' and '.join(problems_en)}",
                (cell.key,)))
    return out


@cache
def _keys_of(table: Table) -> tuple[frozenset[str], frozenset[str]]:
    """The row and column keys of a form table."""
    return frozenset(r.key for r in table.rows), frozenset(c.key for c in table.columns)


def check_published_within_total(cells: Cells) -> list[Finding]:
    """T2-3 (first half), 2019 form: 本年新公开数量 ≤ 对外公开总数量."""
    if cells.version(ACTIVE) != "2019":
        return []
    table = cells.form_table(ACTIVE)
    out = []
    for row in ("regulations", "normative_documents"):
        new = cells.number(ACTIVE, row, "new_published")
        total = cells.number(ACTIVE, row, "total_published")
        if new is None or total is None or new <= total:
            continue
        out.append(violation(
            "T2-3",
            f"{cell_zh(table, row, 'new_published')}（{num(new)}）> {cell_zh(table, row, 'total_published')}"
            f"（{num(total)}），多 {num(new - total)}",
            f"{cell_en(table, row, 'new_published')} ({num(new)}) > {cell_en(table, row, 'total_published')} "
            f"({num(total)}), by {num(new - total)}",
            (f"{ACTIVE}.{row}.new_published", f"{ACTIVE}.{row}.total_published")))
    return out


def check_regulations_issuer(cells: Cells, metadata: Any) -> list[Finding]:
    """T2-4: 规章 are made by State Council departments and provincial or 设区的市 governments only."""
    level = getattr(metadata, "level", None)
    if level not in LOW_LEVELS:
        return []
    table = cells.form_table(ACTIVE)
    col = "issued" if cells.version(ACTIVE) == "2021" else "new_made"
    n = cells.number(ACTIVE, "regulations", col) if table else None
    if n is None or n <= 0:
        return []
    return [violation(
        "T2-4",
        f"{cell_zh(table, 'regulations', col)} 为 {num(n)}，但本机关层级为“{level}”，该层级不能制定规章",
        f"{cell_en(table, 'regulations', col)} is {num(n)}, but the body's level is '{level}', "
        "which cannot make regulations",
        (f"{ACTIVE}.regulations.{col}",))]


def check_fee_amount(cells: Cells, metadata: Any) -> list[Finding]:
    """T2-5: a 2021 fee amount in 万元 that looks like yuan, or is printed with 元."""
    if cells.version(ACTIVE) != "2021":
        return []
    table = cells.form_table(ACTIVE)
    reading = cells.read(ACTIVE, "admin_fees", "amount_10k_yuan")
    value = cells.values.get((ACTIVE, "admin_fees", "amount_10k_yuan"))
    if reading.number is None or value is None:
        return []
    key = (reading.cell.key,)
    where_zh = cell_zh(table, "admin_fees", "amount_10k_yuan")
    where_en = cell_en(table, "admin_fees", "amount_10k_yuan")
    if value.unit == "元":
        printed = value.raw.strip()
        return [violation("T2-5", f"{where_zh} 印为“{printed}”，单位是元，而该列单位为万元",
                          f"{where_en} is printed as '{printed}' in yuan; the column is in 10k yuan", key)]
    scope = getattr(metadata, "scope", "agency")
    if reading.number > FEE_LIMIT_10K_YUAN and scope != "jurisdiction":
        return [violation(
            "T2-5",
            f"{where_zh} 为 {num(reading.number)} 万元（超过 1 亿元），对单个机关而言过大，"
            "可能误把元填入万元列",
            f"{where_en} is {num(reading.number)} × 10k yuan (over 100 million yuan), implausible for a "
            "single body; yuan may have been entered in the 10k-yuan column",
            key)]
    return []


def check_tables(cells: Cells, metadata: Any) -> list[Finding]:
    return [
        *check_application_balance(cells),
        *check_outcome_total(cells),
        *check_row_totals(cells, "T3-3", APPLICATIONS),
        *check_number_kinds(cells, "T3-4", APPLICATIONS),
        *check_row_totals(cells, "T4-1", REVIEW),
        *check_number_kinds(cells, "T4-2", REVIEW),
        *check_number_kinds(cells, "T2-1", ACTIVE),
        *check_published_within_total(cells),
        *check_regulations_issuer(cells, metadata),
        *check_fee_amount(cells, metadata),
    ]
