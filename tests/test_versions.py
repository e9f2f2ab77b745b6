"""A failed parse never touches what is stored; a less complete new version is held beside the
current one, a complete one replaces it."""

from __future__ import annotations

from nianbao.pipeline import ingest
from nianbao.store.load import connect
from tests.test_store import GOOD, counts, write


def _stored(db):
    con = connect(db)
    try:
        reports = con.execute("SELECT source_name, status, (SELECT count(*) FROM facts f WHERE f.report_id = r.report_id) "
                              "FROM reports r ORDER BY 1").fetchall()
        held = con.execute("SELECT source_name, status, cells, current_cells FROM held_versions").fetchall()
        return reports, held
    finally:
        con.close()


def test_a_damaged_file_under_a_stored_name_replaces_nothing(tmp_path):
    db = tmp_path / "n.duckdb"
    good = write(tmp_path / "a.txt", GOOD.format(n=3))
    ingest([good], db)
    before = counts(db)
    damaged = tmp_path / "damaged" / "a.txt"
    damaged.parent.mkdir()
    damaged.write_bytes(b"\x00\x01\x02" * 70)  # same name, unreadable
    out = ingest([damaged], db)
    assert [(o.status, o.action) for o in out] == [("failed", "failed")]
    assert "stored version is kept" in out[0].message
    assert counts(db) == before and _stored(db)[0] == [("a.txt", "ok", 32)]


def test_a_partial_new_version_is_held_beside_the_current_one(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3))], db)
    partial = tmp_path / "v2" / "a.txt"
    partial.parent.mkdir()
    write(partial, GOOD.format(n=4).split("四、政府")[0])  # table 4 missing
    out = ingest([partial], db)
    assert [(o.status, o.action) for o in out] == [("partial", "held")]
    assert "stored one stays current" in out[0].message
    reports, held = _stored(db)
    assert reports == [("a.txt", "ok", 32)]
    assert held == [("a.txt", "partial", 17, 32)]
    assert [o.action for o in ingest([partial], db)] == ["unchanged"]  # seen already: not held twice


def test_a_complete_new_version_replaces_and_clears_what_was_held(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3).split("四、政府")[0])], db)
    (tmp_path / "v2").mkdir()
    less = ingest([write(tmp_path / "v2" / "a.txt", GOOD.format(n=4).split("三、收到")[0])], db)
    assert [o.action for o in less] == ["held"]
    (tmp_path / "v3").mkdir()
    out = ingest([write(tmp_path / "v3" / "a.txt", GOOD.format(n=5))], db)
    assert [(o.status, o.action) for o in out] == [("ok", "replaced")]
    assert _stored(db) == ([("a.txt", "ok", 32)], [])


def test_an_equally_complete_partial_version_replaces(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3).split("四、政府")[0])], db)
    (tmp_path / "v2").mkdir()
    out = ingest([write(tmp_path / "v2" / "a.txt", GOOD.format(n=6).split("四、政府")[0])], db)
    assert [(o.status, o.action) for o in out] == [("partial", "replaced")]
    assert _stored(db) == ([("a.txt", "partial", 17)], [])


def test_a_failed_file_seen_again_still_says_why(tmp_path):
    db = tmp_path / "n.duckdb"
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01" * 100)
    first = ingest([junk], db)
    again = ingest([junk], db)
    assert [(o.status, o.action) for o in again] == [("failed", "unchanged")]
    assert again[0].message == first[0].message and "binary" in again[0].message
