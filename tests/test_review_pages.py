"""The review pages and decisions (issue 14): AppTest of the grade and coverage pages on the
fixture database, the roster, reviewer decisions behind the admin gate, decisions that survive
a re-ingest (and turn stale when the finding's numbers change), the printable review."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest
from streamlit.testing.v1 import AppTest

from nianbao.app import review_queries as rq
from nianbao.app.auth import hash_password
from nianbao.app.filters import Filters
from nianbao.app.review_pdf import build_review_pdf
from nianbao.check.grade import GRADES, FindingRef, grade_report
from nianbao.pipeline import ingest
from nianbao.store.decisions import import_roster, record_decision
from tests.test_app_pages import chart_titles, run_app, sql

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "审核口令"


@pytest.fixture
def db(fixture_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "review.duckdb"
    shutil.copyfile(fixture_db, copy)
    return copy


# --- the ladder -----------------------------------------------------------------------------

def test_grade_ladder_steps() -> None:
    assert grade_report("failed", [], True).grade is None
    assert grade_report("ok", [], True).grade == "A"
    assert grade_report("ok", [], None).grade == "B"  # date unknown: on time not confirmed
    assert grade_report("ok", [FindingRef("D-2", "warning", "缺少部分")], True).grade == "E"
    assert grade_report("ok", [FindingRef("T3-1", "error", "x")], True).grade == "D"
    assert grade_report("ok", [FindingRef("D-6", "warning", "雷同")], True).grade == "C"
    assert grade_report("ok", [FindingRef("D-1", "warning", "逾期")], True).grade == "B"
    assert grade_report("ok", [FindingRef("T3-1", "info", "未运行")], True).grade == "A"  # info never lowers
    g = grade_report("ok", [FindingRef("X-2", "error", "正文与表格不一致")], True)
    assert g.grade == "C" and [f.rule_id for f in g.deciding] == ["X-2"]


# --- pages ----------------------------------------------------------------------------------

def test_grade_page_shows_distributions_and_one_row_per_report(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "grades")
    assert at.title[0].value == "年报评级"
    assert chart_titles(at) == ["各地区评级分布", "各类别评级分布"]
    matched = sql(db, "SELECT count(*) FROM reports WHERE scope = 'agency'")[0][0]
    failed = sql(db, "SELECT count(*) FROM reports WHERE scope = 'agency' AND status = 'failed'")[0][0]
    table = at.dataframe[2].value
    assert len(table) == matched and failed >= 1
    assert (table["link"].str.endswith("grade=—")).sum() == failed  # unreadable: listed, not graded
    assert set(table["link"].str.extract(r"grade=(.+)$")[0]) <= {"A", "B", "C", "D", "E", "—"}
    assert any("评级：" in m.value for m in at.markdown)  # the chosen report's ladder


def test_grade_page_in_english(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "grades", query={"lang": "en"})
    assert at.title[0].value == "Report grades"
    assert chart_titles(at) == ["Grades by region", "Grades by agency category"]


def test_coverage_marks_a_missing_report_and_lists_who_has_not_published(db: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    agency, rid = sql(db, "SELECT agency, report_id FROM reports WHERE scope = 'agency' AND report_year = 2025 "
                          "AND agency_id IS NOT NULL ORDER BY agency LIMIT 1")[0]
    con = duckdb.connect(str(db))
    for table in ("facts", "findings", "sections", "narrative", "sources", "reports"):
        con.execute(f"DELETE FROM {table} WHERE report_id = ?", [rid])
    con.close()
    at = run_app(db, monkeypatch, "coverage")
    assert at.title[0].value == "年报汇总"
    assert chart_titles(at) == ["各年度已发布与未见年报的机构数"]
    assert any("2025 年：1 个机构未见年报" in w.value for w in at.warning)
    assert list(at.dataframe[1].value["agency"]) == [agency]
    assert at.dataframe[0].value.loc[agency, "2025"] == "缺"
    at.text_input(key="coverage_search").input(agency[-6:]).run()
    assert agency in at.dataframe[0].value.index


def test_roster_agency_without_any_report_is_missing_every_year(db: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("agency,region,level,category\n杭州市城关镇人民政府,浙江省杭州市,乡镇街道,township\n",
                      encoding="utf-8")
    assert import_roster(db, roster) == 1
    at = run_app(db, monkeypatch, "coverage")
    assert at.dataframe[0].value.loc["杭州市城关镇人民政府"].eq("缺").all()
    assert "杭州市城关镇人民政府" in list(at.dataframe[1].value["agency"])


def test_roster_without_agency_column_is_a_clear_error(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="agency"):
        import_roster(db, bad)


# --- decisions ------------------------------------------------------------------------------

def _finding_report(db: Path) -> str:
    return sql(db, "SELECT f.report_id FROM findings f JOIN reports r USING (report_id) WHERE f.severity <> 'info' "
                   "AND r.scope = 'agency' ORDER BY f.report_id LIMIT 1")[0][0]


def _logged_in(db: Path, monkeypatch: pytest.MonkeyPatch, rid: str) -> AppTest:
    # under AppTest with secrets and query parameters the pages-folder switch reruns every run,
    # which drops button clicks; a server does it once per process
    monkeypatch.setattr("nianbao.app.ui.leave_pages_folder_mode", lambda: None)
    monkeypatch.setenv("NIANBAO_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["nianbao"] = {"admin_name": "张审核", "admin_password_hash": hash_password(PASSWORD)}
    at.run()
    at.switch_page("pages/grades.py")
    at.query_params["report"] = rid
    at.run()
    return at


def test_writing_a_decision_needs_the_password(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rid = _finding_report(db)
    at = _logged_in(db, monkeypatch, rid)
    assert any("需要管理员登录" in i.value for i in at.info)
    at.text_input(key="review_password").input("错的").run()
    at.button(key="review_login").click().run()
    assert any("密码不正确" in e.value for e in at.error)
    assert sql(db, "SELECT count(*) FROM decisions")[0][0] == 0


def test_a_dismissed_finding_is_stored_with_who_and_can_be_ignored_in_grades(db: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    rid = _finding_report(db)
    before = rq.report_ladder(db, Filters(), rid).grade
    at = _logged_in(db, monkeypatch, rid)
    at.text_input(key="review_password").input(PASSWORD).run()
    at.button(key="review_login").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("已登录：张审核" in c.value for c in at.caption)
    findings = rq.findings_with_decisions(db, Filters(), rid)
    findings = findings[findings["severity"] != "info"]
    for i in range(len(findings)):  # dismiss every finding of the report
        at.selectbox(key="decide_pick").select_index(i)
        at.radio(key="decide_choice").set_value("驳回")
        at.text_area(key="decide_comment").input("口径不同，不是错误")
        next(b for b in at.button if b.label == "保存决定").click().run()
        assert not at.exception, [e.message for e in at.exception]
    rows = sql(db, "SELECT decision, reviewer, comment, decided_at IS NOT NULL FROM decisions")
    assert len(rows) == len(findings)
    assert all(r == ("dismissed", "张审核", "口径不同，不是错误", True) for r in rows)
    after = rq.report_ladder(db, Filters(), rid, hide_dismissed=True).grade
    assert rq.report_ladder(db, Filters(), rid).grade == before
    # with every finding dismissed only an unknown date can keep the report from A
    assert after in ("A", "B") and GRADES.index(after) >= GRADES.index(before)


def _department_report(folder: Path) -> tuple[Path, str]:
    """A synthetic department txt report and its text."""
    from nianbao.synth import generate_corpus

    for r in generate_corpus(3, n_agencies=6, years=(2023,), formats=("txt",)):
        if r.meta["category"] not in ("government", "township", "government_office") and r.meta["scope"] == "agency":
            path = folder / r.name
            path.write_bytes(r.data)
            return path, r.data.decode("utf-8")
    raise AssertionError("no department report generated")


def test_decisions_survive_a_reingest_and_turn_stale_when_the_numbers_change(tmp_path: Path) -> None:
    """Keyed by identity + rule + cells, not by the file's hash: a re-published or corrected file
    keeps them; a finding whose numbers changed shows its old decision as stale."""
    import re

    db = tmp_path / "d.duckdb"
    path, text = _department_report(tmp_path)
    path.write_text(re.sub(r"(\d{4})年1月(\d{1,2})日\s*$", r"\1年3月10日", text.rstrip()), encoding="utf-8")
    ingest([path], db)

    def late_finding():
        found = rq.findings_with_decisions(db, Filters(scope="all"))  # the database holds this one report
        return found[found["rule_id"] == "D-1"].iloc[0], found

    target, _ = late_finding()
    assert "逾期 39 天" in target["message_zh"]
    record_decision(db, target["identity"], "D-1", target["cells"] or "", target["numbers"], "dismissed",
                    "已在门户网站按时发布，落款日期有误", "张审核")
    path.write_bytes(path.read_bytes() + b"\n")  # the same report, new bytes: a new report id
    ingest([path], db)
    same, _ = late_finding()
    assert same["decision"] == "dismissed" and not same["stale"]
    path.write_text(path.read_text(encoding="utf-8").replace("3月10日", "3月20日"), encoding="utf-8")
    ingest([path], db)  # corrected: now 49 days late (2024 is a leap year)
    changed, found = late_finding()
    assert "逾期 49 天" in changed["message_zh"]
    assert changed["decision"] == "dismissed" and bool(changed["stale"])
    assert not rq.dismissed(found).any()  # a stale decision no longer hides the finding


# --- the printable review -------------------------------------------------------------------

def test_printable_review_has_a_cover_and_a_page_per_agency_with_embedded_chinese_font(db: Path) -> None:
    year = 2024
    data = build_review_pdf(db, year, "浙江省")
    pdf = pdfium.PdfDocument(data)
    n = sql(db, "SELECT count(*) FROM reports WHERE province = '浙江省' AND report_year = ? AND scope = 'agency'",
            [year])[0][0]
    assert len(pdf) == n + 1
    cover = pdf[0].get_textpage().get_text_range()
    assert "政府信息公开工作年度报告审查" in cover and "评级分布" in cover
    assert "同类别中位数" in pdf[1].get_textpage().get_text_range()
    assert b"/FontFile2" in data  # the TrueType CJK font is embedded


def test_quality_page_hides_dismissed_findings(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rid = _finding_report(db)
    f = rq.findings_with_decisions(db, Filters(), rid)
    target = f[f["severity"] != "info"].iloc[0]
    record_decision(db, target["identity"], target["rule_id"], target["cells"] or "", target["numbers"],
                    "dismissed", "不是问题", "张审核")
    at = run_app(db, monkeypatch, "quality")
    shown = at.dataframe[-1].value
    before = len(shown)
    at.toggle(key="quality_hide_dismissed").set_value(True).run()
    assert len(at.dataframe[-1].value) == before - 1


def test_cli_roster_import_and_review_pdf(db: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from nianbao.cli import app

    roster = tmp_path / "r.csv"
    roster.write_text("agency,region\n某某街道办事处,浙江省杭州市\n", encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(app, ["roster", "import", str(roster), "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert sql(db, "SELECT agency FROM roster") == [("某某街道办事处",)]
    out = tmp_path / "review.pdf"
    done = runner.invoke(app, ["review", str(out), "--year", "2024", "--region", "杭州市", "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert out.read_bytes().startswith(b"%PDF") and len(pdfium.PdfDocument(out.read_bytes())) >= 2
    missing = runner.invoke(app, ["review", str(out), "--year", "2024", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2
