"""read → parse → check → load for a batch of files, with per-file outcomes."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path

import duckdb

from nianbao.check.alone import Checked, still_holds
from nianbao.debris import remove_stale_temp_dirs, remove_write_debris
from nianbao.limits import MB, limits
from nianbao.lock import ingest_lock
from nianbao.manifest import apply_manifest, read_manifest, save_corrections, stored_corrections
from nianbao.parse.model import Report
from nianbao.store.findings import recheck
from nianbao.store.load import LoadResult, load_reports, report_id, stored_hashes, writable
from nianbao.store.review import regroup_duplicates, snapshot_duplicates
from nianbao.worker import parse_stream

REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".shtml", ".pdf", ".docx", ".doc", ".wps",
                   ".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # pictures: scans, read by OCR


class ExecutorError(Exception):
    """The executor asked for cannot run (unknown, or its extra is not installed)."""


DEFAULT_CHUNK = 1000  # reports parsed and loaded at a time
# a batch of at most this many files (and one chunk) is written in place: readers wait for the
# write (load, checks, regrouping — about a second at 100 k reports) instead of the database being
# copied; a larger batch writes into a copy, so readers are never refused while chunks are parsed
IN_PLACE_FILES = 100


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


def ingest(paths: Iterable[str | Path], db: str | Path, manifest: str | Path | None = None,
           workers: int = 1, on_done: Callable[[Report | None], None] | None = None,
           is_demo: bool = False, wait: float = 0.0, on_wait: Callable[[str], None] | None = None,
           chunk: int = DEFAULT_CHUNK, executor: str = "local", scheduler: str | None = None) -> list[Outcome]:
    """Parse every new or changed file and load it, ``chunk`` files at a time (memory does not
    grow with the batch), each chunk in one transaction, recomputing the findings it affects.
    The batch lands whole or not at all: a small one (``IN_PLACE_FILES``) in one transaction in
    the file itself, a larger one into a copy of the database swapped in at the end.
    Each file is read once, in a worker, which hashes the bytes it parses; files already stored
    byte for byte are not parsed again, unless this batch's manifest corrects them.
    The whole batch holds the database's write lock (waiting up to ``wait`` seconds for another
    ingest, else :class:`nianbao.lock.LockBusy`), so no batch overwrites another's.
    ``executor="dask"`` (or a ``scheduler`` address) parses on a Dask cluster
    (:mod:`nianbao.dask_exec`); this process stays the one writer."""
    files = collect_files(paths)
    rows = read_manifest(manifest) if manifest else {}
    with ingest_lock(db, wait, on_wait):
        remove_write_debris(db)
        remove_stale_temp_dirs()
        stream = _stream(executor, scheduler)
        return _ingest_locked(files, Path(db), rows, workers, on_done, is_demo, chunk, stream)


def _ingest_locked(files: list[Path], db: Path, rows: dict[str, dict[str, str]], workers: int,
                   on_done: Callable[[Report | None], None] | None, is_demo: bool, chunk: int,
                   stream: Callable = parse_stream) -> list[Outcome]:
    known = stored_hashes(db)
    outcomes: list[Outcome] = []
    unchanged: list[Outcome] = []
    with ExitStack() as stack:
        con = corrections = None
        chunks = stack.enter_context(closing(stream(files, workers, chunk, frozenset(known), frozenset(rows))))
        for results in chunks:  # closed on the way out: a failed load stops the parsing of the rest
            parsed: list[tuple[Report, bytes, Checked | None]] = []
            for f, item in results:
                if item.report is None:  # a file stored already keeps its stored outcome, including why it failed
                    rid, status, error = known[item.sha256]
                    unchanged.append(Outcome(f.name, status, "unchanged", rid, error))
                else:
                    data = item.data
                    if not data:  # a timeout, crash or size refusal: still identified and kept by its bytes
                        data = _read_within_limit(f)
                        item.report.sha256 = item.report.sha256 or item.sha256 or _sha256(f)
                    parsed.append((item.report, data, item.checked))
                if on_done:
                    on_done(item.report)
            if not parsed:
                continue  # nothing new yet: the database is not opened for writing
            if con is None:  # every chunk goes into the one write (a transaction in place, or a copy)
                con = stack.enter_context(writable(db, in_place=len(files) <= min(chunk, IN_PLACE_FILES)))
                snapshot_duplicates(con)
                corrections = stored_corrections(con)
                save_corrections(con, rows)
            outcomes += load_chunk(con, parsed, rows, corrections, is_demo)
        if con is not None:
            regroup_duplicates(con)  # once per batch, over the store with every chunk in it
    return outcomes + unchanged


def _stream(executor: str, scheduler: str | None) -> Callable:
    """The parse stream of an executor: local worker processes, or a Dask cluster."""
    if executor == "local" and not scheduler:
        return parse_stream
    if executor not in ("local", "dask"):
        raise ExecutorError(f"未知的执行方式 / unknown executor: {executor} (local | dask)")
    try:
        from nianbao.dask_exec import dask_stream
    except ImportError as exc:
        raise ExecutorError("需要安装 dask：pip install 'nianbao[dask]' / the dask executor needs "
                           "pip install 'nianbao[dask]'") from exc
    return functools.partial(dask_stream, scheduler=scheduler)


def load_chunk(con: duckdb.DuckDBPyConnection, parsed: list[tuple[Report, bytes, Checked | None]],
               rows: dict[str, dict[str, str]], corrections: dict[str, dict[str, str]], is_demo: bool) -> list[Outcome]:
    """Apply the manifest to one chunk, load it in one transaction and recompute the findings it
    affects (cross-year rules see earlier chunks, which are in the store by now). What the
    workers checked already is used where it still holds (:mod:`nianbao.check.alone`)."""
    checked: dict[str, Checked] = {}
    changed: set[str] = set()
    for report, _, done in parsed:
        row = {**corrections.get(report.source_name, {}), **rows.get(report.source_name, {})}
        apply_manifest(report, row)
        if done is not None and still_holds(report, bool(row)):
            checked[report_id(report)] = done
        else:  # same bytes under another name share an id: one changed copy is checked afresh
            changed.add(report_id(report))
    reports = [r for r, _, _ in parsed]
    result = load_reports(con, reports, {r.source_name: d for r, d, _ in parsed}, is_demo,
                          reload={r.source_name for r in reports if r.source_name in rows})
    recheck(con, reports, duplicates=False, checked={k: v for k, v in checked.items() if k not in changed})
    return [_outcome(r, result) for r in reports]


def _read_within_limit(path: Path) -> bytes:
    """A failed file's bytes, to store (a file over the size limit is not read into memory)."""
    try:
        return path.read_bytes() if path.stat().st_size <= limits().file_mb * MB else b""
    except OSError:
        return b""


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
