"""The review stage after loading: rules that compare a report with other stored reports.

- **D-6 / D-8**: each report against the same agency's latest earlier report of the same scope
  (the year before when there is one; the corpus has gaps, so 2023 is compared with 2021 and
  the message says so). Shares per section are stored in ``similarity``.
- **D-4**: reports whose text or tables have the same fingerprint under another agency or file
  name; fingerprints are stored per report, so the whole database is re-grouped in SQL.

Run for an ingest batch and the next report of each agency in it (whose comparison depends on
the batch), like :func:`nianbao.store.findings.recheck`.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pandas as pd

from nianbao.check.alone import Checked
from nianbao.check.rules_review import duplicate_finding, identical_tables_finding, similarity_finding
from nianbao.check.similarity import compare_texts, overall, section_texts, table_digest, text_digest
from nianbao.parse.model import Report
from nianbao.store.load import report_id

MIN_DUPLICATE_CHARS = 200  # shorter texts (a failed read, a stub) are not called duplicates
MIN_TABLE_CELLS = 5  # all-zero or near-empty tables of small agencies are alike without copying
PAIR_RULES = ("D-6", "D-8")
FINDING_COLUMNS = ["report_id", "rule_id", "severity", "message_zh", "message_en", "cells"]

_LATER = ("SELECT arg_min(o.report_id, o.report_year) FROM reports r "
          "JOIN reports o ON o.agency_id = r.agency_id AND o.scope = r.scope AND o.report_year > r.report_year "
          "AND o.status <> 'failed' WHERE r.report_id IN (SELECT unnest(?)) GROUP BY r.report_id")
_EARLIER = ("SELECT r.report_id, arg_max(p.report_id, p.report_year), max(p.report_year) FROM reports r "
            "JOIN reports p ON p.agency_id = r.agency_id AND p.scope = r.scope AND p.report_year < r.report_year "
            "AND p.status <> 'failed' WHERE r.report_id IN (SELECT unnest(?)) GROUP BY r.report_id")


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    if rows:
        con.register("_rows", pd.DataFrame(rows, columns=columns))
        con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
        con.unregister("_rows")


def review_batch(con: duckdb.DuckDBPyConnection, batch: list[Report], duplicates: bool = True,
                 checked: dict[str, Checked] | None = None) -> int:
    """Recompute D-6/D-8 for the batch and the reports after it, and D-4 for the database unless
    ``duplicates`` is False (a chunked ingest regroups once, after its last chunk: regrouping the
    whole store per chunk made a batch's checks grow with N²); returns the findings written.
    ``checked`` holds fingerprints and section texts computed already (report id -> :class:`Checked`)."""
    from nianbao.store.findings import report_from_db  # findings imports this module

    cache: dict[str, Report | None] = {report_id(r): r for r in batch if r.status != "failed"}

    def get(rid: str) -> Report | None:
        if rid not in cache:
            cache[rid] = report_from_db(con, rid)
        return cache[rid]

    checked = checked or {}
    _store_fingerprints(con, list(cache), get, checked)
    todo = list(cache)
    todo += [r for (r,) in con.execute(_LATER, [todo]).fetchall() if r and r not in cache]
    previous = {rid: (prev, year) for rid, prev, year in con.execute(_EARLIER, [todo]).fetchall()}

    def texts_and_cells(rid: str) -> tuple[dict[str, str], tuple[str, int]] | None:
        """A report's cleaned section texts and table fingerprint, computed by its worker if it can."""
        if rid in checked:
            return checked[rid].section_texts, checked[rid].table_digest
        report = get(rid)
        return None if report is None else (section_texts(report), table_digest(report))

    shares, findings = [], []
    for rid in todo:
        if rid not in previous or (mine := texts_and_cells(rid)) is None:
            continue
        prev_id, prev_year = previous[rid]
        if (theirs := texts_and_cells(prev_id)) is None:
            continue
        sections = compare_texts(mine[0], theirs[0])
        for s in [*sections, overall(sections)]:
            shares.append((rid, prev_id, prev_year, s.section, s.chars, s.same_chars, s.share))
        found = [similarity_finding(sections, prev_year)]
        # equal digests: every non-zero cell equal (sha-256 of the sorted cells; D-8)
        cells = mine[1][1]
        if cells >= MIN_TABLE_CELLS and mine[1] == theirs[1]:
            found.append(identical_tables_finding(cells, prev_year))
        findings += [(rid, f.rule_id, f.severity, f.message_zh, f.message_en, ",".join(f.cells))
                     for f in found if f is not None]
    con.execute("DELETE FROM similarity WHERE report_id IN (SELECT unnest(?))", [todo])
    con.execute("DELETE FROM findings WHERE rule_id IN (SELECT unnest(?)) AND report_id IN (SELECT unnest(?))",
                [list(PAIR_RULES), todo])
    _insert(con, "similarity", ["report_id", "previous_id", "previous_year", "section", "chars", "same_chars",
                                "share"], shares)
    _insert(con, "findings", FINDING_COLUMNS, findings)
    return len(findings) + (regroup_duplicates(con) if duplicates else 0)


_MEMBERS = ("SELECT f.report_id, f.text_hash, f.text_chars, f.table_hash, f.table_cells, r.agency_id, r.agency, "
            "r.source_name, r.report_year FROM fingerprints f JOIN reports r USING (report_id)")


def snapshot_duplicates(con: duckdb.DuckDBPyConnection) -> None:
    """Remember the D-4 inputs (fingerprints and the names they are reported by) before a batch,
    so that :func:`regroup_duplicates` redoes only the groups the batch changed."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _d4_before AS {_MEMBERS}")


def regroup_duplicates(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute D-4 for the reports in groups the batch changed since :func:`snapshot_duplicates`
    (for every report when there is no snapshot); returns how many D-4 findings were written.
    A one-file import into a large store touches its own groups, not the whole store."""
    affected = _changed_members(con)
    findings = _duplicates(con, affected)
    if affected is None:
        con.execute("DELETE FROM findings WHERE rule_id = 'D-4'")
    else:
        keep = set(affected)
        findings = [f for f in findings if f[0] in keep]
        con.execute("DELETE FROM findings WHERE rule_id = 'D-4' AND report_id IN (SELECT unnest(?))", [affected])
    _insert(con, "findings", FINDING_COLUMNS, findings)
    return len(findings)


def _changed_members(con: duckdb.DuckDBPyConnection) -> list[str] | None:
    """Reports whose D-4 may differ from the snapshot's (None without a snapshot: all of them).
    Changed = an input row that is new, gone or different; its old and new groups are dirty, and
    every member of a dirty group is recomputed, over both of its groups."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_d4_before' "
                       "AND temporary").fetchone()[0]:
        return None
    con.execute(f"CREATE OR REPLACE TEMP TABLE _d4_after AS {_MEMBERS}")
    con.execute("""CREATE OR REPLACE TEMP TABLE _d4_changed AS
        (SELECT * FROM _d4_before EXCEPT SELECT * FROM _d4_after)
        UNION ALL (SELECT * FROM _d4_after EXCEPT SELECT * FROM _d4_before)""")
    affected = [r for (r,) in con.execute("""
        SELECT report_id FROM _d4_changed UNION
        SELECT report_id FROM _d4_after WHERE text_hash IN (SELECT text_hash FROM _d4_changed)
            OR table_hash IN (SELECT table_hash FROM _d4_changed)""").fetchall()]
    for table in ("_d4_before", "_d4_after", "_d4_changed"):
        con.execute(f"DROP TABLE {table}")
    return affected


def _store_fingerprints(con: duckdb.DuckDBPyConnection, rids: list[str], get, checked: dict[str, Checked]) -> None:
    """Fingerprints of the batch, and of stored reports that have none yet (a database loaded
    before this stage existed)."""
    missing = [r for (r,) in con.execute(
        "SELECT report_id FROM reports WHERE status <> 'failed' AND report_id NOT IN "
        "(SELECT report_id FROM fingerprints)").fetchall()]
    todo = list(dict.fromkeys([*rids, *missing]))
    rows = []
    for rid in todo:
        if rid in checked:
            rows.append((rid, *checked[rid].text_digest, *checked[rid].table_digest))
        elif (report := get(rid)) is not None:
            rows.append((rid, *text_digest(report), *table_digest(report)))
    con.execute("DELETE FROM fingerprints WHERE report_id IN (SELECT unnest(?))", [todo])
    _insert(con, "fingerprints", ["report_id", "text_hash", "text_chars", "table_hash", "table_cells"], rows)


def _duplicates(con: duckdb.DuckDBPyConnection, among: list[str] | None = None) -> list[tuple]:
    """D-4 rows: per report, the other reports (another agency, or the same agency under another
    file name in the same year) with the same text or the same tables; only the groups of the
    reports ``among`` when given."""
    out = []
    for kind, column, size, least in (("text", "text_hash", "text_chars", MIN_DUPLICATE_CHARS),
                                      ("tables", "table_hash", "table_cells", MIN_TABLE_CELLS)):
        rows = con.execute(
            f"SELECT f.{column}, f.report_id, r.agency_id, r.agency, r.source_name, r.report_year "
            f"FROM fingerprints f JOIN reports r USING (report_id) WHERE f.{size} >= ? AND f.{column} IN "
            f"(SELECT {column} FROM fingerprints WHERE {size} >= ? GROUP BY 1 HAVING count(*) > 1) "
            + ("" if among is None else
               f"AND f.{column} IN (SELECT {column} FROM fingerprints WHERE report_id IN (SELECT unnest(?))) ")
            + "ORDER BY r.source_name", [least, least] + ([] if among is None else [among])).fetchall()
        groups: dict[str, list[tuple]] = defaultdict(list)
        for digest, *member in rows:
            groups[digest].append(tuple(member))
        for members in groups.values():
            for rid, aid, _agency, _name, year in members:
                others = [(a, n, y) for r, ai, a, n, y in members if r != rid
                          and (aid is None or ai is None or ai != aid or y == year)]
                if others:
                    f = duplicate_finding(kind, others)
                    out.append((rid, f.rule_id, f.severity, f.message_zh, f.message_en, ""))
    return out
