"""Every UI string in one place: 中文 is the default, English the alternative."""

from __future__ import annotations

from nianbao import vocab
from nianbao.app.review_i18n import REVIEW_STRINGS
from nianbao.parse.narrative import NARRATIVE_METRICS

LANGS = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {
    # app frame
    "app_title": ("政府信息公开年报数据", "Disclosure annual reports"),
    "language": ("语言 / Language", "语言 / Language"),
    "filters": ("筛选", "Filters"),
    "years": ("年度", "Years"),
    "province": ("省份", "Province"),
    "city": ("城市", "City"),
    "level": ("层级", "Level"),
    "category": ("机构类别", "Agency category"),
    "agency": ("机构", "Agency"),
    "agency_help": ("可输入名称搜索", "Type to search"),
    "scope": ("范围", "Scope"),
    "form_version": ("表格格式", "Form version"),
    "reset_filters": ("清除筛选", "Reset filters"),
    "share_hint": ("当前筛选已写入网址，可复制链接分享。", "The filters are in the URL: copy it to share this view."),
    "footer_demo": ("示例数据，非真实统计（合成的演示数据库）", "Synthetic demo data — not real statistics"),
    "footer_user": ("数据来源：您的数据库 {path}", "Data source: your database {path}"),
    "footer_count": ("已载入 {n} 份报告（筛选后 {m} 份）", "{n} reports loaded ({m} match the filters)"),
    "db_missing_how": (
        "请先构建数据库：运行 `nianbao demo` 生成示例数据，或运行 `nianbao ingest 报告文件夹 --db {path}` 导入报告；"
        "也可设置环境变量 NIANBAO_DB 指向已有数据库。",
        "Build the database first: run `nianbao demo` for demo data, or `nianbao ingest REPORT_FOLDER --db {path}`; "
        "or point the NIANBAO_DB environment variable at an existing database."),
    "db_building": ("正在生成示例数据库…", "Building the demo database…"),
    "db_built": ("示例数据库已生成：{what}", "Demo database built: {what}"),
    "db_upgrading": ("正在升级数据库（由旧版本生成，只需一次）…",
                     "Upgrading the database (written by an older version, once)…"),
    "db_upgrade_failed": ("数据库 {db} 需要升级，但无法写入：{cause}。"
                          "请在项目目录运行 nianbao ingest 或 nianbao demo --force。",
                          "The database {db} needs an upgrade but could not be written: {cause}. "
                          "Run nianbao ingest or nianbao demo --force in the project."),
    "db_busy": ("数据库正在更新（导入或审核决定正在写入），请稍后刷新页面。",
                "The database is being updated (an import or a review decision is being written); "
                "refresh the page in a moment."),
    "db_build_failed": ("示例数据库生成失败", "The demo database could not be built"),
    "db_empty": ("数据库中还没有报告。请在“导入报告”页上传报告，或运行 `nianbao ingest`。",
                 "The database has no reports yet. Upload reports on the Import page, or run `nianbao ingest`."),
    "no_data": ("当前筛选条件下没有数据。请放宽左侧的筛选条件（年度、地区、层级、类别、机构）。",
                "No data match the current filters. Widen the filters on the left (years, region, level, category, "
                "agency)."),
    "unknown": ("（未识别）", "(unknown)"),
    "all": ("全部", "All"),
    "choose": ("请选择（可多选）", "Choose options"),
    "rule": ("规则", "Rule"),
    "cells": ("涉及单元格", "Cells"),
    # pages
    "page_summary": ("总览", "Summary"),
    "page_compare": ("部门对比", "Compare agencies"),
    "page_trends": ("年度趋势", "Trends"),
    "page_applications": ("依申请公开", "Applications"),
    "page_review": ("复议诉讼", "Review & litigation"),
    "page_quality": ("数据质量", "Data quality"),
    "page_report": ("报告详情", "Report detail"),
    "page_explore": ("数据浏览与导出", "Explore & export"),
    "page_import": ("导入报告", "Import reports"),
    "section_analysis": ("分析", "Analysis"),
    "section_data": ("数据", "Data"),
    # summary
    "kpi_year": ("{year} 年度关键指标（与上年相比）", "Key figures for {year} (change vs previous year)"),
    "kpi_reports": ("报告数", "Reports"),
    "kpi_licensing": ("行政许可（件）", "Licensing decisions"),
    "kpi_penalty": ("行政处罚（件）", "Penalty decisions"),
    "kpi_coercion": ("行政强制（件）", "Coercion decisions"),
    "kpi_received": ("新收申请（件）", "Applications received"),
    "kpi_disclosure_rate": ("公开率", "Disclosure rate"),
    "kpi_disclosure_help": ("（予以公开＋部分公开）÷ 办理结果总计", "(granted + partially granted) ÷ total handled"),
    "kpi_review": ("行政复议（件）", "Administrative reviews"),
    "kpi_litigation": ("行政诉讼（件）", "Lawsuits"),
    "kpi_correction_rate": ("纠错率", "Correction rate"),
    "kpi_correction_help": ("复议和诉讼中“结果纠正”÷（总计−尚未审结）", "corrected ÷ (total − pending), review and "
                            "litigation"),
    "kpi_published": ("主动公开信息（条）", "Items published"),
    "trend_title": ("主要指标年度走势", "Headline figures by year"),
    "top_title": ("{year} 年各项指标前十名机构", "Top agencies by headline figure, {year}"),
    "serious_findings": ("最需关注的数据问题", "Most serious data problems"),
    "no_findings": ("当前筛选范围内没有发现数据问题。", "No data problems found for the current filters."),
    "metric": ("指标", "Metric"),
    "year": ("年度", "Year"),
    # compare
    "rank_title": ("{metric}：{year} 年机构排名", "{metric}: agencies ranked, {year}"),
    "heatmap_title": ("{metric}：机构 × 年度", "{metric}: agency × year"),
    "category_title": ("{metric}：{year} 年同类机构比较（黑色竖线为类别中位数）",
                       "{metric}: within-category comparison, {year} (black tick = category median)"),
    "yoy_title": ("{metric}：{year} 年较上年变化", "{metric}: change from previous year to {year}"),
    "top_n": ("显示前 N 名", "Show top N"),
    "no_previous": ("没有上一年度的数据可比较。", "No previous-year data to compare."),
    # trends
    "trend_agencies": ("选择机构（不选则为筛选范围合计）", "Agencies (none = total of the filtered set)"),
    "trend_metrics": ("选择指标", "Metrics"),
    "total_filtered": ("筛选范围合计", "Filtered total"),
    "not_comparable": ("“{metric}”在 2019 格式和 2021 格式中含义不同，不能直接比较："
                       "两种格式的数据分开绘制，不连线。{detail}",
                       "“{metric}” means different things in the 2019 and 2021 forms: the two are drawn separately, "
                       "not joined. {detail}"),
    "only_in_form": ("“{metric}”仅见于 {versions} 格式。{detail}", "“{metric}” exists only in the {versions} form. "
                     "{detail}"),
    "other_form_has": ("另一格式中同一行为：{cells}。", "The other form's same row holds: {cells}."),
    # applications
    "applicants_title": ("新收申请：按申请人类型", "Applications received by applicant type"),
    "outcomes_title": ("办理结果（件）", "Outcomes of handled applications"),
    "sankey_title": ("{year} 年申请流向：新收＋上年结转 → 办理结果 → 结转下年", "Flow of applications, {year}: "
                     "new + carried over → outcome → carried forward"),
    "reasons_title": ("{year} 年不予公开、无法提供、不予处理的理由排名", "Reasons for refusal, {year}, ranked"),
    "sankey_unbalanced": ("注意：新收＋上年结转（{inflow:g} 件）≠ 办理总计＋结转下年（{outflow:g} 件），"
                          "部分报告数据不平衡。",
                          "Note: new + carried over ({inflow:g}) ≠ handled + carried forward ({outflow:g}); some "
                          "reports do not balance."),
    # review
    "review_cases_title": ("复议、诉讼案件数（件）", "Review and litigation cases"),
    "review_outcomes_title": ("{year} 年复议、诉讼结果", "Outcomes of review and litigation, {year}"),
    "correction_title": ("纠错率（%）", "Correction rate (%)"),
    "review_agency_title": ("{year} 年各机构复议、诉讼案件", "Review and litigation cases by agency, {year}"),
    # quality
    "findings_by_rule": ("按规则统计的问题", "Findings by rule"),
    "findings_by_agency": ("问题最多的机构", "Agencies with most findings"),
    "findings_by_year": ("按年度统计的问题", "Findings by year"),
    "problem_reports": ("解析失败或不完整的报告", "Failed or partial reports"),
    "findings_list": ("问题清单", "Findings"),
    "open_report": ("查看报告", "Open report"),
    "severity": ("严重程度", "Severity"),
    "status": ("状态", "Status"),
    "reason": ("原因", "Reason"),
    "count": ("数量", "Count"),
    # report
    "choose_report": ("选择报告", "Choose a report"),
    "metadata": ("基本信息", "Metadata"),
    "tables": ("统计表", "Tables"),
    "sections": ("正文", "Narrative sections"),
    "source_text": ("原文", "Source text"),
    "download_source": ("下载原始文件", "Download the original file"),
    "download_parsed": ("下载解析结果（CSV）", "Download parsed values (CSV)"),
    "cell_legend": ("空白单元格显示为空；“—”表示报告印为不适用（/、-）；0 为报告所印的零；"
                    "“？”表示未能准确读取或报告未印（原因见“基本信息”中的解析提示）。标红的单元格涉及检查发现的问题。",
                    "Blank cells stay empty; “—” means printed as not applicable (/ or -); 0 is a printed zero; "
                    "“?” means not read exactly or not printed (see the parse warnings under Metadata). "
                    "Cells in red are involved in a finding."),
    "no_report": ("没有找到该报告。", "Report not found."),
    "narrative_counts": ("正文所述发布数量", "Publication counts stated in the text"),
    "warnings": ("解析提示", "Parse warnings"),
    "not_in_report": ("报告中未找到此表。", "This table was not found in the report."),
    # explore
    "dataset": ("数据集", "Dataset"),
    "ds_facts": ("全部单元格（长表）", "All cells (long form)"),
    "ds_active": ("表二 主动公开（每份报告一行）", "Table 2 proactive disclosure (one row per report)"),
    "ds_applications": ("表三 依申请公开（每份报告一行）", "Table 3 applications (one row per report)"),
    "ds_review_litigation": ("表四 复议诉讼（每份报告一行）", "Table 4 review & litigation (one row per report)"),
    "ds_narrative": ("正文发布数量", "Narrative publication counts"),
    "sort_by": ("排序", "Sort by"),
    "descending": ("降序", "Descending"),
    "page_n": ("页码", "Page"),
    "rows_total": ("共 {n} 行，第 {page}/{pages} 页", "{n} rows, page {page} of {pages}"),
    "download_csv": ("下载 CSV（全部筛选结果）", "Download CSV (whole filtered set)"),
    "download_xlsx": ("下载 Excel（全部筛选结果）", "Download Excel (whole filtered set)"),
    "dictionary": ("数据字典", "Data dictionary"),
    "search_agency": ("按机构名称筛选", "Filter by agency name"),
    # import
    "upload": ("上传年报文件（txt、html、pdf、docx 等）", "Upload report files (txt, html, pdf, docx …)"),
    "upload_manifest": ("可选：清单文件 manifest.csv", "Optional manifest.csv"),
    "preview": ("解析预览", "Parse preview"),
    "confirm_import": ("确认导入 {n} 个文件", "Import {n} files"),
    "file": ("文件", "File"),
    "facts_n": ("单元格数", "Cells"),
    "findings_n": ("问题数", "Findings"),
    "import_failed_file": ("{file}：解析失败 — {error}", "{file}: failed — {error}"),
    "import_target": ("导入会写入当前数据库文件：{path}", "Imports write into the current database file: {path}"),
    # units and axes
    "unit_cases": ("件", "cases"),
    "unit_pct": ("%", "%"),
    "axis_value": ("数值", "Value"),
    "axis_agency": ("机构", "Agency"),
    "axis_reports": ("报告数（份）", "Reports"),
    "change": ("变化", "Change"),
    "median": ("中位数", "median"),
    "value": ("数值", "Value"),
    "reports_n": ("报告数", "Reports"),
    # exports that scale (CSV and Parquet written by DuckDB on click)
    "download_parquet": ("下载 Parquet（全部筛选结果，供分析）", "Download Parquet (whole filtered set, for analysis)"),
    "export_xlsx_limit": ("Excel 一张工作表最多 {limit:,} 行，此表有 {n:,} 行：请下载 CSV 或 Parquet，或缩小筛选范围",
                          "An Excel sheet holds at most {limit:,} rows and this table has {n:,}: download CSV or "
                          "Parquet, or narrow the filters"),
    "export_page_limit": ("此表有 {n:,} 行，网页下载最多 {limit:,} 行：请下载 Parquet、缩小筛选范围，或在命令行运行 "
                          "nianbao export", "This table has {n:,} rows and the page serves at most {limit:,}: "
                          "download Parquet, narrow the filters, or run nianbao export on the command line"),
    # issue 11: dashboard labels and notices (ux helper)
    "show_info": ("显示“提示”级别的记录（规则未能运行或未比较的说明）", "Show info notes (a rule could not run or "
                  "did not compare)"),
    "info_hidden": ("另有 {n} 条“提示”未显示。", "{n} info notes are hidden."),
    "no_problem_reports": ("当前筛选范围内没有解析失败或不完整的报告。", "No failed or partial reports for the current "
                           "filters."),
    "rule_name": ("规则名称", "Rule"),
    "rule_description": ("规则说明", "What the rule checks"),
    "sentence": ("出处句子", "Sentence"),
    "approximate": ("约数", "Approximate"),
    "parser": ("解析程序版本", "Parser version"),
    "message": ("说明", "Message"),
    "action": ("结果", "Action"),
    "findings_count_axis": ("问题数（条）", "Findings"),
    "cell_click": ("点击任一单元格，可查看它在原文中的位置和所印文字。",
                   "Click a cell to see where the source prints it."),
    "cell_source": ("{where}：原文印为“{raw}”，位置：{place}", "{where}: printed as “{raw}” at {place}"),
    "cell_not_read": ("此单元格未能读取（报告未印或无法准确读取）。", "This cell was not read (not printed or not "
                      "readable)."),
    "dict_table": ("表", "Table"),
    "dict_row": ("行", "Row"),
    "dict_col": ("列", "Column"),
    "dict_unit": ("单位", "Unit"),
    "import_counts": ("导入完成：新载入 {loaded} 个，替换旧版本 {replaced} 个，未变化（已在库中）{unchanged} 个，"
                      "另存为待定版本 {held} 个，未载入 {failed} 个。",
                      "Import finished: {loaded} loaded, {replaced} replaced, {unchanged} unchanged (already "
                      "loaded), {held} held beside the current version, {failed} not loaded."),
    "upload_how": ("把文件拖到下面的框里，或点框里的“Upload”（上传）按钮选择文件（可多选）；每个文件最大 {mb} MB"
                   "（框内“per file”即“每个文件”）。",
                   "Drag files into the box below or click “Upload” (several at once); at most {mb} MB per file."),
    "importing": ("正在导入…", "Importing…"),
    "page_unknown": ("没有名为“{name}”的页面，已打开总览。", "There is no page “{name}”; showing the summary."),
    "db_generating": ("正在生成合成报告文件（约需一分钟）…", "Generating the synthetic report files (about a minute)…"),
    "db_progress": ("已解析并检查 {done} / {total} 份报告", "{done} / {total} reports parsed and checked"),
    "left_out": ("本页依据 {shown} 份报告；未计入 {n} 份：{parts}。", "This page uses {shown} reports; {n} are left "
                 "out: {parts}."),
    "left_out_scope": ("{n} 份{scope}报告（在左侧“范围”中切换）", "{n} {scope} reports (switch Scope on the left)"),
    "left_out_failed": ("{n} 份解析失败（见“数据质量”页）", "{n} failed to parse (see Data quality)"),
    "left_out_filters": ("{n} 份不符合年度、地区等筛选条件", "{n} outside the year, region and other filters"),
    # OCR (scanned reports)
    "read_by_ocr": ("本报告是扫描件，数字由OCR识别，并经表内勾稽关系核验；无法核验的数字未载入（见解析提示）。",
                    "This report is a scan: its numbers were read by OCR and checked against the table's "
                    "arithmetic; numbers that could not be verified were not loaded (see the parse warnings)."),
    # access control, upload limits and concurrent imports (issue 12)
    "auth_password": ("密码", "Password"),
    "auth_login": ("登录", "Log in"),
    "auth_wrong": ("密码不正确。", "Wrong password."),
    "auth_viewer_title": ("请输入查看密码", "Password required"),
    "auth_admin_needed": ("导入会修改数据库，需要管理员登录。",
                          "Importing changes the database: an admin login is needed."),
    "auth_oidc_login": ("通过单位账号登录", "Log in with your organisation account"),
    "auth_not_configured": (
        "导入功能未启用：尚未配置管理员。请运行 `nianbao hash-password` 生成密码哈希，写入 "
        "`.streamlit/secrets.toml` 的 `[nianbao]` 部分（`admin_password_hash = \"…\"`）后重启。详见 README。",
        "Importing is disabled: no admin is configured. Run `nianbao hash-password` and put the hash into "
        "`.streamlit/secrets.toml` under `[nianbao]` (`admin_password_hash = \"…\"`), then restart. See the README."),
    "import_waiting": ("另一个导入正在写入数据库（{holder}），等待中…",
                       "Another import is writing the database ({holder}); waiting…"),
    "import_busy": ("数据库正被另一个导入占用，请稍后重试。",
                    "The database is busy with another import; please retry later."),
    "import_rejected": ("{file}：未导入 — {reason}", "{file}: not imported — {reason}"),
}

