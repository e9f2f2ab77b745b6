"""Bounded parsing: each file is read and parsed in a worker process with a time and memory
budget (:mod:`nianbao.limits`). A file over its time is killed with its worker and fails with
"超时/timeout"; a worker over its memory gets a MemoryError or dies, and that file fails; the
batch goes on with a fresh worker. Workers die with their parent (PR_SET_PDEATHSIG), so a
killed ingest leaves no parser running.
"""

from __future__ import annotations

import functools
import hashlib
import os
import resource
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from nianbao.check.alone import Checked, check_alone
from nianbao.debris import temp_dir
from nianbao.limits import MB, limits
from nianbao.parse import failed_report, parse_bytes
from nianbao.parse.model import Report
from nianbao.procs import address_space, die_with_parent
from nianbao.read import ocr_engine

_STORED: frozenset[str] = frozenset()  # sha256 of files stored already: not parsed again
_FORCED: frozenset[str] = frozenset()  # file names a manifest corrects: parsed even when stored


def _init_worker(memory_mb: int, stored: frozenset[str] = frozenset(), forced: frozenset[str] = frozenset(),
                 workers: int = 1) -> None:
    global _STORED, _FORCED
    _STORED, _FORCED = stored, forced
    # several workers share the cores: each OCR engine takes one thread, one worker takes them all
    os.environ[ocr_engine.OCR_THREADS_ENV] = "1" if workers >= 2 else "0"
    die_with_parent()
    if memory_mb > 0:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = address_space() + memory_mb * MB
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def parse_path(path: Path) -> Report:
    """Read and parse one file; never raises for bad input."""
    try:
        size = path.stat().st_size
        if size > limits().file_mb * MB:
            return failed_report(path.name, f"{path.name}: 文件过大（{size / MB:.1f} MB，上限 {limits().file_mb} MB）"
                                            f" / file too large ({size / MB:.1f} MB, limit {limits().file_mb} MB)")
        data = path.read_bytes()
    except OSError as exc:
        return failed_report(path.name, f"无法读取文件 / cannot read file: {exc.strerror}")
    try:
        return parse_bytes(data, path.name)
    except MemoryError:
        return _over_memory(path.name)


@dataclass
class Parsed:
    """One file as a worker read it: its bytes (read once, hashed and parsed from the same
    bytes), and its report, or None when those bytes are stored already."""
    report: Report | None
    data: bytes
    sha256: str
    read_s: float = 0.0
    parse_s: float = 0.0
    checked: Checked | None = None  # the checks that need no other report, run here in parallel
    check_s: float = 0.0


def read_and_parse(path: Path) -> Parsed:
    """Read one file once, hash those bytes and parse them unless they are stored already."""
    start = time.perf_counter()
    try:
        size = path.stat().st_size
        if size > limits().file_mb * MB:  # not read into memory; the caller hashes it streamed
            return Parsed(parse_path(path), b"", "")
        data = path.read_bytes()
    except OSError:
        return Parsed(parse_path(path), b"", "")
    sha = hashlib.sha256(data).hexdigest()
    read_s = time.perf_counter() - start
    if sha in _STORED and path.name not in _FORCED:
        return Parsed(None, b"", sha, read_s)
    try:
        report = parse_bytes(data, path.name)
    except MemoryError:
        report = _over_memory(path.name)
    parsed = time.perf_counter()
    return Parsed(report, data, sha, read_s, parsed - start - read_s, checked_alone(report),
                  time.perf_counter() - parsed)


def checked_alone(report: Report) -> Checked | None:
    """The report's own checks, or None when they fail here: the writer then runs them itself,
    and a failure there is reported as it always was."""
    try:
        return check_alone(report)
    except Exception:  # noqa: BLE001 - the file was parsed; its checks are retried by the writer
        return None


def _over_memory(name: str) -> Report:
    mb = limits().parse_memory_mb
    return failed_report(name, f"{name}: 超出内存上限（{mb} MB）/ over the memory budget ({mb} MB)")


