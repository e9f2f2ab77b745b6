"""部门对比 Compare agencies: ranked bars, agency × year heatmap, within-category medians, change."""

import streamlit as st

from nianbao.app import charts, ui
from nianbao.app import queries as q
from nianbao.app.i18n import category_label, t
from nianbao.app.metrics import comparable_across_forms, metric

ctx = ui.context()
lang = ctx.lang
st.title(t("page_compare", lang))
ui.require_data(ctx)

left, mid, right = st.columns([3, 1, 1])
with left:
    key = ui.metric_select(lang, "compare_metric")
m = metric(key)
years = q.metric_years(ctx.db, ctx.filters, key)
if not years:
    ui.no_data(lang)
    st.stop()
with mid:
    year = ui.year_select(years, lang, "compare_year")
with right:
    n = st.slider(t("top_n", lang), 5, 40, 15, key="compare_n")
name = m.label(lang, unit=False)

ui.plot(charts.ranking_bars(q.ranking(ctx.db, ctx.filters, key, year, n), m,
                            t("rank_title", lang, metric=name, year=year), lang), key="rank")
ui.plot(charts.heatmap(q.heatmap_values(ctx.db, ctx.filters, key, n), m, t("heatmap_title", lang, metric=name), lang),
        key="heatmap")
if not comparable_across_forms(key):
    st.caption(t("only_in_form", lang, metric=name, versions="/".join(m.versions), detail=""))

cats = q.category_comparison(ctx.db, ctx.filters, key, year)
if not cats.empty:
    # one category at a time (e.g. all 市场监管 bureaus); the most active category first
    options = cats.groupby("category")["value"].sum().sort_values(ascending=False).index.tolist()
    category = st.selectbox(t("category", lang), options, key="compare_category",
                            format_func=lambda c: category_label(c, lang))
    ui.plot(charts.category_bars(cats[cats["category"] == category], m,
                                 t("category_title", lang, metric=name, year=year), lang), key="category")

change = q.year_on_year(ctx.db, ctx.filters, key, year, n)
if change.empty:
    st.info(t("no_previous", lang))
else:
    ui.plot(charts.change_bars(change, m, t("yoy_title", lang, metric=name, year=year), lang), key="yoy")
