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
from nianbao.app.labels import ENUM_COLUMNS
from nianbao.app.metrics import catalog
from nianbao.app.queries import filtered_reports_cte
from nianbao.form import FORMS
from nianbao.store.presence import TABLE as REPORT_TABLES
from nianbao.vocab import VOCABULARIES

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

# Columns whose text comes from a report or a manifest, so may hold anything; the others are
# our own vocabulary (keys, names, units, form versions) or exact number text (value_text is a
# number, empty or NA by construction), which no spreadsheet reads as a formula.
FREE_TEXT = frozenset({"agency", "province", "city", "county", "level", "category", "raw", "sentence"})

# the report prints the table (any cell, blanks and "/" too): the per-report table written at
# load, not a scan of every fact (0.5 s at 100 k reports)
_PRINTS_TABLE = f"EXISTS (SELECT 1 FROM {REPORT_TABLES} e WHERE e.report_id = fr.report_id AND e.table_key = ?)"

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


def _cell_lookup(lang: str) -> tuple[str, list]:
    """A small relation (k, o2019, o2021, pos, metric, unit) of every cell key, from the form
    declarations, bound as list parameters: joined once instead of a list scan per fact row."""
    cat = catalog()
    order = {v: {k: i for i, k in enumerate(_form_order(v), 1)} for v in ("2019", "2021")}
    keys = list(dict.fromkeys([*cat, *order["2019"], *order["2021"]]))
    pos = {k: i for i, k in enumerate(cat, 1)}
    names = [(cat[k].en if lang == "en" else cat[k].zh) if k in cat else k for k in keys]
    sql = ("(SELECT unnest(?::VARCHAR[]) AS k, unnest(?::INTEGER[]) AS o2019, unnest(?::INTEGER[]) AS o2021, "
           "unnest(?::INTEGER[]) AS pos, unnest(?::VARCHAR[]) AS metric, unnest(?::VARCHAR[]) AS unit)")
    return sql, [keys, [order["2019"].get(k) for k in keys], [order["2021"].get(k) for k in keys],
                 [pos.get(k) for k in keys], names, [cat[k].unit if k in cat else "" for k in keys]]


def _narrative_lookup(lang: str) -> tuple[str, list]:
    names = narrative_metrics()
    sql = "(SELECT unnest(?::VARCHAR[]) AS k, unnest(?::VARCHAR[]) AS metric, unnest(?::VARCHAR[]) AS unit)"
    return sql, [list(names), [v[1 if lang == "en" else 0] for v in names.values()], [v[2] for v in names.values()]]


def _long_sql(dataset: str, lang: str) -> tuple[str, list]:
    """Facts or narrative rows with metric names (in ``lang``) and units, and ``_ord``: the cell's
    place in the report's own form (2021 order for mixed reports)."""
    if dataset == "facts":
        lookup, params = _cell_lookup(lang)
        key = "f.table_key || '.' || f.row_key || '.' || f.col_key"
        return (f"SELECT {_META_SQL}, f.table_key, f.row_key, f.col_key, coalesce(m.metric, {key}) AS metric, "
                "coalesce(m.unit, '') AS unit, f.kind, f.value_text AS value, f.raw, "
                "CASE WHEN f.place LIKE '%; ocr %' THEN 'ocr' ELSE 'text' END AS source, "
                "coalesce(CASE WHEN fr.form_version = '2019' THEN m.o2019 ELSE m.o2021 END, 10000 + m.pos) AS _ord "
                f"FROM fr JOIN facts f USING (report_id) LEFT JOIN {lookup} m ON m.k = {key}", params)
    lookup, params = _narrative_lookup(lang)
    return (f"SELECT {_META_SQL}, n.key, coalesce(m.metric, n.key) AS metric, coalesce(m.unit, '') AS unit, "
            "n.value_text AS value, n.approximate, n.sentence, coalesce(list_position(?, n.key), 99) AS _ord "
            f"FROM fr JOIN narrative n USING (report_id) LEFT JOIN {lookup} m ON m.k = n.key",
            [list(narrative_metrics()), *params])


