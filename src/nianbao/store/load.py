"""Load parsed reports into DuckDB.

One writer, many readers: an ingest writes through :mod:`nianbao.store.write` — a small batch in
place in one transaction, a multi-chunk one into a copy swapped in at the end — so a batch lands
whole or not at all, and readers see the state before it or after it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from nianbao.parse import PARSER_VERSION
from nianbao.parse.agency import AgencyInfo, agency_key
from nianbao.parse.model import Report
from nianbao.store.cross_year import resolve_stock_rows
from nianbao.store.presence import TABLE as REPORT_TABLES
from nianbao.store.presence import refresh_report_tables
from nianbao.store.schema import TABLES
from nianbao.store.wide import TABLE as CELL_NUMBERS
from nianbao.store.wide import refresh_cell_numbers
from nianbao.store.write import WRITE_WAIT_S, WriteError, in_batch_transaction, open_read_only, writable, writable_copy  # noqa: F401  re-exported: their home before

TABLE_COLUMNS = {name: cols for name, cols, _ in TABLES}

DEFAULT_DB = Path("data") / "nianbao.duckdb"


def connect(path: str | Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open a database file; a read-only open of a missing file is an error, not a new file, and
    waits while a writer has the file open in place."""
    if read_only:
        return open_read_only(path)
    return duckdb.connect(str(path), read_only=False)


def upgrade_store(path: str | Path, wait: float = WRITE_WAIT_S) -> None:
    """Bring a database written by an older nianbao to the current schema: tables it lacks are
    created and derived ones filled from what it holds (what every write does first). Through
    the copy: filling a large store takes minutes, and readers keep the old file meanwhile."""
    with writable_copy(path, wait=wait):
        pass


def report_id(report: Report) -> str:
    return report.sha256[:16]


def agency_id(report: Report) -> str | None:
    """The agency's id across years, or None when the report does not say where the agency is:
    "市市场监督管理局" of one city must never replace, or be compared year on year with, another's.
    A manifest that names the place gives such a report its id."""
    m = report.metadata
    if not m.agency or not (m.province or m.city or m.county or m.level == "国务院部门"):
        return None
    return agency_key(AgencyInfo(m.agency, None, m.province, m.city, m.county, m.level, m.category, m.scope))


@dataclass
class LoadResult:
    loaded: list[str]
    replaced: list[str]
    unchanged: list[str]
    kept: list[str] = field(default_factory=list)  # failed files: the stored report of that name stays
    held: list[str] = field(default_factory=list)  # less complete new versions, kept beside the current one


_RANK = {"failed": 0, "partial": 1, "ok": 2}


def _completeness(status: str, cells: int) -> tuple[int, int]:
    return _RANK.get(status, 0), cells


def stored_hashes(db: str | Path) -> dict[str, tuple[str, str, str]]:
    """source_sha256 -> (report_id, status, error) of the reports (and held versions) in ``db``;
    empty when there is no file yet."""
    if not Path(db).exists():
        return {}
    con = connect(db)
    try:
        rows = con.execute("SELECT source_sha256, report_id, status, coalesce(error, '') FROM reports").fetchall()
        if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'held_versions'"
                       ).fetchone()[0]:
            rows += con.execute("SELECT source_sha256, report_id, status, coalesce(error, '') FROM held_versions"
                                ).fetchall()
        return {sha: (rid, status, error) for sha, rid, status, error in rows}
    finally:
        con.close()


