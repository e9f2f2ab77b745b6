"""表二 stock rows decided by the previous year, at load time.

A 表二 row printed as run-together digits ("1030") can split several ways (1|0|30, 10|3|0 …).
The parser keeps the candidate splits on the report; here, when the same agency's report for
the year before is in the database (or in the same batch), 现行有效 = 上年现行有效 + 本年制发 −
本年废止 may leave exactly one of them. Never when the previous year's value is itself
uncertain (split from run-together digits, decided by this rule, or not a number).
"""

from __future__ import annotations

from decimal import Decimal

import duckdb

from nianbao.form import FORMS
from nianbao.parse import settle_status
from nianbao.parse.model import Fact, Report
from nianbao.parse.tables import split_value

CROSS_YEAR = "（由跨年度规则确定：现行有效 = 上年现行有效 + 本年制发 − 本年废止 / resolved by cross-year rule: " \
             "in force = last year's in force + issued − repealed）"
_UNCERTAIN = "（由"  # every recovered value says how in its place


def _previous_in_force(con: duckdb.DuckDBPyConnection, batch: dict[str, Report], aid: str, year: int,
                       scope: str, row: str, agency_of) -> Decimal | None:
    """The previous year's 现行有效 for ``row`` when it was printed plainly, else None."""
    for other in batch.values():
        m = other.metadata
        if m.report_year == year - 1 and m.scope == scope and other.status != "failed" and agency_of(other) == aid:
            fact = next((f for f in other.facts if f.key == ("active", row, "in_force")), None)
            if fact is not None:
                return _certain(fact.value.kind, fact.value.number, fact.place)
    found = con.execute(
        "SELECT f.kind, f.value_text, f.place FROM facts f JOIN reports r USING (report_id) "
        "WHERE r.agency_id = ? AND r.report_year = ? AND r.scope = ? AND r.status <> 'failed' "
        "AND f.table_key = 'active' AND f.row_key = ? AND f.col_key = 'in_force'",
        [aid, year - 1, scope, row]).fetchall()
    if len(found) != 1:
        return None  # none, or several stored versions that may disagree
    kind, text, place = found[0]
    return _certain(kind, Decimal(text) if kind == "number" and text else None, place)


def _certain(kind: str, number: Decimal | None, place: str | None) -> Decimal | None:
    if kind != "number" or number is None or _UNCERTAIN in (place or ""):
        return None
    return number


def resolve_stock_rows(con: duckdb.DuckDBPyConnection, report: Report, batch: dict[str, Report],
                       agency_of) -> None:
    """Decide the report's ambiguous 表二 stock rows by the previous year, where it can."""
    table = report.tables.get("active")
    year, aid = report.metadata.report_year, agency_of(report)
    if table is None or not table.split_candidates or year is None or aid is None:
        return
    for row, splits in list(table.split_candidates.items()):
        before = _previous_in_force(con, batch, aid, year, report.metadata.scope, row, agency_of)
        if before is None:
            continue
        fitting = []
        for split in splits:
            issued, repealed, in_force = (split_value(x) for x in split)
            if all(v.kind == "number" and v.number is not None for v in (issued, repealed, in_force)) \
                    and in_force.number == before + issued.number - repealed.number:
                fitting.append((issued, repealed, in_force))
        if len(fitting) != 1:
            continue
        for col, value in zip(("issued", "repealed", "in_force"), fitting[0], strict=True):
            report.facts.append(Fact("active", row, col, value, "表二" + CROSS_YEAR))
        table.unreadable_rows.remove(row)
        zh = FORMS[table.version or "2021"].table("active").row(row).zh
        report.warnings = [w for w in report.warnings if not w.startswith(f"表二“{zh}”行无法准确读取")]
        del table.split_candidates[row]
        report.warnings.append(f"表二“{zh}”行的连写数字按上年现行有效件数 {before} 确定 / "
                               f"table active row {row}: run-together digits decided by last year's in force "
                               f"({before})")
    if report.status == "partial":
        settle_status(report)
