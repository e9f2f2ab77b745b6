"""依申请公开 Applications: applicant types, outcomes, the flow of applications, refusal reasons."""

import streamlit as st

from nianbao.app import charts, ui
from nianbao.app import queries as q
from nianbao.app.i18n import t

ctx = ui.context()
lang = ctx.lang
st.title(t("page_applications", lang))
ui.require_data(ctx)

rows = q.application_rows_by_year(ctx.db, ctx.filters)
if rows.empty:
    ui.no_data(lang)
    st.stop()
years = sorted(int(y) for y in rows["year"].unique())

left, right = st.columns(2)
with left:
    ui.plot(charts.applicant_bars(q.applicants_by_year(ctx.db, ctx.filters), lang), key="applicants")
with right:
    ui.plot(charts.outcome_bars(q.outcome_breakdown(rows), lang), key="outcomes")

year = ui.year_select(years, lang, "applications_year")
flows = q.sankey_flows(rows, year)
inflow = flows.loc[flows["target"] == "inflow", "value"].sum()
outflow = flows.loc[flows["source"] == "inflow", "value"].sum()
if abs(inflow - outflow) > 0.5:
    st.warning(t("sankey_unbalanced", lang, inflow=inflow, outflow=outflow))
ui.plot(charts.sankey(flows, year, lang), key="sankey")
reasons = q.refusal_reasons(rows, year)
ui.plot(charts.reason_bars(reasons, year, lang), key="reasons")
