"""Ingest into DuckDB: idempotent by content, replacement, partial and failed files, schema."""

from __future__ import annotations

import duckdb
import pytest

from nianbao.form import metric_catalog
from nianbao.pipeline import ingest
from nianbao.store.load import connect

GOOD = ("某县商务局2023年政府信息公开工作年度报告\n本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n"
        "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "规章\t0\t0\t0\n行政规范性文件\t1\t0\t4\n行政许可\t5\n行政处罚\t2\n行政强制\t0\n行政事业性收费\t0\n"
        "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
        "一、本年新收政府信息公开申请数量\t{n}\t0\t0\t0\t0\t0\t{n}\n"
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n"
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉\n"
        + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2) + "\n"
        + "\t".join(["0"] * 15) + "\n")


def write(path, text):
    path.write_bytes(text.encode("utf-8"))
    return path


def counts(db):
    con = connect(db)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("reports", "facts", "sources")}
    finally:
        con.close()


def test_same_file_twice_changes_nothing(tmp_path):
    db = tmp_path / "n.duckdb"
    f = write(tmp_path / "a.txt", GOOD.format(n=3))
    first = ingest([f], db)
    before = counts(db)
    second = ingest([f], db)
    assert [o.action for o in first] == ["loaded"] and [o.action for o in second] == ["unchanged"]
    assert counts(db) == before and before["reports"] == 1 and before["facts"] == 32


def test_corrected_file_replaces_its_report(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3))], db)
    out = ingest([write(tmp_path / "a.txt", GOOD.format(n=4))], db)
    assert out[0].action == "replaced"
    con = connect(db)
    value = con.execute("SELECT value FROM facts WHERE row_key = 'new_received' AND col_key = 'total'").fetchall()
    assert value == [(4.0,)] and con.execute("SELECT count(*) FROM reports").fetchone()[0] == 1


def test_failed_and_partial_files_are_recorded_and_the_batch_goes_on(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3))], db)
    bad = tmp_path / "junk.txt"
    bad.write_bytes(b"\x00\x01" * 100)
    partial = write(tmp_path / "p.txt", GOOD.format(n=5).split("四、政府")[0].replace("商务局", "司法局"))
    good = write(tmp_path / "b.txt", GOOD.format(n=6).replace("商务局", "财政局"))
    out = {o.file: o for o in ingest([bad, partial, good], db)}
    assert out["junk.txt"].status == "failed" and "binary" in out["junk.txt"].message
    assert out["p.txt"].status == "partial" and "表四" in out["p.txt"].message
    assert out["b.txt"].action == "loaded"
    con = connect(db)
    rows = dict(con.execute("SELECT source_name, status FROM reports").fetchall())
    assert rows == {"a.txt": "ok", "junk.txt": "failed", "p.txt": "partial", "b.txt": "ok"}


def test_failed_batch_leaves_the_database_untouched(tmp_path, monkeypatch):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3))], db)
    before = counts(db)
    import nianbao.store.load as load

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(load, "_insert_all", boom)
    with pytest.raises(RuntimeError):
        ingest([write(tmp_path / "c.txt", GOOD.format(n=9).replace("商务局", "教育局"))], db)
    assert counts(db) == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_reader_keeps_working_during_an_ingest(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3))], db)
    reader = duckdb.connect(str(db), read_only=True)
    ingest([write(tmp_path / "b.txt", GOOD.format(n=6).replace("商务局", "财政局"))], db)
    assert reader.execute("SELECT count(*) FROM reports").fetchone()[0] == 1  # its snapshot
    reader.close()
    assert counts(db)["reports"] == 2


def test_schema_is_documented_and_dictionary_generated(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3))], db)
    con = connect(db)
    undocumented = con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                               "WHERE comment IS NULL AND NOT internal AND table_name NOT LIKE 'wide_%'").fetchall()
    assert undocumented == []
    assert con.execute("SELECT count(*) FROM metrics").fetchone()[0] == len(metric_catalog())
    wide = con.execute("SELECT applications__new_received__total FROM wide_applications "
                       .replace("applications__", "")).fetchall()
    assert wide == [(3.0,)]


