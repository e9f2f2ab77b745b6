"""报告详情 Report detail: the three tables laid out like the form, findings on the cells,
metadata, narrative, the source text beside it, downloads."""

import re

import pandas as pd
import streamlit as st

from nianbao.app import queries as q
from nianbao.app import ui
from nianbao.app.i18n import (
    SEVERITY,
    STATUS,
    category_label,
    enum_label,
    level_label,
    narrative_metrics,
    scope_label,
    t,
)
from nianbao.app.labels import cells_text, reason_text, rule_name
from nianbao.app.report_view import flagged_cells, form_grid, place_text, source_line, table_version
from nianbao.app.review_view import show_similarity
from nianbao.app.safe import md_literal
from nianbao.form import FORMS
from nianbao.vocab import label, yes_no

ctx = ui.context()
lang = ctx.lang
st.title(t("page_report", lang))
if ctx.state != "ready":
    ui.require_data(ctx)
ui.scope_notice(ctx, failed_shown=True)

choices = q.report_choices(ctx.db, ctx.filters, st.text_input(t("search_agency", lang), key="report_search"))
wanted = st.query_params.get("report")
ids = list(choices["report_id"])
if wanted and wanted not in ids and not q.report_meta(ctx.db, wanted).empty:
    ids.insert(0, wanted)  # a shared link opens its report even outside the current filters
if not ids:
    ui.no_data(lang)
    st.stop()
labels = {r: f"{a} · {int(y) if pd.notna(y) else '—'} · {s}" for r, a, y, s in zip(
    choices["report_id"], choices["agency"], choices["year"], choices["source_name"], strict=True)}
# without a link, open on a completely read report, not a failed one
first_ok = next((r for r, s in zip(choices["report_id"], choices["status"], strict=True) if s == "ok"), ids[0])
rid = st.selectbox(t("choose_report", lang), ids, index=ids.index(wanted if wanted in ids else first_ok),
                   format_func=lambda r: labels.get(r, r), key=f"report_pick_{wanted}")
st.query_params["report"] = rid

meta = q.report_meta(ctx.db, rid)
if meta.empty:
    st.info(t("no_report", lang))
    st.stop()
m = meta.iloc[0]
facts = q.report_facts(ctx.db, rid)
findings = q.report_findings(ctx.db, rid)

# some reports print "名称：" before the title; it is not part of the name
st.subheader(md_literal(re.sub(r"^名称[:：\s]*", "", m["title"]) if pd.notna(m["title"]) else m["source_name"]))
cols = st.columns(4)
cols[0].metric(t("status", lang), enum_label(STATUS, m["status"], lang))
cols[1].metric(t("year", lang), int(m["report_year"]) if pd.notna(m["report_year"]) else "—")
cols[2].metric(t("form_version", lang), label("form_version", m["form_version"], lang))
cols[3].metric(t("findings_n", lang), len(findings))
if pd.notna(m["error"]) and m["error"]:
    st.warning(md_literal(reason_text(m["error"], lang)))  # a parse problem of the report, not an app error
if pd.notna(m["warnings"]) and "read by OCR" in m["warnings"]:
    st.info(t("read_by_ocr", lang))

with st.expander(t("metadata", lang), expanded=False):
    shown = {t("agency", lang): m["agency"], t("province", lang): m["province"], t("city", lang): m["city"],
             t("level", lang): level_label(m["level"], lang), t("category", lang): category_label(m["category"], lang),
             t("scope", lang): scope_label(m["scope"], lang),
             t("file", lang): m["source_name"], "SHA-256": m["source_sha256"], t("parser", lang): m["parser_version"]}
    st.dataframe(pd.DataFrame({"": list(shown), " ": [str(v) if pd.notna(v) else "—" for v in shown.values()]}),
                 hide_index=True)
    if pd.notna(m["warnings"]) and m["warnings"]:
        st.caption(t("warnings", lang))
        st.code(m["warnings"], language=None)

