"""Findings are stored, recomputed on re-ingest and when the previous year's report arrives later."""

from __future__ import annotations

from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.pipeline import ingest
from nianbao.store.load import connect
from tests.test_store import write


def report(year: int, carried_over: int, forward: int) -> str:
    new = 4
    handled = new + carried_over - forward
    row = "\t{v}\t0\t0\t0\t0\t0\t{v}\n"
    return (f"沭阳县教育局{year}年政府信息公开工作年度报告\n"
            f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。\n"
            "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
            "一、本年新收政府信息公开申请数量" + row.format(v=new)
            + "二、上年结转政府信息公开申请数量" + row.format(v=carried_over)
            + "（一）予以公开" + row.format(v=handled)
            + "（七）总计" + row.format(v=handled)
            + "四、结转下年度继续办理" + row.format(v=forward))


def rules(db, year):
    con = connect(db)
    try:
        return {r[0] for r in con.execute(
            "SELECT rule_id FROM findings JOIN reports USING (report_id) WHERE report_year = ? "
            "AND severity = 'error'", [year]).fetchall()}
    finally:
        con.close()


def test_cross_year_finding_appears_when_previous_year_arrives_later(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "y2024.txt", report(2024, carried_over=2, forward=0))], db)
    assert "X-1" not in rules(db, 2024)  # nothing to compare with yet
    ingest([write(tmp_path / "y2023.txt", report(2023, carried_over=0, forward=3))], db)
    assert "X-1" in rules(db, 2024)  # 2023 carried 3 forward, 2024 says 2 came over
    ingest([write(tmp_path / "y2023.txt", report(2023, carried_over=0, forward=2))], db)
    assert "X-1" not in rules(db, 2024)  # the corrected 2023 report clears it


def test_check_command_exit_status(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", report(2023, 0, 0).replace("（七）总计\t4", "（七）总计\t5"))], db)
    out = CliRunner().invoke(app, ["check", "--db", str(db)])
    assert out.exit_code == 1 and "T3-" in out.output
    clean = tmp_path / "c.duckdb"
    ingest([write(tmp_path / "b.txt", report(2023, 0, 0))], clean)
    assert CliRunner().invoke(app, ["check", "--db", str(clean), "--min-severity", "error"]).exit_code == 0