def test_manifest_fills_metadata(tmp_path):
    db = tmp_path / "n.duckdb"
    f = write(tmp_path / "a.txt", GOOD.format(n=3))
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,agency,region,level,report_year\na.txt,沭阳县商务局,江苏省宿迁市沭阳县,县,2023\n",
                        encoding="utf-8")
    ingest([f], db, manifest=manifest)
    row = connect(db).execute("SELECT agency, province, city, county, level FROM reports").fetchone()
    assert row == ("沭阳县商务局", "江苏省", "宿迁市", "沭阳县", "县级")


def test_manifest_correction_survives_reingest(tmp_path):
    db = tmp_path / "n.duckdb"
    f = write(tmp_path / "a.txt", GOOD.format(n=3))
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,city,category\na.txt,宿迁市,commerce\n", encoding="utf-8")
    ingest([f], db, manifest=manifest)
    ingest([write(tmp_path / "a.txt", GOOD.format(n=4))], db)  # corrected file, no manifest this time
    row = connect(db).execute("SELECT city, category FROM reports").fetchone()
    assert row == ("宿迁市", "commerce")


def test_same_agency_shares_one_id_across_years_and_name_variants(tmp_path):
    db = tmp_path / "n.duckdb"
    a = write(tmp_path / "a.txt", GOOD.format(n=3).replace("某县商务局2023", "沭阳县发展和改革局2022")
              .replace("2023年", "2022年"))
    b = write(tmp_path / "b.txt", GOOD.format(n=4).replace("某县商务局", "沭阳县发改局"))
    ingest([a, b], db)
    rows = connect(db).execute("SELECT report_year, agency, agency_id FROM reports ORDER BY 1").fetchall()
    assert [r[:2] for r in rows] == [(2022, "沭阳县发展和改革局"), (2023, "沭阳县发改局")]
    assert rows[0][2] == rows[1][2] and rows[0][2].startswith("江苏省宿迁市沭阳县")


def test_corpus_agency_sequences_share_ids(corpus, tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([corpus / "reports" / f for f in ("huaian-hongzequ_2023.pdf", "huaian-hongzequ_2024.pdf",
                                              "pingtan-syq_2019.txt", "pingtan-syq_2025.txt")], db)
    ids = dict(connect(db).execute("SELECT source_name, agency_id FROM reports").fetchall())
    assert ids["huaian-hongzequ_2023.pdf"] == ids["huaian-hongzequ_2024.pdf"]  # 洪泽区人民政府 / 淮安市洪泽区人民政府
    assert ids["pingtan-syq_2019.txt"] == ids["pingtan-syq_2025.txt"]
    assert ids["huaian-hongzequ_2023.pdf"] != ids["pingtan-syq_2019.txt"]


def test_manifest_corrects_a_file_already_loaded(tmp_path):
    db = tmp_path / "n.duckdb"
    f = write(tmp_path / "a.txt", GOOD.format(n=3))
    ingest([f], db)
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,county\na.txt,沭阳县\n", encoding="utf-8")
    out = ingest([f], db, manifest=manifest)  # same bytes, new metadata
    assert out[0].action == "replaced"
    con = connect(db)
    assert con.execute("SELECT county, count(*) OVER () FROM reports").fetchone() == ("沭阳县", 1)


def test_agencies_whose_place_is_not_stated_are_never_merged(tmp_path):
    db = tmp_path / "n.duckdb"
    one = write(tmp_path / "city-a.txt", GOOD.format(n=3).replace("某县商务局", "市市场监督管理局"))
    two = write(tmp_path / "city-b.txt", GOOD.format(n=5).replace("某县商务局", "市市场监督管理局"))
    ingest([one], db)
    out = ingest([two], db)  # same wording, same year, another city: a second report, not a correction
    assert out[0].action == "loaded"
    rows = connect(db).execute("SELECT source_name, agency_id FROM reports ORDER BY 1").fetchall()
    assert rows == [("city-a.txt", None), ("city-b.txt", None)]
