"""The parse workers run the checks that need no other report (nianbao.check.alone); the writer
uses their findings and fingerprints only while the report is as the worker saw it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from nianbao.check import check_report
from nianbao.check.alone import check_alone
from nianbao.check.similarity import table_digest
from nianbao.parse import parse_bytes
from nianbao.pipeline import ingest
from nianbao.store.cross_year import resolve_stock_rows
from nianbao.store.findings import report_from_db
from nianbao.store.load import agency_id
from nianbao.store.schema import create_schema
from nianbao.worker import checked_alone, read_and_parse
from tests.test_cross_year import _text


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_worker_returns_the_findings_and_fingerprints_of_the_report_alone(tmp_path):
    path = tmp_path / "2023.txt"
    path.write_bytes(_text(2023, "1\t0\t599").encode())
    parsed = read_and_parse(path)
    assert parsed.checked == check_alone(parsed.report)
    assert parsed.checked.findings == check_report(parsed.report)
    assert parsed.checked.table_digest == table_digest(parsed.report)


def test_checks_that_fail_in_a_worker_are_left_to_the_writer(monkeypatch):
    report = parse_bytes(_text(2023, "1\t0\t599").encode(), "2023.txt")

    def broken(_report):
        raise ValueError("a rule's bug")

    monkeypatch.setattr("nianbao.worker.check_alone", broken)
    assert checked_alone(report) is None


def test_a_manifest_correction_is_checked_again_by_the_writer(tmp_path):
    """The worker saw the report without the manifest's publication date; D-1 (late) comes from
    the corrected date, so the worker's findings must not be used."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2023.txt").write_bytes(_text(2023, "1\t0\t599").encode())
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,published_on\n2023.txt,2024-06-30\n", encoding="utf-8")
    db = tmp_path / "n.duckdb"
    ingest([folder], db, manifest=manifest)
    assert _rows(db, "SELECT rule_id FROM findings WHERE rule_id = 'D-1'") == [("D-1",)]


def test_a_stock_row_decided_at_load_is_fingerprinted_and_checked_as_decided(tmp_path):
    """The 2023 report's 表二 row is decided by 2022's at load (new cells): its fingerprint and its
    findings are those of the decided report, not of what the worker parsed."""
    for year, docs in ((2022, "1\t0\t599"), (2023, "693665")):
        (tmp_path / f"{year}.txt").write_bytes(_text(year, docs).encode())
    db = tmp_path / "n.duckdb"
    ingest([tmp_path / "2022.txt"], db)
    ingest([tmp_path / "2023.txt"], db)
    last, parsed = (parse_bytes((tmp_path / f"{y}.txt").read_bytes(), f"{y}.txt") for y in (2022, 2023))
    decided = parse_bytes((tmp_path / "2023.txt").read_bytes(), "2023.txt")
    con = duckdb.connect(":memory:")
    create_schema(con)
    resolve_stock_rows(con, decided, {"a": last, "b": decided}, agency_id)
    assert check_alone(decided) != check_alone(parsed)  # the test needs the decision to change them
    cells = _rows(db, "SELECT table_cells FROM fingerprints JOIN reports USING (report_id) WHERE report_year = 2023")
    assert cells == [(table_digest(decided)[1],)]
    stored = _rows(db, "SELECT rule_id, cells FROM findings JOIN reports USING (report_id) WHERE report_year = 2023 "
                       "AND rule_id NOT IN ('D-4', 'D-6', 'D-8')")
    store = duckdb.connect(str(db), read_only=True)
    try:  # the writer's year before comes from the store
        before = report_from_db(store, store.execute("SELECT report_id FROM reports WHERE report_year = 2022"
                                                     ).fetchone()[0])
    finally:
        store.close()
    assert sorted(stored) == sorted((f.rule_id, ",".join(f.cells)) for f in check_report(decided, before))
