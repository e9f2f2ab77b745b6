"""AppTest checks of the dashboard's usability defects (issue 11): filters that stay put, the
scope notice, labels instead of internal keys, the quality, report and import pages, links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_app_pages import CORPUS_REPORT, PAGES, run_app, sql
from ui_scan import rendered_texts, where_bad


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
@pytest.mark.parametrize("page", PAGES)
def test_no_raw_key_or_none_on_any_page(db: Path, monkeypatch: pytest.MonkeyPatch, page: str, lang: str) -> None:
    at = run_app(db, monkeypatch, page, query={"lang": lang, "scope": "all"})
    assert any(rendered_texts(at)), "the scan sees the page"
    bad = where_bad(at, lang)
    assert not bad, bad


# --- 7. the import page -----------------------------------------------------------------------

BLANK_TEMPLATE = Path("/work/shared/corpus/reports/template-blank_2021.docx")


def test_import_counts_what_happened_and_refreshes_the_sidebar(fixture_db: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "import.duckdb"
    shutil.copyfile(fixture_db, db)
    before = sql(db, "SELECT count(*) FROM reports")[0][0]
    at = run_app(db, monkeypatch, "import_reports")
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


def test_import_does_not_parse_again_on_every_rerun(fixture_db: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import nianbao.parse as parse

    calls = []
    real = parse.parse_bytes
    monkeypatch.setattr(parse, "parse_bytes", lambda data, name="": calls.append(name) or real(data, name))
    at = run_app(fixture_db, monkeypatch, "import_reports")
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
