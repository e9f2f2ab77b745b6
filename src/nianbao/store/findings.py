"""Stored findings: recomputed for re-ingested reports and for the next year's report of the
same agency, whose cross-year rules depend on them."""

from __future__ import annotations

from decimal import Decimal

import duckdb

from nianbao.parse.model import Fact, Metadata, Report, Section, TableResult, Value


def report_from_db(con: duckdb.DuckDBPyConnection, rid: str) -> Report | None:
    """Rebuild enough of a Report from the store for the checks to run on it."""
    row = con.execute(
        "SELECT source_name, source_format, source_sha256, agency, report_year, period_year, scope, level, "
        "form_version, status, source_text, province, city, county, category FROM reports "
        "WHERE report_id = ?", [rid]).fetchone()
    if row is None:
        return None
    meta = Metadata(agency=row[3], report_year=row[4], period_year=row[5], scope=row[6], level=row[7],
                    province=row[11], city=row[12], county=row[13], category=row[14])
    facts = [Fact(t, r, c, Value(k, Decimal(vt) if k == "number" else None, raw or "", unit), place or "")
             for t, r, c, k, vt, raw, unit, place in con.execute(
                 "SELECT table_key, row_key, col_key, kind, value_text, raw, unit, place FROM facts "
                 "WHERE report_id = ?", [rid]).fetchall()]
    sections = [Section(*s) for s in con.execute(
        "SELECT number, key, heading, text FROM sections WHERE report_id = ? ORDER BY number", [rid]).fetchall()]
    tables = {}
    for key in ("active", "applications", "review_litigation"):
        present = any(f.table == key for f in facts)
        tables[key] = TableResult(key, row[8] if present else None, found=present)
    report = Report(row[0], row[1], row[2], meta, row[8], facts, tables, sections, status=row[9],
                    text=row[10] or "")
    report.narrative = [_Narrative(k, Decimal(v), a, s) for k, v, a, s in con.execute(
        "SELECT key, value_text, approximate, sentence FROM narrative WHERE report_id = ?", [rid]).fetchall()]
    return report


class _Narrative:
    def __init__(self, key: str, value: Decimal, approximate: bool, sentence: str):
        self.key, self.value, self.approximate, self.sentence = key, value, approximate, sentence


def _neighbours(con: duckdb.DuckDBPyConnection, rid: str, offset: int) -> list[str]:
    """Reports of the same agency and scope ``offset`` years after this one."""
    return [r[0] for r in con.execute(
        "SELECT o.report_id FROM reports r JOIN reports o ON o.agency_id = r.agency_id "
        "AND o.scope = r.scope AND o.report_year = r.report_year + ? AND o.status <> 'failed' "
        "WHERE r.report_id = ? AND r.agency_id IS NOT NULL", [offset, rid]).fetchall()]


def recheck(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> int:
    """Recompute findings of these reports and of the reports that follow them; return the count."""
    try:
        from nianbao.check import check_report
    except ImportError:  # the check stage is optional at this layer
        return 0
    todo: list[str] = []
    for rid in report_ids:
        for r in (rid, *_neighbours(con, rid, 1)):
            if r not in todo:
                todo.append(r)
    written = 0
    for rid in todo:
        report = report_from_db(con, rid)
        if report is None:
            continue
        prev_ids = _neighbours(con, rid, -1)
        previous = report_from_db(con, prev_ids[0]) if prev_ids else None
        findings = check_report(report, previous)
        con.execute("DELETE FROM findings WHERE report_id = ?", [rid])
        if findings:
            con.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?)",
                            [(rid, f.rule_id, f.severity, f.message_zh, f.message_en, ",".join(f.cells))
                             for f in findings])
        written += len(findings)
    return written
