"""总览 Summary: KPI cards for the latest selected year, trends, top agencies, serious findings."""

import streamlit as st

from nianbao.app import charts, ui
from nianbao.app import queries as q
from nianbao.app.charts import format_number
from nianbao.app.i18n import SEVERITY, enum_label, t
from nianbao.app.labels import rule_name, year_text
from nianbao.app.metrics import metric, unit_text, with_unit

ctx = ui.context()
lang = ctx.lang
st.title(t("page_summary", lang))
ui.require_data(ctx)

headline = q.headline_by_year(ctx.db, ctx.filters)
if headline.empty:
    ui.no_data(lang)
    st.stop()
year = int(headline["year"].max())
labels = {"reports": ("kpi_reports", "份" if lang == "zh" else "reports"), "licensing": ("kpi_licensing", "件"),
          "penalty": ("kpi_penalty", "件"), "coercion": ("kpi_coercion", "件"), "received": ("kpi_received", "件"),
          "disclosure_rate": ("kpi_disclosure_rate", "%"), "review": ("kpi_review", "件"),
          "litigation": ("kpi_litigation", "件"), "correction_rate": ("kpi_correction_rate", "%"),
          "published": ("kpi_published", "条")}
helps = {"disclosure_rate": t("kpi_disclosure_help", lang), "correction_rate": t("kpi_correction_help", lang)}

st.subheader(t("kpi_year", lang, year=year))
cards = [c for c in q.kpi_values(headline, year) if not (c[0] == "published" and c[1] is None)]
for start in range(0, len(cards), 5):
    for col, (name, value, delta) in zip(st.columns(5), cards[start:start + 5], strict=False):
        rate = name in q.RATE_COLUMNS
        shown = "—" if value is None else (f"{value:.1f}%" if rate else format_number(value))
        change = None if delta is None else (f"{delta:+.1f} pp" if rate else f"{delta:+,.0f}")
        col.metric(t(labels[name][0], lang), shown, change, help=helps.get(name), border=True)

items = [(c, with_unit(t(labels[c][0], lang), "%", lang) if c in q.RATE_COLUMNS else t(labels[c][0], lang),
          "%" if c in q.RATE_COLUMNS else unit_text(labels[c][1], lang))
         for c in ("licensing", "penalty", "coercion", "received", "disclosure_rate", "review", "litigation",
                   "correction_rate", "published") if headline[c].notna().any()]
ui.plot(charts.headline_trends(headline, items, lang), key="headline_trends")

st.subheader(t("top_title", lang, year=year))
top_keys = ("active.licensing.decisions", "active.penalty.decisions", "active.coercion.decisions",
            "applications.new_received.total", "review_litigation.review.total", "narrative.published_total")
# lazy tabs: only the open tab's ranking is queried, built and drawn (six charts were drawn at once)
tabs = st.tabs([metric(k).label(lang, unit=False) for k in top_keys], key="summary_top", on_change="rerun")
for tab, key in zip(tabs, top_keys, strict=True):
    if not tab.open:
        continue
    with tab:
        top = q.ranking(ctx.db, ctx.filters, key, year, 10)
        if top.empty:
            ui.no_data(lang)
        else:
            ui.plot(charts.ranking_bars(top, metric(key), f"{metric(key).label(lang, unit=False)} · {year}", lang),
                    key=f"top_{key}")

st.subheader(t("serious_findings", lang))
findings = q.findings_list(ctx.db, ctx.filters, limit=10)
if findings.empty:
    st.success(t("no_findings", lang))
else:
    view = findings.assign(
        severity=findings["severity"].map(lambda s: enum_label(SEVERITY, s, lang)),
        message=findings["message_en" if lang == "en" else "message_zh"],
        rule_id=findings["rule_id"].map(lambda r: rule_name(r, lang)), year=findings["year"].map(year_text),
        link=findings["report_id"].map(lambda r: ui.report_href(ctx, r)))
    st.dataframe(view[["severity", "agency", "year", "rule_id", "message", "link"]], hide_index=True,
                 column_config={"severity": t("severity", lang), "agency": t("agency", lang),
                                "year": t("year", lang),
                                "rule_id": t("rule", lang), "message": t("message", lang),
                                "link": st.column_config.LinkColumn(t("open_report", lang),
                                                                    display_text=t("open_report", lang))})
