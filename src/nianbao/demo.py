"""The demo database: a generated synthetic corpus, the cases real data always has (whole-area
reports, pre-2019 reports, partial and failed files) and the real sample reports in data/samples,
all loaded through the real ingest path (read → parse → check → load)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nianbao.lock import ingest_lock, lock_path
from nianbao.pipeline import collect_files, ingest
from nianbao.store.load import connect
from nianbao.synth import demo_corpus
from nianbao.synth.demo_cases import write_demo_cases
from nianbao.synth.review_cases import add_review_cases

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
DEMO_SEED = 2025


def build_demo(db: str | Path, progress: Callable[[int, int], None] | None = None,
               workers: int | None = None) -> int:
    """Build ``db`` from scratch; returns the number of reports loaded (failed files not counted)."""
    db = Path(db)
    workers = workers or min(2, os.cpu_count() or 1)
    with ingest_lock(db, wait=1800), tempfile.TemporaryDirectory(prefix=f"nianbao-demo-{os.getpid()}-") as tmp:
        corpus, cases = Path(tmp) / "corpus", Path(tmp) / "cases"
        metas = demo_corpus(corpus)
        write_demo_cases(cases, DEMO_SEED, exclude={m["agency_id"] for m in metas})
        add_review_cases(corpus, metas)  # late and duplicate reports for the review pages (issue 14)
        samples = collect_files([SAMPLES]) if SAMPLES.is_dir() else []
        total = len(collect_files([corpus, cases])) + len(samples)  # review cases add files to the corpus
        done = 0

        def tick(_report) -> None:
            nonlocal done
            done += 1
            if progress:
                progress(done, total)

        staging = db.with_name(f".{db.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp.demo")  # debris if killed
        staging.unlink(missing_ok=True)
        outcomes = []
        for folder in (corpus, cases):
            outcomes += ingest([folder], staging, manifest=folder / "manifest.csv", workers=workers, on_done=tick,
                               is_demo=True)
        if samples:
            outcomes += ingest(samples, staging, workers=1, on_done=tick)
        db.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging, db)
        lock_path(staging).unlink(missing_ok=True)
    return sum(o.status != "failed" for o in outcomes)


def ensure_demo(db: str | Path, progress: Callable[[int, int], None] | None = None,
                wait: float = 1800) -> DemoCounts:
    """Build the demo database unless it exists; visitors arriving together get one build (the
    others wait on the database's write lock, then find it built). Returns what it holds."""
    db = Path(db)
    with ingest_lock(db, wait=wait):
        if not db.exists():
            build_demo(db, progress)
        return count_reports(db)


@dataclass(frozen=True)
class DemoCounts:
    """What a database holds: every stored file is a row of ``reports``, a failed one too."""

    files: int  # rows of reports
    reports: int  # read (ok or partial): the reports the pages count
    partial: int
    failed: int  # files that could not be read: stored with their error, counted apart
    held: int  # other versions of a stored report, held beside it (not in reports)


def count_reports(db: str | Path) -> DemoCounts:
    """The database's reports by status, and its held versions."""
    con = connect(db)
    try:
        by_status = dict(con.execute("SELECT status, count(*) FROM reports GROUP BY status").fetchall())
        has_held = con.execute("SELECT count(*) FROM information_schema.tables "
                               "WHERE table_name = 'held_versions'").fetchone()[0]
        held = con.execute("SELECT count(*) FROM held_versions").fetchone()[0] if has_held else 0
    finally:
        con.close()
    failed = by_status.get("failed", 0)
    files = sum(by_status.values())
    return DemoCounts(files, files - failed, by_status.get("partial", 0), failed, held)


def demo_built_message(c: DemoCounts) -> tuple[str, str]:
    """(zh, en) saying what the built database holds; the counts add up to what is stored."""
    zh = f"{c.files} 个文件入库：{c.reports} 份报告"
    en = f"{_many(c.files, 'file')} stored: {_many(c.reports, 'report')}"
    if c.partial:
        zh, en = zh + f"（其中 {c.partial} 份部分读取）", en + f" ({c.partial} partly read)"
    if c.failed:
        zh, en = zh + f"，{c.failed} 个文件无法读取", en + f", {_many(c.failed, 'file')} that could not be read"
    if c.held:
        zh, en = zh + f"；另有 {c.held} 个待定版本", en + f"; {_many(c.held, 'more version')} held"
    return zh, en


def _many(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def demo_failure_message(exc: BaseException) -> tuple[str, str]:
    """(zh, en) for a user whose demo build failed: what is missing or what the system said."""
    if isinstance(exc, ModuleNotFoundError):
        return (f"示例数据库构建失败：缺少 Python 包 {exc.name}，请在项目目录运行 pip install -e .",
                f"Demo build failed: the Python package {exc.name} is missing; run pip install -e . in the project")
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return (f"示例数据库构建失败：无法写入{where}：{exc.strerror}",
                f"Demo build failed: cannot write{where}: {exc.strerror}")
    return f"示例数据库构建失败：{type(exc).__name__}: {exc}", f"Demo build failed: {type(exc).__name__}: {exc}"
