"""年报汇总 Coverage: expected agencies × years, which reports are loaded and which are missing;
one year's agencies without a report; search by agency name."""

import streamlit as st

from nianbao.app import review_queries as rq
from nianbao.app import ui
from nianbao.app.i18n import level_label, t
from nianbao.app.review_charts import coverage_bars

ctx = ui.context()
lang = ctx.lang
st.title(t("page_coverage", lang))
ui.require_data(ctx)
st.caption(t("coverage_intro", lang))

grid, years = rq.coverage(ctx.db, ctx.filters)
if grid.empty or not years:
    ui.no_data(lang)
    st.stop()
query = st.text_input(t("coverage_search", lang), key="coverage_search").strip()
if query:
    grid = grid[grid["agency"].fillna("").str.contains(query, regex=False)]
    if grid.empty:
        ui.no_data(lang)
        st.stop()
ui.plot(coverage_bars(grid, lang), key="coverage_bars")

marks = {"ok": "✓", "partial": t("coverage_partial", lang), "failed": t("coverage_failed", lang)}
cell = grid.assign(mark=grid["status"].map(marks).fillna(t("coverage_missing", lang)))
st.subheader(t("coverage_matrix", lang))
matrix = cell.pivot_table(index="agency", columns="year", values="mark", aggfunc="first")
matrix.columns = [str(int(c)) for c in matrix.columns]
matrix.index.name = t("agency", lang)
missing_word = t("coverage_missing", lang)
st.dataframe(matrix.style.map(lambda v: "background-color:#fde2e1;color:#9b1c1c" if v == missing_word else ""),
             height=min(600, 35 * len(matrix) + 40))

year = st.selectbox(t("coverage_year", lang), years, index=len(years) - 1, key="coverage_year")
absent = cell[(cell["year"] == year) & cell["report_id"].isna()].drop_duplicates("agency_key")
if absent.empty:
    st.success(t("coverage_all_present", lang, year=year))
else:
    st.warning(t("coverage_missing_n", lang, year=year, n=len(absent)))
    sources = {"seen": t("coverage_seen", lang), "roster": t("coverage_roster", lang)}
    st.dataframe(absent.assign(level=absent["level"].map(lambda v: level_label(v, lang)),
                               source=absent["source"].map(sources))[
        ["agency", "province", "city", "county", "level", "source"]].fillna("—"), hide_index=True,
        column_config={"agency": t("agency", lang), "province": t("province", lang), "city": t("city", lang),
                       "county": t("county", lang),
                       "level": t("level", lang), "source": t("coverage_source", lang)})
