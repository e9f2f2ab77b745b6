"""``cell_numbers``: one row per report, one DOUBLE column per declared cell (``table__row__col``).

The dashboard's aggregates read a metric as one column of one row per report. At 100 k reports
``facts`` holds about 20 M rows, and picking one cell out of them compares three strings per
row: several seconds per chart. Here it is one column of 100 k values. The table holds only
what ``facts`` holds (a cell's number, NULL when the cell is blank, ``/`` or missing) and is
rebuilt from ``facts`` for every report a load writes; nothing else writes it.
"""

from __future__ import annotations

from functools import cache

import duckdb

from nianbao.form import metric_catalog

TABLE = "cell_numbers"


def cell_column(table: str, row: str, col: str) -> str:
    """The column holding one cell: ``active__licensing__decisions``."""
    return f"{table}__{row}__{col}"


@cache
def cell_columns() -> tuple[str, ...]:
    """Every declared cell of both forms, in the data dictionary's order."""
    return tuple(cell_column(m.table, m.row, m.col) for m in metric_catalog())


def columns_of(table: str, *, row: str | None = None, col: str | None = None) -> list[str]:
    """The declared cells of one table, optionally one row's or one column's."""
    return [cell_column(m.table, m.row, m.col) for m in metric_catalog()
            if m.table == table and row in (None, m.row) and col in (None, m.col)]


def create_cell_numbers(con: duckdb.DuckDBPyConnection) -> None:
    """Create the table, add columns a newer form declares, and fill it once from ``facts``
    when it is new (a database written before this table existed)."""
    have = [c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?",
                                      [TABLE]).fetchall()]
    if not have:
        cols = ", ".join(f"{c} DOUBLE" for c in cell_columns())
        con.execute(f"CREATE TABLE {TABLE} (report_id VARCHAR, {cols})")
        con.execute(f"COMMENT ON TABLE {TABLE} IS '每份报告一行、每个表格单元格一列的数值（由 facts 生成）"
                    " / one row per report, one column per cell (numbers only, derived from facts)'")
        con.execute(f"COMMENT ON COLUMN {TABLE}.report_id IS '报告标识 / report id'")
        _describe(con, cell_columns())
        _insert(con, "")
        return
    new = [c for c in cell_columns() if c not in have]
    for c in new:
        con.execute(f"ALTER TABLE {TABLE} ADD COLUMN {c} DOUBLE")
    _describe(con, new)


def _describe(con: duckdb.DuckDBPyConnection, columns: list[str] | tuple[str, ...]) -> None:
    """Each column's comment is its cell's label in the data dictionary."""
    labels = {cell_column(m.table, m.row, m.col): f"{m.zh}（{m.unit}）/ {m.en}" for m in metric_catalog()}
    for c in columns:
        text = labels[c].replace("'", "''")
        con.execute(f"COMMENT ON COLUMN {TABLE}.{c} IS '{text}'")


def refresh_cell_numbers(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Rebuild the rows of these reports from their facts (after a load replaced them)."""
    if not report_ids:
        return
    con.execute(f"DELETE FROM {TABLE} WHERE report_id IN (SELECT unnest(?))", [report_ids])
    _insert(con, "AND report_id IN (SELECT unnest(?))", [report_ids])


def _insert(con: duckdb.DuckDBPyConnection, where: str, params: list | None = None) -> None:
    names = ", ".join(f"'{c}'" for c in cell_columns())
    con.execute(
        f"INSERT INTO {TABLE} BY NAME SELECT * FROM (PIVOT (SELECT report_id, "
        "table_key || '__' || row_key || '__' || col_key AS cell, value FROM facts "
        f"WHERE kind = 'number' {where}) ON cell IN ({names}) USING max(value) GROUP BY report_id)",
        params or [])
