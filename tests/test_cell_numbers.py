"""``cell_numbers`` (one row per report, one column per cell) holds exactly the printed numbers
of ``facts``; it follows replacements; a database written before it existed is upgraded once."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import APP, run_app
from test_store import GOOD, write

from nianbao.pipeline import ingest
from nianbao.store.load import WriteError, connect, upgrade_store
from nianbao.store.wide import TABLE, cell_columns


def _as_facts(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    """cell_numbers unpivoted back to (report_id, table, row, col, value)."""
    cols = ", ".join(cell_columns())
    rows = con.execute(f"UNPIVOT (SELECT report_id, {cols} FROM {TABLE}) ON {cols} INTO NAME cell VALUE value").fetchall()
    return {(rid, *cell.split("__"), value) for rid, cell, value in rows}


def _number_facts(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    return set(con.execute("SELECT report_id, table_key, row_key, col_key, value FROM facts "
                           "WHERE kind = 'number'").fetchall())


def test_cell_numbers_are_the_printed_numbers_of_facts(fixture_db):
    con = connect(fixture_db)
    try:
        got, want = _as_facts(con), _number_facts(con)
        one_row_each = con.execute(f"SELECT count(*) = count(DISTINCT report_id) FROM {TABLE}").fetchone()[0]
    finally:
        con.close()
    assert want and got == want and one_row_each


def test_a_replaced_report_leaves_no_row_behind(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3))], db)
    ingest([write(tmp_path / "a.txt", GOOD.format(n=4))], db)
    con = connect(db)
    try:
        rows = con.execute(f"SELECT applications__new_received__total FROM {TABLE}").fetchall()
        assert rows == [(4.0,)] and _as_facts(con) == _number_facts(con)
    finally:
        con.close()


def _drop_table(db) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute(f"DROP TABLE {TABLE}")
    finally:
        con.close()


def test_a_database_from_before_the_table_is_filled_from_its_facts(fixture_db, tmp_path):
    db = tmp_path / "old.duckdb"
    shutil.copyfile(fixture_db, db)
    _drop_table(db)
    upgrade_store(db)
    con = connect(db)
    try:
        assert _as_facts(con) == _number_facts(con) != set()
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_app_upgrades_an_old_database_on_first_open(fixture_db, tmp_path, monkeypatch, lang):
    db = tmp_path / "old.duckdb"
    shutil.copyfile(fixture_db, db)
    _drop_table(db)
    at = run_app(db, monkeypatch, query={"lang": lang} if lang == "en" else None)
    assert not at.error, [e.value for e in at.error]
    con = connect(db)
    try:
        assert _as_facts(con) == _number_facts(con) != set()
    finally:
        con.close()


def test_an_old_database_that_cannot_be_written_says_so(fixture_db, tmp_path, monkeypatch):
    db = tmp_path / "old.duckdb"
    shutil.copyfile(fixture_db, db)
    _drop_table(db)

    def full_disk(path, wait):
        raise WriteError(f"{path}: 无法写入数据库 / cannot write the database: No space left on device")

    monkeypatch.setattr("nianbao.app.ui.upgrade_store", full_disk)
    monkeypatch.setenv("NIANBAO_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error and "需要升级" in at.error[0].value and "No space left" in at.error[0].value
