"""Parsing on a Dask cluster (``nianbao ingest --executor dask`` or ``--scheduler tcp://host:8786``).

This process reads each file once, hashes it, and sends the bytes of new files to the cluster;
a worker parses them (a pure function of the bytes) and returns the report; this process stays
the one writer. Results come back ``chunk`` files at a time, in input order, like
:func:`nianbao.worker.parse_stream`.

The time budget: a Dask task cannot be stopped from outside. Each worker reports how long each
task it executes has run (by its own clock); a file whose task has run for a whole
``NIANBAO_PARSE_TIMEOUT_S`` fails with "超时/timeout", its future is cancelled and, once the
scheduler has forgotten it (else Dask would run it again on another worker), the worker is
restarted (its nanny starts a fresh one) and the files queued on it go on elsewhere. Workers load
the parser's tables when they start (:class:`WarmUp`), so the budget is the parse's own. A worker
that dies (over memory) fails its file after Dask's retries (``allowed-failures``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import distributed  # fails at import when the extra is not installed

from nianbao.limits import MB, limits
from nianbao.parse import failed_report, parse_bytes
from nianbao.read import ocr_engine
from nianbao.worker import Parsed, checked_alone, parse_path, warm_up


class WarmUp(distributed.WorkerPlugin):
    """Loads the parser's lazy tables (seconds for the place gazetteer) when a worker starts,
    a restarted one too, so its first file's time budget is not spent on them; and gives the
    worker's OCR engine as many threads as the worker has (its share of the host's cores), so
    that two workers on two cores do not each take every core."""

    name = "nianbao-warm-up"

    def setup(self, worker) -> None:
        ocr_engine.use_threads(worker.state.nthreads)
        warm_up()


def parse_task(data: bytes, name: str) -> Parsed:
    """Runs on a Dask worker: parse the bytes; the bytes are not sent back."""
    start = time.perf_counter()
    try:
        report = parse_bytes(data, name)
    except MemoryError:
        mb = limits().parse_memory_mb
        report = failed_report(name, f"{name}: 超出内存上限（{mb} MB）/ over the memory budget ({mb} MB)")
    parsed = time.perf_counter()
    return Parsed(report, b"", report.sha256, 0.0, parsed - start, checked_alone(report), time.perf_counter() - parsed)


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
        client.register_plugin(WarmUp())
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
    stopped: set = set()  # keys given up on: a worker still running one is restarted
    check_at = time.monotonic() + budget
    while pending:
        try:
            wait(list(pending.values()), timeout=max(0.0, check_at - time.monotonic()) if budget else None,
                 return_when="FIRST_COMPLETED")
        except TimeoutError:
            pass  # time to look at what is running
        for k, future in list(pending.items()):
            if future.done():
                out[k] = _result(future, part[k].name)
                del pending[k]
        if pending and budget and time.monotonic() >= check_at:
            check_at = _stop_over_budget(client, pending, part, out, budget, stopped)


def _result(future, name: str) -> Parsed:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a dead worker or parser error fails this file only
        return Parsed(failed_report(name, f"{name}: 解析进程异常退出或出错（{type(exc).__name__}）/ parser process "
                                          f"died or failed ({type(exc).__name__})"), b"", "")


def _executing(dask_worker) -> dict:
    """Runs on each worker (``Client.run``): how long (s) each task it is executing has run, by
    the worker's own clock (its event loop answers while the executor thread is stuck in a parse)."""
    from distributed.metrics import time as now

    return {ts.key: now() - (ts.start_time or now()) for ts in dask_worker.state.executing}


def _known(keys: list, dask_scheduler) -> list:
    """Runs on the scheduler: which of ``keys`` it still holds."""
    return [key for key in keys if key in dask_scheduler.tasks]


def _stop_over_budget(client, pending: dict, part: list[Path], out: dict[int, Parsed], budget: float,
                      stopped: set) -> float:
    """Fail the tasks that have executed for a whole budget and restart the workers running
    them; return when (``time.monotonic()``) the next task still running reaches its budget."""
    asked = time.monotonic()
    ages = [(key, worker, age) for worker, running in client.run(_executing, on_error="return").items()
            if isinstance(running, dict) for key, age in running.items()]  # a worker that fails to answer: next look
    by_key = {future.key: k for k, future in pending.items()}
    over = sorted({by_key[key] for key, _, age in ages if key in by_key and age >= budget})
    for k in over:
        name = part[k].name
        out[k] = Parsed(failed_report(name, f"{name}: 解析超时（{budget:.0f} 秒），已终止 / parse timeout "
                                            f"({budget:.0f} s), stopped"), b"", "")
    if over:
        gone = [pending.pop(k) for k in over]
        stopped.update(future.key for future in gone)
        _forget(client, gone)
    workers = sorted({worker for key, worker, _ in ages if key in stopped})
    if workers:  # the nanny starts a fresh worker; the tasks queued on the old one go elsewhere
        client.restart_workers(workers, raise_for_error=False)
    left = [budget - age for key, _, age in ages if key in by_key and by_key[key] in pending]
    return asked + max(0.1, min(left, default=budget))


def _forget(client, futures: list) -> None:
    """Cancel the futures and wait until the scheduler has forgotten them. ``Client.cancel``
    only queues a message; a worker restarted before the scheduler acts on it loses a task
    the scheduler still holds, and Dask runs such a task again on another worker."""
    keys = [future.key for future in futures]
    client.cancel(futures, force=True)
    give_up = time.monotonic() + 30  # then restart anyway: a task run again is stopped at the next look
    while client.run_on_scheduler(_known, keys) and time.monotonic() < give_up:
        time.sleep(0.02)
