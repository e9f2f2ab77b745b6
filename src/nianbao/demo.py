"""The demo database: a generated synthetic corpus plus the real sample reports in data/samples,
all loaded through the real ingest path (read → parse → check → load)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from nianbao.lock import ingest_lock, lock_path
from nianbao.pipeline import collect_files, ingest
from nianbao.store.load import stored_hashes
from nianbao.synth import demo_corpus

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def build_demo(db: str | Path, progress: Callable[[int, int], None] | None = None,
               workers: int | None = None) -> int:
    """Build ``db`` from scratch; returns the number of reports loaded."""
    db = Path(db)
    workers = workers or min(2, os.cpu_count() or 1)
    with ingest_lock(db, wait=1800), tempfile.TemporaryDirectory(prefix=f"nianbao-demo-{os.getpid()}-") as tmp:
        metas = demo_corpus(tmp)
        samples = collect_files([SAMPLES]) if SAMPLES.is_dir() else []
        total = len(metas) + len(samples)
        done = 0

        def tick(_report) -> None:
            nonlocal done
            done += 1
            if progress:
                progress(done, total)

        staging = db.with_name(f".{db.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp.demo")  # debris if killed
        staging.unlink(missing_ok=True)
        outcomes = ingest([tmp], staging, manifest=Path(tmp) / "manifest.csv", workers=workers, on_done=tick,
                          is_demo=True)
        if samples:
            outcomes += ingest(samples, staging, workers=1, on_done=tick)
        db.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging, db)
        lock_path(staging).unlink(missing_ok=True)
    return sum(o.status != "failed" for o in outcomes)


def ensure_demo(db: str | Path, progress: Callable[[int, int], None] | None = None,
                wait: float = 1800) -> int:
    """Build the demo database unless it exists; visitors arriving together get one build (the
    others wait on the database's write lock, then find it built). Returns its report count."""
    db = Path(db)
    with ingest_lock(db, wait=wait):
        if not db.exists():
            build_demo(db, progress)
    return len(stored_hashes(db))
