"""The Dask executor: parsing on a LocalCluster of 2 worker processes builds the same database
as a local ingest (every table's contents, load timestamps aside)."""

from __future__ import annotations

import duckdb
import pytest

from nianbao.pipeline import ingest
from nianbao.store.schema import TABLES

pytest.importorskip("distributed")


def _contents(db) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, columns, _ in TABLES:
            kept = [c for c, kind, _ in columns if "TIMESTAMP" not in kind.upper()]
            out[table] = sorted(con.execute(f"SELECT {', '.join(kept)} FROM {table}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def test_dask_local_cluster_builds_the_same_database_as_a_local_ingest(tmp_path):
    from nianbao.synth.corpus import write_corpus

    folder = tmp_path / "reports"
    write_corpus(folder, seed=5, limit=210, n_agencies=31)
    local, dask = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    first = ingest([folder], local, workers=2, chunk=80)
    second = ingest([folder], dask, workers=2, chunk=80, executor="dask")
    assert len(first) == 210
    assert sorted((o.file, o.status, o.action, o.report_id) for o in second) == sorted(
        (o.file, o.status, o.action, o.report_id) for o in first)
    mine, theirs = _contents(local), _contents(dask)
    assert mine["reports"] and mine["facts"] and mine["findings"]
    assert mine == theirs
    again = ingest([folder], dask, executor="dask")  # same bytes: not sent to the cluster again
    assert {o.action for o in again} == {"unchanged"}
