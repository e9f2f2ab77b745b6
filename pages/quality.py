"""数据质量 Data quality: findings by rule, agency and year; failed and partial reports."""

import pandas as pd
import streamlit as st

from nianbao.app import charts, ui
from nianbao.app import queries as q
from nianbao.app.i18n import SEVERITY, STATUS, enum_label, t
from nianbao.app.labels import cells_text, reason_text, rule_description, rule_name, year_text
from nianbao.app.review_queries import hide_dismissed

ctx = ui.context()
lang = ctx.lang
st.title(t("page_quality", lang))
if ctx.state != "ready":
    ui.require_data(ctx)
ui.scope_notice(ctx, failed_shown=True)

# info notes (a rule could not run, a sentence was not compared) outnumber errors: off by default
show_info = st.toggle(t("show_info", lang), key="quality_show_info")
hidden = 0 if show_info else q.info_count(ctx.db, ctx.filters)
if hidden:
    st.caption(t("info_hidden", lang, n=hidden))

tabs = st.tabs([t("findings_by_rule", lang), t("findings_by_agency", lang), t("findings_by_year", lang)],
               key="quality_by", on_change="rerun")  # lazy: only the open tab's chart is built and drawn
for tab, by, title in zip(tabs, ("rule", "agency", "year"), ("findings_by_rule", "findings_by_agency",
                                                             "findings_by_year"), strict=True):
    if not tab.open:
        continue
    with tab:
        counts = q.findings_by(ctx.db, ctx.filters, by, include_info=show_info)
        if counts.empty:
            st.success(t("no_findings", lang))
            continue
        if by == "rule":
            rules = list(dict.fromkeys(counts["label"]))
            counts = counts.assign(label=counts["label"].map(lambda r: rule_name(r, lang)))
        ui.plot(charts.findings_bars(counts, t(title, lang), lang), key=f"findings_{by}")
        if by == "rule":
            st.dataframe(pd.DataFrame({t("rule_name", lang): [rule_name(r, lang) for r in rules],
                                       t("rule_description", lang): [rule_description(r, lang) or "—"
                                                                     for r in rules]}), hide_index=True)

st.subheader(t("problem_reports", lang))
problems = q.problem_reports(ctx.db, ctx.filters)
if problems.empty:
    st.success(t("no_problem_reports", lang))
else:
    view = problems.assign(status=problems["status"].map(lambda s: enum_label(STATUS, s, lang)),
                           error=problems["error"].map(lambda e: reason_text(e, lang)),
                           agency=problems["agency"].fillna("—"), year=problems["year"].map(year_text))
    st.dataframe(view[["agency", "year", "source_name", "status", "error"]], hide_index=True,
                 column_config={"agency": t("agency", lang),
                                "year": t("year", lang),
                                "source_name": t("file", lang), "status": t("status", lang),
                                "error": t("reason", lang)})

st.subheader(t("findings_list", lang))
findings = q.findings_list(ctx.db, ctx.filters, include_info=show_info)
if st.toggle(t("hide_dismissed", lang), key="quality_hide_dismissed", help=t("hide_dismissed_help", lang)):
    findings = hide_dismissed(ctx.db, ctx.filters, findings)  # reviewer decisions (issue 14)
if findings.empty:
    st.success(t("no_findings", lang))
else:
    view = findings.assign(severity=findings["severity"].map(lambda s: enum_label(SEVERITY, s, lang)),
                           rule_id=findings["rule_id"].map(lambda r: rule_name(r, lang)),
                           message=findings["message_en" if lang == "en" else "message_zh"],
                           cells=findings["cells"].map(lambda c: cells_text(c, lang)),
                           year=findings["year"].map(year_text))
    st.dataframe(view[["severity", "agency", "year", "rule_id", "message", "cells"]], hide_index=True,
                 column_config={"severity": t("severity", lang), "agency": t("agency", lang),
                                "year": t("year", lang),
                                "rule_id": t("rule", lang), "message": t("message", lang),
                                "cells": t("cells", lang)})

# link through to a report: failed/partial ones first, then those with findings
ids = list(dict.fromkeys([*problems["report_id"], *findings["report_id"]]))
label = {r: f"{a if pd.notna(a) else '—'} · {int(y) if pd.notna(y) else '—'}" for r, a, y in zip(
    [*problems["report_id"], *findings["report_id"]], [*problems["agency"], *findings["agency"]],
    [*problems["year"], *findings["year"]], strict=True)}
if ids:
    chosen = st.selectbox(t("choose_report", lang), ids, format_func=lambda r: label[r], key="quality_report")
    ui.report_link(ctx, chosen)
