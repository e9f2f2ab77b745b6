"""AppTest runs of the entrypoint and every page on the fixture database and on an empty one.

Numbers shown are compared with direct SQL on the same file; charts are checked through their
plotly JSON (AppTest exposes charts only as protos)."""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nianbao.app.filters import Filters
from nianbao.app.i18n import category_label

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = ("summary", "compare", "trends", "applications", "review", "quality", "report", "explore", "import_reports")
CORPUS_REPORT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reports" / "seed-shijianju_2023.txt"


def sql(db: Path, query: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


def cell_sum(db: Path, year: int, table: str, row: str, col: str, extra: str = "", params: list | None = None) -> float:
    return sql(db, "SELECT sum(f.value) FROM facts f JOIN reports r USING (report_id) WHERE r.report_year = ? "
                   "AND r.scope = 'agency' AND r.status <> 'failed' AND f.table_key = ? AND f.row_key = ? "
                   f"AND f.col_key = ? AND f.kind = 'number' {extra}", [year, table, row, col, *(params or [])])[0][0]


def run_app(db: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None,
            query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    monkeypatch.setenv("NIANBAO_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page and page != "summary":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _decode(value: object) -> object:
    """Plotly 6 writes numeric arrays as {"dtype", "bdata"} (base64); turn them back into lists."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def chart_specs(at: AppTest) -> list[dict]:
    return [_decode(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]


def chart_titles(at: AppTest) -> list[str]:
    return [s["layout"].get("title", {}).get("text", "") for s in chart_specs(at)]


@pytest.fixture
def db(fixture_db: Path) -> Path:
    return fixture_db


# --- every page, fixture database -----------------------------------------------------------

def test_entrypoint_has_sidebar_filters_and_footer(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch)
    keys = {w.key for w in at.sidebar if getattr(w, "key", None)}
    assert {"lang", "f_years", "f_provinces", "f_cities", "f_levels", "f_categories", "f_agencies", "f_scope",
            "f_forms"} <= keys
    total = sql(db, "SELECT count(*) FROM reports")[0][0]
    matched = sql(db, "SELECT count(*) FROM reports WHERE scope = 'agency' AND status <> 'failed'")[0][0]
    assert any(f"已载入 {total} 份报告（筛选后 {matched} 份）" in c.value for c in at.caption)
    assert not at.warning, "the fixture is not demo data, so no demo banner"


def test_demo_data_is_labelled(fixture_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "demo.duckdb"
    shutil.copyfile(fixture_db, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE reports SET is_demo = true")
    con.close()
    at = run_app(db, monkeypatch)
    assert any("示例数据，非真实统计" in w.value for w in at.warning)
    assert any("示例数据，非真实统计" in c.value for c in at.caption)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_with_titles_sidebar_and_footer(db: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    at = run_app(db, monkeypatch, page)
    assert at.title[0].value  # every page has its heading
    assert at.multiselect(key="f_provinces"), "the shared sidebar is on every page"
    total = sql(db, "SELECT count(*) FROM reports")[0][0]
    assert any(f"已载入 {total} 份报告" in c.value for c in at.caption), "footer names the report count"
    for spec in chart_specs(at):
        assert spec["layout"]["title"]["text"], "every chart has a title"


def test_summary_kpis_match_direct_query(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch)
    shown = {m.label: m.value for m in at.metric}
    licensing = cell_sum(db, 2025, "active", "licensing", "decisions")
    assert shown["行政许可（件）"] == f"{licensing:,.0f}"
    received = cell_sum(db, 2025, "applications", "new_received", "total")
    assert shown["新收申请（件）"] == f"{received:,.0f}"
    granted = cell_sum(db, 2025, "applications", "granted", "total")
    partial = cell_sum(db, 2025, "applications", "partially_granted", "total")
    handled = cell_sum(db, 2025, "applications", "total", "total")
    assert shown["公开率"] == f"{(granted + partial) / handled * 100:.1f}%"
    reports = sql(db, "SELECT count(*) FROM reports WHERE report_year = 2025 AND scope = 'agency' "
                      "AND status <> 'failed'")[0][0]
    assert shown["报告数"] == str(reports)
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["行政许可（件）"] == f"{licensing - cell_sum(db, 2024, 'active', 'licensing', 'decisions'):+,.0f}"
    # the most serious findings are listed, errors first
    findings = at.dataframe[0].value
    assert len(findings) == 10 and set(findings["severity"]) == {"错误"}


def test_summary_draws_only_the_open_ranking_tab(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch)
    titles = [x for x in chart_titles(at) if "·" in x]
    assert len(titles) == 1 and titles[0].startswith("行政许可")  # six were queried and drawn at once
    at.session_state["summary_top"] = at.tabs[1].label
    at.run()
    assert not at.exception
    titles = [x for x in chart_titles(at) if "·" in x]
    assert len(titles) == 1 and titles[0].startswith("行政处罚")


def test_filters_from_url_drive_the_numbers(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, query={"province": "浙江省", "level": "市级"})
    shown = {m.label: m.value for m in at.metric}
    expected = cell_sum(db, 2025, "active", "penalty", "decisions", "AND r.province = ? AND r.level = ?",
                        ["浙江省", "市级"])
    assert shown["行政处罚（件）"] == f"{expected:,.0f}"
    assert at.multiselect(key="f_provinces").value == ["浙江省"]


def test_changing_a_filter_updates_the_url(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch)
    at.multiselect(key="f_provinces").select("福建省").run()
    at.radio(key="f_scope").set_value("jurisdiction").run()
    assert not at.exception
    assert at.query_params["province"] == "福建省" and at.query_params["scope"] == "jurisdiction"
    reports = sql(db, "SELECT count(*) FROM reports WHERE report_year = 2025 AND scope = 'jurisdiction' "
                      "AND province = '福建省'")[0][0]
    assert {m.label: m.value for m in at.metric}["报告数"] == str(reports)


def test_filters_that_match_nothing_give_a_message(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, query={"province": "福建省", "level": "省级", "scope": "jurisdiction"})
    assert any("没有数据" in i.value for i in at.info)
    for page in PAGES[1:6]:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception


def test_english_switch(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, query={"lang": "en"})
    assert at.title[0].value == "Summary"
    assert "Licensing decisions" in {m.label for m in at.metric}
    # the summary's small multiples write their units in English too (件 → cases)
    axes = [v["title"]["text"] for spec in chart_specs(at) for k, v in spec["layout"].items()
            if k.startswith("yaxis") and v.get("title", {}).get("text")]
    assert "cases" in axes and not [a for a in axes if re.search(r"[\u4e00-\u9fff]", a)], axes
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert any("agencies ranked" in title for title in chart_titles(at))


def test_compare_ranking_matches_sql(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "compare")
    top = sql(db, "SELECT r.agency, f.value FROM facts f JOIN reports r USING (report_id) WHERE r.report_year = 2025 "
                  "AND r.scope = 'agency' AND f.table_key = 'active' AND f.row_key = 'licensing' "
                  "AND f.col_key = 'decisions' ORDER BY f.value DESC LIMIT 1")[0]
    ranking = chart_specs(at)[0]
    bar = ranking["data"][0]
    assert bar["y"][-1] == top[0] and bar["x"][-1] == top[1]  # largest bar is drawn at the top
    assert "行政许可·本年处理决定数量（件）" in ranking["layout"]["xaxis"]["title"]["text"]
    assert len(chart_specs(at)) == 4  # ranking, heatmap, category medians, year-on-year
    most_active = sql(db, "SELECT r.category FROM facts f JOIN reports r USING (report_id) WHERE r.report_year = 2025 "
                          "AND r.scope = 'agency' AND f.table_key = 'active' AND f.row_key = 'licensing' "
                          "AND f.col_key = 'decisions' GROUP BY 1 ORDER BY sum(f.value) DESC LIMIT 1")[0][0]
    assert at.selectbox(key="compare_category").value == most_active
    medians = chart_specs(at)[2]
    assert {trace["name"] for trace in medians["data"]} == {category_label(most_active, "zh"), "中位数"}


def test_trends_warn_about_unlike_numbers(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "trends")
    assert not at.warning  # licensing, penalty, published counts compare across forms
    at.multiselect(key="trend_metrics").set_value(["active.admin_fees.amount_10k_yuan", "applications.other.total"])
    at.run()
    assert not at.exception
    texts = [w.value for w in at.warning]
    assert any("仅见于 2021 格式" in w and "上一年项目数量" in w for w in texts)
    assert any("仅见于 2019 格式" in w and "逾期不补正" in w for w in texts)
    traces = chart_specs(at)[0]["data"]
    assert {tuple(tr["x"]) for tr in traces} == {(2021, 2022, 2023, 2024, 2025)}
    total_2023 = sql(db, "SELECT sum(f.value) FROM facts f JOIN reports r USING (report_id) WHERE r.report_year = 2023 "
                         "AND r.scope = 'agency' AND f.table_key = 'active' AND f.row_key = 'admin_fees' "
                         "AND f.col_key = 'amount_10k_yuan'")[0][0]
    assert traces[0]["y"][2] == pytest.approx(total_2023)


def test_trends_agency_picker_searches_instead_of_listing_every_agency(db: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # at 100 k reports the picker sent every agency to the browser; now a search narrows it in SQL
    at = run_app(db, monkeypatch, "trends")
    every = {a for (a,) in sql(db, "SELECT DISTINCT agency_id FROM reports WHERE agency_id IS NOT NULL")}
    assert set(at.multiselect(key="trend_agencies").options) <= {n for (n,) in sql(
        db, "SELECT DISTINCT agency FROM reports")} and len(every) > 1
    at.text_input(key="trend_agency_search").input("杭州").run()
    assert not at.exception
    want = sorted({a for (a,) in sql(db, "SELECT DISTINCT agency FROM reports WHERE agency_id IS NOT NULL "
                                          "AND agency ILIKE '%杭州%'")})
    assert want and sorted(at.multiselect(key="trend_agencies").options) == want
    (picked,) = sql(db, "SELECT agency_id FROM reports WHERE agency ILIKE '%杭州%' AND agency_id IS NOT NULL "
                        "ORDER BY 1 LIMIT 1")[0]
    at.multiselect(key="trend_agencies").set_value([picked]).run()
    at.text_input(key="trend_agency_search").input("no such agency").run()  # the choice stays an option
    assert not at.exception and len(at.multiselect(key="trend_agencies").value) == 1


def test_agency_choices_under_an_agency_filter_are_its_agencies(db: Path) -> None:
    from nianbao.app.queries import agency_choices

    (aid, name), (other, _) = sql(db, "SELECT agency_id, any_value(agency) FROM reports WHERE agency_id IS NOT NULL "
                                      "GROUP BY 1 ORDER BY 1 LIMIT 2")
    assert agency_choices(db, Filters(agencies=(aid,))) == {aid: name}
    assert set(agency_choices(db, Filters(agencies=(aid,)), chosen=(other,))) == {aid, other}
    assert len(agency_choices(db, Filters(), limit=3)) == 3


def test_applications_sankey_and_reasons_match_sql(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "applications")
    specs = {s["layout"]["title"]["text"]: s for s in chart_specs(at)}
    sankey = next(s for title, s in specs.items() if "申请流向" in title)["data"][0]
    new = cell_sum(db, 2025, "applications", "new_received", "total")
    forward = cell_sum(db, 2025, "applications", "carried_forward", "total")
    links = dict(zip(zip(sankey["link"]["source"], sankey["link"]["target"], strict=True), sankey["link"]["value"],
                     strict=True))
    labels = [label.rsplit(" ", 2)[0] for label in sankey["node"]["label"]]  # "name 1,234 件"
    assert links[(labels.index("本年新收政府信息公开申请数量"), labels.index("本年待办申请"))] == new
    assert links[(labels.index("本年待办申请"), labels.index("结转下年度继续办理"))] == forward
    reasons = next(s for title, s in specs.items() if "理由排名" in title)
    secret = cell_sum(db, 2025, "applications", "denied_state_secret", "total")
    denied = next(tr for tr in reasons["data"] if tr["name"] == "不予公开")
    assert dict(zip(denied["y"], denied["x"], strict=True))["不予公开：属于国家秘密"] == secret


def test_review_correction_rate_matches_sql(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "review")
    rates = next(s for s in chart_specs(at) if "纠错率" in s["layout"]["title"]["text"])
    review = next(tr for tr in rates["data"] if tr["name"] == "行政复议")
    corrected = cell_sum(db, 2024, "review_litigation", "review", "corrected")
    total = cell_sum(db, 2024, "review_litigation", "review", "total")
    pending = cell_sum(db, 2024, "review_litigation", "review", "pending")
    assert dict(zip(review["x"], review["y"], strict=True))[2024] == pytest.approx(corrected / (total - pending) * 100)


def test_quality_lists_failed_reports_and_links_to_them(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "quality")
    problems = next(d.value for d in at.dataframe if "source_name" in d.value.columns)
    assert "扫描件_无文字.pdf" in set(problems["source_name"])
    assert problems["error"].str.contains("OCR").any()
    findings = next(d.value for d in at.dataframe if "cells" in d.value.columns)
    assert len(findings) == sql(db, "SELECT count(*) FROM findings JOIN reports USING (report_id) "
                                    "WHERE scope = 'agency' AND severity <> 'info'")[0][0]  # info notes hidden
    link = at.get("page_link")[0].proto
    assert link.page.endswith("report") and "report=" in link.query_string


def test_report_page_shows_the_form_with_exact_values(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rid, = sql(db, "SELECT report_id FROM reports WHERE agency = '杭州东县人民政府' AND report_year = 2022")[0]
    at = run_app(db, monkeypatch, query={"report": rid})
    at.switch_page("pages/report.py")
    at.query_params["report"] = rid
    at.run()
    assert not at.exception
    assert at.selectbox(key=f"report_pick_{rid}").value == rid
    grids = [d.value for d in at.dataframe if "本年处理决定数量" in d.value.columns]
    active = grids[0]
    licensing = sql(db, "SELECT value_text FROM facts WHERE report_id = ? AND table_key = 'active' "
                        "AND row_key = 'licensing' AND col_key = 'decisions'", [rid])[0][0]
    assert active.loc[("", "行政许可"), "本年处理决定数量"] == licensing
    assert active.loc[("", "规章"), "本年制发件数"] == "—"  # printed "/" (not applicable), not blank, not 0
    assert at.get("download_button"), "original file and parsed values can be downloaded"


def test_explore_pages_in_sql_and_offers_downloads(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(db, monkeypatch, "explore")
    total = sql(db, "SELECT count(*) FROM facts f JOIN reports r USING (report_id) WHERE r.scope = 'agency' "
                    "AND r.status <> 'failed'")[0][0]
    assert any(f"共 {total} 行" in c.value for c in at.caption)
    page = at.dataframe[0].value
    assert len(page) == 50 and "机构" in page.columns and "指标" in page.columns
    at.radio(key="explore_dataset").set_value("applications").run()
    at.selectbox(key="explore_sort_applications").set_value("new_received__total").run()
    at.toggle(key="explore_desc").set_value(True).run()
    assert not at.exception
    top = at.dataframe[0].value.iloc[0]
    most = sql(db, "SELECT max(f.value) FROM facts f JOIN reports r USING (report_id) WHERE r.scope = 'agency' "
                   "AND f.table_key = 'applications' AND f.row_key = 'new_received' AND f.col_key = 'total'")[0][0]
    assert float(top["一、本年新收政府信息公开申请数量·总计（件）"]) == most
    assert len(at.get("download_button")) == 3  # CSV, XLSX, Parquet


def test_import_previews_then_loads(fixture_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "import.duckdb"
    shutil.copyfile(fixture_db, db)
    at = run_app(db, monkeypatch, "import_reports")
    at.session_state["_nianbao_admin"] = True  # logged in as admin (the login itself: tests/test_access.py)
    at.run()
    files = [("broken.pdf", b"not really a pdf", "application/pdf")]
    if CORPUS_REPORT.exists():
        files.append((CORPUS_REPORT.name, CORPUS_REPORT.read_bytes(), "text/plain"))
    at.file_uploader(key="import_files").set_value(files).run()
    assert not at.exception
    preview = at.dataframe[0].value
    assert list(preview["文件"]) == [f[0] for f in files]
    # report text reaches the page Markdown-escaped (tests/test_access.py), hence the unescaping here
    assert any("broken.pdf" in e.value.replace("\\", "") for e in at.error), "a failed file says why before loading"
    before = sql(db, "SELECT count(*) FROM reports")[0][0]
    at.button(key="import_confirm").click().run()
    assert not at.exception
    assert any("导入完成" in s.value for s in at.success)
    at.run()  # the next run sees the swapped-in file (new mtime → fresh connection)
    assert not at.exception
    assert any(f"已载入 {before + len(files)} 份报告" in c.value for c in at.caption)
    assert sql(db, "SELECT count(*) FROM reports")[0][0] == before + len(files)


# --- empty and missing databases ------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_empty_database_is_friendly(empty_db: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    at = run_app(empty_db, monkeypatch, page)
    if page == "import_reports":
        at.session_state["_nianbao_admin"] = True
        at.run()
        assert at.get("file_uploader")
    else:
        assert any("还没有报告" in i.value for i in at.info)


def test_missing_database_is_built_from_the_demo_on_first_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "first.duckdb"
    at = run_app(db, monkeypatch, timeout=120)
    assert db.exists() and not at.exception
    reports = sql(db, "SELECT count(*) FROM reports")[0][0]
    assert reports > 300
    assert any("示例数据" in w.value for w in at.warning)  # the demo is labelled synthetic
