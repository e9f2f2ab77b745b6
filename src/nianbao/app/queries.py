"""Parameterised SQL for the dashboard, returning pandas frames.

Every function takes the database path and the global :class:`Filters`; values are always bound
parameters. Only identifiers that come from our own declarations (form keys, whitelisted sort
columns) are written into the SQL text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nianbao.app.db import fetch_blob, fetch_df
from nianbao.app.filters import Filters
from nianbao.app.metrics import comparable_across_forms
from nianbao.form import FORMS
from nianbao.store.wide import TABLE as WIDE
from nianbao.store.wide import cell_column, cell_columns, columns_of

Db = str | Path

# Each headline figure is the sum of these cells (table.row.col) over the filtered reports.
HEADLINE_CELLS: dict[str, tuple[str, ...]] = {
    "licensing": ("active.licensing.decisions",),
    "penalty": ("active.penalty.decisions",),
    "coercion": ("active.coercion.decisions",),
    "received": ("applications.new_received.total",),
    "handled": ("applications.total.total",),
    "granted_any": ("applications.granted.total", "applications.partially_granted.total"),
    "review": ("review_litigation.review.total",),
    "litigation": ("review_litigation.litigation_direct.total", "review_litigation.litigation_after_review.total"),
    "corrected": tuple(f"review_litigation.{r}.corrected" for r in
                       ("review", "litigation_direct", "litigation_after_review")),
    "cases": tuple(f"review_litigation.{r}.total" for r in ("review", "litigation_direct", "litigation_after_review")),
    "pending": tuple(f"review_litigation.{r}.pending" for r in
                     ("review", "litigation_direct", "litigation_after_review")),
}

APPLICANT_COLS = tuple(c.key for c in FORMS["2021"].table("applications").columns if c.key != "total")
REVIEW_ROWS = tuple(r.key for r in FORMS["2021"].table("review_litigation").rows)
REVIEW_COLS = tuple(c.key for c in FORMS["2021"].table("review_litigation").columns)


# --- the filtered report set ----------------------------------------------------------------

def filtered_reports_cte(f: Filters, include_failed: bool = False, years: tuple[int, ...] = ()) -> tuple[str, list]:
    """``WITH fr AS (…)``: the reports the global filters select, with agency key and label."""
    conds: list[str] = []
    params: list = []
    if not include_failed:
        conds.append("r.status <> 'failed'")
    year_conds = []
    if f.year_from is not None:
        year_conds.append("r.report_year >= ?")
        params.append(f.year_from)
    if f.year_to is not None:
        year_conds.append("r.report_year <= ?")
        params.append(f.year_to)
    if years:
        year_conds.append("list_contains(?, r.report_year)")
        params.append(list(years))
    if year_conds:
        # a failed report often has no year; the quality page must still see it
        tail = " OR r.report_year IS NULL" if include_failed else ""
        conds.append(f"(({' AND '.join(year_conds)}){tail})")
    for column, values in (("province", f.provinces), ("city", f.cities), ("level", f.levels),
                           ("category", f.categories), ("agency_id", f.agencies),
                           ("form_version", f.form_versions)):
        if values:
            conds.append(f"list_contains(?, r.{column})")
            params.append(list(values))
    if f.scope != "all":
        conds.append("r.scope = ?")
        params.append(f.scope)
    where = " AND ".join(conds) or "TRUE"
    # not the report text: a CTE used twice is materialised, and the text is most of a report row
    cte = ("WITH fr AS (SELECT r.* EXCLUDE (source_text), coalesce(r.agency_id, r.report_id) AS agency_key, "
           f"coalesce(r.agency, r.source_name) AS agency_label FROM reports r WHERE {where})")
    return cte, params


def filter_options(db: Db) -> dict[str, pd.DataFrame]:
    """Distinct values for the sidebar widgets."""
    return {
        "years": fetch_df(db, "SELECT DISTINCT report_year AS year FROM reports WHERE report_year IS NOT NULL "
                              "ORDER BY 1"),
        "regions": fetch_df(db, "SELECT DISTINCT province, city FROM reports WHERE province IS NOT NULL "
                                "ORDER BY province, city NULLS FIRST"),
        "levels": fetch_df(db, "SELECT DISTINCT level FROM reports WHERE level IS NOT NULL ORDER BY 1"),
        "categories": fetch_df(db, "SELECT DISTINCT category FROM reports WHERE category IS NOT NULL ORDER BY 1"),
        "forms": fetch_df(db, "SELECT DISTINCT form_version FROM reports ORDER BY 1"),
    }


def database_summary(db: Db, f: Filters) -> dict[str, int | bool]:
    """Reports loaded, reports matching the filters, and whether the data are synthetic."""
    cte, params = filtered_reports_cte(f)
    df = fetch_df(db, f"{cte} SELECT (SELECT count(*) FROM reports) AS total, (SELECT count(*) FROM fr) AS matched, "
                      "(SELECT coalesce(bool_or(is_demo), false) FROM reports) AS demo", params)
    row = df.iloc[0]
    return {"total": int(row["total"]), "matched": int(row["matched"]), "demo": bool(row["demo"])}


def left_out(db: Db, f: Filters) -> dict[str, int]:
    """How many loaded reports the current view leaves out, and why: ``scope_<scope>`` (the other
    scopes' reports the other filters would show), ``failed`` (not readable, shown only on the
    quality and report pages) and ``filters`` (excluded by year, region, level, category …)."""
    from dataclasses import replace

    cte, params = filtered_reports_cte(replace(f, scope="all"), include_failed=True)
    df = fetch_df(db, f"{cte} SELECT scope, status = 'failed' AS failed, count(*) AS n FROM fr GROUP BY 1, 2",
                  params)
    total = int(fetch_df(db, "SELECT count(*) AS n FROM reports")["n"].iloc[0])
    out: dict[str, int] = {}
    for scope, failed, n in zip(df["scope"], df["failed"], df["n"], strict=True):
        if failed:
            out["failed"] = out.get("failed", 0) + int(n)
        elif f.scope != "all" and scope != f.scope:
            out[f"scope_{scope}"] = out.get(f"scope_{scope}", 0) + int(n)
    out["filters"] = total - int(df["n"].sum())
    return {k: v for k, v in out.items() if v}


# --- headline figures -----------------------------------------------------------------------

def headline_by_year(db: Db, f: Filters) -> pd.DataFrame:
    """One row per year: reports and the summed headline figures, plus the two rates (%)."""
    cte, params = filtered_reports_cte(f)
    sums = ", ".join(f"{_sum_of_cells(cells)} AS {name}" for name, cells in HEADLINE_CELLS.items())
    sql = (f"{cte}, pub AS (SELECT n.report_id, sum(n.count) AS published FROM narrative n JOIN fr USING (report_id) "
           "WHERE n.key = 'published_total' GROUP BY 1) "
           f"SELECT fr.report_year AS year, count(DISTINCT fr.report_id) AS reports, {sums}, "
           "(SELECT sum(pub.published) FROM pub JOIN fr fr2 USING (report_id) WHERE fr2.report_year = fr.report_year) "
           f"AS published FROM fr LEFT JOIN {WIDE} w USING (report_id) WHERE fr.report_year IS NOT NULL "
           "GROUP BY fr.report_year ORDER BY fr.report_year")
    df = fetch_df(db, sql, params)
    return add_rates(df)


def _column(key: str) -> str:
    """The ``cell_numbers`` column of a declared cell ``table.row.col`` (never user text)."""
    column = cell_column(*key.split("."))
    if column not in cell_columns():
        raise ValueError(f"not a declared cell: {key}")
    return f"w.{column}"


def _sum_of_cells(cells: tuple[str, ...]) -> str:
    """The sum of every printed number among these cells: NULL when none is printed."""
    columns = [_column(c) for c in cells]
    if len(columns) == 1:
        return f"sum({columns[0]})"
    return (f"sum({' + '.join(f'coalesce({c}, 0)' for c in columns)}) "
            f"FILTER (WHERE {' OR '.join(f'{c} IS NOT NULL' for c in columns)})")


def _sums_by(groups: dict[str, str], columns: list[str], where: str) -> str:
    """Per group, the sum of each of these declared cells over ``fr``, as long rows
    (*groups, row_key, col_key, value): summed wide first, then unpivoted, so only the few
    group rows are unpivoted. A cell no report printed a number in has no row (as in ``facts``)."""
    keys = ", ".join(f"{sql} AS {name}" for name, sql in groups.items())
    sums = ", ".join(f"sum(w.{c}) AS {c}" for c in columns)
    names = ", ".join(groups)
    cols = ", ".join(columns)
    return (f"SELECT {names}, split_part(cell, '__', 2) AS row_key, split_part(cell, '__', 3) AS col_key, value "
            f"FROM (UNPIVOT (SELECT {keys}, {sums} FROM fr JOIN {WIDE} w USING (report_id) WHERE {where} "
            f"GROUP BY ALL) ON {cols} INTO NAME cell VALUE value)")


def add_rates(df: pd.DataFrame) -> pd.DataFrame:
    """Disclosure rate = (granted + partially granted) / handled; correction rate = corrected /
    (cases − pending), i.e. over concluded review and litigation cases. Both in percent."""
    out = df.copy()
    handled = out["handled"].where(out["handled"] > 0)
    out["disclosure_rate"] = out["granted_any"] / handled * 100
    concluded = (out["cases"] - out["pending"].fillna(0)).where(lambda s: s > 0)
    out["correction_rate"] = out["corrected"] / concluded * 100
    return out


# --- one metric across agencies and years ---------------------------------------------------

def _metric_source(key: str) -> tuple[str, list]:
    """``FROM … WHERE …`` of the filtered reports' rows that carry the metric (a year, a value)."""
    if key.startswith("narrative."):
        return ("FROM fr JOIN narrative n USING (report_id) WHERE n.key = ? AND fr.report_year IS NOT NULL",
                [key.split(".", 1)[1]])
    column = _column(key)
    return (f"FROM fr JOIN {WIDE} w USING (report_id) WHERE {column} IS NOT NULL AND fr.report_year IS NOT NULL", [])


