"""AppTest checks of the dashboard's usability defects (issue 11): filters that stay put, the
scope notice, labels instead of internal keys, the quality, report and import pages, links."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_pages import PAGES, run_app
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
