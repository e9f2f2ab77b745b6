"""表二 stock rows whose run-together digits split several ways, decided by the previous year."""

from __future__ import annotations

from dataclasses import replace

import duckdb

from nianbao.parse import parse_bytes
from nianbao.pipeline import ingest
from nianbao.store.cross_year import CROSS_YEAR, resolve_stock_rows
from nianbao.store.load import agency_id, connect
from nianbao.store.schema import create_schema

HEAD = "福州市商务局{y}年政府信息公开工作年度报告\n本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。\n"
# "693665" splits ten ways; with 599 in force the year before only 69 | 3 | 665 holds
T2 = ("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
      "规章\t0\t0\t0\n行政规范性文件\t{docs}\n行政许可\t5\n行政处罚\t2\n行政强制\t0\n行政事业性收费\t0\n")
REST = ("三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
        "一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n"
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉\n"
        + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2) + "\n" + "\t".join(["0"] * 15) + "\n")


def _text(year: int, docs: str) -> str:
    return HEAD.format(y=year) + T2.format(docs=docs) + REST


def _docs(report) -> list[str]:
    return [f.value.as_csv() for f in report.facts if f.row == "normative_documents"]


def _resolve(this: str, before: str) -> tuple:
    con = duckdb.connect(":memory:")
    create_schema(con)
    last, now = (parse_bytes(_text(y, d).encode(), f"{y}.txt") for y, d in ((2022, before), (2023, this)))
    resolve_stock_rows(con, now, {"a": last, "b": now}, agency_id)
    return now


def test_ambiguous_stock_row_is_decided_by_last_years_in_force():
    now = _resolve("693665", "1\t0\t599")
    assert _docs(now) == ["69", "3", "665"] and now.status == "ok"
    assert all(f.place.endswith(CROSS_YEAR) for f in now.facts if f.row == "normative_documents")
    assert "normative_documents" not in now.tables["active"].unreadable_rows
    assert not any("无法准确读取" in w for w in now.warnings) and any("上年现行有效件数 599" in w for w in now.warnings)


def test_a_report_left_with_other_problems_stays_partial_and_says_what_is_left():
    # 规章 is run-together in both years (nothing to decide it by); only 行政规范性文件 is decided
    con = duckdb.connect(":memory:")
    create_schema(con)
    texts = {2022: _text(2022, "1\t0\t599"), 2023: _text(2023, "693665")}
    last, now = (parse_bytes(t.replace("规章\t0\t0\t0", "规章\t10599").encode(), f"{y}.txt") for y, t in texts.items())
    assert "表二有 2 行无法准确读取" in now.error
    resolve_stock_rows(con, now, {"a": last, "b": now}, agency_id)
    assert _docs(now) == ["69", "3", "665"]
    assert now.status == "partial" and now.error.startswith("表二有 1 行无法准确读取")


def test_not_decided_when_last_year_is_itself_uncertain_or_missing():
    # last year's row was itself run-together and unreadable: nothing to decide by
    assert _docs(_resolve("693665", "10599")) == []
    # last year's value was itself recovered (split from run-together digits): not decided either
    con = duckdb.connect(":memory:")
    create_schema(con)
    last, now = (parse_bytes(_text(y, d).encode(), f"{y}.txt") for y, d in ((2022, "1\t0\t599"), (2023, "693665")))
    last.facts = [replace(f, place=f.place + "（由连写数字拆分 / split from run-together digits）") for f in last.facts]
    resolve_stock_rows(con, now, {"a": last, "b": now}, agency_id)
    assert _docs(now) == [] and now.status == "partial"
    con = duckdb.connect(":memory:")
    create_schema(con)
    alone = parse_bytes(_text(2023, "693665").encode(), "2023.txt")
    resolve_stock_rows(con, alone, {"b": alone}, agency_id)
    assert _docs(alone) == [] and alone.status == "partial"


def test_pipeline_ingest_last_year_then_this_year(tmp_path):
    db = tmp_path / "n.duckdb"
    (tmp_path / "2022.txt").write_bytes(_text(2022, "1\t0\t599").encode())
    (tmp_path / "2023.txt").write_bytes(_text(2023, "693665").encode())
    ingest([tmp_path / "2022.txt"], db)
    ingest([tmp_path / "2023.txt"], db)
    con = connect(db)
    try:
        rows = con.execute("SELECT col_key, value_text, place FROM facts JOIN reports r USING (report_id) "
                           "WHERE r.report_year = 2023 AND row_key = 'normative_documents' ORDER BY col_key").fetchall()
        status = con.execute("SELECT status FROM reports WHERE report_year = 2023").fetchone()[0]
    finally:
        con.close()
    assert [(c, v) for c, v, _ in rows] == [("in_force", "665"), ("issued", "69"), ("repealed", "3")]
    assert all(CROSS_YEAR in p for _, _, p in rows) and status == "ok"
