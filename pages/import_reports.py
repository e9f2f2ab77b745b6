"""导入报告 Import reports: upload files, preview each parse (metadata, findings), then load."""

import shutil
from pathlib import Path

import pandas as pd
import streamlit as st

from nianbao.app import ui
from nianbao.app.auth import require_admin
from nianbao.app.i18n import STATUS, enum_label, t
from nianbao.app.safe import md_literal
from nianbao.check import check_report
from nianbao.debris import temp_dir
from nianbao.intake import batch_reason, reject_reason
from nianbao.lock import LockBusy
from nianbao.pipeline import ingest
from nianbao.worker import parse_bytes_bounded

ctx = ui.context()
lang = ctx.lang
st.title(t("page_import", lang))
require_admin(lang)  # writes need an admin; without one configured the page says how and stops

st.caption(t("import_target", lang, path=ctx.db))
files = st.file_uploader(t("upload", lang), accept_multiple_files=True, key="import_files",
                         type=["txt", "md", "html", "htm", "shtml", "pdf", "docx", "doc", "wps"])
manifest = st.file_uploader(t("upload_manifest", lang), type=["csv"], key="import_manifest")
if not files:
    st.stop()
too_big = batch_reason([up.size for up in files])
if too_big:
    st.error(md_literal(too_big))
    st.stop()
rejected = {up.name: reason for up in files if (reason := reject_reason(up.getvalue(), up.name))}
for name, reason in rejected.items():
    st.error(md_literal(t("import_rejected", lang, file=name, reason=reason)))
files = [up for up in files if up.name not in rejected]
if not files:
    st.stop()

st.subheader(t("preview", lang))
rows = []
for up in files:
    report = parse_bytes_bounded(up.getvalue(), up.name)  # in a worker, under the time and memory budget
    findings = check_report(report, None)
    m = report.metadata
    rows.append({t("file", lang): up.name, t("status", lang): enum_label(STATUS, report.status, lang),
                 t("agency", lang): m.agency, t("year", lang): m.report_year,
                 t("form_version", lang): report.form_version, t("facts_n", lang): len(report.facts),
                 t("findings_n", lang): len(findings), t("reason", lang): report.error or ""})
    if report.status == "failed":
        st.error(md_literal(t("import_failed_file", lang, file=up.name, error=report.error)))
    elif findings:
        with st.expander(f"{md_literal(up.name)} · {t('findings_n', lang)} {len(findings)}"):
            for f in findings:
                st.write(f"- **{f.rule_id}** ({f.severity}) "
                         f"{md_literal(f.message_en if lang == 'en' else f.message_zh)}")
st.dataframe(pd.DataFrame(rows), hide_index=True)

if st.button(t("confirm_import", lang, n=len(files)), type="primary", key="import_confirm"):
    tmp = temp_dir("upload")  # one folder per upload: sessions share the process
    try:
        paths = []
        for up in files:
            path = Path(tmp) / Path(up.name).name
            path.write_bytes(up.getvalue())
            paths.append(path)
        manifest_path = None
        if manifest is not None:
            manifest_path = Path(tmp) / "manifest.csv"
            manifest_path.write_bytes(manifest.getvalue())
        with st.spinner("…"):
            try:
                outcomes = ingest(paths, ctx.db, manifest_path, wait=300,
                                  on_wait=lambda who: st.info(md_literal(t("import_waiting", lang, holder=who))))
            except LockBusy:
                st.error(t("import_busy", lang))
                st.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    st.cache_data.clear()  # the database file was swapped: new mtime, fresh queries
    failed = [o for o in outcomes if o.action == "failed"]
    st.success(t("import_done", lang, loaded=len(outcomes) - len(failed), failed=len(failed)))
    for o in failed:
        st.error(md_literal(t("import_failed_file", lang, file=o.file, error=o.message)))
    st.dataframe(pd.DataFrame([o.__dict__ for o in outcomes]), hide_index=True)
