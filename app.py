"""nianbao dashboard entrypoint: page config, shared sidebar filters, navigation, footer.

Run with ``streamlit run app.py``; the database is ``$NIANBAO_DB`` (default data/nianbao.duckdb).
"""

from __future__ import annotations

import streamlit as st

from nianbao.app import queries as q
from nianbao.app import ui
from nianbao.app.auth import require_viewer
from nianbao.app.db import DatabaseBusy
from nianbao.app.filters import Filters
from nianbao.app.i18n import t

st.set_page_config(page_title="政府信息公开年报 · nianbao", page_icon="📊", layout="wide")
ui.leave_pages_folder_mode()

PAGES = {
    "section_analysis": [("summary", "page_summary", ":material/dashboard:"),
                         ("compare", "page_compare", ":material/bar_chart:"),
                         ("trends", "page_trends", ":material/show_chart:"),
                         ("applications", "page_applications", ":material/inbox:"),
                         ("review", "page_review", ":material/gavel:")],
    "section_data": [("quality", "page_quality", ":material/fact_check:"),
                     ("report", "page_report", ":material/description:"),
                     ("explore", "page_explore", ":material/table_view:"),
                     ("import_reports", "page_import", ":material/upload_file:")],
    "section_review": [("grades", "page_grades", ":material/grade:"),
                       ("coverage", "page_coverage", ":material/checklist:")],
}

lang = ui.choose_language()
require_viewer(lang)  # an optional password for the whole app (README: access control)
# navigation first: until st.navigation runs, Streamlit's sidebar lists the pages/ file names,
# which is what a first start showed during the long demo build
ui.route_default_page({stem for pages in PAGES.values() for stem, _, _ in pages}, "summary", lang)
navigation = st.navigation({
    t(section, lang): [st.Page(f"pages/{stem}.py", title=t(title, lang), icon=icon, url_path=stem,
                               default=stem == "summary")
                       for stem, title, icon in pages]
    for section, pages in PAGES.items()
})
try:  # a write in place holds the file for a moment; a reader that waited too long says so, in words
    db, state = ui.ensure_database(lang)
    ctx = ui.Ctx(db, lang, Filters(), state)
    if state == "ready":
        ctx.filters = ui.sidebar_filters(db, lang)
        ctx.summary = q.database_summary(db, ctx.filters)
        if not ctx.summary["total"]:
            ctx.state = "empty"
        elif ctx.summary["demo"]:
            st.warning(t("footer_demo", lang), icon="⚠️")
    ui.set_context(ctx)
    ui.footer(ctx)

    navigation.run()
except DatabaseBusy:
    st.warning(t("db_busy", lang), icon="⏳")
    st.stop()