def _wide_sql(dataset: str, sort: str | None, descending: bool, search: str, limit: int | None,
              offset: int) -> tuple[str, list]:
    """One row per report that prints ``dataset``'s table: the reports of the page are chosen
    (sorted, limited) first, and only their facts are pivoted."""
    cells = table_cells(dataset)
    columns = [cell_column(k) for k in cells]
    sort_col, sort_join, params = "", "", []
    if sort in columns:
        _, row, col = cells[columns.index(sort)].split(".")
        sort_col = ", s.value_text AS _sortkey"
        sort_join = ("LEFT JOIN facts s ON s.report_id = fr.report_id AND s.table_key = ? AND s.row_key = ? "
                     "AND s.col_key = ?")
        params += [dataset, row, col]
    params.append(dataset)
    where = ""
    if search:
        where = "AND fr.agency_label ILIKE ?"
        params.append(f"%{search}%")
    order = _order_by(dataset, sort, descending, "_sortkey" if sort_col else None)
    page = ""
    if limit is not None:
        page = "LIMIT ? OFFSET ?"
        params += [limit, offset]
    pick = (f"SELECT {_META_SQL}, 0 AS _ord{sort_col} FROM fr {sort_join} WHERE {_PRINTS_TABLE} {where} {order} "
            f"{page}")
    # PIVOT is ~20× faster than one FILTER aggregate per cell. The cell names come from the form
    # declarations (identifiers, never user input), so they are written into the SQL.
    wide = ("PIVOT (SELECT report_id, row_key || '__' || col_key AS cell, value_text FROM facts "
            "WHERE table_key = ? AND report_id IN (SELECT report_id FROM pick)) "
            f"ON cell IN ({', '.join(repr(c) for c in columns)}) USING max(value_text) GROUP BY report_id")
    params.append(dataset)
    meta = ", ".join(f"pick.{c}" for c in META_COLUMNS)
    picked = ", ".join(f"w.{c}" for c in columns)
    sort_out = ", pick._sortkey" if sort_col else ""
    return (f"pick AS ({pick}) SELECT {meta}, pick._ord{sort_out}, {picked} FROM pick "
            f"JOIN ({wide}) w USING (report_id) {order}", params)


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


def _order_by(dataset: str, sort: str | None, descending: bool, column: str | None = None) -> str:
    direction = "DESC" if descending else "ASC"
    tail = "agency, report_year, report_id, _ord"
    if not sort or sort not in sortable_columns(dataset):
        return f"ORDER BY {tail}"
    numeric = sort == "value" or sort not in META_COLUMNS and "__" in sort
    column = column or sort
    expr = f"TRY_CAST({column} AS DOUBLE)" if numeric else column
    return f"ORDER BY {expr} {direction} NULLS LAST, {tail}"


def _query(f: Filters, dataset: str, sort: str | None = None, descending: bool = False, search: str = "",
           years: tuple[int, ...] = (), limit: int | None = None, offset: int = 0,
           lang: str = "zh") -> tuple[str, list]:
    """The dataset's rows, sorted in SQL (and one page of them when ``limit`` is set)."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    cte, params = filtered_reports_cte(f, years=years)
    if dataset not in ("facts", "narrative"):
        body, bparams = _wide_sql(dataset, sort, descending, search, limit, offset)
        return f"{cte}, {body}", params + bparams
    body, bparams = _long_sql(dataset, lang)
    where, wparams = ("WHERE agency ILIKE ?", [f"%{search}%"]) if search else ("", [])
    order = _order_by(dataset, sort, descending)
    if limit is not None and (sort is None or sort in META_COLUMNS):
        return _long_page(cte, params, body, bparams, dataset, order, search, limit, offset)
    sql = f"{cte}, d AS ({body}) SELECT * FROM d {where} {order}"
    tail: list = []
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        tail = [limit, offset]
    return sql, params + bparams + wparams + tail


def _long_page(cte: str, params: list, body: str, bparams: list, dataset: str, order: str, search: str,
               limit: int, offset: int) -> tuple[str, list]:
    """A page of facts or narrative rows sorted by a report-level column: the reports whose rows
    fall on the page are found from per-report row counts (a running sum in report order), and
    only their rows are built and sorted — not every fact of the selection."""
    report_order = order.removesuffix(", _ord")
    where, wparams = ("AND fr.agency_label ILIKE ?", [f"%{search}%"]) if search else ("", [])
    sql = (f"{cte}, per AS (SELECT {_META_SQL}, c.n FROM fr JOIN (SELECT report_id, count(*) AS n FROM {dataset} "
           f"GROUP BY report_id) c USING (report_id) WHERE TRUE {where}), "
           f"ranked AS (SELECT report_id, n, sum(n) OVER ({report_order} ROWS BETWEEN UNBOUNDED PRECEDING "
           "AND CURRENT ROW) AS upto FROM per), "
           "pick AS (SELECT report_id, upto - n AS start FROM ranked WHERE upto > ? AND upto - n < ?), "
           f"d AS ({body}), rows AS (SELECT *, row_number() OVER ({order}) + (SELECT min(start) FROM pick) AS _pos "
           "FROM d WHERE report_id IN (SELECT report_id FROM pick)) "
           f"SELECT * FROM rows WHERE _pos > ? AND _pos <= ? {order}")
    return sql, params + wparams + [offset, offset + limit] + bparams + [offset, offset + limit]


def count_rows(db: str | Path, f: Filters, dataset: str, search: str = "", years: tuple[int, ...] = ()) -> int:
    """Rows of the dataset under the filters, counted without building them."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    cte, params = filtered_reports_cte(f, years=years)
    where, wparams = ("AND fr.agency_label ILIKE ?", [f"%{search}%"]) if search else ("", [])
    if dataset in ("facts", "narrative"):
        sql = f"{cte} SELECT count(*) AS n FROM fr JOIN {dataset} USING (report_id) WHERE TRUE {where}"
        return int(fetch_df(db, sql, params + wparams)["n"].iloc[0])
    # one row per report that prints the table
    sql = f"{cte} SELECT count(*) AS n FROM fr WHERE {_PRINTS_TABLE} {where}"
    return int(fetch_df(db, sql, params + [dataset] + wparams)["n"].iloc[0])


