"""``report_tables`` (the tables each report prints) is what ``facts`` says: a table of only
``/`` counts as printed, a replaced or deleted report leaves no row behind, a database written
before the table is filled once; the explore page's counts and rows read it."""

from __future__ import annotations

import shutil

import duckdb
from test_store import GOOD, write

from nianbao.app import datasets
from nianbao.app.db import clear_results
from nianbao.app.filters import Filters
from nianbao.pipeline import ingest
from nianbao.store.load import connect, delete_reports, upgrade_store
from nianbao.store.presence import TABLE

# GOOD with 表四's fifteen cells printed as "/" (a table without one number), and without 表四
ALL_SLASH = GOOD.rsplit("\n", 2)[0] + "\n" + "\t".join(["/"] * 15) + "\n"
NO_REVIEW = GOOD.split("四、政府信息公开行政复议")[0]


def _presence(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    return set(con.execute(f"SELECT report_id, table_key FROM {TABLE}").fetchall())


def _from_facts(con: duckdb.DuckDBPyConnection) -> set[tuple]:
    return set(con.execute("SELECT DISTINCT report_id, table_key FROM facts").fetchall())


def _tables(db) -> set[str]:
    con = connect(db)
    try:
        assert _presence(con) == _from_facts(con)
        return {t for _, t in _presence(con)}
    finally:
        con.close()


def test_report_tables_equal_the_tables_of_facts(fixture_db):
    con = connect(fixture_db)
    try:
        got, want = _presence(con), _from_facts(con)
        unique = con.execute(f"SELECT count(*) = count(DISTINCT (report_id, table_key)) FROM {TABLE}").fetchone()[0]
    finally:
        con.close()
    assert want and got == want and unique


def test_a_table_of_slashes_is_printed_and_a_replacement_leaves_no_row_behind(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", NO_REVIEW.format(n=3))], db)
    assert _tables(db) == {"active", "applications"}
    for text in (ALL_SLASH.format(n=4), GOOD.format(n=5)):  # same file name, more complete: replaces it
        assert ingest([write(tmp_path / "a.txt", text)], db)[0].action == "replaced"
        assert _tables(db) == {"active", "applications", "review_litigation"}
        con = connect(db)
        try:
            assert con.execute(f"SELECT count(DISTINCT report_id) FROM {TABLE}").fetchone()[0] == 1
        finally:
            con.close()


def test_a_deleted_report_leaves_no_row(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3)), write(tmp_path / "b.txt", NO_REVIEW.format(n=4))], db)
    con = duckdb.connect(str(db))
    try:
        (gone,) = con.execute("SELECT report_id FROM reports WHERE source_name = 'a.txt'").fetchone()
        delete_reports(con, [gone])
        assert _presence(con) == _from_facts(con) and {t for _, t in _presence(con)} == {"active", "applications"}
    finally:
        con.close()


def test_a_database_from_before_the_table_is_filled_from_its_facts(fixture_db, tmp_path):
    db = tmp_path / "old.duckdb"
    shutil.copyfile(fixture_db, db)
    con = duckdb.connect(str(db))
    try:
        con.execute(f"DROP TABLE {TABLE}")
    finally:
        con.close()
    upgrade_store(db)
    con = connect(db)
    try:
        assert _presence(con) == _from_facts(con) != set()
    finally:
        con.close()


def test_explore_counts_and_lists_a_table_printed_without_a_number(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", ALL_SLASH.format(n=3)), write(tmp_path / "b.txt", NO_REVIEW.format(n=4))], db)
    clear_results()
    f = Filters(scope="all")
    assert datasets.count_rows(db, f, "review_litigation") == 1
    assert datasets.count_rows(db, f, "active") == 2
    rows = datasets.fetch_rows(db, f, "review_litigation", limit=50)
    assert len(rows) == 1 and set(rows["review__total"]) == {"NA"}  # the printed "/", not a blank