st.markdown(f"#### {t('tables', lang)}")
st.caption(t("cell_legend", lang))
st.caption(t("cell_click", lang))
flagged = flagged_cells(findings)
version_tabs = st.tabs([FORMS["2021"].table(k).number + "、" + (FORMS["2021"].table(k).en if lang == "en"
                                                               else FORMS["2021"].table(k).zh)
                        for k in ("active", "applications", "review_litigation")])
for tab, key in zip(version_tabs, ("active", "applications", "review_litigation"), strict=True):
    with tab:
        if not (facts["table_key"] == key).any():
            st.info(t("not_in_report", lang))
            continue
        version = table_version(facts, key, m["form_version"])
        grid, css, cells = form_grid(facts, key, version, lang, flagged)
        # the whole page width, so 表三's last columns (其他, 总计) need no sideways scrolling
        picked = st.dataframe(grid.style.apply(lambda _, css=css: css, axis=None), height=35 * len(grid) + 40,
                              width="stretch", on_select="rerun", selection_mode="single-cell",
                              key=f"grid_{rid}_{key}")
        for row_pos, col_name in picked.selection.cells:
            fact = cells.get((row_pos, col_name))
            where = f"{grid.index[row_pos][1]} · {col_name}"
            if fact is None:
                st.info(f"{where}：{t('cell_not_read', lang)}")
                continue
            line = source_line(m["source_text"], fact["place"], fact["raw"])
            st.info(t("cell_source", lang, where=where, raw=fact["raw"] or "—",
                      place=place_text(fact["place"], lang)) + (f"\n\n> {line}" if line else ""))

if not findings.empty:
    st.markdown(f"#### {t('findings_list', lang)}")
    st.dataframe(findings.assign(severity=findings["severity"].map(lambda s: enum_label(SEVERITY, s, lang)),
                                 rule_id=findings["rule_id"].map(lambda r: rule_name(r, lang)),
                                 message=findings["message_en" if lang == "en" else "message_zh"],
                                 cells=findings["cells"].map(lambda c: cells_text(c, lang)))[
        ["severity", "rule_id", "message", "cells"]], hide_index=True,
        column_config={"severity": t("severity", lang), "rule_id": t("rule", lang), "message": t("message", lang),
                       "cells": t("cells", lang)})
show_similarity(ctx, rid)  # 雷同: side by side with the previous report (issue 14)
narrative = q.report_narrative(ctx.db, rid)
if not narrative.empty:
    st.markdown(f"#### {t('narrative_counts', lang)}")
    names = narrative_metrics()
    st.dataframe(narrative.assign(key=narrative["key"].map(lambda k: names.get(k, (k, k))[1 if lang == "en" else 0]),
                                  approximate=narrative["approximate"].map(lambda v: yes_no(v, lang)))[
        ["key", "value_text", "approximate", "sentence"]], hide_index=True,
        column_config={"key": t("metric", lang), "value_text": t("value", lang),
                       "approximate": t("approximate", lang), "sentence": t("sentence", lang)})

left, right = st.columns(2)
with left:
    st.markdown(f"#### {t('sections', lang)}")
    for _, s in q.report_sections(ctx.db, rid).iterrows():
        with st.expander(md_literal(s["heading"])):
            st.text(s["text"])
with right:
    st.markdown(f"#### {t('source_text', lang)}")
    with st.container(height=520, border=True):  # scrolls beside the sections
        st.text(m["source_text"] or "")

d1, d2 = st.columns(2)
d1.download_button(t("download_source", lang), data=lambda: q.report_source(ctx.db, rid) or b"",
                   file_name=m["source_name"] or f"{rid}.bin", on_click="ignore", key="dl_source", width="stretch")
parsed = facts[["table_key", "row_key", "col_key", "kind", "value_text", "raw", "place"]]
d2.download_button(t("download_parsed", lang), data=lambda: parsed.to_csv(index=False).encode("utf-8-sig"),
                   file_name=f"{rid}_values.csv", mime="text/csv", on_click="ignore", key="dl_parsed",
                   width="stretch")