def _metric_sql(key: str) -> tuple[str, list]:
    """SELECT of (agency_key, agency, category, year, form_version, value) for one metric over ``fr``."""
    source, params = _metric_source(key)
    value = "sum(n.count)" if key.startswith("narrative.") else f"sum({_column(key)})"
    return ("SELECT fr.agency_key, any_value(fr.agency_label) AS agency, any_value(fr.category) AS category, "
            "fr.report_year AS year, string_agg(DISTINCT fr.form_version, ',') AS form_version, "
            f"{value} AS value {source} GROUP BY fr.agency_key, fr.report_year", params)


def metric_values(db: Db, f: Filters, key: str) -> pd.DataFrame:
    """The metric per agency and year (all filtered years)."""
    cte, params = filtered_reports_cte(f)
    sql, mparams = _metric_sql(key)
    return fetch_df(db, f"{cte}, v AS ({sql}) SELECT * FROM v ORDER BY year, agency", params + mparams)


def metric_years(db: Db, f: Filters, key: str) -> list[int]:
    """The years in which the metric has a value (the distinct years only, not every agency's row)."""
    cte, params = filtered_reports_cte(f)
    source, mparams = _metric_source(key)  # a year has a value when a report of it has: no grouping needed
    df = fetch_df(db, f"{cte} SELECT DISTINCT fr.report_year AS year {source} ORDER BY 1", params + mparams)
    return [int(y) for y in df["year"]]


