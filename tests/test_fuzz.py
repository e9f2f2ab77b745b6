"""Bounded, seeded fuzzing of the whole ingest path: a few hundred mutated real and synthetic
files (bit flips, truncation, garbage, duplicated chunks, wrong extensions, encodings) and
crafted bombs. No traceback, no hang, every file ends ok/partial/failed with a message, the
batch completes. The long run is benchmarks/fuzz.py N."""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_fuzzed_batch_completes_with_an_outcome_for_every_file(monkeypatch):
    for k, v in {"NIANBAO_FILE_MB": "2", "NIANBAO_PARSE_TIMEOUT_S": "20", "NIANBAO_CONVERT_TIMEOUT_S": "20"}.items():
        monkeypatch.setenv(k, v)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import fuzz
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    out = io.StringIO()
    result = fuzz.run(200, seed=20261202, chunk=100, workers=2, out=out)  # two batches: files seen again
    assert result["problems"] == [], out.getvalue()
    assert sum(result["total"].values()) == 200
    assert result["total"]["failed"] and result["total"]["ok"], out.getvalue()  # both kinds were exercised
    crafted = {k for k in result["by_kind"] if k in ("zip_bomb", "span_bomb", "deep_html", "ole_junk", "pdf_junk",
                                                     "huge")}
    assert len(crafted) >= 4, out.getvalue()
