"""Stored findings: recomputed for re-ingested reports and for the next year's report of the
same agency, whose cross-year rules depend on them."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pandas as pd

from nianbao.check import check_report
from nianbao.check.alone import Checked
from nianbao.parse.model import Fact, Metadata, Report, Section, TableResult, Value
from nianbao.store.load import report_id
from nianbao.store.review import review_batch


def report_from_db(con: duckdb.DuckDBPyConnection, rid: str) -> Report | None:
    """Rebuild enough of a Report from the store for the checks to run on it."""
    row = con.execute(
        "SELECT source_name, source_format, source_sha256, agency, report_year, period_year, scope, level, "
        "form_version, status, source_text, province, city, county, category, "
        "strftime(report_date, '%Y-%m-%d'), report_date_source FROM reports "
        "WHERE report_id = ?", [rid]).fetchone()
    if row is None:
        return None
    meta = Metadata(agency=row[3], report_year=row[4], period_year=row[5], scope=row[6], level=row[7],
                    province=row[11], city=row[12], county=row[13], category=row[14],
                    report_date=row[15], report_date_source=row[16])
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


_NEXT = ("SELECT o.report_id FROM reports r JOIN reports o ON o.agency_id = r.agency_id AND o.scope = r.scope "
         "AND o.report_year = r.report_year + 1 AND o.status <> 'failed' WHERE r.report_id IN (SELECT unnest(?))")
_PREVIOUS = ("SELECT r.report_id, p.report_id FROM reports r JOIN reports p ON p.agency_id = r.agency_id "
             "AND p.scope = r.scope AND p.report_year = r.report_year - 1 AND p.status <> 'failed' "
             "WHERE r.report_id IN (SELECT unnest(?))")


def recheck(con: duckdb.DuckDBPyConnection, batch: list[Report], duplicates: bool = True,
            checked: dict[str, Checked] | None = None) -> int:
    """Recompute findings of the batch's reports and of the reports of the year after them (whose
    cross-year rules depend on them), and D-4 over the store unless ``duplicates`` is False
    (:func:`nianbao.store.review.review_batch`); return the number of findings written.
    ``checked``: report id -> what the checks found in that report alone, computed already."""
    checked = checked or {}
    cache: dict[str, Report | None] = {report_id(r): r for r in batch if r.status != "failed"}
    todo = list(cache)
    todo += [r for (r,) in con.execute(_NEXT, [todo]).fetchall() if r not in cache]
    previous = dict(con.execute(_PREVIOUS, [todo]).fetchall())

    def get(rid: str) -> Report | None:
        if rid not in cache:
            cache[rid] = report_from_db(con, rid)
        return cache[rid]

    rows = []
    for rid in todo:
        report = get(rid)
        if report is None:
            continue
        prev = get(previous[rid]) if rid in previous else None
        rows += [(rid, f.rule_id, f.severity, f.message_zh, f.message_en, ",".join(f.cells))
                 for f in check_report(report, prev, checked[rid].findings if rid in checked else None)]
    con.execute("DELETE FROM findings WHERE report_id IN (SELECT unnest(?))", [todo])
    if rows:
        frame = pd.DataFrame(rows, columns=["report_id", "rule_id", "severity", "message_zh", "message_en", "cells"])
        con.register("_findings", frame)
        con.execute("INSERT INTO findings SELECT * FROM _findings")
        con.unregister("_findings")
    return len(rows) + review_batch(con, batch, duplicates, checked)
