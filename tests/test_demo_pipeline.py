"""Synthetic corpora through the real ingest path: planted errors give exactly their findings;
the demo database has the breadth the dashboard needs."""

from __future__ import annotations

import duckdb
import pytest

from nianbao.demo import build_demo
from nianbao.pipeline import ingest
from nianbao.synth import write_corpus


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth")
    metas = write_corpus(folder, seed=7, n_agencies=12, formats=("txt", "html"), error_rate=0.25)
    db = folder / "n.duckdb"
    ingest([folder], db, manifest=folder / "manifest.csv", workers=2)
    return metas, duckdb.connect(str(db), read_only=True)


def test_planted_errors_produce_exactly_their_findings(planted):
    metas, con = planted
    found: dict[str, set[str]] = {}
    for name, rule in con.execute("SELECT source_name, rule_id FROM findings JOIN reports USING (report_id) "
                                  "WHERE severity = 'error'").fetchall():
        found.setdefault(name, set()).add(rule)
    assert sum(bool(m["expected_rules"]) for m in metas) >= 10
    for m in metas:
        assert found.get(m["file"], set()) == set(m["expected_rules"]), m["file"]


def test_every_synthetic_report_loads_exactly(planted):
    metas, con = planted
    statuses = dict(con.execute("SELECT source_name, status FROM reports").fetchall())
    assert all(statuses[m["file"]] == "ok" for m in metas)


def test_demo_database_breadth(tmp_path):
    db = tmp_path / "demo.duckdb"
    n = build_demo(db)
    con = duckdb.connect(str(db), read_only=True)
    provinces, categories, years, demo = con.execute(
        "SELECT count(DISTINCT province), count(DISTINCT category), list_sort(list(DISTINCT report_year)), "
        "count(*) FILTER (WHERE is_demo AND status <> 'failed') FROM reports").fetchone()
    assert n >= 400 and provinces >= 5 and categories >= 15
    assert years[:-1] == list(range(2017, 2026)) and years[-1] is None  # failed files have no year
    assert demo == n - 1  # all synthetic except the real seed sample
    formats = {f for (f,) in con.execute("SELECT DISTINCT source_format FROM reports").fetchall()}
    assert {"txt", "html", "docx", "pdf"} <= formats
    # what real data has: whole-area reports beside their departments, pre-2019, partial and failed files
    counts = dict(con.execute("SELECT scope || '/' || status, count(*) FROM reports GROUP BY 1").fetchall())
    assert counts["jurisdiction/ok"] >= 14 and counts["agency/partial"] >= 2 and counts["agency/failed"] >= 3
    pre2019 = con.execute("SELECT count(*) FROM reports WHERE form_version = 'pre2019'").fetchone()[0]
    assert pre2019 >= 10
    departments = con.execute(
        "SELECT count(DISTINCT d.agency_id) FROM reports j JOIN reports d ON d.county = j.county "
        "AND d.scope = 'agency' WHERE j.scope = 'jurisdiction'").fetchone()[0]
    assert departments >= 8
