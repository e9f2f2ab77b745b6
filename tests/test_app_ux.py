"""AppTest checks of the dashboard's usability defects (issue 11): filters that stay put, the
scope notice, labels instead of internal keys, the quality, report and import pages, links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from test_app_pages import CORPUS_REPORT, PAGES, chart_specs, run_app, sql
from ui_scan import rendered_texts, where_bad

_NEEDS_CORPUS = pytest.mark.skipif(not CORPUS_REPORT.exists(), reason="real-report corpus (../shared/corpus) is absent")


@pytest.fixture
def db(fixture_db: Path) -> Path:
    return fixture_db


# --- 2. the year range --------------------------------------------------------------------------

def test_year_slider_moves_and_stays_when_another_control_changes(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch)
    at.select_slider(key="f_years").set_range(2021, 2023).run()
    assert not at.exception
    assert at.select_slider(key="f_years").value == (2021, 2023)
    assert (at.query_params["from"], at.query_params["to"]) == ("2021", "2023")
    at.multiselect(key="f_provinces").select("福建省").run()
    at.radio(key="f_scope").set_value("all").run()
    assert at.select_slider(key="f_years").value == (2021, 2023)
    assert (at.query_params["from"], at.query_params["to"]) == ("2021", "2023")
    assert at.query_params["province"] == "福建省"
    assert at.subheader[0].value.startswith("2023")  # the KPI year follows the range


def test_years_from_a_shared_link_survive_the_next_click(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, query={"from": "2020", "to": "2022"})
    assert at.select_slider(key="f_years").value == (2020, 2022)
    at.multiselect(key="f_levels").select("市级").run()
    assert at.select_slider(key="f_years").value == (2020, 2022)
    assert (at.query_params["from"], at.query_params["to"]) == ("2020", "2022")


# --- 4. labels, never keys --------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", (*PAGES, "grades", "coverage"))
def test_no_raw_key_or_none_on_any_page(db: Path, monkeypatch: pytest.MonkeyPatch, page: str, lang: str) -> None:
    at = run_app(db, monkeypatch, page, query={"lang": lang, "scope": "all"})
    assert any(rendered_texts(at)), "the scan sees the page"
    bad = where_bad(at, lang)
    assert not bad, bad


@pytest.mark.parametrize(("lang", "want", "wrong"), [("en", " (%)", "（"), ("zh", "（%）", " (%)")])
def test_rate_small_multiples_write_the_unit_in_the_screens_language(
        db: Path, monkeypatch: pytest.MonkeyPatch, lang: str, want: str, wrong: str) -> None:
    """The rate subplots of the summary's small multiples: "Disclosure rate (%)" in English (the
    page used to append a full-width "（%）" whatever the language)."""
    at = run_app(db, monkeypatch, query={"lang": lang, "scope": "all"})
    spec = next(s for s in chart_specs(at) if len(s["layout"].get("annotations", ())) > 3)
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    rates = [x for x in titles if "%" in x]
    assert len(rates) == 2, titles
    assert all(x.endswith(want) and wrong not in x for x in rates), rates


# --- 7. the import page -----------------------------------------------------------------------

BLANK_TEMPLATE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reports" / "template-blank_2021.docx"


@_NEEDS_CORPUS
def test_import_counts_what_happened_and_refreshes_the_sidebar(fixture_db: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "import.duckdb"
    shutil.copyfile(fixture_db, db)
    before = sql(db, "SELECT count(*) FROM reports")[0][0]
    at = run_app(db, monkeypatch, "import_reports")
    at.session_state["_nianbao_admin"] = True  # writing needs the admin login (tests/test_access.py)
    at.run()
    assert any("拖到" in c.value for c in at.caption), "the uploader is explained in Chinese"
    new = ("新报告.txt", CORPUS_REPORT.read_bytes(), "text/plain")
    at.file_uploader(key="import_files").set_value([new]).run()
    at.button(key="import_confirm").click().run()
    assert not at.exception
    assert any(f"已载入 {before + 1} 份报告" in c.value for c in at.caption), "the sidebar count is fresh"
    # the same file again is unchanged, not "loaded"
    at.file_uploader(key="import_files").set_value([new]).run()
    at.button(key="import_confirm").click().run()
    assert any("新载入 0 个" in s.value and "未变化（已在库中）1 个" in s.value for s in at.success)
    outcome = at.dataframe[0].value
    assert list(outcome["结果"]) == ["未变化（已在库中）"] and list(outcome["状态"]) == ["完整"]


@_NEEDS_CORPUS
def test_import_does_not_parse_again_on_every_rerun(fixture_db: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import nianbao.worker as worker

    calls = []
    real = worker.parse_bytes_bounded
    monkeypatch.setattr(worker, "parse_bytes_bounded", lambda data, name="": calls.append(name) or real(data, name))
    at = run_app(fixture_db, monkeypatch, "import_reports")
    at.session_state["_nianbao_admin"] = True
    at.run()
    at.file_uploader(key="import_files").set_value([("a.txt", CORPUS_REPORT.read_bytes(), "text/plain")]).run()
    at.radio(key="lang").set_value("en").run()
    at.run()
    assert calls == ["a.txt"]


def test_blank_template_is_refused_as_a_blank_form() -> None:
    if not BLANK_TEMPLATE.exists():
        pytest.skip("corpus template is absent")
    from nianbao.parse import parse_file

    report = parse_file(BLANK_TEMPLATE)
    assert report.status == "failed" and "空白年报模板" in report.error and "blank report form" in report.error


# --- 9. the Sankey carries its numbers ----------------------------------------------------------

def test_sankey_writes_the_counts_on_the_diagram(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "applications")
    sankey = next(s for s in chart_specs(at) if "申请流向" in s["layout"]["title"]["text"])["data"][0]
    new = sql(db, "SELECT sum(f.value) FROM facts f JOIN reports r USING (report_id) WHERE r.report_year = 2025 "
                  "AND r.scope = 'agency' AND r.status <> 'failed' AND f.table_key = 'applications' "
                  "AND f.row_key = 'new_received' AND f.col_key = 'total' AND f.kind = 'number'")[0][0]
    assert f"本年新收政府信息公开申请数量 {new:,.0f} 件" in sankey["node"]["label"]


def test_english_refusal_reasons_are_not_doubled(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "applications", query={"lang": "en"})
    reasons = next(s for s in chart_specs(at) if "Reasons for refusal" in s["layout"]["title"]["text"])
    labels = [y for trace in reasons["data"] for y in trace["y"]]
    assert "denied: state secret" in labels and not any(label.count("denied") > 1 for label in labels)


# --- 5. the quality page ----------------------------------------------------------------------

def test_quality_names_rules_and_cells_and_hides_info(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "quality")
    findings = next(d.value for d in at.dataframe if "cells" in d.value.columns)
    assert "表三·（一）予以公开·总计；表三·（一）予以公开·自然人" in set(findings["cells"])
    assert "提示" not in set(findings["severity"]), "info notes are hidden by default"
    assert any("条“提示”未显示" in c.value for c in at.caption)
    by_rule = chart_specs(at)[0]
    assert by_rule["layout"]["xaxis"]["tickformat"] == ",d"  # whole-number counts
    at.toggle(key="quality_show_info").set_value(True).run()
    findings = next(d.value for d in at.dataframe if "cells" in d.value.columns)
    assert "提示" in set(findings["severity"])


def test_every_rule_has_a_short_name_in_both_languages() -> None:
    from nianbao.app.labels import rule_name
    from nianbao.check import RULE_NAMES, RULES

    assert set(RULE_NAMES) == set(RULES)
    assert rule_name("X-1") == "X-1 上年结转衔接" and rule_name("X-1", "en").startswith("X-1 Carry-over")


# --- 3. the scope notice ------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES[:-1])
def test_every_page_says_what_the_scope_leaves_out(db: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    at = run_app(db, monkeypatch, page)
    jurisdiction = sql(db, "SELECT count(*) FROM reports WHERE scope = 'jurisdiction' AND status <> 'failed'")[0][0]
    assert any(f"{jurisdiction} 份辖区汇总报告" in c.value for c in at.caption), [c.value for c in at.caption]


# --- 6. the report page -----------------------------------------------------------------------

def test_report_page_opens_on_a_complete_report_and_reads_like_the_form(db: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "report")
    rid = at.selectbox(key="report_pick_None").value
    assert sql(db, "SELECT status FROM reports WHERE report_id = ?", [rid])[0][0] == "ok"
    grids = {tuple(d.value.columns)[0]: d.value for d in at.dataframe if isinstance(d.value.index, pd.MultiIndex)}
    applications = next(g for g in grids.values() if "自然人" in g.columns)
    assert ("（三）不予公开", "1.属于国家秘密") in applications.index  # the group heading stays with its row
    active = next(g for g in grids.values() if "本年收费金额（万元）" in g.columns)
    assert not active.empty


def test_clicking_a_cell_shows_where_the_source_prints_it(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rid, = sql(db, "SELECT report_id FROM reports WHERE agency = '杭州东县人民政府' AND report_year = 2022")[0]
    at = run_app(db, monkeypatch, "report", query={"report": rid})
    at.query_params["report"] = rid
    at.run()
    key = f"grid_{rid}_active"
    at.session_state[key] = {"selection": {"rows": [], "columns": [], "cells": [[2, "本年处理决定数量"]]}}
    at.run()
    assert not at.exception
    raw, place = sql(db, "SELECT raw, place FROM facts WHERE report_id = ? AND table_key = 'active' "
                         "AND row_key = 'licensing' AND col_key = 'decisions'", [rid])[0]
    from nianbao.app.report_view import place_text

    shown = [i.value for i in at.info]
    assert any(f"原文印为“{raw}”" in v and place_text(place, "zh") in v for v in shown), shown


def test_a_place_reads_as_page_table_row_and_the_source_line_is_quoted() -> None:
    from nianbao.app.report_view import place_text, source_line

    assert place_text("page 3, table 2, row 5, col 2", "zh") == "第 3 页，第 2 张表，第 5 行，第 2 列"
    assert source_line("一、总体\n行政许可 1945\n", "line 2", "1945") == "行政许可 1945"


# --- 8. links keep the view ---------------------------------------------------------------------

def test_open_report_links_keep_language_and_filters(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "quality", query={"lang": "en", "province": "浙江省", "from": "2021", "to": "2024"})
    link = at.get("page_link")[0].proto
    assert "lang=en" in link.query_string and "from=2021" in link.query_string and "to=2024" in link.query_string
    assert "province=" in link.query_string and "report=" in link.query_string
    at.switch_page("pages/summary.py").run()
    links = next(d.value for d in at.dataframe if "link" in d.value.columns)["link"]
    assert links.str.contains("lang=en").all() and links.str.contains("from=2021").all()
