"""The form's sum identities (format-spec §5), declared once.

The checks evaluate them over printed numbers (``check.rules_tables``: T3-1, T3-2, T3-3,
T4-1); the OCR verification evaluates the same identities over the cells a scan gave
(``parse.ocr_verify``). Each identity is one instance of a rule: one column of T3-1/T3-2,
one row of T3-3/T4-1.
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.form import Table

APPLICATIONS, REVIEW = "applications", "review_litigation"
# Rows of table 三 that are not outcomes of handling; every other row sums into （七）总计.
NOT_OUTCOMES = ("new_received", "carried_over", "total", "carried_forward")

Cell = tuple[str, str]  # (row key, column key) within the identity's table


@dataclass(frozen=True)
class SumIdentity:
    """``sum(left) = sum(right)`` over cells of one table."""

    rule_id: str
    table: str
    along: str  # the column (T3-1, T3-2) or the row (T3-3, T4-1) the instance is about
    left: tuple[Cell, ...]
    right: tuple[Cell, ...]

    @property
    def keys(self) -> tuple[tuple[str, str, str], ...]:
        """Fact keys (table, row, column), left side first."""
        return tuple((self.table, r, c) for r, c in self.left + self.right)


def application_balance(table: Table) -> list[SumIdentity]:
    """T3-1, per column: 一 + 二 = 三（七）总计 + 四 (the identity printed in the table header)."""
    return [SumIdentity("T3-1", table.key, col.key,
                        (("new_received", col.key), ("carried_over", col.key)),
                        (("total", col.key), ("carried_forward", col.key)))
            for col in table.columns]


def outcome_total(table: Table) -> list[SumIdentity]:
    """T3-2, per column: （七）总计 = the sum of the outcome rows of this table's form version."""
    outcomes = [r.key for r in table.rows if r.key not in NOT_OUTCOMES]
    return [SumIdentity("T3-2", table.key, col.key, (("total", col.key),),
                        tuple((r, col.key) for r in outcomes))
            for col in table.columns]


def row_totals(table: Table, rule_id: str) -> list[SumIdentity]:
    """T3-3 (表三) / T4-1 (表四), per row: 总计 = the sum of the row's other columns."""
    return [SumIdentity(rule_id, table.key, row.key, ((row.key, "total"),),
                        tuple((row.key, c) for c in row.cols if c != "total"))
            for row in table.rows if "total" in row.cols]


def table_identities(table: Table) -> list[SumIdentity]:
    """Every sum identity of one form table (表二 has none)."""
    if table.key == APPLICATIONS:
        return application_balance(table) + outcome_total(table) + row_totals(table, "T3-3")
    if table.key == REVIEW:
        return row_totals(table, "T4-1")
    return []
