"""Export builders byte for byte, and the filters ↔ URL round trip."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from nianbao.app.export import ExportTooLarge, export_table, write_table
from nianbao.app.filters import Filters, from_query_params, to_query_params
from nianbao.app.i18n import narrative_metrics
from nianbao.parse.narrative import NARRATIVE_METRICS

BOM = b"\xef\xbb\xbf"


def rows(db: Path, query: str, params: list) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query, params).fetchall()
    finally:
        con.close()


def expected_csv(header: list[str], body: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in body)
    return BOM + out.getvalue().encode("utf-8")


def _words(meta: tuple) -> list:
    """The report columns as a spreadsheet export writes them: vocabulary keys as Chinese words."""
    from nianbao.vocab import VOCABULARIES

    kinds = {5: "level", 6: "category", 7: "scope", 9: "form_version", 10: "status"}
    return [VOCABULARIES[kinds[i]].get(v, (v,))[0] if i in kinds else v for i, v in enumerate(meta)]


def test_narrative_csv_byte_for_byte(fixture_db: Path) -> None:
    agency_id, = rows(fixture_db, "SELECT agency_id FROM reports WHERE agency = '杭州市教育局' LIMIT 1", [])[0]
    got = export_table(fixture_db, "narrative", "zh", "csv", years=(2022, 2023), agencies=(agency_id,))
    body = rows(fixture_db, "SELECT r.report_id, r.agency, r.province, r.city, r.county, r.level, r.category, r.scope, "
                            "r.report_year, r.form_version, r.status, n.key, n.value_text, n.approximate, n.sentence "
                            "FROM narrative n JOIN reports r USING (report_id) WHERE r.agency_id = ? "
                            "AND r.report_year IN (2022, 2023) ORDER BY r.report_year, list_position(?, n.key)",
                [agency_id, list(narrative_metrics())])
    names = {k: (zh, unit) for k, (zh, _, unit) in NARRATIVE_METRICS.items()}
    expected = expected_csv(
        ["报告标识", "机构", "省份", "城市", "区县", "层级", "类别", "范围", "年度", "表格格式", "解析状态",
         "指标键", "指标", "单位", "数值", "约数", "出处句子"],
        [[*_words(r[:11]), r[11], names[r[11]][0], names[r[11]][1], r[12], r[13], r[14]] for r in body])
    assert got.startswith(BOM)
    assert len(body) == 4  # two reports × (published_total, press_conferences)
    assert got == expected


def test_facts_csv_exact_values_and_only_filtered_rows(fixture_db: Path) -> None:
    got = export_table(fixture_db, "facts", "zh", "csv", years=(2021,), provinces=("福建省",), levels=("县级",))
    lines = got[len(BOM):].decode("utf-8").splitlines()
    assert lines[0] == ("报告标识,机构,省份,城市,区县,层级,类别,范围,年度,表格格式,解析状态,"
                        "表,行,列,指标,单位,类型,数值,原文,来源")
    parsed = list(csv.DictReader(lines))
    n = rows(fixture_db, "SELECT count(*) FROM facts JOIN reports USING (report_id) WHERE report_year = 2021 "
                         "AND province = '福建省' AND level = '县级' AND scope = 'agency'", [])[0][0]
    assert len(parsed) == n > 0
    assert {(p["年度"], p["省份"], p["层级"]) for p in parsed} == {("2021", "福建省", "县级")}
    regulations = [p for p in parsed if p["行"] == "regulations"]
    assert regulations and {p["数值"] for p in regulations} == {"NA"}  # 不适用 stays NA, not blank or 0
    fee = next(p for p in parsed if p["行"] == "admin_fees")
    exact = rows(fixture_db, "SELECT value_text FROM facts JOIN reports USING (report_id) WHERE report_year = 2021 "
                             "AND province = '福建省' AND level = '县级' AND scope = 'agency' "
                             "AND row_key = 'admin_fees'",
                 [])[0][0]
    assert fee["数值"] == exact and fee["指标"] == "行政事业性收费·本年收费金额" and fee["单位"] == "万元"
    assert {p["来源"] for p in parsed} == {"文本"}  # no scans in the fixture


def test_wide_csv_headers_in_english(fixture_db: Path) -> None:
    got = export_table(fixture_db, "active", "en", "csv", years=(2025,), categories=("education",))
    header = next(csv.reader(io.StringIO(got[len(BOM):].decode("utf-8"))))
    assert header[:3] == ["report id", "agency", "province"]
    assert "administrative licensing — decisions this year (cases)" in header
    assert "administrative fees — fees collected (10k yuan)" in header
    body = list(csv.reader(io.StringIO(got[len(BOM):].decode("utf-8"))))[1:]
    agencies = {r[1] for r in body}
    assert agencies == {a for (a,) in rows(fixture_db, "SELECT agency FROM reports WHERE category = 'education' "
                                                       "AND report_year = 2025 AND scope = 'agency'", [])}


def test_xlsx_has_numbers_and_localised_headers(fixture_db: Path) -> None:
    got = export_table(fixture_db, "review_litigation", "zh", "xlsx", years=(2024,), scope="jurisdiction")
    sheet = openpyxl.load_workbook(io.BytesIO(got)).active
    values = list(sheet.iter_rows(values_only=True))
    header, body = values[0], values[1:]
    assert "行政复议·结果纠正（件）" in header
    n = rows(fixture_db, "SELECT count(*) FROM reports WHERE report_year = 2024 AND scope = 'jurisdiction'", [])[0][0]
    assert len(body) == n
    col = header.index("行政复议·总计（件）")
    agency_col = header.index("机构")
    for row in body:
        total, = rows(fixture_db, "SELECT value FROM facts JOIN reports USING (report_id) WHERE agency = ? "
                                  "AND report_year = 2024 AND scope = 'jurisdiction' AND row_key = 'review' "
                                  "AND col_key = 'total'", [row[agency_col]])[0]
        assert row[col] == total and isinstance(row[col], int)


def test_empty_selection_gives_a_header_only_file(fixture_db: Path) -> None:
    got = export_table(fixture_db, "facts", "en", "csv", provinces=("西藏自治区",))
    assert got == BOM + b"report id,agency,province,city,county,level,category,scope,year,form version,status,table," \
                        b"row,column,metric,unit,kind,value,as printed,source\n"


def test_unknown_table_or_format_is_refused(fixture_db: Path) -> None:
    with pytest.raises(ValueError, match="unknown table"):
        export_table(fixture_db, "reports; DROP TABLE facts", "zh", "csv")
    with pytest.raises(ValueError, match="unknown format"):
        export_table(fixture_db, "facts", "zh", "json")


# --- filters ↔ URL --------------------------------------------------------------------------

def test_default_filters_make_an_empty_url() -> None:
    assert to_query_params(Filters()) == {}
    assert from_query_params({}) == Filters()


def test_filters_round_trip_through_the_url() -> None:
    f = Filters(2020, 2023, ("浙江省", "江苏省"), ("杭州市",), ("市级", "县级"), ("education",),
                ("浙江省|杭州市||杭州市教育局", "a,b%c"), "jurisdiction", ("2021",))
    params = to_query_params(f)
    assert all(isinstance(v, str) for v in params.values())
    assert params["from"] == "2020" and params["province"] == "浙江省,江苏省" and params["scope"] == "jurisdiction"
    assert params["agency"] == "浙江省|杭州市||杭州市教育局,a%2Cb%25c"
    assert from_query_params(params) == f


def test_malformed_url_values_are_ignored() -> None:
    assert from_query_params({"from": "twenty", "scope": "everything", "level": ",,"}) == Filters()


# --- exports that scale: formulas, Parquet, Excel's row limit ----------------------------------

HOSTILE = {"agency": '=HYPERLINK("http://evil.example","点我")', "city": "+1+1", "county": "@SUM(A1)"}


@pytest.fixture()
def hostile_db(fixture_db: Path, tmp_path: Path) -> tuple[Path, str]:
    """The fixture with one 2021 report whose names and printed text look like formulas."""
    db = tmp_path / "hostile.duckdb"
    shutil.copyfile(fixture_db, db)
    con = duckdb.connect(str(db))
    try:
        rid, = con.execute("SELECT report_id FROM reports WHERE report_year = 2021 AND scope = 'agency' "
                           "AND status = 'ok' ORDER BY report_id LIMIT 1").fetchone()
        con.execute("UPDATE reports SET agency = ?, city = ?, county = ? WHERE report_id = ?",
                    [HOSTILE["agency"], HOSTILE["city"], HOSTILE["county"], rid])
        con.execute("UPDATE facts SET raw = '-1+2' WHERE report_id = ? AND row_key = 'admin_fees'", [rid])
        con.execute("UPDATE facts SET value_text = '-5', raw = '-5' WHERE report_id = ? AND row_key = 'licensing' "
                    "AND col_key = 'decisions'", [rid])
        con.execute("UPDATE narrative SET sentence = ? WHERE report_id = ?", ["\t=cmd|' /C calc'!A0", rid])
    finally:
        con.close()
    return db, rid


def test_csv_neutralises_formulas_in_text_and_keeps_numbers(hostile_db: tuple[Path, str]) -> None:
    db, rid = hostile_db
    got = export_table(db, "facts", "en", "csv", years=(2021,))
    mine = [r for r in csv.DictReader(io.StringIO(got[len(BOM):].decode("utf-8"))) if r["report id"] == rid]
    assert mine and {(r["agency"], r["city"], r["county"]) for r in mine} == {
        ("'" + HOSTILE["agency"], "'+1+1", "'@SUM(A1)")}
    fee = next(r for r in mine if r["row"] == "admin_fees")
    assert fee["as printed"] == "'-1+2"
    licensing = next(r for r in mine if r["row"] == "licensing" and r["column"] == "decisions")
    assert licensing["value"] == "-5" and licensing["as printed"] == "-5"  # numbers are never changed
    sentences = export_table(db, "narrative", "zh", "csv", years=(2021,))
    assert "'\t=cmd|" in sentences.decode("utf-8-sig")
    others = [r for r in csv.DictReader(io.StringIO(got[len(BOM):].decode("utf-8"))) if r["report id"] != rid]
    assert not any(v.startswith("'") for r in others for v in r.values())  # nothing else is touched


def test_xlsx_cells_are_text_not_formulas(hostile_db: tuple[Path, str]) -> None:
    db, rid = hostile_db
    got = export_table(db, "active", "zh", "xlsx", years=(2021,))
    sheet = openpyxl.load_workbook(io.BytesIO(got)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == rid)
    agency = row[header.index("机构")]
    assert agency.value == "'" + HOSTILE["agency"] and agency.data_type == "s"
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    licensing = row[header.index("行政许可·本年处理决定数量（件）")]
    assert licensing.value == -5 and licensing.data_type == "n"


def test_parquet_holds_the_same_rows_as_exact_text(hostile_db: tuple[Path, str], tmp_path: Path) -> None:
    db, rid = hostile_db
    out = tmp_path / "facts.parquet"
    n = write_table(db, out, "facts", "zh", "parquet", years=(2021,))
    con = duckdb.connect()
    columns = [d[0] for d in con.execute(f"SELECT * FROM read_parquet('{out}') LIMIT 0").description]
    assert columns[:2] == ["报告标识", "机构"]
    csv_rows = len(export_table(db, "facts", "zh", "csv", years=(2021,)).splitlines()) - 1
    assert n == con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0] == csv_rows
    agency, = con.execute(f"SELECT DISTINCT 机构 FROM read_parquet('{out}') WHERE 报告标识 = ?", [rid]).fetchone()
    assert agency == HOSTILE["agency"]  # Parquet is data, not a spreadsheet: the exact text


def test_xlsx_over_the_row_limit_is_refused_in_both_languages(fixture_db: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from nianbao.app import export

    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 100)
    out = tmp_path / "facts.xlsx"
    with pytest.raises(ExportTooLarge, match="XLSX 一张工作表最多 100 行.*at most 100 rows"):
        write_table(fixture_db, out, "facts", "zh", "xlsx")
    assert not out.exists() and not list(tmp_path.iterdir())  # no partial file left behind


def test_cli_export_streams_and_refuses_clearly(fixture_db: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from nianbao.cli import app

    runner = CliRunner()
    out = tmp_path / "facts.csv"
    result = runner.invoke(app, ["export", str(out), "--db", str(fixture_db), "--year", "2021"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == export_table(fixture_db, "facts", "zh", "csv", years=(2021,), scope="all")  # the CLI exports every scope unless asked
    bad = runner.invoke(app, ["export", str(tmp_path / "x.json"), "--db", str(fixture_db)])
    assert bad.exit_code == 1 and "unknown format" in bad.output and "Traceback" not in bad.output


def test_explore_page_of_a_wide_table_is_a_slice_of_the_whole(fixture_db: Path) -> None:
    from nianbao.app.datasets import fetch_rows

    for sort, desc in ((None, False), ("licensing__decisions", True), ("report_year", False)):
        whole = fetch_rows(fixture_db, Filters(), "active", sort, desc)
        page = fetch_rows(fixture_db, Filters(), "active", sort, desc, limit=7, offset=5)
        assert len(whole) > 12
        assert cells(page) == cells(whole.iloc[5:12])


def cells(df: pd.DataFrame) -> list[list[object]]:
    """Values only: a column that is empty on one page has another dtype than in the whole table."""
    return [[None if pd.isna(v) else v for v in row] for row in df.itertuples(index=False)]


def test_page_export_is_written_once_per_database_version(fixture_db: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from nianbao.app.export import export_file, export_refusal

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    db = tmp_path / "page.duckdb"
    shutil.copyfile(fixture_db, db)
    first = export_file(db, "facts", "zh", "csv", years=(2021,))
    assert first.read_bytes() == export_table(db, "facts", "zh", "csv", years=(2021,))
    stamp = first.stat().st_mtime_ns
    assert export_file(db, "facts", "zh", "csv", years=(2021,)) == first and first.stat().st_mtime_ns == stamp
    os.utime(db, ns=(stamp + 10**9, stamp + 10**9))  # a new database version: written again
    assert export_file(db, "facts", "zh", "csv", years=(2021,)) != first
    assert export_refusal("xlsx", 2_000_000)[0] == "export_xlsx_limit"
    assert export_refusal("csv", 2_000_000)[0] == "export_page_limit" and export_refusal("parquet", 2_000_000) is None
