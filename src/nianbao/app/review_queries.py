"""Queries for the review pages (grades, coverage, decisions): parameterised SQL over the
filtered report set, grades computed by :mod:`nianbao.check.grade`."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from nianbao.app.db import fetch_df
from nianbao.app.filters import Filters
from nianbao.app.queries import Db, filtered_reports_cte
from nianbao.check.grade import FindingRef, grade_report
from nianbao.check.rules_review import days_late
from nianbao.store.decisions import IDENTITY_SQL, NUMBERS_SQL


def findings_with_decisions(db: Db, f: Filters, report_id: str | None = None) -> pd.DataFrame:
    """Every finding of the filtered reports with its decision: ``decision`` confirmed/dismissed
    (None when undecided), ``stale`` when the finding's numbers changed since the decision."""
    cte, params = filtered_reports_cte(f)
    where = ""
    if report_id:
        where = "WHERE r.report_id = ?"
        params.append(report_id)
    sql = (f"{cte}, fx AS (SELECT f.*, {IDENTITY_SQL} AS identity, {NUMBERS_SQL} AS numbers, r.agency_label AS agency, "
           "r.report_year AS year FROM findings f JOIN fr r USING (report_id) " + where + ") "
           "SELECT fx.*, d.decision, d.comment, d.reviewer, d.decided_at, "
           "(d.decision IS NOT NULL AND d.numbers <> fx.numbers) AS stale FROM fx LEFT JOIN decisions d "
           "ON d.identity = fx.identity AND d.rule_id = fx.rule_id AND d.cells = coalesce(fx.cells, '') "
           "ORDER BY fx.year, fx.agency, fx.rule_id")
    return fetch_df(db, sql, params)


def dismissed(findings: pd.DataFrame) -> pd.Series:
    """Rows whose finding a reviewer dismissed (a stale decision no longer applies)."""
    return (findings["decision"] == "dismissed") & ~findings["stale"].fillna(False).astype(bool)


def report_grades(db: Db, f: Filters, hide_dismissed: bool = False) -> pd.DataFrame:
    """One row per filtered report: grade (None when unreadable), the step that stopped it and
    the rule ids of the findings that decided it. Unreadable (failed) reports are listed ungraded."""
    cte, params = filtered_reports_cte(f, include_failed=True)
    reports = fetch_df(db, f"{cte} SELECT report_id, agency_key, agency_label AS agency, report_year AS year, "
                           "province, city, county, level, category, scope, status, "
                           "strftime(report_date, '%Y-%m-%d') AS report_date FROM fr", params)
    findings = findings_with_decisions(db, f)
    if hide_dismissed and not findings.empty:
        findings = findings[~dismissed(findings)]
    by_report: dict[str, list[FindingRef]] = {}
    for rid, rule, sev, msg in zip(findings["report_id"], findings["rule_id"], findings["severity"],
                                   findings["message_zh"], strict=True):
        by_report.setdefault(rid, []).append(FindingRef(rule, sev, msg))
    grades, stops, rules = [], [], []
    for row in reports.itertuples():
        meta = SimpleNamespace(report_year=None if pd.isna(row.year) else int(row.year), level=row.level,
                               category=row.category, scope=row.scope,
                               report_date=row.report_date if isinstance(row.report_date, str) else None)
        late = days_late(meta)
        g = grade_report(row.status, by_report.get(row.report_id, []), None if late is None else late[0] <= 0)
        grades.append(g.grade)
        failed = next((s for s in g.steps if not s.passed), None)
        stops.append(failed.step.grade if failed else None)
        rules.append(",".join(sorted({x.rule_id for x in g.deciding})))
    return reports.assign(grade=grades, stopped_at=stops, deciding_rules=rules)


def report_ladder(db: Db, f: Filters, report_id: str, hide_dismissed: bool = False):
    """The full ladder (:class:`nianbao.check.grade.Grade`) of one report."""
    cte, params = filtered_reports_cte(f, include_failed=True)
    row = fetch_df(db, f"{cte} SELECT report_year AS year, level, category, scope, status, "
                       "strftime(report_date, '%Y-%m-%d') AS report_date FROM fr WHERE report_id = ?",
                   [*params, report_id])
    if row.empty:
        return None
    r = row.iloc[0]
    findings = findings_with_decisions(db, f, report_id)
    if hide_dismissed and not findings.empty:
        findings = findings[~dismissed(findings)]
    meta = SimpleNamespace(report_year=None if pd.isna(r["year"]) else int(r["year"]), level=r["level"],
                           category=r["category"], scope=r["scope"],
                           report_date=r["report_date"] if isinstance(r["report_date"], str) else None)
    late = days_late(meta)
    refs = [FindingRef(a, b, c) for a, b, c in zip(findings["rule_id"], findings["severity"], findings["message_zh"],
                                                   strict=True)]
    return grade_report(r["status"], refs, None if late is None else late[0] <= 0)


def similarity_of(db: Db, report_id: str) -> pd.DataFrame:
    """Per-section shares of one report against its previous report."""
    return fetch_df(db, "SELECT s.*, p.source_name AS previous_name FROM similarity s "
                        "LEFT JOIN reports p ON p.report_id = s.previous_id WHERE s.report_id = ? "
                        "ORDER BY s.section = 'all', s.section", [report_id])


