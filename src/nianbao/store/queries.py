"""Read-side queries used by the command line."""

from __future__ import annotations

from pathlib import Path

from nianbao.store.load import connect

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def findings_by_report(db: str | Path, reports: list[str] | None = None,
                       min_severity: str = "warning") -> list[dict]:
    """Findings at or above a severity, grouped by report (ordered by file, then severity)."""
    con = connect(db)
    try:
        where = ["CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END <= ?"]
        params: list = [SEVERITY_RANK[min_severity]]
        if reports:
            marks = ", ".join("?" for _ in reports)
            where.append(f"(r.report_id IN ({marks}) OR r.source_name IN ({marks}))")
            params += list(reports) * 2
        cur = con.execute(
            "SELECT r.source_name, r.agency, r.report_year, f.rule_id, f.severity, f.message_zh, f.message_en "
            "FROM findings f JOIN reports r USING (report_id) WHERE " + " AND ".join(where) +
            " ORDER BY r.source_name, CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "
            "f.rule_id", params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()
