"""The demo database: a generated synthetic corpus plus the real sample reports in data/samples,
all loaded through the real ingest path (read → parse → check → load)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from nianbao.pipeline import collect_files, ingest
from nianbao.synth import demo_corpus
from nianbao.synth.review_cases import add_review_cases

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def build_demo(db: str | Path, progress: Callable[[int, int], None] | None = None,
               workers: int | None = None) -> int:
    """Build ``db`` from scratch; returns the number of reports loaded."""
    db = Path(db)
    workers = workers or min(2, os.cpu_count() or 1)
    with tempfile.TemporaryDirectory(prefix="nianbao-demo-") as tmp:
        metas = demo_corpus(tmp)
        add_review_cases(tmp, metas)  # late and duplicate reports for the review pages (issue 14)
        samples = collect_files([SAMPLES]) if SAMPLES.is_dir() else []
        total = len(metas) + len(samples)
        done = 0

        def tick(_report) -> None:
            nonlocal done
            done += 1
            if progress:
                progress(done, total)

        staging = db.with_name(f".{db.name}.demo")
        staging.unlink(missing_ok=True)
        outcomes = ingest([tmp], staging, manifest=Path(tmp) / "manifest.csv", workers=workers, on_done=tick,
                          is_demo=True)
        if samples:
            outcomes += ingest(samples, staging, workers=1, on_done=tick)
        db.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging, db)
    return sum(o.status != "failed" for o in outcomes)
