"""Shared test helpers: where the real-report corpus lives (tests skip when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "reports").is_dir():
        pytest.skip("real-report corpus (../shared/corpus) is absent")
    return CORPUS
