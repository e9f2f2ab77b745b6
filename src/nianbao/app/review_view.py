"""Streamlit pieces the review pages share: a report's grade ladder, its 雷同 side-by-side view,
and the reviewer-decision panel. No SQL here (``review_queries``), no writing except through
:func:`nianbao.store.decisions.record_decision` behind the admin gate."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nianbao.app import review_queries as rq
from nianbao.app.auth import admin_user
from nianbao.app.db import clear_results
from nianbao.app.i18n import SEVERITY, enum_label, t
from nianbao.app.review_charts import highlighted_pair
from nianbao.check.grade import STEPS
from nianbao.store.decisions import DECISIONS, record_decision


def ladder_table(lang: str) -> pd.DataFrame:
    """The ladder as declared: grade, condition, rules."""
    return pd.DataFrame({t("grade", lang): [s.grade for s in STEPS],
                         t("grade_condition", lang): [s.en if lang == "en" else s.zh for s in STEPS],
                         t("grade_rules", lang): ["、".join(s.blocking) or "—" for s in STEPS]})


def show_ladder(ctx, rid: str, hide_dismissed: bool) -> None:
    """Each step of one report's ladder: passed, or the findings that stopped it."""
    lang = ctx.lang
    grade = rq.report_ladder(ctx.db, ctx.filters, rid, hide_dismissed)
    if grade is None:
        st.info(t("no_report", lang))
        return
    st.markdown(f"**{t('grade', lang)}：{grade.grade or t('grade_none', lang)}**")
    reached = True
    for step in grade.steps:
        name = step.step.en if lang == "en" else step.step.zh
        if not reached:
            st.markdown(f"- {step.step.grade} · {name} {t('step_not_reached', lang)}")
            continue
        mark = "✓" if step.passed else "✗"  # plain marks: emoji fonts are not always installed
        state = t("step_passed" if step.passed else "step_failed", lang)
        st.markdown(f"- {mark} **{step.step.grade}** · {name} — {state}")
        for ref in step.because:
            st.markdown(f"    - {ref.rule_id}（{enum_label(SEVERITY, ref.severity, lang)}）{ref.message}")
        note = step.note_en if lang == "en" else step.note_zh
        if note:
            st.markdown(f"    - {note}")
        reached = step.passed


def show_similarity(ctx, rid: str) -> None:
    """Shares per section and the side-by-side texts with the repeated passages highlighted."""
    lang = ctx.lang
    st.markdown(f"#### {t('similarity_title', lang)}")
    shares = rq.similarity_of(ctx.db, rid)
    if shares.empty:
        st.caption(t("similarity_none", lang))
        return
    year = int(shares["previous_year"].iloc[0])
    view = shares.assign(section=shares["section"].map(lambda s: t("whole_text", lang) if s == "all" else s),
                         share=shares["share"] * 100)
    st.dataframe(view[["section", "chars", "same_chars", "share"]], hide_index=True, column_config={
        "section": t("similarity_section", lang), "chars": t("similarity_chars", lang),
        "same_chars": st.column_config.NumberColumn(t("similarity_share", lang) + ("（字）" if lang == "zh" else
                                                                                     " (chars)")),
        "share": st.column_config.ProgressColumn(t("similarity_share", lang) + " %", min_value=0, max_value=100,
                                                 format="%.1f%%")})
    sections = [s for s in shares["section"] if s != "all"]
    if not sections:
        return
    pick = st.selectbox(t("similarity_pick", lang), sections, key=f"sim_section_{rid}")
    this, before = rq.section_pair(ctx.db, rid, shares["previous_id"].iloc[0], pick)
    left_html, right_html = highlighted_pair(this, before)
    st.caption(t("similarity_legend", lang))
    left, right = st.columns(2)
    for col, title, html in ((left, t("similarity_this", lang), left_html),
                             (right, t("similarity_previous", lang, year=year), right_html)):
        with col:
            st.markdown(f"**{title}**")
            with st.container(height=360, border=True):
                st.html(html)  # escaped text and our highlight spans: no Markdown, no autolinks


def _decision_label(row, lang: str) -> str:
    if pd.isna(row["decision"]) or not row["decision"]:
        return t("decision_none", lang)
    word = DECISIONS[row["decision"]][1 if lang == "en" else 0]
    return f"{word}（{t('decision_stale', lang)}）" if bool(row["stale"]) else word


def show_decisions(ctx, rid: str) -> None:
    """The report's findings with their decisions, and the form to decide (admins only)."""
    lang = ctx.lang
    st.markdown(f"#### {t('decisions', lang)}")
    findings = rq.findings_with_decisions(ctx.db, ctx.filters, rid)
    findings = findings[findings["severity"] != "info"].reset_index(drop=True)
    if findings.empty:
        st.success(t("no_findings", lang))
        return
    view = findings.assign(state=[_decision_label(r, lang) for _, r in findings.iterrows()],
                           message=findings["message_en" if lang == "en" else "message_zh"],
                           severity=findings["severity"].map(lambda s: enum_label(SEVERITY, s, lang)))
    st.dataframe(view[["rule_id", "severity", "message", "state", "comment", "reviewer", "decided_at"]],
                 hide_index=True, column_config={
                     "rule_id": t("rule", lang), "severity": t("severity", lang), "message": t("reason", lang),
                     "state": t("decision", lang), "comment": t("decision_comment", lang),
                     "reviewer": t("reviewer", lang), "decided_at": t("decided_at", lang)})
    user = admin_user(lang)
    if user is None:
        return
    # options are the shown labels themselves (numbered, so unique), mapped back after the form
    labels = {f"{i + 1}. {r['rule_id']} · {str(r['message_zh' if lang == 'zh' else 'message_en'])[:60]}": i
              for i, r in findings.iterrows()}
    words = {t(f"decision_{d}", lang): d for d in DECISIONS}
    with st.form(f"decide_{rid}"):
        picked = st.selectbox(t("decision_pick", lang), list(labels), key="decide_pick")
        word = st.radio(t("decision", lang), list(words), horizontal=True, key="decide_choice")
        comment = st.text_area(t("decision_comment", lang), key="decide_comment")
        saved = st.form_submit_button(t("decision_save", lang))
    if saved:
        row, decision = findings.iloc[labels[picked]], words[word]
        record_decision(ctx.db, row["identity"], row["rule_id"], row["cells"] or "", row["numbers"], decision,
                        comment, user)
        clear_results()
        st.success(t("decision_saved", lang, decision=t(f"decision_{decision}", lang)))
        st.rerun()
