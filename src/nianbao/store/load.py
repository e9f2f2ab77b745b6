"""Load parsed reports into DuckDB.

One writer, many readers: an ingest copies the database file, writes the whole batch into the
copy in one transaction, and swaps it into place with an atomic rename. A running app keeps
reading its open (old) file until it reconnects, and never sees half a batch or a lock error.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from nianbao.parse import PARSER_VERSION
from nianbao.parse.agency import AgencyInfo, agency_key
from nianbao.parse.model import Report
from nianbao.store.schema import TABLES, create_schema

TABLE_COLUMNS = {name: cols for name, cols, _ in TABLES}

DEFAULT_DB = Path("data") / "nianbao.duckdb"


def connect(path: str | Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open a database file; a read-only open of a missing file is an error, not a new file."""
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"数据库不存在 / database not found: {path}")
    return duckdb.connect(str(path), read_only=read_only)


@contextmanager
def writable_copy(path: str | Path):
    """Yield a read-write connection to a copy of ``path``; swap it in only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    if path.exists():
        shutil.copyfile(path, tmp)
    con = duckdb.connect(str(tmp))
    try:
        create_schema(con)
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, path)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        raise


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


def stored_hashes(db: str | Path) -> dict[str, tuple[str, str]]:
    """source_sha256 -> (report_id, status) of the reports in ``db`` (empty when there is no file yet)."""
    if not Path(db).exists():
        return {}
    con = connect(db)
    try:
        return {sha: (rid, status) for sha, rid, status in
                con.execute("SELECT source_sha256, report_id, status FROM reports").fetchall()}
    finally:
        con.close()


def load_reports(con: duckdb.DuckDBPyConnection, reports: Iterable[Report], sources: dict[str, bytes],
                 is_demo: bool = False, reload: set[str] = frozenset()) -> LoadResult:
    """Insert reports in one transaction. Same bytes again change nothing, unless the file is in
    ``reload`` (a manifest corrects it); a new version of a file (same name, or same agency, year
    and scope) replaces the old report."""
    result = LoadResult([], [], [])
    known: set[str] = set()
    stored: dict[tuple, set[str]] = {}  # identity (file name / agency, year, scope) -> stored report ids
    for rid, name, aid, year, scope, status in con.execute(
            "SELECT report_id, source_name, agency_id, report_year, scope, status FROM reports").fetchall():
        known.add(rid)
        stored.setdefault(("name", name), set()).add(rid)
        if aid and year and status != "failed":
            stored.setdefault((aid, year, scope), set()).add(rid)
    batch: dict[str, Report] = {}  # report id -> report, in load order
    identity: dict[tuple, str] = {}  # identity -> report id within this batch
    doomed: set[str] = set()
    for report in reports:
        rid = report_id(report)
        if rid in batch or (rid in known and report.source_name not in reload):
            result.unchanged.append(report.source_name)
            continue
        old: set[str] = set()
        for key in _identities(report):
            old |= stored.get(key, set())
            if key in identity:  # a later file of the same batch wins
                batch.pop(identity[key], None)
                old.add(identity[key])
            identity[key] = rid
        doomed |= old
        (result.replaced if old else result.loaded).append(report.source_name)
        batch[rid] = report
    con.execute("BEGIN TRANSACTION")
    try:
        if doomed:
            delete_reports(con, sorted(doomed))
        _insert_all(con, batch, sources, is_demo)
        con.execute("COMMIT")
    except BaseException:
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
    for table in ("facts", "findings", "sections", "narrative", "sources", "similarity", "fingerprints", "reports"):
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
