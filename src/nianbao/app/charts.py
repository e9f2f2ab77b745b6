"""Plotly figure builders. Every chart has a title, axis titles with units, hover values and
Chinese (or English) labels taken from the form declarations."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nianbao.app.figure_cache import shared_figure
from nianbao.app.i18n import SEVERITY, category_label, enum_label, t
from nianbao.app.metrics import MetricInfo, cell_label, outcome_label
from nianbao.app.queries import APPLICANT_COLS, OUTCOME_GROUPS, REVIEW_COLS, REVIEW_ROWS

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
# colour-blind-friendly qualitative palette (Okabe–Ito order, then extras)
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999", "#882255",
           "#44AA99"]
SEVERITY_COLOURS = {"error": "#C0392B", "warning": "#E69F00", "info": "#56B4E9"}
OUTCOME_COLOURS = dict(zip((*OUTCOME_GROUPS, "carried_forward"), PALETTE, strict=False))


def _unit(unit: str, lang: str) -> str:
    return f"（{unit}）" if lang == "zh" else f" ({unit})"


def format_number(value: float | None) -> str:
    """1234 → "1,234"; 12.5 → "12.5"; missing → ""."""
    if value is None or value != value:
        return ""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _cases_axis(lang: str) -> str:
    return f"{t('axis_value', lang)}{_unit(t('unit_cases', lang), lang)}"


_AXIS = {"showgrid": True, "gridcolor": "#eeeeee", "automargin": True}
YEAR_AXIS = {"dtick": 1, "tickformat": "d"}


def _base_layout(title: str, height: int) -> dict:
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT, "size": 13},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
        # legends at the right never collide with the (long, Chinese) titles
        "legend": {"orientation": "v", "yanchor": "top", "y": 1, "xanchor": "left", "x": 1.01},
        "hoverlabel": {"font": {"family": FONT}},
        "colorway": PALETTE,
        "plot_bgcolor": "white",
    }


def _layout(fig: go.Figure, title: str, x_title: str | None = None, y_title: str | None = None,
            height: int = 420, *, xaxis: dict | None = None, yaxis: dict | None = None, **extra) -> go.Figure:
    """Give a one-plot figure its whole layout at once (``extra``: more layout keys, e.g.
    barmode). Plotly validates one dict once, where update_layout/update_xaxes walk property
    paths: ≈ 3× the time a figure, measured (docs/app.md)."""
    fig.layout = {**_base_layout(title, height),
                  "xaxis": {**_AXIS, "title": {"text": x_title}, **(xaxis or {})},
                  "yaxis": {**_AXIS, "title": {"text": y_title}, **(yaxis or {})}, **extra}
    return fig


@shared_figure
def headline_trends(df: pd.DataFrame, items: list[tuple[str, str, str]], lang: str) -> go.Figure:
    """Small multiples, one per headline figure: items are (column, label, unit)."""
    cols = 3
    rows = -(-len(items) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[f"{label}" for _, label, _ in items],
                        vertical_spacing=0.16, horizontal_spacing=0.07)
    traces = [go.Scatter(x=df["year"], y=df[column], mode="lines+markers", name=label, showlegend=False,
                         line={"color": PALETTE[i % len(PALETTE)], "width": 2.5},
                         hovertemplate=f"%{{x}}：%{{y:,.4~f}} {unit}<extra>{label}</extra>")
              for i, (column, label, unit) in enumerate(items)]
    n = range(len(items))
    fig.add_traces(traces, rows=[i // cols + 1 for i in n], cols=[i % cols + 1 for i in n])
    # one layout update for every axis (subplot k's are xaxis<k>/yaxis<k>, row by row), not one per axis
    units = [unit for _, _, unit in items]
    axes = {}
    for k in range(1, rows * cols + 1):
        suffix = "" if k == 1 else str(k)
        axes[f"xaxis{suffix}"] = {**_AXIS, **YEAR_AXIS}
        axes[f"yaxis{suffix}"] = {**_AXIS, **({"title": {"text": units[k - 1]}, "rangemode": "tozero"}
                                              if k <= len(units) else {})}
    fig.update_layout({**_base_layout(t("trend_title", lang), 280 * rows + 60), **axes})
    fig.update_annotations(font_size=13)
    return fig


@shared_figure
def ranking_bars(df: pd.DataFrame, m: MetricInfo, title: str, lang: str, height: int | None = None) -> go.Figure:
    """Horizontal bars, largest at the top."""
    d = df.sort_values("value")
    fig = go.Figure(go.Bar(x=d["value"], y=d["agency"], orientation="h", marker_color=PALETTE[0],
                           text=d["value"].map(format_number), textposition="outside",
                           cliponaxis=False,
                           hovertemplate=f"%{{y}}<br>%{{x:,.4~f}} {m.unit_label(lang)}<extra></extra>"))
    _layout(fig, title, m.label(lang), t("axis_agency", lang), height or max(300, 28 * len(d) + 120))
    return fig


@shared_figure
def heatmap(df: pd.DataFrame, m: MetricInfo, title: str, lang: str) -> go.Figure:
    """Agency × year grid with the values written in the cells."""
    grid = df.pivot_table(index="agency", columns="year", values="value", aggfunc="sum")
    order = df.drop_duplicates("agency").set_index("agency")["s"].sort_values().index
    grid = grid.reindex(order)
    fig = go.Figure(go.Heatmap(z=grid.values, x=[str(int(y)) for y in grid.columns], y=list(grid.index),
                               colorscale="Blues", colorbar={"title": {"text": m.unit_label(lang)}},
                               text=[[format_number(v) for v in row] for row in grid.values],
                               texttemplate="%{text}", textfont={"size": 11},
                               hovertemplate=f"%{{y}}，%{{x}}：%{{z:,.4~f}} {m.unit_label(lang)}<extra></extra>"))
    _layout(fig, title, t("year", lang), t("axis_agency", lang), max(320, 26 * len(grid) + 140))
    return fig


@shared_figure
def category_bars(df: pd.DataFrame, m: MetricInfo, title: str, lang: str) -> go.Figure:
    """Bars per agency grouped by category, with the category median marked as a dashed tick."""
    d = df.sort_values(["category", "value"], ascending=[False, True])
    traces = []
    for i, (cat, g) in enumerate(d.groupby("category", sort=False)):
        name = category_label(cat, lang)
        traces.append(go.Bar(x=g["value"], y=g["agency"], orientation="h", name=name,
                             marker_color=PALETTE[i % len(PALETTE)],
                             hovertemplate=f"%{{y}}（{name}）<br>%{{x:,.4~f}} {m.unit_label(lang)}<extra></extra>"))
        traces.append(go.Scatter(x=g["category_median"], y=g["agency"], mode="markers", showlegend=i == 0,
                                 name=t("median", lang), marker={"symbol": "line-ns-open", "size": 18,
                                                                 "color": "#222", "line": {"width": 2}},
                                 hovertemplate=f"{name} {t('median', lang)}：%{{x:,.4~f}}<extra></extra>"))
    fig = go.Figure(traces)
    _layout(fig, title, m.label(lang), t("axis_agency", lang), max(320, 24 * len(d) + 140), barmode="overlay")
    return fig


@shared_figure
def change_bars(df: pd.DataFrame, m: MetricInfo, title: str, lang: str) -> go.Figure:
    """Year-on-year change per agency: increases blue, decreases orange."""
    d = df.sort_values("change")
    colours = ["#0072B2" if v >= 0 else "#D55E00" for v in d["change"].fillna(0)]
    pct = d["change_pct"].map(lambda v: f"{v:+.1f}%" if v == v and v is not None else "—")
    fig = go.Figure(go.Bar(x=d["change"], y=d["agency"], orientation="h", marker_color=colours, customdata=list(
        zip(d["previous"], d["value"], pct, strict=True)),
        hovertemplate="%{y}<br>%{customdata[0]:,.4~f} → %{customdata[1]:,.4~f}（%{customdata[2]}）<extra></extra>"))
    _layout(fig, title, f"{t('change', lang)}{_unit(m.unit_label(lang), lang)}", t("axis_agency", lang),
            max(300, 28 * len(d) + 120))
    return fig


@shared_figure
def trend_lines(df: pd.DataFrame, m: MetricInfo, comparable: bool, lang: str, total_label: str) -> go.Figure:
    """Lines over years. When the metric changed meaning between forms each form gets its own
    trace (dashed for 2019), so unlike numbers are never joined by a line."""
    traces = []
    d = df.copy()
    d["series"] = d["series"].fillna(total_label)
    if comparable:
        d = d.groupby(["series", "year"], as_index=False).agg(value=("value", "sum"), reports=("reports", "sum"))
        d["form_version"] = ""
    for i, ((series, form), g) in enumerate(d.groupby(["series", "form_version"], sort=False)):
        suffix = _unit(f"{form}格式" if lang == "zh" else f"{form} form", lang) if form else ""
        # a year without a report is a gap in the line, not a straight line across it
        years = range(int(g["year"].min()), int(g["year"].max()) + 1)
        g = g.set_index("year").reindex(years).rename_axis("year").reset_index()
        traces.append(go.Scatter(
            x=g["year"], y=g["value"], mode="lines+markers", name=f"{series}{suffix}",
            line={"dash": "dash" if form == "2019" else "solid", "width": 2.5,
                  "color": PALETTE[(i if comparable else i // 2) % len(PALETTE)]},
            customdata=g["reports"],
            hovertemplate=f"%{{x}}：%{{y:,.4~f}} {m.unit_label(lang)}<br>{t('reports_n', lang)} %{{customdata}}"
                          "<extra>%{fullData.name}</extra>"))  # the (escaped) trace name
    fig = go.Figure(traces)
    _layout(fig, m.label(lang, unit=False), t("year", lang), m.label(lang), xaxis=YEAR_AXIS,
            yaxis={"rangemode": "tozero"})
    return fig


@shared_figure
def applicant_bars(df: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked bars per year by applicant type (columns of table 三)."""
    traces = []
    for i, col in enumerate(APPLICANT_COLS):
        g = df[df["applicant"] == col]
        name = cell_label("applications", "new_received", col, lang)
        traces.append(go.Bar(x=g["year"], y=g["value"], name=name, marker_color=PALETTE[i % len(PALETTE)],
                             hovertemplate=f"%{{x}} {name}：%{{y:,}} {t('unit_cases', lang)}<extra></extra>"))
    fig = go.Figure(traces)
    _layout(fig, t("applicants_title", lang), t("year", lang), _cases_axis(lang), xaxis=YEAR_AXIS,
            barmode="stack", legend_traceorder="reversed")
    return fig


