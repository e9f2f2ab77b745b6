"""read → parse → check → load for a batch of files, with per-file outcomes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nianbao.manifest import apply_manifest, read_manifest, save_corrections, stored_corrections
from nianbao.parse import failed_report, parse_bytes
from nianbao.parse.model import Report
from nianbao.store.findings import recheck
from nianbao.store.load import LoadResult, load_reports, report_id, stored_hashes, writable_copy

REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".shtml", ".pdf", ".docx", ".doc", ".wps",
                   ".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # pictures: scans, read by OCR


@dataclass
class Outcome:
    file: str
    status: str  # ok | partial | failed
    action: str  # loaded | replaced | unchanged | failed
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


def _parse_path(path: Path) -> tuple[Report, bytes]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return failed_report(path.name, f"无法读取文件 / cannot read file: {exc.strerror}"), b""
    return parse_bytes(data, path.name), data


def parse_files(files: list[Path], workers: int = 1,
                on_done: Callable[[Report], None] | None = None) -> list[tuple[Report, bytes]]:
    """Parse in parallel (parsing is a pure function of the bytes); results in input order."""
    if workers <= 1 or len(files) < 4:
        out = []
        for f in files:
            out.append(_parse_path(f))
            if on_done:
                on_done(out[-1][0])
        return out
    with ProcessPoolExecutor(workers) as pool:
        out = []
        for item in pool.map(_parse_path, files, chunksize=max(1, len(files) // (workers * 8))):
            out.append(item)
            if on_done:
                on_done(item[0])
        return out


def ingest(paths: Iterable[str | Path], db: str | Path, manifest: str | Path | None = None,
           workers: int = 1, on_done: Callable[[Report | None], None] | None = None,
           is_demo: bool = False) -> list[Outcome]:
    """Parse every new or changed file, load the batch in one transaction, recompute affected
    findings. Files already stored byte for byte are not parsed again, unless this batch's
    manifest corrects them."""
    files = collect_files(paths)
    rows = read_manifest(manifest) if manifest else {}
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
    unchanged = [Outcome(f.name, known[sha][1], "unchanged", known[sha][0], "") for f, sha in same]
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
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _outcome(report: Report, result: LoadResult) -> Outcome:
    name = report.source_name
    action = ("replaced" if name in result.replaced else "unchanged" if name in result.unchanged
              else "loaded")
    if report.status == "failed":
        action = "failed" if name not in result.unchanged else "unchanged"
    return Outcome(name, report.status, action, report_id(report) if report.sha256 else None,
                   report.error or _warnings_line(report.warnings))


def _warnings_line(warnings: list[str]) -> str:
    """The first warning, and how many more: an ok report with no message would hide them."""
    if not warnings:
        return ""
    more = f" (+{len(warnings) - 1})" if len(warnings) > 1 else ""
    return warnings[0] + more
