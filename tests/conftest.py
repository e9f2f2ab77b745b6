"""Shared fixtures: where the real-report corpus lives (tests skip when it is absent); for the app
tests, the fixture database (built once, cached by content) and Streamlit cache clearing between
tests (streamlit/streamlit#9139)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "reports").is_dir():
        pytest.skip("real-report corpus (../shared/corpus) is absent")
    return CORPUS


def _fixture_key() -> str:
    # rebuild when the fixture builder, the loader or the schema change
    h = hashlib.sha256()
    for rel in ("tests/app_fixtures.py", "src/nianbao/store/load.py", "src/nianbao/store/schema.py",
                "src/nianbao/store/wide.py", "src/nianbao/store/presence.py", "src/nianbao/form/definitions.py"):
        h.update((ROOT / rel).read_bytes())
    return h.hexdigest()[:16]


@pytest.fixture(scope="session")
def fixture_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the ~30-agency fixture database (loading it takes ~30 s, so it is cached)."""
    from app_fixtures import build_fixture_db

    cache = Path(request.config.cache.mkdir("nianbao-fixture"))
    built = cache / f"fixture-{_fixture_key()}.duckdb"
    if not built.exists():
        for old in cache.glob("fixture-*.duckdb"):
            old.unlink()
        build_fixture_db(built)
    target = tmp_path_factory.mktemp("db") / "fixture.duckdb"
    shutil.copyfile(built, target)
    return target


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the schema and no reports."""
    from nianbao.store.load import writable_copy

    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    with writable_copy(path):
        pass
    return path


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()



@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest forgets before every run that st.navigation was called, so Streamlit would take our
    pages/ folder for its old multipage mode on each run (a real server does this only on its very
    first request, which app.py turns into a rerun; the browser test covers that path)."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
