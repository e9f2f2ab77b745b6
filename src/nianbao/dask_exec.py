"""Parsing on a Dask cluster (``nianbao ingest --executor dask`` or ``--scheduler tcp://host:8786``).

This process reads each file once, hashes it, and sends the bytes of new files to the cluster;
a worker parses them (a pure function of the bytes) and returns the report; this process stays
the one writer. Results come back ``chunk`` files at a time, in input order, like
:func:`nianbao.worker.parse_stream`.

The time budget: a Dask task cannot be stopped from outside, so when no task has finished for a
whole budget, every task still running has run at least that long; those files fail with
"超时/timeout" and their workers are restarted (the nanny starts a fresh one), so a hung parse
does not hang the batch. A worker that dies (over memory) fails its file after Dask's retries.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import distributed  # noqa: F401 - fail at import when the extra is not installed

from nianbao.limits import MB, limits
from nianbao.parse import failed_report, parse_bytes
from nianbao.worker import Parsed, parse_path


def parse_task(data: bytes, name: str) -> Parsed:
    """Runs on a Dask worker: parse the bytes; the bytes are not sent back."""
    start = time.perf_counter()
    try:
        report = parse_bytes(data, name)
    except MemoryError:
        mb = limits().parse_memory_mb
        report = failed_report(name, f"{name}: 超出内存上限（{mb} MB）/ over the memory budget ({mb} MB)")
    return Parsed(report, b"", report.sha256, 0.0, time.perf_counter() - start)


def _read(path: Path) -> tuple[bytes | None, float]:
    start = time.perf_counter()
    try:
        if path.stat().st_size > limits().file_mb * MB:
            return None, 0.0
        return path.read_bytes(), time.perf_counter() - start
    except OSError:
        return None, 0.0


def dask_stream(paths: list[Path], workers: int = 2, chunk: int = 1000, stored: frozenset[str] = frozenset(),
                forced: frozenset[str] = frozenset(),
                scheduler: str | None = None) -> Iterator[list[tuple[Path, Parsed]]]:
    """Parse on the cluster at ``scheduler`` (or a local cluster of ``workers`` processes)."""
    if not paths:
        return
    from dask.distributed import Client, LocalCluster

    if scheduler:
        client, cluster = Client(scheduler), None
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=":0", memory_limit=f"{max(limits().parse_memory_mb, 512)}MB")
        client = Client(cluster)
    try:
        for i in range(0, len(paths), max(1, chunk)):
            yield _run_chunk(client, paths[i:i + max(1, chunk)], stored, forced)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _run_chunk(client, part: list[Path], stored: frozenset[str], forced: frozenset[str]) -> list[tuple[Path, Parsed]]:
    out: dict[int, Parsed] = {}
    futures, datas = {}, {}
    for k, path in enumerate(part):
        data, read_s = _read(path)
        if data is None:  # too large or unreadable: the local path says why, without reading it
            out[k] = Parsed(parse_path(path), b"", "")
            continue
        sha = hashlib.sha256(data).hexdigest()
        if sha in stored and path.name not in forced:
            out[k] = Parsed(None, b"", sha, read_s)
            continue
        datas[k] = (data, read_s)
        futures[k] = client.submit(parse_task, data, path.name, pure=False)
    _await(client, futures, part, out)
    for k, (data, read_s) in datas.items():
        out[k].data, out[k].read_s = data, read_s
    return [(path, out[k]) for k, path in enumerate(part)]


def _await(client, futures: dict, part: list[Path], out: dict[int, Parsed]) -> None:
    from dask.distributed import wait

    budget = limits().parse_timeout_s
    pending = dict(futures)
    while pending:
        before = len(pending)
        try:
            wait(list(pending.values()), timeout=budget or None, return_when="FIRST_COMPLETED")
        except TimeoutError:
            pass  # nothing finished within the budget: judged below
        for k, future in list(pending.items()):
            if future.done():
                out[k] = _result(future, part[k].name)
                del pending[k]
        if len(pending) == before:  # nothing finished within a whole budget: the running ones are over it
            _stop_running(client, pending, part, out, budget)


def _result(future, name: str) -> Parsed:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a dead worker or parser error fails this file only
        return Parsed(failed_report(name, f"{name}: 解析进程异常退出或出错（{type(exc).__name__}）/ parser process "
                                          f"died or failed ({type(exc).__name__})"), b"", "")


def _executing(dask_worker) -> list:
    """Runs on each worker (``Client.run``): the keys of the tasks it is executing."""
    return [ts.key for ts in dask_worker.state.executing]


def _stop_running(client, pending: dict, part: list[Path], out: dict[int, Parsed], budget: float) -> None:
    # the tasks each worker is executing now (not those queued behind them); a worker's event
    # loop answers while its executor thread is stuck in a parse
    running = {key: w for w, keys in client.run(_executing).items() for key in keys}
    hung = [k for k, f in pending.items() if f.key in running]
    for k in hung:
        name = part[k].name
        out[k] = Parsed(failed_report(name, f"{name}: 解析超时（{budget:.0f} 秒），已终止 / parse timeout "
                                            f"({budget:.0f} s), stopped"), b"", "")
        client.cancel([pending.pop(k)])
    if hung:
        client.restart_workers(sorted(set(running.values())))
