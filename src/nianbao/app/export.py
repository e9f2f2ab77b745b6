"""Export builders: the whole filtered dataset as CSV (UTF-8 with BOM, for Excel) or XLSX."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from nianbao.app.datasets import DATASETS, fetch_rows, localise, table_cells
from nianbao.app.filters import Filters

FORMATS = ("csv", "xlsx")
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export_table(db: str | Path, table: str, lang: str = "zh", fmt: str = "csv", years: tuple[int, ...] = (),
                 **filters: object) -> bytes:
    """The filtered rows of ``table`` (facts | active | applications | review_litigation |
    narrative) as ``fmt`` bytes, headers in ``lang``. ``filters`` are :class:`Filters` fields."""
    if table not in DATASETS:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(DATASETS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose csv or xlsx")
    f = Filters(**{k: tuple(v) if isinstance(v, list) else v for k, v in filters.items()})
    df = fetch_rows(db, f, table, years=tuple(years))
    return to_bytes(df, table, lang, fmt)


def to_bytes(df: pd.DataFrame, table: str, lang: str, fmt: str) -> bytes:
    out = localise(df, table, lang)
    if fmt == "csv":
        # utf-8-sig writes the BOM that Windows Excel needs to read Chinese correctly
        return out.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
    buf = io.BytesIO()
    numeric = _numeric_columns(df, table)
    for i in numeric:
        # exact text → numbers for Excel; "NA" (not applicable) stays text, blanks stay empty
        out.isetitem(i, out.iloc[:, i].map(_to_number).astype(object))
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        out.to_excel(writer, index=False, sheet_name=table[:31])
    return buf.getvalue()


def _numeric_columns(df: pd.DataFrame, table: str) -> list[int]:
    if table in ("facts", "narrative"):
        names = ["value"]
    else:
        names = [k.split(".", 1)[1].replace(".", "__") for k in table_cells(table)]
    return [i for i, c in enumerate(df.columns) if c in names]


def _to_number(text: object) -> object:
    if text is None or (isinstance(text, float) and pd.isna(text)) or text == "":
        return None
    try:
        number = float(str(text))
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def file_name(table: str, fmt: str) -> str:
    return f"nianbao_{table}.{fmt}"
