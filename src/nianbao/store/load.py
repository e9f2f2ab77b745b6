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

from nianbao.parse import PARSER_VERSION
from nianbao.parse.model import Report
from nianbao.store.schema import create_schema

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
    m = report.metadata
    if not m.agency:
        return None
    try:
        from nianbao.parse.agency import AgencyInfo, agency_key

        info = AgencyInfo(m.agency, None, m.province, m.city, m.county, m.level, m.category, m.scope)
        return agency_key(info)
    except ImportError:  # pragma: no cover - agency module lands separately
        return "|".join(x or "" for x in (m.province, m.city, m.county, m.agency))


@dataclass
class LoadResult:
    loaded: list[str]
    replaced: list[str]
    unchanged: list[str]


def load_reports(con: duckdb.DuckDBPyConnection, reports: Iterable[Report], sources: dict[str, bytes],
                 is_demo: bool = False) -> LoadResult:
    """Insert reports in one transaction. Same bytes again change nothing; a new version of a file
    (same name, or same agency, year and scope) replaces the old report."""
    result = LoadResult([], [], [])
    con.execute("BEGIN TRANSACTION")
    try:
        for report in reports:
            rid = report_id(report)
            if con.execute("SELECT 1 FROM reports WHERE report_id = ?", [rid]).fetchone():
                result.unchanged.append(report.source_name)
                continue
            old = _superseded(con, report)
            for old_id in old:
                delete_report(con, old_id)
            (result.replaced if old else result.loaded).append(report.source_name)
            _insert(con, report, rid, sources.get(report.source_name), is_demo)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result


def _superseded(con: duckdb.DuckDBPyConnection, report: Report) -> list[str]:
    rows = con.execute("SELECT report_id FROM reports WHERE source_name = ?", [report.source_name]).fetchall()
    aid = agency_id(report)
    if aid and report.metadata.report_year and report.status != "failed":
        rows += con.execute(
            "SELECT report_id FROM reports WHERE agency_id = ? AND report_year = ? AND scope = ? "
            "AND status <> 'failed'", [aid, report.metadata.report_year, report.metadata.scope]).fetchall()
    return sorted({r[0] for r in rows})


def delete_report(con: duckdb.DuckDBPyConnection, rid: str) -> None:
    for table in ("facts", "findings", "sections", "narrative", "sources", "reports"):
        con.execute(f"DELETE FROM {table} WHERE report_id = ?", [rid])


def _insert(con: duckdb.DuckDBPyConnection, report: Report, rid: str, content: bytes | None,
            is_demo: bool) -> None:
    m = report.metadata
    aid = agency_id(report)
    if aid:
        con.execute("DELETE FROM agencies WHERE agency_id = ?", [aid])
        con.execute("INSERT INTO agencies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [aid, m.agency, m.agency, m.province, m.city, m.county, m.level, m.category,
                     json.dumps(m.inferred, ensure_ascii=False)])
    con.execute(
        "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [rid, aid, m.agency, m.report_year, report.form_version, m.scope, m.province, m.city, m.county,
         m.level, m.category, m.title, m.publisher, m.published_on, m.period_year, report.source_name,
         report.sha256, report.source_format, report.status, report.error, "\n".join(report.warnings),
         datetime.now(), PARSER_VERSION, report.text, is_demo])
    if content is not None:
        con.execute("INSERT INTO sources VALUES (?, ?)", [rid, content])
    if report.facts:
        con.executemany(
            "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(rid, f.table, f.row, f.col, f.value.kind,
              float(f.value.number) if f.value.number is not None else None,
              f.value.as_csv(), f.value.raw, f.value.unit, f.place) for f in report.facts])
    if report.sections:
        con.executemany("INSERT INTO sections VALUES (?, ?, ?, ?, ?)",
                        [(rid, s.number, s.key, s.heading, s.text) for s in report.sections])
    if report.narrative:
        con.executemany("INSERT INTO narrative VALUES (?, ?, ?, ?, ?, ?)",
                        [(rid, n.key, float(n.value), str(n.value), n.approximate, n.sentence)
                         for n in report.narrative])
