"""First start of the app when the demo database cannot be built: the cause in the user's
language, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_failed_demo_build_names_the_missing_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       lang: str) -> None:
    import nianbao.app.ui as ui

    def broken(*_args, **_kwargs):
        raise ModuleNotFoundError("No module named 'reportlab'", name="reportlab")

    monkeypatch.setattr(ui, "ensure_demo", broken)
    monkeypatch.setenv("NIANBAO_DB", str(tmp_path / "first.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60)
    if lang == "en":
        at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and "reportlab" in errors[0] and "pip install -e ." in errors[0]
    assert ("缺少" in errors[0]) == (lang == "zh")
    assert not (tmp_path / "first.duckdb").exists()
