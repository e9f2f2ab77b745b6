"""Time each page's queries and figures on a database (cold cache): the work a page does on a
filter change. Usage: ``python benchmarks/bench_pages.py DB.duckdb``. Target: < 1 s per page."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nianbao.app import charts, datasets, figure_cache
from nianbao.app import db as app_db
from nianbao.app import queries as q
from nianbao.app.export import write_table
from nianbao.app.filters import Filters
from nianbao.app.metrics import comparable_across_forms, metric
from nianbao.app.report_view import flagged_cells, form_grid, table_version

LANG = "zh"


def summary(db: Path, f: Filters) -> None:
    h = q.headline_by_year(db, f)
    year = int(h["year"].max())
    q.kpi_values(h, year)
    charts.headline_trends(h, [(c, c, "件") for c in ("licensing", "penalty", "received", "published")], LANG)
    for key in ("active.licensing.decisions", "active.penalty.decisions", "active.coercion.decisions",
                "applications.new_received.total", "review_litigation.review.total", "narrative.published_total"):
        charts.ranking_bars(q.ranking(db, f, key, year, 10), metric(key), key, LANG)
    q.findings_list(db, f, 10)


def compare(db: Path, f: Filters) -> None:
    key = "active.licensing.decisions"
    m = metric(key)
    year = q.metric_years(db, f, key)[-1]
    charts.ranking_bars(q.ranking(db, f, key, year, 15), m, "", LANG)
    charts.heatmap(q.heatmap_values(db, f, key, 15), m, "", LANG)
    charts.category_bars(q.category_comparison(db, f, key, year), m, "", LANG)
    charts.change_bars(q.year_on_year(db, f, key, year, 15), m, "", LANG)


def trends(db: Path, f: Filters) -> None:
    for key in ("active.licensing.decisions", "active.penalty.decisions", "narrative.published_total",
                "active.admin_fees.amount_10k_yuan"):
        charts.trend_lines(q.trend(db, f, key), metric(key), comparable_across_forms(key), LANG, "合计")


def applications(db: Path, f: Filters) -> None:
    rows = q.application_rows_by_year(db, f)
    year = int(rows["year"].max())
    charts.applicant_bars(q.applicants_by_year(db, f), LANG)
    charts.outcome_bars(q.outcome_breakdown(rows), LANG)
    charts.sankey(q.sankey_flows(rows, year), year, LANG)
    charts.reason_bars(q.refusal_reasons(rows, year), year, LANG)


def review(db: Path, f: Filters) -> None:
    rv = q.review_by_year(db, f)
    year = int(rv["year"].max())
    charts.review_cases(rv, LANG)
    charts.correction_lines(q.correction_rates(rv), LANG)
    charts.review_outcomes(rv, year, LANG)
    charts.review_agency_bars(q.review_by_agency(db, f, year), year, LANG)


def quality(db: Path, f: Filters) -> None:
    for by in ("rule", "agency", "year"):
        counts = q.findings_by(db, f, by)
        if not counts.empty:
            charts.findings_bars(counts, by, LANG)
    q.problem_reports(db, f)
    q.findings_list(db, f)


def report(db: Path, f: Filters) -> None:
    rid = q.report_choices(db, f)["report_id"].iloc[0]
    meta = q.report_meta(db, rid).iloc[0]
    facts = q.report_facts(db, rid)
    flagged = flagged_cells(q.report_findings(db, rid))
    for key in ("active", "applications", "review_litigation"):
        if (facts["table_key"] == key).any():
            form_grid(facts, key, table_version(facts, key, meta["form_version"]), LANG, flagged)
    q.report_sections(db, rid)
    q.report_narrative(db, rid)


def explore_dataset(dataset: str) -> Callable[[Path, Filters], None]:
    """The explore page shows one dataset at a time: its row count and one page of rows."""
    def render(db: Path, f: Filters) -> None:
        datasets.count_rows(db, f, dataset)
        datasets.localise(datasets.fetch_rows(db, f, dataset, "report_year", True, 50, 50), dataset, LANG)
    return render


def export_all(db: Path, f: Filters) -> None:
    """Not a page render (exports are built on click) — timed to show what a click costs."""
    with tempfile.TemporaryDirectory() as folder:
        write_table(db, Path(folder) / "facts.csv", "facts", LANG, "csv")


PAGES: dict[str, Callable[[Path, Filters], None]] = {
    "summary": summary, "compare": compare, "trends": trends, "applications": applications, "review": review,
    "quality": quality, "report": report,
    **{f"explore: {d}": explore_dataset(d) for d in datasets.DATASETS},
    "(export facts csv, on click)": export_all,
}


def main(db: Path) -> int:
    from streamlit import logger

    logger.set_log_level("error")  # "No runtime found" warnings: the caches work without a server
    f = Filters()
    # a served process has opened the database and imported plotly's lazy modules once; time that
    # apart so each page's figure is what a filter change costs
    start = time.perf_counter()
    summary(db, f)
    print(f"{'(first run in a process, once)':<32}{time.perf_counter() - start:>8.3f}")
    slow = []
    print(f"{'page':<32}{'seconds':>8}")
    for name, fn in PAGES.items():
        # cold: what a new filter combination costs — the app shares query results and figures
        # through cache_resource, so clearing cache_data alone left every page warm
        app_db.clear_results()
        figure_cache.clear_figures()
        # a filter change comes after the user paused: the app's idle connection is closed by
        # then, so each page starts on an empty buffer pool (the code before 389fc78 had none)
        getattr(app_db, "close_connections", lambda: None)()
        start = time.perf_counter()
        fn(db, f)
        seconds = time.perf_counter() - start
        print(f"{name:<32}{seconds:>8.3f}")
        if seconds >= 1 and not name.startswith("("):
            slow.append(name)
    if slow:
        print(f"slower than 1 s: {', '.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