def ranking(db: Db, f: Filters, key: str, year: int, n: int = 15) -> pd.DataFrame:
    """Agencies ranked by the metric in one year, largest first."""
    cte, params = filtered_reports_cte(f)
    sql, mparams = _metric_sql(key)
    return fetch_df(db, f"{cte}, v AS ({sql}) SELECT agency_key, agency, category, value FROM v WHERE year = ? "
                        "AND value IS NOT NULL ORDER BY value DESC, agency LIMIT ?", params + mparams + [year, n])


def heatmap_values(db: Db, f: Filters, key: str, n: int = 25) -> pd.DataFrame:
    """Metric per agency × year for the ``n`` agencies with the largest totals (a readable heatmap)."""
    cte, params = filtered_reports_cte(f)
    sql, mparams = _metric_sql(key)
    return fetch_df(db, f"{cte}, v AS ({sql}), top AS (SELECT agency_key, sum(value) AS s FROM v GROUP BY 1 "
                        "ORDER BY s DESC NULLS LAST, agency_key LIMIT ?) "
                        "SELECT v.agency, v.year, v.value, top.s FROM v JOIN top USING (agency_key) "
                        "ORDER BY top.s DESC, v.agency, v.year", params + mparams + [n])


def category_comparison(db: Db, f: Filters, key: str, year: int) -> pd.DataFrame:
    """Each agency's value next to the median of its category in that year."""
    cte, params = filtered_reports_cte(f)
    sql, mparams = _metric_sql(key)
    return fetch_df(db, f"{cte}, v AS ({sql}) SELECT agency, coalesce(category, '') AS category, value, "
                        "median(value) OVER (PARTITION BY category) AS category_median, "
                        "count(*) OVER (PARTITION BY category) AS peers FROM v WHERE year = ? AND value IS NOT NULL "
                        "ORDER BY category, value DESC", params + mparams + [year])


