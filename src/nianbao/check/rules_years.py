"""Rules across two consecutive reports of one agency: X-1, T2-2, T2-3 (second half).

The caller supplies the previous report; these rules only compare it when it is really the
year before (the corpus has gaps: a 2021 report followed by a 2023 one compares nothing) and
of the same scope (a whole-jurisdiction report does not continue an office's own report).
"""

from __future__ import annotations

from typing import Any

from nianbao.check.cells import TABLE_ZH, Cells, cell_en, cell_zh, col_zh, num
from nianbao.check.equations import Equation, Term, evaluate, report_skipped
from nianbao.check.finding import Finding, note, violation

APPLICATIONS, ACTIVE = "applications", "active"


def comparable_years(report: Any, previous: Any) -> list[Finding] | None:
    """None when `previous` is the same agency's report of the year before, else why not."""
    year = getattr(report.metadata, "report_year", None)
    prev_year = getattr(previous.metadata, "report_year", None)
    if year is None or prev_year is None:
        return [note("X-1", "未做跨年比较：报告年份不明",
                     "no cross-year comparison: a report year is unknown")]
    if prev_year != year - 1:
        return [note("X-1", f"未做跨年比较：上一份报告是 {prev_year} 年的，不是 {year - 1} 年",
                     f"no cross-year comparison: the previous report is for {prev_year}, not {year - 1}")]
    scope = getattr(report.metadata, "scope", None)
    prev_scope = getattr(previous.metadata, "scope", None)
    if scope != prev_scope:
        return [note("X-1", f"未做跨年比较：统计口径不同（{prev_year} 年 {prev_scope}，{year} 年 {scope}）",
                     f"no cross-year comparison: scope differs ({prev_year} {prev_scope}, {year} {scope})")]
    return None


def check_carry_over(cells: Cells, prev: Cells, year: int) -> list[Finding]:
    """X-1: this year's 二、上年结转 = last year's 四、结转下年度继续办理, per column."""
    table = cells.form_table(APPLICATIONS)
    prev_table = prev.form_table(APPLICATIONS)
    if table is None or prev_table is None:
        return []
    equations = []
    for col in table.columns:
        this = cells.read(APPLICATIONS, "carried_over", col.key)
        last = prev.read(APPLICATIONS, "carried_forward", col.key)
        label = col_zh(table, col)
        equations.append(Equation(
            "X-1", f"{TABLE_ZH[APPLICATIONS]} {label}列", f"Table 3, column '{col.en}'",
            [Term(this, f"{year} 年“二、上年结转”", f"{year} carried over")],
            [Term(last, f"{year - 1} 年“四、结转下年度继续办理”", f"{year - 1} carried forward")]))
    outcome = evaluate(equations)
    return outcome.findings + report_skipped("X-1", outcome.skipped)


def check_in_force_roll(cells: Cells, prev: Cells, year: int) -> list[Finding]:
    """T2-2 (2021 form): 现行有效(y) ≈ 现行有效(y−1) + 本年制发(y) − 本年废止(y). Warn only."""
    if cells.version(ACTIVE) != "2021" or prev.version(ACTIVE) != "2021":
        return []
    table = cells.form_table(ACTIVE)
    out = []
    for row in ("regulations", "normative_documents"):
        in_force = cells.number(ACTIVE, row, "in_force")
        issued = cells.number(ACTIVE, row, "issued")
        repealed = cells.number(ACTIVE, row, "repealed")
        before = prev.number(ACTIVE, row, "in_force")
        if None in (in_force, issued, repealed, before):
            continue
        expected = before + issued - repealed
        if expected == in_force:
            continue
        out.append(violation(
            "T2-2",
            f"{cell_zh(table, row, 'in_force')} 为 {num(in_force)}，而上年现行有效 {num(before)}"
            f" + 本年制发 {num(issued)} − 本年废止 {num(repealed)} = {num(expected)}，"
            f"相差 {num(abs(expected - in_force))}"
            "（修订、机构调整可致差异）",
            f"{cell_en(table, row, 'in_force')} is {num(in_force)}, but last year's {num(before)} + issued "
            f"{num(issued)} − repealed {num(repealed)} = {num(expected)}; difference "
            f"{num(abs(expected - in_force))} (revisions and reorganisations can explain it)",
            (f"{ACTIVE}.{row}.in_force", f"{ACTIVE}.{row}.issued", f"{ACTIVE}.{row}.repealed")))
    return out


def check_item_roll(cells: Cells, prev: Cells, year: int) -> list[Finding]:
    """T2-3 (2019 form): 上一年项目数量(y−1) + 本年增/减(y−1) ≈ 上一年项目数量(y). Warn only."""
    if cells.version(ACTIVE) != "2019" or prev.version(ACTIVE) != "2019":
        return []
    table = cells.form_table(ACTIVE)
    out = []
    for row in (r.key for r in table.rows if "prev_items" in r.cols):
        items = cells.number(ACTIVE, row, "prev_items")
        before = prev.number(ACTIVE, row, "prev_items")
        change = prev.number(ACTIVE, row, "change")
        if None in (items, before, change):
            continue
        expected = before + change
        if expected == items:
            continue
        out.append(violation(
            "T2-3",
            f"{cell_zh(table, row, 'prev_items')} 为 {num(items)}，"
            f"而 {year - 1} 年上一年项目数量 {num(before)}"
            f" + 本年增/减 {num(change)} = {num(expected)}，相差 {num(abs(expected - items))}",
            f"{cell_en(table, row, 'prev_items')} is {num(items)}, but {year - 1}'s items {num(before)} + "
            f"change {num(change)} = {num(expected)}; difference {num(abs(expected - items))}",
            (f"{ACTIVE}.{row}.prev_items",)))
    return out


def check_years(report: Any, previous: Any) -> list[Finding]:
    refusal = comparable_years(report, previous)
    if refusal is not None:
        return refusal
    cells, prev = Cells(report), Cells(previous)
    year = report.metadata.report_year
    return [*check_carry_over(cells, prev, year), *check_in_force_roll(cells, prev, year),
            *check_item_roll(cells, prev, year)]
