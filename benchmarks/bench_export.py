"""Time the exports of the whole (unfiltered) database: facts CSV and Parquet, the per-report
table 二 as XLSX, against a floor — DuckDB ``COPY`` of the bare ordered facts ⋈ reports join —
measured in the same run. Each export runs in a child process so its peak RSS is its own.
Usage: ``python benchmarks/bench_export.py DB.duckdb [--skip-xlsx]``."""

from __future__ import annotations

import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path


def _floor(db: str, out: str) -> None:
    import duckdb

    con = duckdb.connect(db, read_only=True)
    con.execute("COPY (SELECT r.report_id, r.agency, r.province, r.report_year, f.table_key, f.row_key, f.col_key, "
                "f.kind, f.value_text, f.raw FROM facts f JOIN reports r USING (report_id) "
                "WHERE r.status <> 'failed' AND r.scope = 'agency' "
                "ORDER BY r.agency, r.report_year, r.report_id, f.table_key, f.row_key, f.col_key) "
                f"TO '{out}' (HEADER)")
    con.close()


def _export(db: str, out: str, table: str, fmt: str) -> None:
    from streamlit import logger

    logger.set_log_level("error")
    from nianbao.app.export import write_table

    write_table(db, out, table, "zh", fmt)


def _child(target, args, queue) -> None:  # noqa: ANN001 — multiprocessing plumbing
    start = time.perf_counter()
    target(*args)
    seconds = time.perf_counter() - start
    queue.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def measure(target, *args) -> tuple[float, float]:  # noqa: ANN001
    queue = mp.get_context("spawn").Queue()
    proc = mp.get_context("spawn").Process(target=_child, args=(target, args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main(db: str, skip_xlsx: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        runs = [("floor: COPY facts ⋈ reports (csv)", _floor, (db, f"{folder}/floor.csv"), f"{folder}/floor.csv"),
                ("facts csv", _export, (db, f"{folder}/f.csv", "facts", "csv"), f"{folder}/f.csv"),
                ("facts parquet", _export, (db, f"{folder}/f.parquet", "facts", "parquet"), f"{folder}/f.parquet")]
        if not skip_xlsx:
            runs.append(("active xlsx", _export, (db, f"{folder}/a.xlsx", "active", "xlsx"), f"{folder}/a.xlsx"))
        print(f"{'export':<36}{'seconds':>9}{'peak MB':>9}{'file MB':>9}{'× floor':>9}")
        floor = None
        for name, target, args, out in runs:
            seconds, rss = measure(target, *args)
            floor = floor or seconds
            size = Path(out).stat().st_size / 2**20
            print(f"{name:<36}{seconds:>9.2f}{rss:>9.0f}{size:>9.1f}{seconds / floor:>9.2f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], "--skip-xlsx" in sys.argv)
