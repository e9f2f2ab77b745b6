"""年度趋势 Trends: chosen agencies × metrics over years, never joining numbers that changed meaning."""

import streamlit as st

from nianbao.app import charts, ui
from nianbao.app import queries as q
from nianbao.app.i18n import t
from nianbao.app.metrics import comparable_across_forms, metric, metric_keys, other_form_cells

ctx = ui.context()
lang = ctx.lang
st.title(t("page_trends", lang))
ui.require_data(ctx)

# a search box and at most q.CHOICES_LIMIT options, never every agency of the country
names = q.agency_choices(ctx.db, ctx.filters, st.text_input(t("search_agency", lang), key="trend_agency_search"),
                         tuple(st.session_state.get("trend_agencies") or ()))
chosen = st.multiselect(t("trend_agencies", lang), list(names), format_func=lambda k: names[k], key="trend_agencies",
                        max_selections=10, placeholder=t("choose", lang))
defaults = ["active.licensing.decisions", "active.penalty.decisions", "narrative.published_total"]
keys = st.multiselect(t("trend_metrics", lang), metric_keys(), default=defaults, key="trend_metrics",
                      format_func=lambda k: metric(k).label(lang))
if not keys:
    ui.no_data(lang)
    st.stop()

for i, key in enumerate(keys):
    m = metric(key)
    df = q.trend(ctx.db, ctx.filters, key, tuple(chosen))
    if df.empty:
        st.info(f"{m.label(lang)}：{t('no_data', lang)}")
        continue
    comparable = comparable_across_forms(key)
    if not comparable:
        others = other_form_cells(key, lang)
        detail = t("other_form_has", lang, cells="、".join(others)) if others else ""
        if len(m.versions) > 1:
            st.warning(t("not_comparable", lang, metric=m.label(lang, unit=False), detail=detail))
        else:
            st.warning(t("only_in_form", lang, metric=m.label(lang, unit=False), versions=m.versions[0],
                         detail=detail))
    ui.plot(charts.trend_lines(df, m, comparable, lang, t("total_filtered", lang)), key=f"trend_{i}")
