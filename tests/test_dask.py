"""The Dask executor: parsing on a LocalCluster of 2 worker processes builds the same database
as a local ingest (every table's contents, load timestamps aside)."""

from __future__ import annotations

import duckdb
import pytest

from nianbao.pipeline import ingest
from nianbao.store.schema import TABLES

pytest.importorskip("distributed")


def _contents(db) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, columns, _ in TABLES:
            kept = [c for c, kind, _ in columns if "TIMESTAMP" not in kind.upper()]
            out[table] = sorted(con.execute(f"SELECT {', '.join(kept)} FROM {table}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def test_dask_local_cluster_builds_the_same_database_as_a_local_ingest(tmp_path):
    from nianbao.synth.corpus import write_corpus

    folder = tmp_path / "reports"
    write_corpus(folder, seed=5, limit=210, n_agencies=31)
    local, dask = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    first = ingest([folder], local, workers=2, chunk=80)
    second = ingest([folder], dask, workers=2, chunk=80, executor="dask")
    assert len(first) == 210
    assert sorted((o.file, o.status, o.action, o.report_id) for o in second) == sorted(
        (o.file, o.status, o.action, o.report_id) for o in first)
    mine, theirs = _contents(local), _contents(dask)
    assert mine["reports"] and mine["facts"] and mine["findings"]
    assert mine == theirs
    again = ingest([folder], dask, executor="dask")  # same bytes: not sent to the cluster again
    assert {o.action for o in again} == {"unchanged"}


def _cancels_arrive_late(client, monkeypatch, delay: float) -> None:
    """Deliver the client's cancel messages to the scheduler ``delay`` s late, as on a loaded machine."""
    send = client._send_to_scheduler

    def late(msg: dict) -> None:
        if msg.get("op") == "cancel-keys":
            client.loop.call_later(delay, send, msg)
        else:
            send(msg)
    monkeypatch.setattr(client, "_send_to_scheduler", late)


@pytest.mark.parametrize("late_cancel", [0.0, 2.0], ids=["cancel-on-time", "cancel-arrives-late"])
def test_a_task_over_the_time_budget_fails_alone_and_its_worker_restarts(tmp_path, monkeypatch, late_cancel):
    """A Dask task cannot be stopped from outside: a parse still running after a whole budget
    fails with a timeout and its worker is restarted; the file queued behind it on that worker
    is parsed on the fresh one, and the hung task is not run again there (before the fix it
    was, so the queued file waited the whole sleep)."""
    import time

    from dask.distributed import Client, LocalCluster

    from nianbao import dask_exec

    monkeypatch.setenv("NIANBAO_PARSE_TIMEOUT_S", "3")
    good = "北京市某区商务局2023年政府信息公开工作年度报告\n".encode()  # a title only: parses (as failed) at once
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.register_plugin(dask_exec.WarmUp())
        if late_cancel:
            _cancels_arrive_late(client, monkeypatch, late_cancel)
        first = set(client.scheduler_info()["workers"])
        futures = {0: client.submit(time.sleep, 120, pure=False),
                   1: client.submit(dask_exec.parse_task, good, "good.txt", pure=False)}
        out: dict = {}
        start = time.monotonic()
        dask_exec._await(client, futures, [tmp_path / "hang.txt", tmp_path / "good.txt"], out)
        assert time.monotonic() - start < 60
        assert out[0].report.status == "failed" and "timeout" in out[0].report.error
        parsed = out[1].report  # queued behind the hung task on the one worker, parsed after the restart
        assert parsed.source_name == "good.txt" and parsed.sha256 and "timeout" not in (parsed.error or "")
        assert set(client.scheduler_info()["workers"]).isdisjoint(first)  # restarted
        assert not any(client.run(dask_exec._executing).values())  # nothing left running: the hung task was not run again


def test_a_hung_task_is_stopped_while_other_workers_keep_finishing(tmp_path, monkeypatch):
    """The budget is each task's own: a hung parse is stopped after its budget even while the
    other worker finishes a file every half second (it used to wait until nothing finished for
    a whole budget, i.e. until the rest of the chunk was done)."""
    import time

    from dask.distributed import Client, LocalCluster

    from nianbao import dask_exec

    monkeypatch.setenv("NIANBAO_PARSE_TIMEOUT_S", "3")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        futures = {0: client.submit(time.sleep, 120, pure=False)}
        futures.update({k: client.submit(time.sleep, 0.5, pure=False) for k in range(1, 15)})
        out: dict = {}
        dask_exec._await(client, futures, [tmp_path / f"{k}.txt" for k in range(15)], out)
        assert out[0].report.status == "failed" and "timeout" in out[0].report.error
        assert sorted(out) == list(range(15))
        assert list(out).index(0) < 14 - 3  # stopped while at least 3 of the others were still to finish


def test_each_dask_worker_gives_its_ocr_engine_its_own_thread_count(monkeypatch):
    """Two workers of one thread on one host: each OCR engine takes one onnxruntime thread, not
    every core (before, a Dask worker left the setting unset: all cores each, oversubscribed)."""
    from dask.distributed import Client, LocalCluster

    from nianbao import dask_exec
    from nianbao.read import ocr_engine

    monkeypatch.delenv(ocr_engine.OCR_THREADS_ENV, raising=False)  # the workers inherit this process's env
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.register_plugin(dask_exec.WarmUp())
        threads = client.run(ocr_engine.ocr_threads)
    assert len(threads) == 2 and set(threads.values()) == {1}
