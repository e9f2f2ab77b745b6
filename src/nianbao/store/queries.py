"""Read-side queries used by the command line."""

from __future__ import annotations

from pathlib import Path

from nianbao.store.load import connect

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
_RANK_SQL = "CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"


def _dicts(db: str | Path, sql: str, params: list | None = None) -> list[dict]:
    con = connect(db)
    try:
        cur = con.execute(sql, params or [])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def findings_by_report(db: str | Path, reports: list[str] | None = None,
                       min_severity: str = "warning") -> list[dict]:
    """Findings at or above a severity, grouped by report (ordered by file, then severity)."""
    where = [f"{_RANK_SQL} <= ?"]
    params: list = [SEVERITY_RANK[min_severity]]
    if reports:
        marks = ", ".join("?" for _ in reports)
        where.append(f"(r.report_id IN ({marks}) OR r.source_name IN ({marks}))")
        params += list(reports) * 2
    return _dicts(db, "SELECT r.source_name, r.agency, r.report_year, f.rule_id, f.severity, f.message_zh, "
                      "f.message_en FROM findings f JOIN reports r USING (report_id) WHERE " + " AND ".join(where)
                  + f" ORDER BY r.source_name, {_RANK_SQL}, f.rule_id", params)


def list_agencies(db: str | Path) -> list[dict]:
    """Agencies with their inferred fields, how each was inferred, and their report years."""
    return _dicts(db, "SELECT a.agency_id, a.name, a.province, a.city, a.county, a.level, a.category, "
                      "string_agg(DISTINCT r.scope, ',') AS scope, list_sort(list(DISTINCT r.report_year)) AS years, "
                      "any_value(a.how) AS how FROM agencies a JOIN reports r USING (agency_id) "
                      "GROUP BY ALL ORDER BY a.province NULLS LAST, a.city NULLS LAST, a.county NULLS LAST, a.name")


def report_manifest(db: str | Path) -> list[dict]:
    """One manifest row per loaded file with the metadata as stored (to correct and re-ingest)."""
    return _dicts(db, "SELECT source_name AS file, agency, province, city, county, level, category, scope, "
                      "report_year FROM reports ORDER BY source_name")
