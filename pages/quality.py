"""数据质量 Data quality: findings by rule, agency and year; failed and partial reports."""

import pandas as pd
import streamlit as st

from nianbao.app import charts, ui
from nianbao.app import queries as q
from nianbao.app.i18n import SEVERITY, STATUS, enum_label, t
from nianbao.app.review_queries import hide_dismissed

ctx = ui.context()
lang = ctx.lang
st.title(t("page_quality", lang))
if ctx.state != "ready":
    ui.require_data(ctx)

tabs = st.tabs([t("findings_by_rule", lang), t("findings_by_agency", lang), t("findings_by_year", lang)])
for tab, by, title in zip(tabs, ("rule", "agency", "year"), ("findings_by_rule", "findings_by_agency",
                                                             "findings_by_year"), strict=True):
    with tab:
        counts = q.findings_by(ctx.db, ctx.filters, by)
        if counts.empty:
            st.success(t("no_findings", lang))
        else:
            ui.plot(charts.findings_bars(counts, t(title, lang), lang), key=f"findings_{by}")

st.subheader(t("problem_reports", lang))
problems = q.problem_reports(ctx.db, ctx.filters)
if problems.empty:
    st.success(t("no_findings", lang))
else:
    st.dataframe(problems.assign(status=problems["status"].map(lambda s: enum_label(STATUS, s, lang)))[
        ["agency", "year", "source_name", "status", "error"]], hide_index=True,
        column_config={"agency": t("agency", lang), "year": st.column_config.NumberColumn(t("year", lang), format="%d"),
                       "source_name": t("file", lang), "status": t("status", lang), "error": t("reason", lang)})

st.subheader(t("findings_list", lang))
findings = q.findings_list(ctx.db, ctx.filters)
if st.toggle(t("hide_dismissed", lang), key="quality_hide_dismissed", help=t("hide_dismissed_help", lang)):
    findings = hide_dismissed(ctx.db, ctx.filters, findings)  # reviewer decisions (issue 14)
if findings.empty:
    st.success(t("no_findings", lang))
else:
    view = findings.assign(severity=findings["severity"].map(lambda s: enum_label(SEVERITY, s, lang)),
                           message=findings["message_en" if lang == "en" else "message_zh"])
    st.dataframe(view[["severity", "agency", "year", "rule_id", "message", "cells"]], hide_index=True,
                 column_config={"severity": t("severity", lang), "agency": t("agency", lang),
                                "year": st.column_config.NumberColumn(t("year", lang), format="%d"),
                                "rule_id": t("rule", lang), "message": t("reason", lang),
                                "cells": t("cells", lang)})

# link through to a report: failed/partial ones first, then those with findings
ids = list(dict.fromkeys([*problems["report_id"], *findings["report_id"]]))
label = {r: f"{a if pd.notna(a) else '—'} · {int(y) if pd.notna(y) else '—'}" for r, a, y in zip(
    [*problems["report_id"], *findings["report_id"]], [*problems["agency"], *findings["agency"]],
    [*problems["year"], *findings["year"]], strict=True)}
if ids:
    chosen = st.selectbox(t("choose_report", lang), ids, format_func=lambda r: label[r], key="quality_report")
    st.page_link("pages/report.py", label=t("open_report", lang), icon=":material/open_in_new:",
                 query_params={"report": chosen})
