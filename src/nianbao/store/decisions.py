"""Reviewer decisions on findings (确认 / 驳回 + comment), and the agency roster.

A decision is keyed by the report's identity — agency, year and scope, or the file name for a
report whose agency has no cross-year id — plus the rule and the cells, never by the report id
(the hash of the file): a re-ingested or corrected file keeps its decisions. The numbers of the
finding are stored with the decision; when the finding's numbers change (a corrected file), the
decision is shown as stale rather than silently applied to a different problem.

Writes go through :func:`nianbao.store.write.writable`, like ingest: one writer, in place in one
transaction (O(decision), not a copy of the database), falling back to a copy while readers hold
the file open.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from nianbao.store.write import writable

DECISIONS = {"confirmed": ("确认", "confirmed"), "dismissed": ("驳回", "dismissed")}
# SQL over a ``reports`` row aliased r: the identity decisions are keyed by
IDENTITY_SQL = ("coalesce(r.agency_id || '|' || CAST(r.report_year AS VARCHAR) || '|' || r.scope, "
                "'file:' || r.source_name)")
# SQL over a ``findings`` row aliased f: its numbers, in order, comma-separated
NUMBERS_SQL = r"array_to_string(regexp_extract_all(f.message_zh, '\d+(?:\.\d+)?'), ',')"
ROSTER_COLUMNS = ("agency", "region", "level", "category")


def record_decision(db: str | Path, identity: str, rule_id: str, cells: str, numbers: str, decision: str,
                    comment: str, reviewer: str) -> None:
    """Store (or replace) the decision on one finding."""
    if decision not in DECISIONS:
        raise ValueError(f"未知的决定 / unknown decision: {decision}")
    with writable(db) as con:
        con.execute("DELETE FROM decisions WHERE identity = ? AND rule_id = ? AND cells = ?",
                    [identity, rule_id, cells or ""])
        con.execute("INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [identity, rule_id, cells or "", numbers, decision, comment, reviewer, datetime.now()])


def read_roster(path: str | Path) -> list[dict[str, str]]:
    """Rows of a roster CSV (agency required; region, level, category optional)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or "agency" not in rows[0]:
        raise ValueError(f"名录缺少 agency 列或为空 / roster has no 'agency' column or no rows: {path}")
    return [{k: (r.get(k) or "").strip() for k in ROSTER_COLUMNS} for r in rows if (r.get("agency") or "").strip()]


def import_roster(db: str | Path, path: str | Path) -> int:
    """Replace the stored roster with the CSV's rows; returns how many were stored."""
    rows = read_roster(path)
    with writable(db) as con:
        con.execute("DELETE FROM roster")
        con.executemany("INSERT INTO roster VALUES (?, ?, ?, ?)",
                        [[r[k] or None for k in ROSTER_COLUMNS] for r in rows])
    return len(rows)
