"""The browsable/exportable datasets: long-form facts, one row per report per table, narrative counts.

Filtering, sorting and paging happen in SQL so only the rows on screen travel to the browser;
exports run the same query without the page limit. Cell values are the exact printed text
(``value_text``: a number, empty for a blank cell, ``NA`` for 不适用), never a rounded float.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nianbao.app.db import fetch_df
from nianbao.app.filters import Filters
from nianbao.app.i18n import narrative_metrics
from nianbao.app.metrics import catalog
from nianbao.app.queries import filtered_reports_cte
from nianbao.form import FORMS

DATASETS = ("facts", "active", "applications", "review_litigation", "narrative")

# column -> (zh, en) header
META_COLUMNS: dict[str, tuple[str, str]] = {
    "report_id": ("报告标识", "report id"),
    "agency": ("机构", "agency"),
    "province": ("省份", "province"),
    "city": ("城市", "city"),
    "county": ("区县", "county"),
    "level": ("层级", "level"),
    "category": ("类别", "category"),
    "scope": ("范围", "scope"),
    "report_year": ("年度", "year"),
    "form_version": ("表格格式", "form version"),
    "status": ("解析状态", "status"),
}
FACT_COLUMNS: dict[str, tuple[str, str]] = {
    "table_key": ("表", "table"),
    "row_key": ("行", "row"),
    "col_key": ("列", "column"),
    "metric": ("指标", "metric"),
    "unit": ("单位", "unit"),
    "kind": ("类型", "kind"),
    "value": ("数值", "value"),
    "raw": ("原文", "as printed"),
    "source": ("来源", "source"),  # ocr: read from a scan; text: from the text layer
}
NARRATIVE_COLUMNS: dict[str, tuple[str, str]] = {
    "key": ("指标键", "key"),
    "metric": ("指标", "metric"),
    "unit": ("单位", "unit"),
    "value": ("数值", "value"),
    "approximate": ("约数", "approximate"),
    "sentence": ("出处句子", "sentence"),
}

_META_SQL = ", ".join("fr.agency_label AS agency" if c == "agency" else f"fr.{c}" for c in META_COLUMNS)


def _form_order(version: str) -> list[str]:
    return [f"{t.key}.{r.key}.{c.key}" for t in FORMS[version].tables for r, c in t.cells()]


def table_cells(table: str) -> list[str]:
    """Cell metric keys of a table in form order (2021 first, then 2019-only cells)."""
    return [k for k, m in catalog().items() if not m.is_narrative and m.parts()[0] == table]


def cell_column(key: str) -> str:
    """``active.licensing.decisions`` → ``licensing__decisions`` (the wide-view column name)."""
    _, row, col = key.split(".")
    return f"{row}__{col}"


def _dataset_sql(dataset: str) -> tuple[str, list]:
    if dataset == "facts":
        # cells in the order of the report's own form (2021 order for mixed reports)
        return (f"SELECT {_META_SQL}, f.table_key, f.row_key, f.col_key, f.kind, f.value_text AS value, f.raw, "
                "CASE WHEN f.place LIKE '%; ocr %' THEN 'ocr' ELSE 'text' END AS source, "
                "coalesce(list_position(CASE WHEN fr.form_version = '2019' THEN ? ELSE ? END, "
                "f.table_key || '.' || f.row_key || '.' || f.col_key), 10000 + list_position(?, "
                "f.table_key || '.' || f.row_key || '.' || f.col_key)) AS _ord "
                "FROM fr JOIN facts f USING (report_id)", [_form_order("2019"), _form_order("2021"), list(catalog())])
    if dataset == "narrative":
        return (f"SELECT {_META_SQL}, n.key, n.value_text AS value, n.approximate, n.sentence, "
                "coalesce(list_position(?, n.key), 99) AS _ord FROM fr JOIN narrative n USING (report_id)",
                [list(narrative_metrics())])
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    # PIVOT is ~20× faster than one FILTER aggregate per cell. The cell names come from the form
    # declarations (identifiers, never user input), so they are written into the SQL.
    columns = [cell_column(k) for k in table_cells(dataset)]
    wide = (f"PIVOT (SELECT report_id, row_key || '__' || col_key AS cell, value_text FROM facts "
            f"WHERE table_key = ?) ON cell IN ({', '.join(repr(c) for c in columns)}) "
            "USING max(value_text) GROUP BY report_id")
    picked = ", ".join(f"w.{c}" for c in columns)
    return (f"SELECT {_META_SQL}, 0 AS _ord, {picked} FROM fr JOIN ({wide}) w USING (report_id)", [dataset])


def sortable_columns(dataset: str) -> list[str]:
    """Columns the user may sort by (a whitelist: identifiers cannot be bound parameters)."""
    cols = list(META_COLUMNS)
    if dataset == "facts":
        cols += ["table_key", "row_key", "col_key", "value"]
    elif dataset == "narrative":
        cols += ["key", "value"]
    else:
        cols += [cell_column(k) for k in table_cells(dataset)]
    return cols


def _order_by(dataset: str, sort: str | None, descending: bool) -> str:
    direction = "DESC" if descending else "ASC"
    tail = "agency, report_year, report_id, _ord"
    if not sort or sort not in sortable_columns(dataset):
        return f"ORDER BY {tail}"
    numeric = sort == "value" or sort not in META_COLUMNS and "__" in sort
    expr = f"TRY_CAST({sort} AS DOUBLE)" if numeric else sort
    return f"ORDER BY {expr} {direction} NULLS LAST, {tail}"


def _query(f: Filters, dataset: str, search: str, years: tuple[int, ...]) -> tuple[str, list]:
    cte, params = filtered_reports_cte(f, years=years)
    body, bparams = _dataset_sql(dataset)
    where, wparams = "", []
    if search:
        where, wparams = "WHERE agency ILIKE ?", [f"%{search}%"]
    return f"{cte}, d AS ({body}) SELECT * FROM d {where}", params + bparams + wparams


def count_rows(db: str | Path, f: Filters, dataset: str, search: str = "", years: tuple[int, ...] = ()) -> int:
    if dataset in ("active", "applications", "review_litigation"):
        # one row per report that prints the table: count those without building the wide rows
        cte, params = filtered_reports_cte(f, years=years)
        where, wparams = ("AND fr.agency_label ILIKE ?", [f"%{search}%"]) if search else ("", [])
        sql = (f"{cte} SELECT count(*) AS n FROM fr WHERE EXISTS (SELECT 1 FROM facts f WHERE "
               f"f.report_id = fr.report_id AND f.table_key = ?) {where}")
        return int(fetch_df(db, sql, params + [dataset] + wparams)["n"].iloc[0])
    sql, params = _query(f, dataset, search, years)
    return int(fetch_df(db, f"SELECT count(*) AS n FROM ({sql})", params)["n"].iloc[0])


def fetch_rows(db: str | Path, f: Filters, dataset: str, sort: str | None = None, descending: bool = False,
               limit: int | None = None, offset: int = 0, search: str = "",
               years: tuple[int, ...] = ()) -> pd.DataFrame:
    """One page of a dataset (or all of it when ``limit`` is None), sorted in SQL."""
    sql, params = _query(f, dataset, search, years)
    sql = f"{sql} {_order_by(dataset, sort, descending)}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = params + [limit, offset]
    df = fetch_df(db, sql, params).drop(columns="_ord")
    return _add_names(df, dataset)


def _add_names(df: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """Metric names and units beside the keys (long forms only)."""
    if dataset == "facts":
        keys = df["table_key"] + "." + df["row_key"] + "." + df["col_key"]
        df.insert(df.columns.get_loc("kind"), "metric", keys.map(lambda k: catalog()[k].zh if k in catalog() else k))
        df.insert(df.columns.get_loc("kind"), "unit", keys.map(lambda k: catalog()[k].unit if k in catalog() else ""))
        df.attrs["metric_keys"] = keys.tolist()
    elif dataset == "narrative":
        names = narrative_metrics()
        df.insert(df.columns.get_loc("value"), "metric", df["key"].map(lambda k: names.get(k, (k,))[0]))
        df.insert(df.columns.get_loc("value"), "unit", df["key"].map(lambda k: names.get(k, ("", "", ""))[2]))
    return df


def headers(dataset: str, columns: list[str], lang: str) -> list[str]:
    """Column headers in the chosen language; cell columns are named from the form declarations."""
    names = {**META_COLUMNS, **(FACT_COLUMNS if dataset == "facts" else NARRATIVE_COLUMNS)}
    cells = {cell_column(k): catalog()[k] for k in table_cells(dataset)} if dataset in (
        "active", "applications", "review_litigation") else {}
    out = []
    for c in columns:
        if c in cells:
            out.append(cells[c].label(lang))
        elif c in names:
            out.append(names[c][1 if lang == "en" else 0])
        else:
            out.append(c)
    return out


def localise(df: pd.DataFrame, dataset: str, lang: str) -> pd.DataFrame:
    """Headers in ``lang``; metric names in ``lang`` for the long forms."""
    out = df.copy()
    if lang == "en" and "metric" in out.columns:
        if dataset == "facts":
            keys = out["table_key"] + "." + out["row_key"] + "." + out["col_key"]
            out["metric"] = keys.map(lambda k: catalog()[k].en if k in catalog() else k)
        else:
            names = narrative_metrics()
            out["metric"] = out["key"].map(lambda k: names.get(k, (k, k))[1])
    out.columns = headers(dataset, list(df.columns), lang)
    return out