@functools.cache
def warm_up() -> None:
    """Load the parser's lazy tables (the place gazetteer takes seconds) in this process once, so
    every forked worker inherits them instead of loading them again."""
    parse_bytes("北京市某区商务局2023年政府信息公开工作年度报告\n".encode(), "warm-up.txt")


def parse_bounded(paths: list[Path], workers: int = 1,
                  on_done: Callable[[Report], None] | None = None) -> list[Report]:
    """Parse each file in a worker under the time and memory budget; results in input order."""
    if not paths:
        return []
    warm_up()
    lim = limits()
    out: list[Report] = []
    n = max(1, min(workers, len(paths)))
    with ProcessPool(max_workers=n, initializer=_init_worker,
                     initargs=(lim.parse_memory_mb, frozenset(), frozenset(), n)) as pool:
        futures = [pool.schedule(parse_path, (p,), timeout=lim.parse_timeout_s) for p in paths]
        for path, future in zip(paths, futures, strict=True):
            out.append(_result(path, future, lim.parse_timeout_s))
            if on_done:
                on_done(out[-1])
    return out


def parse_stream(paths: list[Path], workers: int = 1, chunk: int = 1000, stored: frozenset[str] = frozenset(),
                 forced: frozenset[str] = frozenset()) -> Iterator[list[tuple[Path, Parsed]]]:
    """Read and parse files in workers under the budget, ``chunk`` files at a time, in input
    order. The next chunk is parsed while the caller loads this one, so at most two chunks of
    results are held, whatever the number of files. Files whose bytes are in ``stored`` (and
    whose name is not in ``forced``) are hashed but not parsed."""
    if not paths:
        return
    warm_up()
    lim = limits()
    chunks = [paths[i:i + chunk] for i in range(0, len(paths), max(1, chunk))]
    n = max(1, min(workers, len(paths)))
    pool = ProcessPool(max_workers=n, initializer=_init_worker,
                       initargs=(lim.parse_memory_mb, frozenset(stored), frozenset(forced), n))

    def submit(part: list[Path]) -> list:
        return [(p, pool.schedule(read_and_parse, (p,), timeout=lim.parse_timeout_s)) for p in part]

    try:
        pending = submit(chunks[0])
        for i in range(len(chunks)):
            following = submit(chunks[i + 1]) if i + 1 < len(chunks) else []
            yield [(p, _parsed(p, future, lim.parse_timeout_s)) for p, future in pending]
            pending = following
        pool.close()
        pool.join()
    except BaseException:  # the caller failed or stopped early: do not parse the rest
        pool.stop()
        pool.join()
        raise


def _parsed(path: Path, future, timeout: float) -> Parsed:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a timeout or dead worker fails this file only
        return Parsed(_failure(path, exc, timeout), b"", "")


def _result(path: Path, future, timeout: float) -> Report:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the batch
        return _failure(path, exc, timeout)


def _failure(path: Path, exc: Exception, timeout: float) -> Report:
    """The failed report of a file whose parse did not return: timeout, memory, dead worker."""
    name = path.name
    if isinstance(exc, FutureTimeout):
        return failed_report(name, f"{name}: 解析超时（{timeout:.0f} 秒），已终止 / parse timeout "
                                   f"({timeout:.0f} s), stopped")
    if isinstance(exc, MemoryError):
        return _over_memory(name)
    if isinstance(exc, ProcessExpired):
        return failed_report(name, f"{name}: 解析进程异常退出（代码 {exc.exitcode}，可能超出内存上限）/ parser "
                                   f"process died (code {exc.exitcode}, probably over the memory budget)")
    return failed_report(name, f"{name}: 解析出错 / parser error: {type(exc).__name__}")


def parse_bytes_bounded(data: bytes, name: str) -> Report:
    """One upload parsed under the same budget (the app's preview: no parsing in the page process)."""
    tmp = Path(temp_dir("upload"))
    try:
        path = tmp / (Path(name).name or "upload")
        path.write_bytes(data)
        return parse_bounded([path])[0]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
