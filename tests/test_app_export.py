"""Export builders byte for byte, and the filters ↔ URL round trip."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import openpyxl
import pytest

from nianbao.app.export import export_table
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
        [[*r[:12], names[r[11]][0], names[r[11]][1], r[12], r[13], r[14]] for r in body])
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
    assert {p["来源"] for p in parsed} == {"text"}  # no scans in the fixture


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