def fetch_rows(db: str | Path, f: Filters, dataset: str, sort: str | None = None, descending: bool = False,
               limit: int | None = None, offset: int = 0, search: str = "",
               years: tuple[int, ...] = ()) -> pd.DataFrame:
    """One page of a dataset (or all of it when ``limit`` is None), sorted in SQL; metric names
    in Chinese (:func:`localise` translates them)."""
    sql, params = _query(f, dataset, sort, descending, search, years, limit, offset)
    return fetch_df(db, sql, params).drop(columns=["_ord", "_sortkey", "_pos"], errors="ignore")


def export_query(f: Filters, dataset: str, lang: str, years: tuple[int, ...] = (), spreadsheet: bool = True,
                 header_prefix: str = "") -> tuple[str, list]:
    """The whole filtered dataset as one SELECT with the headers in ``lang`` as column names, for
    DuckDB to stream to a file. ``spreadsheet``: text cells that a spreadsheet would run as a
    formula get a leading ``'`` (OWASP CSV injection), empty text is NULL (an empty CSV field) and
    booleans are written True/False; numbers are never changed."""
    sql, params = _query(f, dataset, years=years, lang=lang)
    columns = export_columns(dataset)
    names = headers(dataset, columns, lang)
    names[0] = header_prefix + names[0]
    picked = []
    for column, name in zip(columns, names, strict=True):
        expr = f'"{column}"'
        if spreadsheet and column in ENUM_COLUMNS:  # words for people; Parquet keeps the keys
            expr = _label_sql(expr, ENUM_COLUMNS[column], lang)
        if spreadsheet and column == "approximate":
            expr = f"CASE WHEN {expr} THEN 'True' WHEN NOT {expr} THEN 'False' END"
        elif spreadsheet and column in FREE_TEXT:
            expr = f"nullif({neutralise_sql(expr)}, '')"
        elif spreadsheet and column != "report_year":
            expr = f"nullif({expr}, '')"
        quoted = name.replace('"', '""')
        picked.append(f'{expr} AS "{quoted}"')
    return f"SELECT {', '.join(picked)} FROM ({sql})", params


def _label_sql(expr: str, vocabulary: str, lang: str) -> str:
    """``expr``'s key as its word in ``lang`` (unknown keys as they are). The words are our own
    declared vocabulary, never user input, so they are written into the SQL as literals."""
    def lit(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    cases = " ".join(f"WHEN {lit(k)} THEN {lit(w[1 if lang == 'en' else 0])}"
                     for k, w in VOCABULARIES[vocabulary].items())
    return f"CASE {expr} {cases} ELSE {expr} END"


def neutralise_sql(expr: str) -> str:
    """``expr`` with a leading ``'`` when it starts like a spreadsheet formula (= + - @ tab CR) and
    is not a plain number — so ``-5`` stays a number and ``=HYPERLINK(…)`` becomes inert text."""
    return (f"CASE WHEN left({expr}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
            f"THEN CASE WHEN TRY_CAST({expr} AS DOUBLE) IS NULL THEN '''' || {expr} ELSE {expr} END "
            f"ELSE {expr} END")


def export_columns(dataset: str) -> list[str]:
    """The exported columns of a dataset, in order."""
    if dataset == "facts":
        return [*META_COLUMNS, *FACT_COLUMNS]
    if dataset == "narrative":
        return [*META_COLUMNS, *NARRATIVE_COLUMNS]
    return [*META_COLUMNS, *(cell_column(k) for k in table_cells(dataset))]


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
