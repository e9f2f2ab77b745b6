"""年报评级 Grades: the ladder E → A per report, grades per agency over the years, the distribution
per region and category, each grade linked to the findings that decided it; decisions; the PDF."""

import pandas as pd
import streamlit as st

from nianbao.app import review_queries as rq
from nianbao.app import ui
from nianbao.app.i18n import category_label, t
from nianbao.app.labels import year_text
from nianbao.app.review_charts import grade_distribution
from nianbao.app.review_pdf import build_review_pdf
from nianbao.app.review_view import ladder_table, show_decisions, show_ladder, show_similarity

ctx = ui.context()
lang = ctx.lang
st.title(t("page_grades", lang))
ui.require_data(ctx)
st.caption(t("grades_intro", lang))
with st.expander(t("grade_ladder", lang)):
    st.dataframe(ladder_table(lang), hide_index=True)
hide = st.toggle(t("hide_dismissed", lang), key="grades_hide_dismissed", help=t("hide_dismissed_help", lang))

grades = rq.report_grades(ctx.db, ctx.filters, hide)
if grades.empty:
    ui.no_data(lang)
    st.stop()
grades["region"] = grades["city"].fillna(grades["province"]).fillna(t("unknown", lang))
grades["category_name"] = grades["category"].map(lambda c: category_label(c, lang))
left, right = st.columns(2)
with left:
    ui.plot(grade_distribution(grades, "region", t("grade_by_region", lang), lang), key="grades_region")
with right:
    ui.plot(grade_distribution(grades, "category_name", t("grade_by_category", lang), lang), key="grades_category")

st.subheader(t("grades_by_agency", lang))
wide = grades.pivot_table(index="agency", columns="year", values="grade", aggfunc="first").fillna("—")
wide.columns = [str(int(c)) for c in wide.columns]
wide.index.name = t("agency", lang)
st.dataframe(wide, height=min(600, 35 * len(wide) + 40))

st.subheader(t("grade_reports", lang))
grades["shown_grade"] = grades["grade"].where(grades["grade"].notna(), "—")  # unreadable: no grade
grades["link"] = [f"grades?report={r}&grade={g}" for r, g in zip(grades["report_id"], grades["shown_grade"],
                                                                 strict=True)]
shown = grades.sort_values(["grade", "agency", "year"], na_position="last")  # unreadable files last
shown = shown.assign(year_shown=shown["year"].map(year_text), stopped_at=shown["stopped_at"].fillna("—"),
                     deciding_rules=shown["deciding_rules"].replace("", "—"))
st.dataframe(shown[["link", "agency", "year_shown", "region", "category_name", "stopped_at", "deciding_rules"]],
             hide_index=True, column_config={
                 "link": st.column_config.LinkColumn(t("grade", lang), display_text=r"grade=(.+)$"),
                 "agency": t("agency", lang), "year_shown": t("year", lang),
                 "region": t("region", lang), "category_name": t("category", lang),
                 "stopped_at": t("stopped_at", lang), "deciding_rules": t("deciding_rules", lang)})

ids = list(shown["report_id"])
wanted = st.query_params.get("report")
labels = {r: f"{g} · {a} · {int(y) if pd.notna(y) else '—'}"
          for r, g, a, y in zip(shown["report_id"], shown["shown_grade"], shown["agency"], shown["year"], strict=True)}
rid = st.selectbox(t("why_grade", lang), ids, index=ids.index(wanted) if wanted in ids else 0,
                   format_func=labels.get, key=f"grades_pick_{wanted}")
show_ladder(ctx, rid, hide)
st.page_link("pages/report.py", label=t("open_report", lang), icon=":material/open_in_new:",
             query_params={"report": rid})
show_similarity(ctx, rid)
show_decisions(ctx, rid)

st.subheader(t("download_review", lang))
regions = sorted({*grades["province"].dropna(), *grades["city"].dropna()})
region = st.selectbox(t("review_region", lang), [None, *regions], key="review_pdf_region",
                      format_func=lambda r: t("review_all_regions", lang) if r is None else r)
pdf_year = ui.year_select(sorted(int(y) for y in grades["year"].dropna().unique()), lang, "review_pdf_year")
st.download_button(t("download_review", lang), data=lambda: build_review_pdf(ctx.db, pdf_year, region, ctx.filters),
                   file_name=f"nianbao-review-{region or 'all'}-{pdf_year}.pdf", mime="application/pdf",
                   on_click="ignore", key="review_pdf")
