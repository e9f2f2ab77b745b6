"""导入报告 Import reports: upload files, preview each parse (metadata, findings), then load."""

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import streamlit as st

from nianbao.app import ui
from nianbao.app.auth import require_admin
from nianbao.app.db import clear_results
from nianbao.app.i18n import SEVERITY, STATUS, enum_label, t
from nianbao.app.labels import reason_text, rule_name
from nianbao.app.safe import md_literal
from nianbao.check import check_report
from nianbao.debris import temp_dir
from nianbao.intake import batch_reason, reject_reason
from nianbao.lock import LockBusy
from nianbao.pipeline import ingest
from nianbao.vocab import MISSING, label
from nianbao.worker import parse_bytes_bounded

ctx = ui.context()
lang = ctx.lang
st.title(t("page_import", lang))
require_admin(lang)  # writes need an admin; without one configured the page says how and stops


@st.cache_data(max_entries=200, show_spinner=False)
def preview(sha256: str, name: str, _data: bytes) -> dict:
    """One file's parse preview, cached by content: a rerun (any click) does not parse again.
    The parse runs in a worker under the time and memory budget."""
    report = parse_bytes_bounded(_data, name)
    findings = check_report(report, None)
    m = report.metadata
    return {"status": report.status, "agency": m.agency, "year": m.report_year, "form": report.form_version,
            "facts": len(report.facts), "error": report.error or "",
            "findings": [(f.rule_id, f.severity, f.message_zh, f.message_en) for f in findings]}


def show_outcomes(done: list[dict]) -> None:
    counts = {a: sum(o["action"] == a for o in done) for a in ("loaded", "replaced", "unchanged", "held", "failed")}
    st.success(t("import_counts", lang, **counts))
    for o in done:
        if o["action"] == "failed":
            st.error(md_literal(t("import_failed_file", lang, file=o["file"], error=reason_text(o["message"], lang))))
    st.dataframe(pd.DataFrame({
        t("file", lang): [o["file"] for o in done],
        t("status", lang): [enum_label(STATUS, o["status"], lang) for o in done],
        t("action", lang): [label("action", o["action"], lang) for o in done],
        t("message", lang): [reason_text(o["message"], lang) for o in done]}), hide_index=True)


# the result of the last import, shown after the rerun that refreshes the sidebar count
done = st.session_state.pop("import_outcomes", None)
if done is not None:
    show_outcomes(done)

st.caption(t("import_target", lang, path=ctx.db))
# Streamlit's uploader box has no translation setting ("Upload", "200MB per file" stay in
# English); this line says the same in Chinese. The size limit is server.maxUploadSize.
st.caption(t("upload_how", lang, mb=st.get_option("server.maxUploadSize")))
files = st.file_uploader(t("upload", lang), accept_multiple_files=True, key="import_files",
                         type=["txt", "md", "html", "htm", "shtml", "pdf", "docx", "doc", "wps",
                               "png", "jpg", "jpeg", "tif", "tiff"])
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
    data = up.getvalue()
    p = preview(hashlib.sha256(data).hexdigest(), up.name, data)
    rows.append({t("file", lang): up.name, t("status", lang): enum_label(STATUS, p["status"], lang),
                 t("agency", lang): p["agency"] or MISSING, t("year", lang): str(p["year"] or MISSING),
                 t("form_version", lang): label("form_version", p["form"], lang), t("facts_n", lang): p["facts"],
                 t("findings_n", lang): len(p["findings"]), t("reason", lang): reason_text(p["error"], lang)
                 if p["error"] else ""})
    if p["status"] == "failed":
        st.error(md_literal(t("import_failed_file", lang, file=up.name, error=reason_text(p["error"], lang))))
    elif p["findings"]:
        with st.expander(f"{md_literal(up.name)} · {t('findings_n', lang)} {len(p['findings'])}"):
            for rule, severity, zh, en in p["findings"]:
                st.write(f"- **{rule_name(rule, lang)}**（{enum_label(SEVERITY, severity, lang)}）"
                         f"{md_literal(en if lang == 'en' else zh)}")
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
        with st.spinner(t("importing", lang)):
            try:
                outcomes = ingest(paths, ctx.db, manifest_path, wait=300,
                                  on_wait=lambda who: st.info(md_literal(t("import_waiting", lang, holder=who))))
            except LockBusy:
                st.error(t("import_busy", lang))
                st.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    clear_results()  # the database file was swapped: new mtime, fresh queries
    done = [o.__dict__ for o in outcomes]
    show_outcomes(done)  # at once, in case the rerun below is not taken
    st.session_state["import_outcomes"] = done
    st.rerun()  # the sidebar and its report count are drawn before this page: draw them again
