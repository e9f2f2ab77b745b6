"""Make a large database for the page and export benchmarks without parsing: copy a small one
and replicate its reports ``K`` times under new report ids, agency ids and agency names (so the
copies are distinct agencies, as at national scale). Source files are not copied.
Usage: ``python benchmarks/grow_db.py SRC.duckdb DST.duckdb K``."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import duckdb


def grow(src: Path, dst: Path, copies: int) -> int:
    shutil.copyfile(src, dst)
    con = duckdb.connect(str(dst))
    try:
        base = [t for t, kind in con.execute("SELECT table_name, table_type FROM information_schema.tables "
                                             "WHERE table_schema = 'main'").fetchall() if kind == "BASE TABLE"]
        con.execute("CREATE TEMP TABLE k AS SELECT range AS i, printf('~%05d', range) AS s FROM range(1, ?)", [copies])
        con.execute("BEGIN")
        cols = [c for c, *_ in con.execute("DESCRIBE reports").fetchall()]
        renamed = {"report_id": "r.report_id || k.s", "agency_id": "r.agency_id || k.s",
                   "agency": "r.agency || '（' || k.i || '）'", "source_name": "k.s || r.source_name",
                   "source_sha256": "sha256(r.source_sha256 || k.s)"}
        picked = ", ".join(renamed.get(c, f"r.{c}") for c in cols)
        con.execute(f"INSERT INTO reports SELECT {picked} FROM reports r, k")
        if "agencies" in base:
            acols = [c for c, *_ in con.execute("DESCRIBE agencies").fetchall()]
            arenamed = {"agency_id": "a.agency_id || k.s", "name": "a.name || '（' || k.i || '）'"}
            con.execute(f"INSERT INTO agencies SELECT {', '.join(arenamed.get(c, f'a.{c}') for c in acols)} "
                        "FROM agencies a, k")
        for table in base:
            if table in ("reports", "agencies", "sources", "metrics", "corrections"):
                continue
            tcols = [c for c, *_ in con.execute(f"DESCRIBE {table}").fetchall()]
            if "report_id" not in tcols:
                continue
            picked = ", ".join("t.report_id || k.s" if c == "report_id" else f"t.{c}" for c in tcols)
            con.execute(f"INSERT INTO {table} SELECT {picked} FROM {table} t, k")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        return con.execute("SELECT count(*) FROM reports").fetchone()[0]
    finally:
        con.close()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    start = time.perf_counter()
    n = grow(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
    print(f"{sys.argv[2]}: {n} reports in {time.perf_counter() - start:.1f} s")
