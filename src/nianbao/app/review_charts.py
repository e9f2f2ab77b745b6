"""Figures and views of the review pages: grade distributions, coverage counts, and the
side-by-side 雷同 view with the repeated passages highlighted."""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from nianbao.app.charts import YEAR_AXIS, _layout
from nianbao.app.figure_cache import shared_figure
from nianbao.app.i18n import t
from nianbao.check.grade import GRADES
from nianbao.check.similarity import MIN_RUN, repeated_runs

GRADE_COLOURS = {"A": "#009E73", "B": "#56B4E9", "C": "#F0E442", "D": "#E69F00", "E": "#D55E00"}
HIGHLIGHT = "background-color:#fff3a3"


@shared_figure
def grade_distribution(grades: pd.DataFrame, by: str, title: str, lang: str) -> go.Figure:
    """Reports per group (``by`` column, already labelled) stacked by grade, best grade first."""
    counts = grades.dropna(subset=["grade"]).groupby([by, "grade"]).size().rename("n").reset_index()
    order = counts.groupby(by)["n"].sum().sort_values().index
    traces = []
    for grade in reversed(GRADES):
        g = counts[counts["grade"] == grade].set_index(by).reindex(order).fillna({"n": 0})
        if not g["n"].any():
            continue
        traces.append(go.Bar(x=g["n"], y=[str(x) for x in order], orientation="h", name=grade,
                             marker_color=GRADE_COLOURS[grade],
                             hovertemplate=f"%{{y}} {grade}：%{{x}}<extra></extra>"))
    unit = "份" if lang == "zh" else "reports"
    fig = go.Figure(traces)
    _layout(fig, title, f"{t('reports_n', lang)}（{unit}）" if lang == "zh" else f"Reports ({unit})", None,
            max(300, 26 * len(order) + 140), yaxis={"type": "category"}, barmode="stack")
    return fig


@shared_figure
def coverage_bars(grid: pd.DataFrame, lang: str) -> go.Figure:
    """Per year: agencies with a report and agencies without one."""
    per_year = grid.assign(has=grid["report_id"].notna()).groupby("year")["has"].agg(["sum", "count"])
    traces = []
    traces.append(go.Bar(x=per_year.index, y=per_year["sum"], name=t("coverage_present", lang),
                         marker_color="#009E73"))
    traces.append(go.Bar(x=per_year.index, y=per_year["count"] - per_year["sum"], name=t("coverage_missing", lang),
                         marker_color="#D55E00"))
    unit = "个" if lang == "zh" else "agencies"
    y = f"{t('agencies_n', lang)}（{unit}）" if lang == "zh" else f"{t('agencies_n', lang)} ({unit})"
    fig = go.Figure(traces)
    _layout(fig, t("coverage_chart", lang), t("year", lang), y, 360, xaxis=YEAR_AXIS, barmode="stack")
    return fig


def _normalised_map(text: str) -> tuple[str, list[int]]:
    """The text without whitespace and with digits as #, and each kept character's index in the
    original, so runs found on the compared form can be highlighted in the printed text."""
    out, where = [], []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        out.append("#" if ch.isdigit() else ch)
        where.append(i)
    return "".join(out), where


def highlighted_pair(this: str, before: str) -> tuple[str, str]:
    """HTML of both texts with the passages they share (runs ≥ MIN_RUN) highlighted; for ``st.html``,
    which renders no Markdown (Markdown would turn a printed URL into a link)."""
    a, wa = _normalised_map(this)
    b, wb = _normalised_map(before)
    marks_a, marks_b = set(), set()
    for sa, sb, n in repeated_runs(a, b, MIN_RUN):
        marks_a.update(wa[sa:sa + n])
        marks_b.update(wb[sb:sb + n])
    return _mark(this, marks_a), _mark(before, marks_b)


def _mark(text: str, marks: set[int]) -> str:
    out, run, inside = [], [], False
    for i, ch in enumerate(text):
        on = i in marks or (inside and ch.isspace())
        if on != inside:
            out.append(escape("".join(run)))
            run = []
            out.append(f'<span style="{HIGHLIGHT}">' if on else "</span>")
            inside = on
        run.append(ch)
    out.append(escape("".join(run)))
    if inside:
        out.append("</span>")
    return "".join(out).replace("\n", "<br>")