@shared_figure
def outcome_bars(df: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked bars per year by outcome group, in the form's order."""
    traces = []
    for group in (*OUTCOME_GROUPS, "carried_forward"):
        g = df[df["outcome"] == group]
        if g.empty:
            continue
        name = outcome_label(group, lang)
        traces.append(go.Bar(x=g["year"], y=g["value"], name=name, marker_color=OUTCOME_COLOURS[group],
                             hovertemplate=f"%{{x}} {name}：%{{y:,}} {t('unit_cases', lang)}<extra></extra>"))
    fig = go.Figure(traces)
    _layout(fig, t("outcomes_title", lang), t("year", lang), _cases_axis(lang), xaxis=YEAR_AXIS,
            barmode="stack", legend_traceorder="reversed")
    return fig


@shared_figure
def sankey(links: pd.DataFrame, year: int, lang: str) -> go.Figure:
    """new + carried over → applications to handle → each outcome (incl. carried forward)."""
    inflow = "本年待办申请" if lang == "zh" else "applications to handle"
    names = {"inflow": inflow}
    for key in ("new_received", "carried_over", *OUTCOME_GROUPS, "carried_forward"):
        names[key] = outcome_label(key, lang)
    nodes = list(dict.fromkeys([*links["source"], *links["target"]]))
    colours = [OUTCOME_COLOURS.get(n, "#607D8B") for n in nodes]
    unit = t("unit_cases", lang)
    # the count is written into each node label, so a screenshot carries the numbers
    totals = {n: max(links.loc[links["source"] == n, "value"].sum(), links.loc[links["target"] == n, "value"].sum())
              for n in nodes}
    fig = go.Figure(go.Sankey(
        node={"label": [f"{names.get(n, n)} {format_number(totals[n])} {unit}" for n in nodes], "color": colours,
              "pad": 18, "thickness": 18,
              "hovertemplate": "%{label}<extra></extra>"},
        link={"source": [nodes.index(s) for s in links["source"]], "target": [nodes.index(x) for x in links["target"]],
              "value": links["value"], "color": "rgba(96,125,139,0.25)",
              "hovertemplate": f"%{{source.label}} → %{{target.label}}：%{{value:,}} {unit}<extra></extra>"}))
    _layout(fig, t("sankey_title", lang, year=year), height=460)
    return fig


@shared_figure
def reason_bars(df: pd.DataFrame, year: int, lang: str) -> go.Figure:
    """Refusal reasons ranked, coloured by group (不予公开 / 无法提供 / 不予处理)."""
    d = df.sort_values("value")
    traces = []
    colours = {"denied": OUTCOME_COLOURS["denied"], "unable": OUTCOME_COLOURS["unable"],
               "rejected": OUTCOME_COLOURS["rejected"]}
    for group in ("denied", "unable", "rejected"):
        g = d[d["group"] == group]
        gname = outcome_label(group, lang)
        # the form's English row names already start with the group ("denied: state secret")
        labels = [cell_label("applications", r, None, lang) if lang == "en"
                  else f"{gname}：{cell_label('applications', r, None, lang)}" for r in g["row_key"]]
        traces.append(go.Bar(x=g["value"], y=labels, orientation="h", name=gname, marker_color=colours[group],
                             hovertemplate=f"%{{y}}<br>%{{x:,}} {t('unit_cases', lang)}<extra></extra>"))
    fig = go.Figure(traces)
    _layout(fig, t("reasons_title", lang, year=year), _cases_axis(lang),
            None, max(360, 26 * len(d) + 140), yaxis={"categoryorder": "total ascending"})
    return fig


@shared_figure
def review_cases(review: pd.DataFrame, lang: str) -> go.Figure:
    """Cases per year: review, litigation without review, litigation after review."""
    d = review[review["col_key"] == "total"]
    traces = []
    for i, row in enumerate(REVIEW_ROWS):
        g = d[d["row_key"] == row]
        name = cell_label("review_litigation", row, None, lang)
        traces.append(go.Bar(x=g["year"], y=g["value"], name=name, marker_color=PALETTE[i],
                             hovertemplate=f"%{{x}} {name}：%{{y:,}} {t('unit_cases', lang)}<extra></extra>"))
    fig = go.Figure(traces)
    _layout(fig, t("review_cases_title", lang), t("year", lang), _cases_axis(lang), xaxis=YEAR_AXIS,
            barmode="group")
    return fig


@shared_figure
def review_outcomes(review: pd.DataFrame, year: int, lang: str) -> go.Figure:
    """One year's outcomes (维持 / 纠正 / 其他 / 尚未审结) per case kind, stacked."""
    d = review[(review["year"] == year) & (review["col_key"] != "total")]
    traces = []
    rows = [cell_label("review_litigation", r, None, lang) for r in REVIEW_ROWS]
    for i, col in enumerate(c for c in REVIEW_COLS if c != "total"):
        g = d[d["col_key"] == col].set_index("row_key").reindex(list(REVIEW_ROWS))
        name = cell_label("review_litigation", "review", col, lang)
        traces.append(go.Bar(x=g["value"], y=rows, orientation="h", name=name, marker_color=PALETTE[i],
                             hovertemplate=f"%{{y}} {name}：%{{x:,}} {t('unit_cases', lang)}<extra></extra>"))
    fig = go.Figure(traces)
    _layout(fig, t("review_outcomes_title", lang, year=year), _cases_axis(lang), None, 320,
            barmode="stack", legend_traceorder="reversed")
    return fig


@shared_figure
def correction_lines(rates: pd.DataFrame, lang: str) -> go.Figure:
    traces = []
    for i, row in enumerate(REVIEW_ROWS):
        g = rates[rates["row_key"] == row]
        name = cell_label("review_litigation", row, None, lang)
        traces.append(go.Scatter(x=g["year"], y=g["rate"], mode="lines+markers", name=name,
                                 line={"color": PALETTE[i], "width": 2.5}, customdata=list(zip(
                                     g["corrected"], g["total"], strict=True)),
                                 hovertemplate=f"%{{x}} {name}：%{{y:.1f}}%（%{{customdata[0]:,}} / "
                                               f"%{{customdata[1]:,}}）<extra></extra>"))
    fig = go.Figure(traces)
    _layout(fig, t("correction_title", lang), t("year", lang), t("correction_title", lang), xaxis=YEAR_AXIS,
            yaxis={"rangemode": "tozero", "ticksuffix": "%"})
    return fig


@shared_figure
def review_agency_bars(df: pd.DataFrame, year: int, lang: str) -> go.Figure:
    order = df.drop_duplicates("agency").sort_values("s")["agency"].tolist()
    traces = []
    for i, row in enumerate(REVIEW_ROWS):
        g = df[df["row_key"] == row].set_index("agency").reindex(order)
        name = cell_label("review_litigation", row, None, lang)
        traces.append(go.Bar(x=g["value"], y=order, orientation="h", name=name, marker_color=PALETTE[i],
                             hovertemplate=f"%{{y}} {name}：%{{x:,}} {t('unit_cases', lang)}<extra></extra>"))
    fig = go.Figure(traces)
    _layout(fig, t("review_agency_title", lang, year=year), _cases_axis(lang), t("axis_agency", lang),
            max(320, 26 * len(order) + 140), barmode="stack", legend_traceorder="reversed")
    return fig


@shared_figure
def findings_bars(df: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """Finding counts per label, stacked by severity."""
    totals = df.groupby("label")["n"].sum().sort_values()
    traces = []
    for severity in ("error", "warning", "info"):
        g = df[df["severity"] == severity].set_index("label").reindex(totals.index).fillna({"n": 0})
        if not g["n"].any():
            continue
        name = enum_label(SEVERITY, severity, lang)
        traces.append(go.Bar(x=g["n"], y=[str(x) for x in totals.index], orientation="h", name=name,
                             marker_color=SEVERITY_COLOURS[severity],
                             hovertemplate=f"%{{y}} {name}：%{{x}}<extra></extra>"))
    xaxis = {"tickformat": ",d", "rangemode": "tozero"}  # counts: whole numbers only
    if totals.max() < 5:
        xaxis["dtick"] = 1
    fig = go.Figure(traces)
    _layout(fig, title, t("findings_count_axis", lang), None, max(300, 26 * len(totals) + 140), xaxis=xaxis,
            yaxis={"type": "category"}, barmode="stack", legend_traceorder="reversed")
    return fig
