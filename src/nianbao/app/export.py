"""Exports of the whole filtered dataset: CSV (UTF-8 with BOM, for Excel), XLSX and Parquet.

DuckDB streams the rows straight to the file (``COPY (query) TO …`` with bound parameters), so
memory stays bounded whatever the table's size; only XLSX goes through Python (openpyxl's
write-only mode, row by row), and a table over Excel's row limit is refused before any work.
Text cells that a spreadsheet would run as a formula are neutralised in the SQL (see
:func:`nianbao.app.datasets.neutralise_sql`); Parquet keeps the exact text, it is not a spreadsheet.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

import duckdb
import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from nianbao.app.datasets import DATASETS, export_columns, export_query, table_cells
from nianbao.app.db import reading
from nianbao.app.filters import Filters

FORMATS = ("csv", "xlsx", "parquet")
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "parquet": "application/vnd.apache.parquet"}
XLSX_MAX_ROWS = 1_048_576 - 1  # Excel's sheet limit, less the header row
PAGE_MAX_ROWS = 1_000_000  # CSV rows the dashboard serves (≈ 150 MB); the CLI has no limit
BOM = "\ufeff"
# DuckDB's own memory while sorting and writing; it spills to a temp folder beyond this
MEMORY_LIMIT = os.environ.get("NIANBAO_EXPORT_MEMORY", "1GB")


class ExportTooLarge(ValueError):
    """The table has more rows than the format can hold."""


def write_table(db: str | Path, out: str | Path, table: str, lang: str = "zh", fmt: str = "csv",
                years: tuple[int, ...] = (), **filters: object) -> int:
    """Write the filtered rows of ``table`` (facts | active | applications | review_litigation |
    narrative) to ``out`` as ``fmt``, headers in ``lang``; returns the number of rows.
    ``filters`` are :class:`Filters` fields. The file appears only when complete."""
    if table not in DATASETS:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(DATASETS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose csv, xlsx or parquet")
    f = Filters(**{k: tuple(v) if isinstance(v, list) else v for k, v in filters.items()})
    out = Path(out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.{threading.get_ident()}.part")  # one per session thread
    try:
        with reading(db) as con:
            _limit_memory(con)
            if fmt == "xlsx":
                n = _write_xlsx(con, tmp, f, table, lang, tuple(years))
            else:
                # the BOM rides on the first header: DuckDB writes it as the file's first bytes
                sql, params = export_query(f, table, lang, tuple(years), spreadsheet=fmt == "csv",
                                           header_prefix=BOM if fmt == "csv" else "")
                options = "FORMAT csv, HEADER" if fmt == "csv" else "FORMAT parquet, COMPRESSION zstd"
                n = con.execute(f"COPY ({sql}) TO '{_sql_path(tmp)}' ({options})", params).fetchone()[0]
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return int(n)


def export_table(db: str | Path, table: str, lang: str = "zh", fmt: str = "csv", years: tuple[int, ...] = (),
                 **filters: object) -> bytes:
    """:func:`write_table` into memory (small selections and tests)."""
    with tempfile.TemporaryDirectory(prefix="nianbao-export-") as folder:
        path = Path(folder) / file_name(table, fmt if fmt in FORMATS else "out")
        write_table(db, path, table, lang, fmt, years, **filters)
        return path.read_bytes()


def export_file(db: str | Path, table: str, lang: str, fmt: str, **filters: object) -> Path:
    """The export as a file in a per-user cache folder, written once per database version and
    selection (a second click, or another session asking the same, reuses it)."""
    stat = Path(db).stat()
    key = repr((str(Path(db).resolve()), stat.st_mtime_ns, stat.st_size, table, lang, fmt,
                sorted(filters.items())))
    folder = Path(tempfile.gettempdir()) / f"nianbao-exports-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.{fmt}"
    if not path.exists():
        _prune(folder)
        write_table(db, path, table, lang, fmt, **filters)
    return path


def export_refusal(fmt: str, rows: int) -> tuple[str, int] | None:
    """(i18n key, limit) when the page should not offer ``fmt`` for a table of ``rows`` rows:
    Streamlit holds a download in the server's memory while the user is connected, so the page
    serves at most :data:`PAGE_MAX_ROWS` rows of CSV; Parquet is ~10× smaller and goes further."""
    if fmt == "xlsx" and rows > XLSX_MAX_ROWS:
        return "export_xlsx_limit", XLSX_MAX_ROWS
    limit = PAGE_MAX_ROWS * (10 if fmt == "parquet" else 1)
    if rows > limit:
        return "export_page_limit", limit
    return None


def _prune(folder: Path, keep: int = 8) -> None:
    """Keep the few most recent exports; older ones are deleted."""
    files = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def _limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    spill = Path(tempfile.gettempdir()) / f"nianbao-duckdb-{os.getuid()}"
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = '{_sql_path(spill)}'")


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _write_xlsx(con: duckdb.DuckDBPyConnection, path: Path, f: Filters, table: str, lang: str,
                years: tuple[int, ...]) -> int:
    sql, params = export_query(f, table, lang, years)
    n = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
    if n > XLSX_MAX_ROWS:
        raise ExportTooLarge(
            f"XLSX 一张工作表最多 {XLSX_MAX_ROWS:,} 行，此表有 {n:,} 行：请导出 CSV 或 Parquet，缩小筛选范围，"
            f"或导出每份报告一行的宽表（表二、表三、表四）/ an XLSX sheet holds at most {XLSX_MAX_ROWS:,} rows "
            f"and this table has {n:,}: export CSV or Parquet, narrow the filters, or export the per-report "
            "tables (active, applications, review_litigation)")
    numeric = set(_numeric_columns(table))
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(table[:31])
    cur = con.execute(sql, params)
    sheet.append([d[0] for d in cur.description])
    convert = [i for i, c in enumerate(export_columns(table)) if c in numeric]
    while batch := cur.fetchmany(10_000):
        for row in batch:
            row = [_cell(v) for v in row]
            for i in convert:
                row[i] = _to_number(row[i])
            sheet.append(row)
    book.save(path)
    return int(n)


def _cell(value: object) -> object:
    """Control characters that XLSX cannot store become U+FFFD (visible, never silently dropped)."""
    if isinstance(value, str) and not value.isprintable():
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def _numeric_columns(table: str) -> list[str]:
    if table in ("facts", "narrative"):
        return ["value"]
    return [k.split(".", 1)[1].replace(".", "__") for k in table_cells(table)]


def _to_number(text: object) -> object:
    """Exact text → a number for Excel; ``NA`` (not applicable) stays text, blanks stay empty."""
    if text is None or text == "":
        return None
    try:
        number = float(str(text))
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def file_name(table: str, fmt: str) -> str:
    return f"nianbao_{table}.{fmt}"