def year_on_year(db: Db, f: Filters, key: str, year: int, n: int = 15) -> pd.DataFrame:
    """Change from the previous year per agency, largest absolute changes first. Unlike numbers
    (a metric whose meaning changed between the forms) are not subtracted across forms."""
    cte, params = filtered_reports_cte(f, years=(year - 1, year))  # only the two years are grouped
    sql, mparams = _metric_sql(key)
    return fetch_df(db, f"{cte}, v AS ({sql}) SELECT a.agency, b.value AS previous, a.value AS value, "
                        "a.value - b.value AS change, (a.value - b.value) / nullif(b.value, 0) * 100 AS change_pct "
                        "FROM v a JOIN v b ON a.agency_key = b.agency_key AND b.year = a.year - 1 "
                        "WHERE a.year = ? AND (? OR a.form_version = b.form_version) "
                        "ORDER BY abs(a.value - b.value) DESC NULLS LAST, a.agency LIMIT ?",
                    params + mparams + [year, comparable_across_forms(key), n])


def trend(db: Db, f: Filters, key: str, agency_keys: tuple[str, ...] = ()) -> pd.DataFrame:
    """The metric per year and form version: per chosen agency, or summed over the filtered set."""
    cte, params = filtered_reports_cte(f)
    sql, mparams = _metric_sql(key)
    if agency_keys:
        return fetch_df(db, f"{cte}, v AS ({sql}) SELECT agency AS series, year, form_version, value, 1 AS reports "
                            "FROM v WHERE list_contains(?, agency_key) ORDER BY series, year",
                        params + mparams + [list(agency_keys)])
    return fetch_df(db, f"{cte}, v AS ({sql}) SELECT NULL AS series, year, form_version, sum(value) AS value, "
                        "count(*) AS reports FROM v GROUP BY year, form_version ORDER BY year",
                    params + mparams)


# --- applications (table 三) ----------------------------------------------------------------

def application_rows_by_year(db: Db, f: Filters, col: str = "total") -> pd.DataFrame:
    """Sum of one column of table 三 per year and row."""
    cte, params = filtered_reports_cte(f)
    sums = _sums_by({"year": "fr.report_year"}, columns_of("applications", col=col), "fr.report_year IS NOT NULL")
    return fetch_df(db, f"{cte} SELECT year, row_key, value FROM ({sums}) ORDER BY 1, 2", params)


def applicants_by_year(db: Db, f: Filters) -> pd.DataFrame:
    """New applications per year by applicant type (columns of the 本年新收 row)."""
    cte, params = filtered_reports_cte(f)
    new_received = [cell_column("applications", "new_received", c) for c in APPLICANT_COLS]
    sums = _sums_by({"year": "fr.report_year"}, new_received, "fr.report_year IS NOT NULL")
    return fetch_df(db, f"{cte} SELECT year, col_key AS applicant, value FROM ({sums}) ORDER BY 1, 2", params)