def load_reports(con: duckdb.DuckDBPyConnection, reports: Iterable[Report], sources: dict[str, bytes],
                 is_demo: bool = False, reload: set[str] = frozenset()) -> LoadResult:
    """Insert reports in one transaction. Same bytes again change nothing, unless the file is in
    ``reload`` (a manifest corrects it); a new version of a file (same name, or same agency, year
    and scope) replaces the old report when it is at least as complete (status, then cells read);
    a less complete one is held beside it (``held_versions``). A failed file replaces nothing."""
    result = LoadResult([], [], [])
    reports = list(reports)
    rids = sorted({report_id(r) for r in reports})
    # only the stored reports this call can touch (same id, name or agency): a chunk's cost, not the database's
    known = {rid for (rid,) in con.execute(
        "SELECT report_id FROM reports WHERE report_id IN (SELECT unnest($1)) UNION ALL "
        "SELECT report_id FROM held_versions WHERE report_id IN (SELECT unnest($1))", [rids]).fetchall()}
    stored: dict[tuple, set[str]] = {}  # identity (file name / agency, year, scope) -> stored report ids
    complete: dict[str, tuple[int, int]] = {}  # report id -> completeness
    for rid, name, aid, year, scope, status, cells in con.execute(
            "WITH r AS (SELECT report_id, source_name, agency_id, report_year, scope, status FROM reports "
            "WHERE source_name IN (SELECT unnest($1)) OR agency_id IN (SELECT unnest($2))) "
            "SELECT r.*, coalesce(n, 0) FROM r LEFT JOIN (SELECT report_id, count(*) AS n FROM facts "
            "WHERE report_id IN (SELECT report_id FROM r) GROUP BY 1) f USING (report_id)",
            [sorted({r.source_name for r in reports}), sorted({a for r in reports if (a := agency_id(r))})]
    ).fetchall():
        known.add(rid)
        complete[rid] = _completeness(status, cells)
        stored.setdefault(("name", name), set()).add(rid)
        if aid and year and status != "failed":
            stored.setdefault((aid, year, scope), set()).add(rid)
    batch: dict[str, Report] = {}  # report id -> report, in load order
    identity: dict[tuple, str] = {}  # identity -> report id within this batch
    doomed: set[str] = set()
    held: list[tuple] = []
    now = datetime.now()
    for report in reports:
        rid = report_id(report)
        if rid in batch or (rid in known and report.source_name not in reload):
            result.unchanged.append(report.source_name)
            continue
        mine = _completeness(report.status, len(report.facts))
        old: set[str] = set()
        for key in _identities(report):
            old |= stored.get(key, set())
        # a complete parse is the new current version; an incomplete one must not displace a better one
        better = [] if report.status == "ok" else [o for o in old - {rid} if complete[o] > mine]
        if report.status == "failed" and better:
            result.kept.append(report.source_name)
            continue
        if better:
            current = max(better, key=complete.__getitem__)
            held.append((rid, report.source_name, report.sha256, current, report.status, report.error,
                         len(report.facts), complete[current][1], now, sources.get(report.source_name)))
            result.held.append(report.source_name)
            continue
        for key in _identities(report):
            if key in identity:  # a later file of the same batch wins
                batch.pop(identity[key], None)
                old.add(identity[key])
            identity[key] = rid
        doomed |= old
        (result.replaced if old else result.loaded).append(report.source_name)
        batch[rid] = report
    own = not in_batch_transaction(con)  # an in-place write commits the whole batch as one
    if own:
        con.execute("BEGIN TRANSACTION")
    try:
        if doomed:
            delete_reports(con, sorted(doomed))
            # versions held against a report that is now replaced are judged afresh next time
            con.execute("DELETE FROM held_versions WHERE current_report_id IN (SELECT unnest(?))", [sorted(doomed)])
        for report in batch.values():
            resolve_stock_rows(con, report, batch, agency_id)
        _insert_all(con, batch, sources, is_demo)
        refresh_cell_numbers(con, list(batch))
        refresh_report_tables(con, list(batch))
        if held:
            con.execute("DELETE FROM held_versions WHERE report_id IN (SELECT unnest(?))", [[h[0] for h in held]])
            con.executemany("INSERT INTO held_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", held)
        if own:
            con.execute("COMMIT")
    except BaseException:
        if own:
            con.execute("ROLLBACK")
        raise
    return result



def _identities(report: Report) -> list[tuple]:
    keys: list[tuple] = [("name", report.source_name)]
    aid = agency_id(report)
    if aid and report.metadata.report_year and report.status != "failed":
        keys.append((aid, report.metadata.report_year, report.metadata.scope))
    return keys


def delete_reports(con: duckdb.DuckDBPyConnection, rids: list[str]) -> None:
    for table in ("facts", CELL_NUMBERS, REPORT_TABLES, "findings", "sections", "narrative", "sources", "similarity",
                  "fingerprints", "reports"):
        con.execute(f"DELETE FROM {table} WHERE report_id IN (SELECT unnest(?))", [rids])


def _insert_all(con: duckdb.DuckDBPyConnection, batch: dict[str, Report], sources: dict[str, bytes],
                is_demo: bool) -> None:
    """Bulk inserts through DataFrames: row-by-row inserts are slow in DuckDB."""
    rows: dict[str, list[tuple]] = {t: [] for t in ("agencies", "reports", "sources", "facts", "sections",
                                                     "narrative")}
    now = datetime.now()
    for rid, report in batch.items():
        m = report.metadata
        aid = agency_id(report)
        if aid:
            rows["agencies"].append((aid, m.agency, m.agency, m.province, m.city, m.county, m.level, m.category,
                                     json.dumps(m.inferred, ensure_ascii=False)))
        rows["reports"].append((
            rid, aid, m.agency, m.report_year, report.form_version, m.scope, m.province, m.city, m.county,
            m.level, m.category, m.title, m.publisher, m.published_on, m.period_year, report.source_name,
            report.sha256, report.source_format, report.status, report.error, "\n".join(report.warnings),
            now, PARSER_VERSION, report.text, is_demo, m.report_date, m.report_date_source))
        if report.source_name in sources:
            rows["sources"].append((rid, sources[report.source_name]))
        rows["facts"] += [(rid, f.table, f.row, f.col, f.value.kind,
                           float(f.value.number) if f.value.number is not None else None,
                           f.value.as_csv(), f.value.raw, f.value.unit, f.place) for f in report.facts]
        rows["sections"] += [(rid, s.number, s.key, s.heading, s.text) for s in report.sections]
        rows["narrative"] += [(rid, n.key, float(n.value), str(n.value), n.approximate, n.sentence)
                              for n in report.narrative]
    agencies = {r[0]: r for r in rows["agencies"]}  # the latest report's view of an agency wins
    if agencies:
        con.execute("DELETE FROM agencies WHERE agency_id IN (SELECT unnest(?))", [list(agencies)])
    rows["agencies"] = list(agencies.values())
    for table, data in rows.items():
        if data:
            columns = [c for c, _, _ in TABLE_COLUMNS[table]]
            frame = pd.DataFrame(data, columns=columns)
            con.register("_batch", frame)
            con.execute(f"INSERT INTO {table} SELECT * FROM _batch")
            con.unregister("_batch")
