"""The database one checkout's ingest builds against another's, table by table, for changes that
must not change what is stored (speed work on the ingest): every row of every table, both ways
(``EXCEPT ALL``), the load timestamps left out.

    python benchmarks/compare_ingest.py OTHER_SRC [N] [--chunk C] [--workers W]

Generates N synthetic reports in the demo's mix of formats with every third row of the
generator's manifest (both paths: files checked in the workers, and files a manifest corrects),
ingests them once with this checkout's code and once with ``OTHER_SRC`` (each in a child
process), and prints each table's rows and differences.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

from nianbao.synth.corpus import DEMO_WEIGHTS, FORMATS, write_corpus

SKIP_COLUMNS = {"parsed_at", "held_at", "decided_at"}
INGEST = ("import sys; from nianbao.pipeline import ingest; "
          "ingest([sys.argv[1]], sys.argv[2], manifest=sys.argv[3], workers=int(sys.argv[4]), chunk=int(sys.argv[5]))")


def _ingest(src: str, files: Path, db: Path, workers: int, chunk: int) -> None:
    env = {**os.environ, "PYTHONPATH": src}
    subprocess.run([sys.executable, "-c", INGEST, str(files), str(db), str(files / "manifest.csv"), str(workers),
                    str(chunk)], env=env, check=True)


def compare(a: Path, b: Path) -> int:
    """Print each table's row count and rows only in one of the two; return the differing rows."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'a' "
                                        "ORDER BY 1").fetchall()]
    differing = 0
    for table in tables:
        cols = [c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' "
                                          "AND table_name = ? ORDER BY column_index", [table]).fetchall()
                if c not in SKIP_COLUMNS]
        select = ", ".join(f'"{c}"' for c in cols)
        n = con.execute(f"SELECT count(*) FROM a.{table}").fetchone()[0]
        only_a = con.execute(f"SELECT count(*) FROM (SELECT {select} FROM a.{table} EXCEPT ALL "
                             f"SELECT {select} FROM b.{table})").fetchone()[0]
        only_b = con.execute(f"SELECT count(*) FROM (SELECT {select} FROM b.{table} EXCEPT ALL "
                             f"SELECT {select} FROM a.{table})").fetchone()[0]
        differing += only_a + only_b
        print(f"{table:<18} {n:>9} rows · only here {only_a} · only there {only_b}")
    return differing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("other_src")
    ap.add_argument("n", type=int, nargs="?", default=1000)
    ap.add_argument("--chunk", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    here = str(Path(__file__).resolve().parents[1] / "src")
    with tempfile.TemporaryDirectory(prefix="compare-ingest-") as folder:
        files = Path(folder) / "reports"
        write_corpus(files, seed=3, limit=args.n, n_agencies=args.n // 7 + 1, formats=FORMATS,
                     format_weights=DEMO_WEIGHTS, error_rate=0.08)
        lines = (files / "manifest.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        (files / "manifest.csv").write_text("".join(lines[:1] + lines[1::3]), encoding="utf-8")
        for name, src in (("here", here), ("other", args.other_src)):
            _ingest(src, files, Path(folder) / f"{name}.duckdb", args.workers, args.chunk)
        differing = compare(Path(folder) / "here.duckdb", Path(folder) / "other.duckdb")
    print("identical" if not differing else f"{differing} rows differ")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
