"""复议诉讼 Review & litigation: cases and outcomes by year and agency, correction rates."""

import streamlit as st

from nianbao.app import charts, ui
from nianbao.app import queries as q
from nianbao.app.i18n import t

ctx = ui.context()
lang = ctx.lang
st.title(t("page_review", lang))
ui.require_data(ctx)

review = q.review_by_year(ctx.db, ctx.filters)
if review.empty:
    ui.no_data(lang)
    st.stop()
years = sorted(int(y) for y in review["year"].unique())

left, right = st.columns(2)
with left:
    ui.plot(charts.review_cases(review, lang), key="cases")
with right:
    ui.plot(charts.correction_lines(q.correction_rates(review), lang), key="correction")
st.caption(t("kpi_correction_help", lang))
year = ui.year_select(years, lang, "review_year")
ui.plot(charts.review_outcomes(review, year, lang), key="outcomes")
by_agency = q.review_by_agency(ctx.db, ctx.filters, year)
if by_agency.empty:
    ui.no_data(lang)
else:
    ui.plot(charts.review_agency_bars(by_agency, year, lang), key="by_agency")