def section_pair(db: Db, report_id: str, previous_id: str, number: str) -> tuple[str, str]:
    """The raw text of section ``number`` in a report and in the previous one."""
    df = fetch_df(db, "SELECT report_id, string_agg(text, chr(10)) AS text FROM sections "
                      "WHERE report_id IN (?, ?) AND number = ? GROUP BY report_id", [report_id, previous_id, number])
    texts = dict(zip(df["report_id"], df["text"], strict=True))
    return texts.get(report_id, ""), texts.get(previous_id, "")


# --- coverage --------------------------------------------------------------------------------

def coverage(db: Db, f: Filters) -> tuple[pd.DataFrame, list[int]]:
    """(one row per expected agency and year with ``status`` ok/partial/failed or None when no
    report is loaded, the years). Expected: every agency seen in any year, plus roster agencies."""
    loose = Filters(provinces=f.provinces, cities=f.cities, levels=f.levels, categories=f.categories,
                    agencies=f.agencies, scope=f.scope, form_versions=())
    cte, params = filtered_reports_cte(loose)
    seen = fetch_df(db, f"{cte} SELECT agency_key, any_value(agency_label) AS agency, any_value(province) AS province, "
                        "any_value(city) AS city, any_value(county) AS county, any_value(level) AS level, "
                        "any_value(category) AS category, 'seen' AS source FROM fr GROUP BY agency_key", params)
    reports = fetch_df(db, f"{cte} SELECT agency_key, report_year AS year, report_id, status FROM fr "
                           "WHERE report_year IS NOT NULL", params)
    roster = fetch_df(db, "SELECT agency, region, level, category FROM roster WHERE agency NOT IN "
                          "(SELECT agency FROM reports WHERE agency IS NOT NULL)")
    if not f.agencies:
        roster = roster[[_roster_matches(r, f) for r in roster.itertuples()]] if not roster.empty else roster
        extra = pd.DataFrame({"agency_key": "roster:" + roster["agency"], "agency": roster["agency"],
                              "province": roster["region"], "city": None, "county": None, "level": roster["level"],
                              "category": roster["category"], "source": "roster"})
        seen = pd.concat([seen, extra], ignore_index=True) if not extra.empty else seen
    all_years = fetch_df(db, "SELECT DISTINCT report_year AS year FROM reports WHERE report_year IS NOT NULL")
    years = sorted(int(y) for y in all_years["year"]
                   if (f.year_from is None or y >= f.year_from) and (f.year_to is None or y <= f.year_to))
    grid = seen.merge(pd.DataFrame({"year": years}), how="cross")
    best = reports.sort_values("status", key=lambda s: s.map({"ok": 0, "partial": 1, "failed": 2})) \
        .drop_duplicates(["agency_key", "year"])
    grid = grid.merge(best, on=["agency_key", "year"], how="left")
    return grid, years


def _roster_matches(row, f: Filters) -> bool:
    region = row.region or ""
    if f.provinces and not any(region.startswith(p) for p in f.provinces):
        return False
    if f.cities and not any(c in region for c in f.cities):
        return False
    if f.levels and row.level not in f.levels:
        return False
    return not (f.categories and row.category not in f.categories)


# --- the printable review --------------------------------------------------------------------

KEY_CELLS = {  # key numbers of the printable review: (table.row.col, zh, en)
    "received": ("applications.new_received.total", "新收申请", "applications received"),
    "handled": ("applications.total.total", "办理申请", "applications handled"),
    "review": ("review_litigation.review.total", "行政复议", "administrative reviews"),
    "litigation": ("review_litigation.litigation_direct.total", "行政诉讼（直接起诉）", "lawsuits (direct)"),
    "penalty": ("active.penalty.decisions", "行政处罚决定", "penalty decisions"),
}


def key_numbers(db: Db, years: tuple[int, ...]) -> pd.DataFrame:
    """(report_id, agency_key, category, year, key, value) of the key numbers, agency scope."""
    cells = {v[0]: k for k, v in KEY_CELLS.items()}
    df = fetch_df(db, "SELECT r.report_id, coalesce(r.agency_id, r.report_id) AS agency_key, r.category, "
                      "r.report_year AS year, f.table_key || '.' || f.row_key || '.' || f.col_key AS cell, f.value "
                      "FROM facts f JOIN reports r USING (report_id) WHERE f.kind = 'number' AND r.status <> 'failed' "
                      "AND list_contains(?, r.report_year) AND list_contains(?, f.table_key || '.' || f.row_key || '.' "
                      "|| f.col_key)", [list(years), list(cells)])
    return df.assign(key=df["cell"].map(cells)).drop(columns="cell")


def hide_dismissed(db: Db, f: Filters, findings: pd.DataFrame) -> pd.DataFrame:
    """``findings`` (report_id, rule_id, cells columns) without those a reviewer dismissed."""
    decided = findings_with_decisions(db, f)
    if decided.empty or findings.empty:
        return findings
    gone = decided[dismissed(decided)]
    keys = set(zip(gone["report_id"], gone["rule_id"], gone["cells"].fillna(""), strict=True))
    keep = [(r, u, c or "") not in keys for r, u, c in zip(findings["report_id"], findings["rule_id"],
                                                           findings["cells"].fillna(""), strict=True)]
    return findings[keep]
