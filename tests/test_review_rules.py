"""Review rules (issue 14) on inline cases: the report date, D-1 timeliness, D-7 outdated form,
D-6 雷同 / D-8 identical tables / D-4 duplicates through the store, and the real corpus."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from nianbao.check import check_report
from nianbao.check.rules_review import check_form_age, check_timeliness, deadline_kind
from nianbao.check.similarity import clean, compare, overall
from nianbao.manifest import apply_manifest
from nianbao.parse import parse_bytes
from nianbao.parse.dates import read_report_date, signature_date, to_date
from nianbao.parse.model import Metadata, Report
from nianbao.pipeline import ingest
from nianbao.store.findings import recheck
from nianbao.store.load import load_reports, writable_copy
from tests.test_checks import make_report


def rules(findings, *ids):
    return [f for f in findings if f.rule_id in ids and f.severity != "info"]


# --- the report date ------------------------------------------------------------------------

@pytest.mark.parametrize("printed, iso", [("2024年1月20日", "2024-01-20"), ("2024 年 1 月 20 日", "2024-01-20"),
                                          ("二〇二四年一月二十日", "2024-01-20"), ("二〇二五年三月三十一日", "2025-03-31"),
                                          ("2024-01-08 15:22", "2024-01-08"), ("2024.2.9", "2024-02-09")])
def test_dates_in_every_printed_form(printed: str, iso: str) -> None:
    assert to_date(printed).isoformat() == iso


def test_an_impossible_date_is_no_date() -> None:
    assert to_date("2024年2月30日") is None


def test_signature_date_is_the_closing_line_not_a_date_in_a_sentence() -> None:
    text = "正文\n本报告统计期限自2023年1月1日起至2023年12月31日止。\n某县人民政府\n二〇二四年一月二十日\n"
    assert signature_date(text)[0].isoformat() == "2024-01-20"
    assert signature_date("正文\n本报告统计期限自2023年1月1日起至2023年12月31日止。\n") is None
    assert signature_date("某局\n2024年1月20日\n") == (to_date("2024-01-20"), "2024年1月20日")


def test_page_date_wins_over_signature_and_meta_over_page_line() -> None:
    text = "发布时间：2024-02-03\n正文\n某局\n2024年1月20日"
    assert read_report_date(text) == ("2024-02-03", "page_text", "2024-02-03")
    assert read_report_date(text, {"PubDate": "2024-02-05 09:00"})[:2] == ("2024-02-05", "page_meta")
    assert read_report_date("正文\n某局\n2024年1月20日")[:2] == ("2024-01-20", "signature")
    assert read_report_date("正文，没有日期") is None


def test_html_pubdate_meta_is_read() -> None:
    page = ("<html><head><meta name=\"PubDate\" content=\"2024-03-02 10:00\"></head><body>"
            "<p>某市某某局2023年政府信息公开工作年度报告</p><p>一、总体情况</p><p>内容</p></body></html>")
    report = parse_bytes(page.encode(), "a.html")
    assert (report.metadata.report_date, report.metadata.report_date_source) == ("2024-03-02", "page_meta")


def test_manifest_published_on_overrides_and_says_so() -> None:
    report = parse_bytes("某局2023年政府信息公开工作年度报告\n发布时间：2024-01-10\n".encode(), "a.txt")
    apply_manifest(report, {"published_on": "2024年2月1日"})
    assert (report.metadata.report_date, report.metadata.report_date_source) == ("2024-02-01", "manifest")


# --- D-1 timeliness -------------------------------------------------------------------------

def dated(date: str | None, **meta) -> Report:
    base = dict(level="市级", category="education", scope="agency", report_date=date, report_date_source="signature")
    return make_report(year=2023, **{**base, **meta})


def test_d1_a_department_after_31_january_is_late_by_the_days() -> None:
    found = rules(check_report(dated("2024-02-05")), "D-1")
    assert len(found) == 1 and "逾期 5 天" in found[0].message_zh and "第四十九条" in found[0].message_zh
    assert found[0].severity == "warning" and "5 days late" in found[0].message_en


def test_d1_on_time_and_unknowns_give_no_finding() -> None:
    assert rules(check_report(dated("2024-01-31")), "D-1") == []
    assert rules(check_report(dated(None)), "D-1") == []
    assert rules(check_report(dated("2024-05-01", level="乡镇街道", category="township")), "D-1") == []
    assert rules(check_report(dated("2024-05-01", level=None)), "D-1") == []


def test_d1_a_peoples_government_has_until_31_march() -> None:
    gov = dict(category="government", scope="jurisdiction", level="县级")
    assert rules(check_report(dated("2024-03-31", **gov)), "D-1") == []
    assert "逾期 1 天" in rules(check_report(dated("2024-04-01", **gov)), "D-1")[0].message_zh


def test_d1_reports_before_2019_fall_under_the_2008_text() -> None:
    meta = Metadata(report_year=2013, level="市级", category="tax", report_date="2014-02-25")
    assert deadline_kind(meta) == "any_2008"
    assert check_timeliness(make_report(year=2013, level="市级", category="tax", report_date="2014-02-25")) == []
    late = check_timeliness(make_report(year=2011, category="government", report_date="2012-04-11"))
    assert "逾期 11 天" in late[0].message_zh and "2008" in late[0].message_zh


# --- D-7 outdated form ----------------------------------------------------------------------

def test_d7_flags_the_2019_form_in_2021_and_later_and_the_reverse() -> None:
    assert "使用 2019 年格式" in check_form_age(make_report(version="2019", year=2023))[0].message_zh
    assert "使用 2021 年格式" in check_form_age(make_report(version="2021", year=2020))[0].message_zh
    assert check_form_age(make_report(version="2021", year=2023)) == []
    assert check_form_age(make_report(version="2019", year=2020)) == []
    mixed = replace(make_report(version="2019", year=2023), form_version="mixed")
    assert check_form_age(mixed) == []


# --- D-6 similarity -------------------------------------------------------------------------

OVERVIEW_A = ("{y}年，本局认真贯彻落实上级关于政务公开的部署，围绕优化营商环境持续推进决策、执行、管理、服务、"
              "结果公开，全年召开专题会议{n}次，开展业务培训{n}场，编制公开目录并动态更新，政务公开质量不断提升。")
OVERVIEW_B = ("本年度我们把重点放在了老旧小区改造和农村饮水工程的信息发布上，新开设了两个专题栏目，"
              "群众留言办理时限由十五天缩短到七天，另外对三十七份历史文件做了公开属性复核。")
BOILER = ("本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求编制。"
          "本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。")


def with_text(year: int, overview: str, **kw) -> Report:
    sections = {"一": BOILER.format(y=year) + overview.format(y=year, n=year - 2000), "五": "无其他需要报告的事项。"}
    return make_report(year=year, sections=sections, **kw)


def test_clean_drops_boilerplate_labels_and_numbers() -> None:
    text = clean(BOILER.format(y=2023) + "二、主动公开政府信息情况 行政许可 2023年共办理36件。")
    assert text == "#年共办理#件。"


def test_d6_last_years_text_with_new_numbers_is_a_copy() -> None:
    shares = compare(with_text(2023, OVERVIEW_A), with_text(2022, OVERVIEW_A))
    assert overall(shares).share > 0.95
    assert overall(compare(with_text(2023, OVERVIEW_B), with_text(2022, OVERVIEW_A))).share < 0.2


# --- through the store: D-6, D-8, D-4 -------------------------------------------------------

def stored(report: Report, name: str, agency: str = "某市教育局", **meta) -> Report:
    report.source_name = name
    report.sha256 = hashlib.sha256(name.encode()).hexdigest()
    m = report.metadata
    m.agency, m.province, m.city, m.level, m.category = agency, "浙江省", "杭州市", "市级", meta.get("category", "x")
    return report


def load(db: Path, reports: list[Report]) -> duckdb.DuckDBPyConnection:
    with writable_copy(db) as con:
        load_reports(con, reports, {})
        recheck(con, reports)
    return duckdb.connect(str(db), read_only=True)


def review_findings(con) -> set[tuple[str, str]]:
    return set(con.execute("SELECT r.source_name, f.rule_id FROM findings f JOIN reports r USING (report_id) "
                           "WHERE f.rule_id IN ('D-4','D-6','D-8') AND f.severity <> 'info'").fetchall())


def test_store_flags_copied_text_identical_tables_and_duplicates(tmp_path: Path) -> None:
    reports = [stored(with_text(2022, OVERVIEW_A), "a_2022.txt"), stored(with_text(2023, OVERVIEW_A), "a_2023.txt"),
               stored(with_text(2023, OVERVIEW_B), "b_2023.txt", agency="某市民政局")]
    con = load(tmp_path / "r.duckdb", reports)
    found = review_findings(con)
    # a_2023 copies a_2022 (text) and prints the same tables; b_2023 prints a_2023's tables
    assert ("a_2023.txt", "D-6") in found and ("a_2023.txt", "D-8") in found
    assert ("b_2023.txt", "D-4") in found and ("a_2023.txt", "D-4") in found
    assert ("a_2022.txt", "D-6") not in found and ("b_2023.txt", "D-6") not in found
    share = con.execute("SELECT previous_year, share FROM similarity JOIN reports r USING (report_id) "
                        "WHERE r.source_name = 'a_2023.txt' AND section = 'all'").fetchone()
    assert share[0] == 2022 and share[1] > 0.95


def test_store_is_quiet_when_nothing_is_copied(tmp_path: Path) -> None:
    a = stored(with_text(2022, OVERVIEW_A), "a_2022.txt")
    b = stored(make_report(year=2023, sections={"一": OVERVIEW_B, "五": "无其他需要报告的事项。"},
                           cells={k: v + 1 if isinstance(v, int) else v
                                  for k, v in __import__("tests.test_checks", fromlist=["x"]).consistent_cells(
                                      "2021").items()}), "a_2023.txt")
    con = load(tmp_path / "q.duckdb", [a, b])
    assert review_findings(con) == set()
    assert con.execute("SELECT count(*) FROM similarity WHERE section = 'all'").fetchone()[0] == 1


# --- the real corpus ------------------------------------------------------------------------

# Review findings the corpus really has, each checked by reading the reports.
EXPECTED_REVIEW = {
    ("pingtan-syq_2011.txt", "D-1"),  # 发布时间 2012-04-11, after the 2008 条例's 3月31日
    ("pingtan-xian_2011.txt", "D-1"),  # 发布时间 2012-04-18
    ("pingtan-xian_2013.txt", "D-6"),  # its text is the 2011 report's, figures changed (94 %)
}
# huaian-hongzequ_2024.pdf repeats much of 2023 in sections 五 and 六 but stays just under 50 % overall.


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    from tests.conftest import CORPUS

    if not (CORPUS / "reports").is_dir():
        pytest.skip("real-report corpus (../shared/corpus) is absent")
    db = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    ingest([CORPUS / "reports"], db)
    return db


def test_pingtan_series_gets_a_similarity_every_year_after_the_first(corpus_db: Path) -> None:
    con = duckdb.connect(str(corpus_db), read_only=True)
    rows = dict(con.execute("SELECT r.report_year, s.share FROM similarity s JOIN reports r USING (report_id) "
                            "WHERE r.source_name LIKE 'pingtan-syq_%' AND s.section = 'all'").fetchall())
    years = sorted(y for (y,) in con.execute("SELECT report_year FROM reports WHERE source_name LIKE 'pingtan-syq_%'"
                                             ).fetchall())
    assert {2019, 2020, 2021, 2023, 2025} <= set(years)
    assert sorted(rows) == years[1:]  # every year after the first, gaps (2022, 2024) compared with the one before
    assert all(0 <= v <= 0.5 for v in rows.values())


def test_no_review_rule_fires_on_a_corpus_report_without_the_problem(corpus_db: Path) -> None:
    con = duckdb.connect(str(corpus_db), read_only=True)
    found = set(con.execute("SELECT r.source_name, f.rule_id FROM findings f JOIN reports r USING (report_id) "
                            "WHERE f.rule_id IN ('D-1','D-4','D-6','D-7','D-8') AND f.severity <> 'info'").fetchall())
    assert found == EXPECTED_REVIEW


def test_a_database_from_before_the_review_columns_still_loads(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    with writable_copy(db) as con:
        con.execute("ALTER TABLE reports DROP COLUMN report_date_source")
        con.execute("ALTER TABLE reports DROP COLUMN report_date")
        con.execute("DROP TABLE similarity")
    con = load(db, [stored(with_text(2022, OVERVIEW_A), "a_2022.txt"), stored(with_text(2023, OVERVIEW_A),
                                                                             "a_2023.txt")])
    assert ("a_2023.txt", "D-6") in review_findings(con)
    assert con.execute("SELECT count(*) FROM reports WHERE report_date IS NULL").fetchone()[0] == 2
