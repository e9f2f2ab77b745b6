"""read → parse → check → load for a batch of files, with per-file outcomes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from nianbao.debris import remove_stale_temp_dirs, remove_write_debris
from nianbao.limits import MB, limits
from nianbao.lock import ingest_lock
from nianbao.manifest import apply_manifest, read_manifest, save_corrections, stored_corrections
from nianbao.parse.model import Report
from nianbao.store.findings import recheck
from nianbao.store.load import LoadResult, load_reports, report_id, stored_hashes, writable_copy
from nianbao.worker import parse_bounded

REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".shtml", ".pdf", ".docx", ".doc", ".wps",
                   ".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # pictures: scans, read by OCR


@dataclass
class Outcome:
    file: str
    status: str  # ok | partial | failed
    action: str  # loaded | replaced | unchanged | held | failed
    report_id: str | None
    message: str


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders searched recursively for report files, in a stable order."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES))
        else:
            files.append(p)
    return files


def parse_files(files: list[Path], workers: int = 1,
                on_done: Callable[[Report], None] | None = None) -> list[tuple[Report, bytes]]:
    """Parse in worker processes, each file under the time and memory budget; results in input
    order, each with the bytes it was parsed from (as read by this process)."""
    reports = parse_bounded(files, workers, on_done)
    out = []
    too_big = limits().file_mb * MB
    for f, report in zip(files, reports, strict=True):
        try:  # a file over the size limit is not read into memory (its report says why it failed)
            data = f.read_bytes() if f.stat().st_size <= too_big else b""
        except OSError:
            data = b""
        if not report.sha256:  # a timeout, crash or size refusal: the file is still identified by its bytes
            report.sha256 = _sha256(f)
        out.append((report, data))
    return out


def ingest(paths: Iterable[str | Path], db: str | Path, manifest: str | Path | None = None,
           workers: int = 1, on_done: Callable[[Report | None], None] | None = None,
           is_demo: bool = False, wait: float = 0.0, on_wait: Callable[[str], None] | None = None) -> list[Outcome]:
    """Parse every new or changed file, load the batch in one transaction, recompute affected
    findings. Files already stored byte for byte are not parsed again, unless this batch's
    manifest corrects them. The whole batch holds the database's write lock (waiting up to
    ``wait`` seconds for another ingest, else :class:`nianbao.lock.LockBusy`), so no batch
    overwrites another's."""
    files = collect_files(paths)
    rows = read_manifest(manifest) if manifest else {}
    with ingest_lock(db, wait, on_wait):
        remove_write_debris(db)
        remove_stale_temp_dirs()
        return _ingest_locked(files, Path(db), rows, workers, on_done, is_demo)


def _ingest_locked(files: list[Path], db: Path, rows: dict[str, dict[str, str]], workers: int,
                   on_done: Callable[[Report | None], None] | None, is_demo: bool) -> list[Outcome]:
    known = stored_hashes(db)
    todo, same = [], []
    for f in files:
        sha = _sha256(f)
        unchanged = bool(sha) and sha in known and f.name not in rows
        if unchanged:
            same.append((f, sha))
        else:
            todo.append(f)
    if on_done:
        for _ in same:
            on_done(None)
    # a file stored already keeps its stored outcome, including why it failed
    unchanged = [Outcome(f.name, known[sha][1], "unchanged", known[sha][0], known[sha][2]) for f, sha in same]
    if not todo:
        return unchanged  # nothing new: the database file is not rewritten
    parsed = parse_files(todo, workers, on_done)
    with writable_copy(db) as con:
        corrections = stored_corrections(con)
        for report, _ in parsed:
            apply_manifest(report, {**corrections.get(report.source_name, {}), **rows.get(report.source_name, {})})
        save_corrections(con, rows)
        reports = [r for r, _ in parsed]
        result = load_reports(con, reports, {r.source_name: d for r, d in parsed}, is_demo,
                              reload={r.source_name for r in reports if r.source_name in rows})
        recheck(con, reports)
    return [_outcome(r, result) for r, _ in parsed] + unchanged


def _sha256(path: Path) -> str:
    try:
        with open(path, "rb") as f:  # streamed: a huge file is hashed, not loaded
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return ""


_KEPT = "已保留数据库中的原有版本 / the stored version is kept"
_HELD = ("新版本不如已存版本完整，已另存为待定版本，原版本仍为当前版本 / this version is less complete than the stored "
         "one: held beside it, the stored one stays current")


def _outcome(report: Report, result: LoadResult) -> Outcome:
    name = report.source_name
    message = report.error or ""
    if name in result.kept:
        return Outcome(name, report.status, "failed", None, f"{message} · {_KEPT}" if message else _KEPT)
    if name in result.held:
        return Outcome(name, report.status, "held", report_id(report), f"{message} · {_HELD}" if message else _HELD)
    action = ("replaced" if name in result.replaced else "unchanged" if name in result.unchanged
              else "loaded")
    if report.status == "failed":
        action = "failed" if name not in result.unchanged else "unchanged"
    return Outcome(name, report.status, action, report_id(report) if report.sha256 else None,
                   message or _warnings_line(report.warnings))
def _warnings_line(warnings: list[str]) -> str:
    """The first warning, and how many more: an ok report with no message would hide them."""
    if not warnings:
        return ""
    more = f" (+{len(warnings) - 1})" if len(warnings) > 1 else ""
    return warnings[0] + more
