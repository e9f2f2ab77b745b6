"""Chunked ingest: the database does not depend on the chunk size (cross-year checks, D-4
duplicates and similarity across chunks give what one chunk gives)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from nianbao.pipeline import collect_files, ingest
from nianbao.store.schema import TABLES


def contents(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the columns that record when something was loaded."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for name, cols, _ in TABLES:
            keep = ", ".join(f'"{c}"' for c, kind, _ in cols if kind != "TIMESTAMP")
            out[name] = sorted(con.execute(f"SELECT {keep} FROM {name}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def test_the_database_does_not_depend_on_the_chunk_size(tmp_path):
    from nianbao.synth.corpus import write_corpus

    write_corpus(tmp_path / "synth", seed=4, limit=60, n_agencies=6, formats=("txt",))
    files = collect_files([tmp_path / "synth"])
    files = [f for f in files if f.suffix == ".txt"]
    twin = tmp_path / "twin" / f"zz-{files[0].name}"  # another agency's file with the same tables: D-4
    twin.parent.mkdir()
    text = files[0].read_text(encoding="utf-8")
    agency = text.split("\n", 1)[0].split("20", 1)[0]  # the title: 某某局2019年…
    twin.write_text(text.replace(agency, agency[:-1] + "分局"), encoding="utf-8")
    files.append(twin)
    whole, chunked = tmp_path / "whole.duckdb", tmp_path / "chunked.duckdb"
    ours = ingest(files, whole, workers=2)
    theirs = ingest(files, chunked, workers=2, chunk=7)
    assert [(o.file, o.status, o.action) for o in ours] == [(o.file, o.status, o.action) for o in theirs]
    one, other = contents(whole), contents(chunked)
    assert one["reports"] and any(f[1] == "D-4" for f in one["findings"])
    for table in one:
        assert one[table] == other[table], table


def _d4(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute("SELECT r.source_name, f.message_zh FROM findings f JOIN reports r USING (report_id) "
                                  "WHERE f.rule_id = 'D-4'").fetchall())
    finally:
        con.close()


def test_later_batches_regroup_duplicates_as_one_batch_would(tmp_path):
    """A batch redoes only the D-4 groups it changes: a copy joins a group, a re-ingested file
    leaves one group for another, a new pair appears; the result equals one ingest of the end state."""
    from nianbao.synth.corpus import write_corpus

    write_corpus(tmp_path / "synth", seed=4, limit=30, n_agencies=6, formats=("txt",))
    files = [f for f in collect_files([tmp_path / "synth"]) if f.suffix == ".txt"]

    def twin(source: Path, name: str, suffix: str) -> Path:
        text = source.read_text(encoding="utf-8")
        agency = text.split("\n", 1)[0].split("20", 1)[0]
        out = tmp_path / "twins" / name
        out.parent.mkdir(exist_ok=True)
        out.write_text(text.replace(agency, agency[:-1] + suffix), encoding="utf-8")
        return out

    incremental, whole = tmp_path / "inc.duckdb", tmp_path / "whole.duckdb"
    ingest([*files, twin(files[0], "zz-a.txt", "分局")], incremental)
    first = _d4(incremental)
    assert any(name == "zz-a.txt" for name, _ in first)
    batch = [twin(files[0], "zz-b.txt", "二分局"),  # joins zz-a's group
             twin(files[7], "zz-a.txt", "分局"),  # zz-a re-ingested: leaves that group for another
             twin(files[12], "zz-c.txt", "三分局")]  # a new group
    ingest(batch, incremental)
    ingest([*files, *sorted((tmp_path / "twins").iterdir())], whole)
    assert _d4(incremental) == _d4(whole)
    assert _d4(incremental) != first