def outcome_group(row_key: str) -> str:
    """The outcome group of a table-三 row, from the form's printed numbering: granted,
    partially_granted, denied, unable, rejected, other — or the row key itself for the rest."""
    groups = {"(三)": "denied", "(四)": "unable", "(五)": "rejected", "(六)": "other"}
    for form in FORMS.values():
        row = next((r for r in form.table("applications").rows if r.key == row_key), None)
        if row is None:
            continue
        for marker, name in groups.items():
            if row.group.startswith(marker) or row.prefix == marker:
                return name
    return row_key


OUTCOME_GROUPS = ("granted", "partially_granted", "denied", "unable", "rejected", "other")


def outcome_breakdown(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`application_rows_by_year` → year × outcome group (plus carried_forward)."""
    if rows.empty:
        return pd.DataFrame(columns=["year", "outcome", "value"])
    df = rows.assign(outcome=rows["row_key"].map(outcome_group))
    df = df[df["outcome"].isin((*OUTCOME_GROUPS, "carried_forward"))]
    return df.groupby(["year", "outcome"], as_index=False)["value"].sum()


def sankey_flows(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """(source, target, value) links for one year: new + carried over → received → each outcome."""
    y = rows[rows["year"] == year]
    get = dict(zip(y["row_key"], y["value"], strict=False))
    links = [("new_received", "inflow", get.get("new_received", 0.0)),
             ("carried_over", "inflow", get.get("carried_over", 0.0))]
    groups = outcome_breakdown(y)
    for outcome in (*OUTCOME_GROUPS, "carried_forward"):
        value = groups.loc[groups["outcome"] == outcome, "value"].sum()
        links.append(("inflow", outcome, float(value)))
    out = pd.DataFrame(links, columns=["source", "target", "value"]).fillna(0.0)
    return out[out["value"] > 0].reset_index(drop=True)


def refusal_reasons(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """不予公开 1–8, 无法提供 1–3, 不予处理 1–5 for one year, largest first."""
    y = rows[(rows["year"] == year)].copy()
    y["group"] = y["row_key"].map(outcome_group)
    y = y[y["group"].isin(("denied", "unable", "rejected"))]
    return y.sort_values(["value", "row_key"], ascending=[False, True])[["group", "row_key", "value"]]


# --- review and litigation (table 四) --------------------------------------------------------

def review_by_year(db: Db, f: Filters) -> pd.DataFrame:
    """Table 四 summed per year, row (review / litigation kinds) and outcome column."""
    cte, params = filtered_reports_cte(f)
    sums = _sums_by({"year": "fr.report_year"}, columns_of("review_litigation"), "fr.report_year IS NOT NULL")
    return fetch_df(db, f"{cte} SELECT year, row_key, col_key, value FROM ({sums}) ORDER BY 1, 2, 3", params)


def correction_rates(review: pd.DataFrame) -> pd.DataFrame:
    """Per year and row: corrected / (total − pending) in percent (see :func:`add_rates`)."""
    if review.empty:
        return pd.DataFrame(columns=["year", "row_key", "rate"])
    wide = review.pivot_table(index=["year", "row_key"], columns="col_key", values="value", aggfunc="sum")
    wide = wide.reindex(columns=list(REVIEW_COLS))
    concluded = (wide["total"] - wide["pending"].fillna(0)).where(lambda s: s > 0)
    wide["rate"] = wide["corrected"] / concluded * 100
    return wide.reset_index()[["year", "row_key", "rate", "corrected", "total"]]


def review_by_agency(db: Db, f: Filters, year: int, n: int = 20) -> pd.DataFrame:
    """Review and litigation totals per agency for one year, busiest first."""
    cte, params = filtered_reports_cte(f)
    sums = _sums_by({"agency_key": "fr.agency_key", "agency": "any_value(fr.agency_label)"},
                    columns_of("review_litigation", col="total"), "fr.report_year = ?")
    return fetch_df(db, f"{cte}, v AS ({sums}), "
                        "top AS (SELECT agency_key, sum(value) AS s FROM v GROUP BY 1 HAVING s > 0 "
                        "ORDER BY s DESC, agency_key LIMIT ?) "
                        "SELECT v.agency, v.row_key, v.value, top.s FROM v JOIN top USING (agency_key) "
                        "ORDER BY top.s DESC, v.agency, v.row_key", params + [year, n])


# --- data quality ---------------------------------------------------------------------------

_SEVERITY_ORDER = "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"


def _info_filter(include_info: bool) -> str:
    return "" if include_info else "WHERE g.severity <> 'info' "


def findings_by(db: Db, f: Filters, by: str, n: int = 30, include_info: bool = True) -> pd.DataFrame:
    """Finding counts by ``rule`` (rule_id, severity), ``agency`` or ``year``."""
    column = {"rule": "g.rule_id", "agency": "fr.agency_label", "year": "CAST(fr.report_year AS VARCHAR)"}[by]
    cte, params = filtered_reports_cte(f, include_failed=True)
    return fetch_df(db, f"{cte} SELECT {column} AS label, g.severity, count(*) AS n, "
                        "count(DISTINCT g.report_id) AS reports FROM findings g JOIN fr USING (report_id) "
                        f"{_info_filter(include_info)}GROUP BY 1, 2 ORDER BY n DESC, label LIMIT ?", params + [n])


def findings_list(db: Db, f: Filters, limit: int = 200, include_info: bool = True) -> pd.DataFrame:
    """Findings, most serious first, with the report they belong to."""
    cte, params = filtered_reports_cte(f, include_failed=True)
    return fetch_df(db, f"{cte} SELECT g.report_id, fr.agency_label AS agency, fr.report_year AS year, g.rule_id, "
                        "g.severity, g.message_zh, g.message_en, g.cells FROM findings g JOIN fr USING (report_id) "
                        f"{_info_filter(include_info)}"
                        f"ORDER BY {_SEVERITY_ORDER.replace('severity', 'g.severity')}, fr.report_year DESC, "
                        "fr.agency_label, g.rule_id LIMIT ?", params + [limit])


def info_count(db: Db, f: Filters) -> int:
    """How many info findings the filtered reports have (hidden by default)."""
    cte, params = filtered_reports_cte(f, include_failed=True)
    return int(fetch_df(db, f"{cte} SELECT count(*) AS n FROM findings g JOIN fr USING (report_id) "
                            "WHERE g.severity = 'info'", params)["n"].iloc[0])


def problem_reports(db: Db, f: Filters) -> pd.DataFrame:
    """Reports that failed or were only partly read, and why."""
    cte, params = filtered_reports_cte(f, include_failed=True)
    return fetch_df(db, f"{cte} SELECT report_id, agency_label AS agency, report_year AS year, source_name, status, "
                        "error, warnings FROM fr WHERE status <> 'ok' "
                        "ORDER BY status = 'partial', report_year DESC NULLS FIRST, source_name", params)


# --- one report -----------------------------------------------------------------------------

CHOICES_LIMIT = 200  # options a picker sends to the browser; a search narrows the rest in SQL


def report_choices(db: Db, f: Filters, search: str = "", limit: int = CHOICES_LIMIT) -> pd.DataFrame:
    """The first ``limit`` filtered reports whose agency or file name contains ``search``."""
    cte, params = filtered_reports_cte(f, include_failed=True)
    like = f"%{search}%"
    return fetch_df(db, f"{cte} SELECT report_id, agency_label AS agency, report_year AS year, status, source_name "
                        "FROM fr WHERE agency_label ILIKE ? OR source_name ILIKE ? "
                        "ORDER BY status = 'failed', agency_label, report_year DESC NULLS LAST, source_name LIMIT ?",
                    params + [like, like, limit])


def agency_options(db: Db, provinces: tuple[str, ...] = (), cities: tuple[str, ...] = (), search: str = "",
                   chosen: tuple[str, ...] = (), limit: int = CHOICES_LIMIT) -> pd.DataFrame:
    """(agency_id, agency) for the agency filter: the chosen ones, then the first ``limit`` in the
    chosen provinces/cities whose name contains ``search`` — never every agency of the country."""
    return fetch_df(db, "WITH a AS (SELECT agency_id, any_value(agency) AS agency, any_value(province) AS province, "
                        "any_value(city) AS city FROM reports WHERE agency_id IS NOT NULL GROUP BY agency_id) "
                        "(SELECT agency_id, agency, 0 AS k FROM a WHERE list_contains(?, agency_id)) UNION ALL "
                        "(SELECT agency_id, agency, 1 FROM a WHERE NOT list_contains(?, agency_id) "
                        "AND (len(?) = 0 OR list_contains(?, province)) AND (len(?) = 0 OR list_contains(?, city)) "
                        "AND agency ILIKE ? ORDER BY agency LIMIT ?) ORDER BY k, agency",
                    [list(chosen), list(chosen), list(provinces), list(provinces), list(cities), list(cities),
                     f"%{search}%", limit])


def agency_choices(db: Db, f: Filters, search: str = "", chosen: tuple[str, ...] = (),
                   limit: int = CHOICES_LIMIT) -> dict[str, str]:
    """agency_id -> name for a picker of agencies under the filters: the chosen ones, then the
    first ``limit`` of the filters' provinces/cities whose name contains ``search`` — or, when the
    filters name agencies, those agencies."""
    if f.agencies:
        df = agency_options(db, chosen=tuple(dict.fromkeys((*chosen, *f.agencies))), limit=0)
    else:
        df = agency_options(db, f.provinces, f.cities, search, chosen, limit)
    return dict(zip(df["agency_id"], df["agency"], strict=True))


def report_meta(db: Db, report_id: str) -> pd.DataFrame:
    return fetch_df(db, "SELECT report_id, agency_id, agency, report_year, form_version, scope, province, city, "
                        "county, level, category, title, publisher, published_on, period_year, source_name, "
                        "source_format, source_sha256, status, error, warnings, parsed_at, parser_version, is_demo, "
                        "source_text FROM reports WHERE report_id = ?", [report_id])


def report_facts(db: Db, report_id: str) -> pd.DataFrame:
    return fetch_df(db, "SELECT table_key, row_key, col_key, kind, value, value_text, raw, unit, place FROM facts "
                        "WHERE report_id = ?", [report_id])


def report_findings(db: Db, report_id: str) -> pd.DataFrame:
    return fetch_df(db, f"SELECT rule_id, severity, message_zh, message_en, cells FROM findings WHERE report_id = ? "
                        f"ORDER BY {_SEVERITY_ORDER}, rule_id", [report_id])


def report_sections(db: Db, report_id: str) -> pd.DataFrame:
    return fetch_df(db, "SELECT number, key, heading, text FROM sections WHERE report_id = ? ORDER BY "
                        "list_position(['一','二','三','四','五','六'], number)", [report_id])


def report_narrative(db: Db, report_id: str) -> pd.DataFrame:
    return fetch_df(db, "SELECT key, count, value_text, approximate, sentence FROM narrative WHERE report_id = ? "
                        "ORDER BY key", [report_id])


def report_source(db: Db, report_id: str) -> bytes | None:
    return fetch_blob(db, "SELECT content FROM sources WHERE report_id = ?", [report_id])


def data_dictionary(db: Db) -> pd.DataFrame:
    return fetch_df(db, "SELECT table_key, row_key, col_key, name_zh, name_en, unit, versions FROM metrics")


# --- summary cards --------------------------------------------------------------------------

KPI_COLUMNS = ("reports", "licensing", "penalty", "coercion", "received", "disclosure_rate", "review", "litigation",
               "correction_rate", "published")
RATE_COLUMNS = ("disclosure_rate", "correction_rate")


def kpi_values(headline: pd.DataFrame, year: int) -> list[tuple[str, float | None, float | None]]:
    """(column, value in ``year``, change from ``year`` − 1 or None) for each KPI card.
    Rates change in percentage points."""
    by_year = headline.set_index("year")
    out = []
    for column in KPI_COLUMNS:
        if column not in by_year.columns:
            continue
        value = by_year.at[year, column] if year in by_year.index else None
        prev = by_year.at[year - 1, column] if year - 1 in by_year.index else None
        value = None if value is None or pd.isna(value) else float(value)
        prev = None if prev is None or pd.isna(prev) else float(prev)
        out.append((column, value, value - prev if value is not None and prev is not None else None))
    return out
