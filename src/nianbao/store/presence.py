"""``report_tables``: which of the declared tables (表二、表三、表四) each report prints.

The explore pages list the reports that print a table. At 100 k reports asking ``facts`` (about
20 M rows) whether a report has a row of that table scans it all (0.5 s per question);
``cell_numbers`` cannot answer it, because a table printed with only blanks or ``/`` has no number.
One row per report and printed table, derived from ``facts`` for every report a load writes (like
``cell_numbers``); nothing else writes it.
"""

from __future__ import annotations

import duckdb

from nianbao.form import FORMS

TABLE = "report_tables"


def declared_tables() -> list[str]:
    """The table keys the forms declare, in form order."""
    return list(dict.fromkeys(t.key for form in FORMS.values() for t in form.tables))


def create_report_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the table and fill it once from ``facts`` when it is new (a database written
    before it existed)."""
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [TABLE]).fetchone()[0]:
        return
    con.execute(f"CREATE TABLE {TABLE} (report_id VARCHAR, table_key VARCHAR)")
    con.execute(f"COMMENT ON TABLE {TABLE} IS '每份报告所印的表格（表二、三、四），每份报告每张表一行（由 facts 生成）"
                " / the tables each report prints, one row per report and table (derived from facts)'")
    con.execute(f"COMMENT ON COLUMN {TABLE}.report_id IS '报告标识 / report id'")
    con.execute(f"COMMENT ON COLUMN {TABLE}.table_key IS "
                "'表：active 表二 / applications 表三 / review_litigation 表四 / table'")
    _insert(con, "")


def refresh_report_tables(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Rebuild the rows of these reports from their facts (after a load replaced them)."""
    if not report_ids:
        return
    con.execute(f"DELETE FROM {TABLE} WHERE report_id IN (SELECT unnest(?))", [report_ids])
    _insert(con, "AND report_id IN (SELECT unnest(?))", [report_ids])


def _insert(con: duckdb.DuckDBPyConnection, where: str, params: list | None = None) -> None:
    # any row of the table counts, whatever its kind: a table of blanks and "/" is printed
    con.execute(f"INSERT INTO {TABLE} SELECT DISTINCT report_id, table_key FROM facts "
                f"WHERE list_contains(?, table_key) {where} ORDER BY report_id, table_key",
                [declared_tables(), *(params or [])])
