"""Bounded parsing: each file is read and parsed in a worker process with a time and memory
budget (:mod:`nianbao.limits`). A file over its time is killed with its worker and fails with
"超时/timeout"; a worker over its memory gets a MemoryError or dies, and that file fails; the
batch goes on with a fresh worker. Workers die with their parent (PR_SET_PDEATHSIG), so a
killed ingest leaves no parser running.
"""

from __future__ import annotations

import functools
import resource
import shutil
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from nianbao.debris import temp_dir
from nianbao.limits import MB, limits
from nianbao.parse import failed_report, parse_bytes
from nianbao.parse.model import Report
from nianbao.procs import address_space, die_with_parent


def _init_worker(memory_mb: int) -> None:
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
    with ProcessPool(max_workers=max(1, min(workers, len(paths))), initializer=_init_worker,
                     initargs=(lim.parse_memory_mb,)) as pool:
        futures = [pool.schedule(parse_path, (p,), timeout=lim.parse_timeout_s) for p in paths]
        for path, future in zip(paths, futures, strict=True):
            out.append(_result(path, future, lim.parse_timeout_s))
            if on_done:
                on_done(out[-1])
    return out


def _result(path: Path, future, timeout: float) -> Report:
    name = path.name
    try:
        return future.result()
    except FutureTimeout:
        return failed_report(name, f"{name}: 解析超时（{timeout:.0f} 秒），已终止 / parse timeout "
                                   f"({timeout:.0f} s), stopped")
    except MemoryError:
        return _over_memory(name)
    except ProcessExpired as exc:
        return failed_report(name, f"{name}: 解析进程异常退出（代码 {exc.exitcode}，可能超出内存上限）/ parser "
                                   f"process died (code {exc.exitcode}, probably over the memory budget)")
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the batch
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
