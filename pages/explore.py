"""数据浏览与导出 Explore & export: browse a dataset page by page (sorted and paged in SQL),
download the whole filtered set, read the data dictionary."""

import math

import streamlit as st

from nianbao.app import datasets as ds
from nianbao.app import queries as q
from nianbao.app import ui
from nianbao.app.i18n import t
from nianbao.app.labels import label_frame
from nianbao.vocab import label

PAGE_SIZE = 50

ctx = ui.context()
lang = ctx.lang
st.title(t("page_explore", lang))
ui.require_data(ctx)

dataset = st.radio(t("dataset", lang), ds.DATASETS, horizontal=True, key="explore_dataset",
                   format_func=lambda d: t(f"ds_{d}", lang))
c1, c2, c3, c4 = st.columns([3, 3, 1, 1])
search = c1.text_input(t("search_agency", lang), key="explore_search")
sortable = ds.sortable_columns(dataset)
sort_labels = dict(zip(sortable, ds.headers(dataset, sortable, lang), strict=True))
sort = c2.selectbox(t("sort_by", lang), [None, *sortable], key=f"explore_sort_{dataset}",
                    format_func=lambda c: "—" if c is None else sort_labels[c])
descending = c3.toggle(t("descending", lang), key="explore_desc")
total = ds.count_rows(ctx.db, ctx.filters, dataset, search)
pages = max(1, math.ceil(total / PAGE_SIZE))
page = c4.number_input(t("page_n", lang), 1, pages, 1, key=f"explore_page_{dataset}")
st.caption(t("rows_total", lang, n=total, page=page, pages=pages))
if total == 0:
    ui.no_data(lang)
else:
    rows = ds.fetch_rows(ctx.db, ctx.filters, dataset, sort, descending, PAGE_SIZE, (page - 1) * PAGE_SIZE, search)
    # the report id is in every export; on screen the agency and year say enough
    raw = rows.drop(columns="report_id")
    shown = label_frame(raw, lang)
    if "metric" in raw.columns:
        shown["metric"] = ds.localise(raw, dataset, lang).iloc[:, list(raw.columns).index("metric")].to_numpy()
    shown.columns = ds.headers(dataset, list(raw.columns), lang)
    st.dataframe(shown, hide_index=True, height=min(38 * len(rows) + 40, 720))
    ui.download_buttons(ctx, dataset, key=f"explore_dl_{dataset}")

with st.expander(t("dictionary", lang)):
    d = q.data_dictionary(ctx.db)
    shown = label_frame(d, lang).assign(
        name=d["name_en" if lang == "en" else "name_zh"],
        versions=d["versions"].map(lambda v: "、".join(label("form_version", x, lang) for x in str(v).split(","))
                                   if isinstance(v, str) else "—"))
    st.dataframe(shown[["table_key", "row_key", "col_key", "name", "unit", "versions"]], hide_index=True,
                 column_config={"table_key": t("dict_table", lang), "row_key": t("dict_row", lang),
                                "col_key": t("dict_col", lang), "name": t("metric", lang),
                                "unit": t("dict_unit", lang), "versions": t("form_version", lang)})