STRINGS.update(REVIEW_STRINGS)  # review pages (issue 14)

# the enum vocabularies live in nianbao.vocab (declared once); these names stay for the pages
SEVERITY = vocab.SEVERITY
STATUS = vocab.STATUS


def t(key: str, lang: str = "zh", **fmt: object) -> str:
    """The UI string ``key`` in ``lang``, formatted with ``fmt``."""
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return text.format(**fmt) if fmt else text


def narrative_metrics() -> dict[str, tuple[str, str, str]]:
    """Narrative key -> (zh, en, unit), as the parser declares them."""
    return NARRATIVE_METRICS


def category_label(key: str | None, lang: str = "zh") -> str:
    """Category key -> display name, from the agency taxonomy."""
    return vocab.label("category", key, lang)


def level_label(level: str | None, lang: str = "zh") -> str:
    return vocab.label("level", level, lang)


def scope_label(scope: str | None, lang: str = "zh") -> str:
    return vocab.label("scope", scope, lang)


def enum_label(table: dict[str, tuple[str, str]], key: str | None, lang: str = "zh") -> str:
    """Severity/status code -> display word ("—" for none)."""
    if key is None or key != key or key == "":
        return vocab.MISSING
    if key not in table:
        return str(key)
    return table[key][1 if lang == "en" else 0]
