"""The DuckDB schema. Table and column descriptions are written as COMMENT ON; the data
dictionary table ``metrics`` and the wide views are generated from :mod:`nianbao.form`."""

from __future__ import annotations

import duckdb
import pandas as pd

from nianbao.form import FORMS, metric_catalog
from nianbao.store.presence import create_report_tables
from nianbao.store.wide import create_cell_numbers

SCHEMA_VERSION = 1

# (table, [(column, type, comment)], table comment)
TABLES: list[tuple[str, list[tuple[str, str, str]], str]] = [
    ("agencies", [
        ("agency_id", "VARCHAR PRIMARY KEY", "机构标识（地区+规范名称）/ stable agency id"),
        ("name", "VARCHAR", "机构名称（按报告所载）/ agency name as printed"),
        ("short_name", "VARCHAR", "规范名称 / normalised name"),
        ("province", "VARCHAR", "省级行政区 / province"),
        ("city", "VARCHAR", "地级行政区 / city"),
        ("county", "VARCHAR", "县级行政区 / county"),
        ("level", "VARCHAR", "层级：国务院部门/省级/市级/县级/乡镇街道 / administrative level"),
        ("category", "VARCHAR", "机构类别 / agency category"),
        ("how", "VARCHAR", "各字段的推断依据（JSON）/ how each field was inferred (JSON)"),
    ], "发布年报的行政机关 / agencies that publish reports"),
    ("reports", [
        ("report_id", "VARCHAR PRIMARY KEY", "报告标识（源文件 SHA-256 前 16 位）/ report id"),
        ("agency_id", "VARCHAR", "机构标识 / agency id"),
        ("agency", "VARCHAR", "机构名称 / agency name"),
        ("report_year", "INTEGER", "报告年度（数据所属年度）/ report (data) year"),
        ("form_version", "VARCHAR", "表格格式：2019 / 2021 / mixed / pre2019 / none"),
        ("scope", "VARCHAR", "范围：agency 本机关 / jurisdiction 辖区汇总"),
        ("province", "VARCHAR", "省 / province"),
        ("city", "VARCHAR", "市 / city"),
        ("county", "VARCHAR", "县 / county"),
        ("level", "VARCHAR", "层级 / level"),
        ("category", "VARCHAR", "类别 / category"),
        ("title", "VARCHAR", "报告标题 / title"),
        ("publisher", "VARCHAR", "发布机构 / publisher"),
        ("published_on", "VARCHAR", "发布日期 / publication date"),
        ("period_year", "INTEGER", "统计期限所述年度 / year of the statistic period sentence"),
        ("source_name", "VARCHAR", "源文件名 / source file name"),
        ("source_sha256", "VARCHAR", "源文件 SHA-256 / source file hash"),
        ("source_format", "VARCHAR", "源文件格式 / source format"),
        ("status", "VARCHAR", "解析状态：ok / partial / failed"),
        ("error", "VARCHAR", "失败或部分失败原因 / why it failed or is partial"),
        ("warnings", "VARCHAR", "解析提示（每行一条）/ parse warnings, one per line"),
        ("parsed_at", "TIMESTAMP", "解析时间 / parse time"),
        ("parser_version", "VARCHAR", "解析器版本 / parser version"),
        ("source_text", "VARCHAR", "源文件文本 / source text"),
        ("is_demo", "BOOLEAN", "示例数据（合成）/ synthetic demo data"),
        ("report_date", "DATE", "报告日期（发布或落款）/ report date (published or signed)"),
        ("report_date_source", "VARCHAR", "日期来源：manifest / page_meta / page_text / signature"),
    ], "每份年报一行 / one row per report file"),
    ("sources", [
        ("report_id", "VARCHAR PRIMARY KEY", "报告标识 / report id"),
        ("content", "BLOB", "源文件原始字节 / original file bytes"),
    ], "源文件 / original files"),
    ("facts", [
        ("report_id", "VARCHAR", "报告标识 / report id"),
        ("table_key", "VARCHAR", "表：active 表二 / applications 表三 / review_litigation 表四"),
        ("row_key", "VARCHAR", "行 / row key"),
        ("col_key", "VARCHAR", "列 / column key"),
        ("kind", "VARCHAR", "number 数字 / blank 空白 / na 不适用（/、-、—）"),
        ("value", "DOUBLE", "数值（空白和不适用为 NULL）/ value, NULL unless kind = number"),
        ("value_text", "VARCHAR", "规范数值文本（精确）/ canonical value text, exact"),
        ("raw", "VARCHAR", "报告原文 / text as printed"),
        ("unit", "VARCHAR", "单元格内所印单位 / unit printed inside the cell"),
        ("place", "VARCHAR", "出处 / where it was printed"),
    ], "表二、三、四的每个单元格（长表）/ every cell of tables 2-4, long form"),
    ("findings", [
        ("report_id", "VARCHAR", "报告标识 / report id"),
        ("rule_id", "VARCHAR", "规则编号 / rule id"),
        ("severity", "VARCHAR", "error / warning / info"),
        ("message_zh", "VARCHAR", "说明（中文）"),
        ("message_en", "VARCHAR", "message (English)"),
        ("cells", "VARCHAR", "涉及单元格 table.row.col，逗号分隔 / cells involved"),
    ], "一致性检查结果（勾稽关系）/ consistency findings"),
    ("sections", [
        ("report_id", "VARCHAR", "报告标识 / report id"),
        ("number", "VARCHAR", "部分序号 一…六 / section number"),
        ("key", "VARCHAR", "部分键 / section key"),
        ("heading", "VARCHAR", "标题 / heading"),
        ("text", "VARCHAR", "正文 / text"),
    ], "年报各部分正文 / narrative sections"),
    ("narrative", [
        ("report_id", "VARCHAR", "报告标识 / report id"),
        ("key", "VARCHAR", "指标 / metric key"),
        ("count", "DOUBLE", "数值 / count"),
        ("value_text", "VARCHAR", "精确数值文本 / exact value text"),
        ("approximate", "BOOLEAN", "约数（如“7700余条”）/ approximate"),
        ("sentence", "VARCHAR", "出处句子 / the sentence it came from"),
    ], "正文所述发布数量 / publication counts stated in the narrative"),
    ("corrections", [
        ("source_name", "VARCHAR PRIMARY KEY", "源文件名 / source file name"),
        ("agency", "VARCHAR", "机构名称 / agency"),
        ("province", "VARCHAR", "省 / province"),
        ("city", "VARCHAR", "市 / city"),
        ("county", "VARCHAR", "县 / county"),
        ("level", "VARCHAR", "层级 / level"),
        ("category", "VARCHAR", "类别 / category"),
        ("scope", "VARCHAR", "范围 / scope"),
        ("report_year", "VARCHAR", "报告年度 / report year"),
        ("region", "VARCHAR", "地区（省市县连写）/ region"),
        ("published_on", "VARCHAR", "发布日期（覆盖报告所载）/ publication date, overrides the report"),
    ], "清单或导入页给出的元数据更正，重新载入后仍然有效 / metadata corrections that survive re-ingest"),
    ("metrics", [
        ("table_key", "VARCHAR", "表 / table"),
        ("row_key", "VARCHAR", "行 / row"),
        ("col_key", "VARCHAR", "列 / column"),
        ("name_zh", "VARCHAR", "中文名称"),
        ("name_en", "VARCHAR", "English name"),
        ("unit", "VARCHAR", "单位 / unit"),
        ("versions", "VARCHAR", "出现于哪些格式 / form versions"),
    ], "数据字典（由表格定义生成）/ data dictionary generated from the form"),
    ("held_versions", [
        ("report_id", "VARCHAR PRIMARY KEY", "新版本的报告标识 / report id of the held version"),
        ("source_name", "VARCHAR", "源文件名 / source file name"),
        ("source_sha256", "VARCHAR", "源文件 SHA-256 / source file hash"),
        ("current_report_id", "VARCHAR", "仍为当前版本的报告标识 / the stored report that stays current"),
        ("status", "VARCHAR", "新版本解析状态 / parse status of the held version"),
        ("error", "VARCHAR", "新版本不完整的原因 / why the held version is incomplete"),
        ("cells", "INTEGER", "新版本读出的单元格数 / cells read from the held version"),
        ("current_cells", "INTEGER", "当前版本的单元格数 / cells of the current version"),
        ("held_at", "TIMESTAMP", "载入时间 / when it was held"),
        ("content", "BLOB", "新版本原始字节 / original bytes of the held version"),
    ], "不如已存版本完整、未替换它的新版本 / new versions less complete than the stored report, kept beside it"),
    # --- review (issue 14): similarity to the previous report, fingerprints, decisions, roster ---
    ("similarity", [
        ("report_id", "VARCHAR", "报告标识 / report id"),
        ("previous_id", "VARCHAR", "比较的上一份报告 / the earlier report compared with"),
        ("previous_year", "INTEGER", "上一份报告的年度 / its report year"),
        ("section", "VARCHAR", "部分 一…六，all 为全文 / section number, all = whole report"),
        ("chars", "INTEGER", "去除格式套话后的字数 / characters after removing the boilerplate of the form"),
        ("same_chars", "INTEGER", "与上一份相同的字数 / characters repeated from the earlier report"),
        ("share", "DOUBLE", "重复率 0–1 / share repeated"),
    ], "与同一机关上一份报告的文字重复率（雷同）/ text similarity to the previous report of the same agency report"),
    ("fingerprints", [
        ("report_id", "VARCHAR", "报告标识 / report id"),
        ("text_hash", "VARCHAR", "正文（去除套话、数字归一）摘要 / digest of the normalised text"),
        ("text_chars", "INTEGER", "参与摘要的字数 / characters digested"),
        ("table_hash", "VARCHAR", "表格非零单元格摘要 / digest of the non-zero table cells"),
        ("table_cells", "INTEGER", "非零单元格数 / non-zero cells digested"),
    ], "查重用的报告指纹 / report fingerprints for duplicate detection"),
    ("decisions", [
        ("identity", "VARCHAR", "报告身份（机构+年度+范围，或文件名）/ report identity that survives re-ingest"),
        ("rule_id", "VARCHAR", "规则编号 / rule id"),
        ("cells", "VARCHAR", "涉及单元格 / cells of the finding"),
        ("numbers", "VARCHAR", "决定时结果中的数字 / the numbers of the finding when decided"),
        ("decision", "VARCHAR", "confirmed 确认 / dismissed 驳回"),
        ("comment", "VARCHAR", "审核意见 / comment of the reviewer"),
        ("reviewer", "VARCHAR", "审核人 / who decided"),
        ("decided_at", "TIMESTAMP", "决定时间 / when"),
    ], "审核人对检查结果的决定，重新载入后仍然有效 / reviewer decisions on findings, kept across re-ingest"),
    ("roster", [
        ("agency", "VARCHAR", "机构名称 / agency name"),
        ("region", "VARCHAR", "地区 / region"),
        ("level", "VARCHAR", "层级 / level"),
        ("category", "VARCHAR", "类别 / category"),
    ], "应发布年报的机构名录（nianbao roster import）/ agencies expected to publish"),
]


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables, comments, the data dictionary and views (idempotent). Runs at every ingest,
    so what is in place already is left alone (a one-file import into a large store spent 3 s
    here rewriting comments and the dictionary row by row)."""
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    comments = {(t, c): text for t, c, text in con.execute(
        "SELECT table_name, '', comment FROM duckdb_tables() UNION ALL "
        "SELECT table_name, column_name, comment FROM duckdb_columns()").fetchall()}
    for name, columns, comment in TABLES:
        if name not in tables:
            cols = ", ".join(f"{c} {t}" for c, t, _ in columns)
            con.execute(f"CREATE TABLE {name} ({cols})")
        else:
            _add_missing_columns(con, name, columns)
        if comments.get((name, "")) != comment:
            con.execute(f"COMMENT ON TABLE {name} IS '{comment}'")
        for c, _, text in columns:
            if comments.get((name, c)) != text:
                con.execute(f"COMMENT ON COLUMN {name}.{c} IS '{text}'")
    _store_metrics(con)
    create_cell_numbers(con)
    create_report_tables(con)
    _create_wide_views(con)


def _store_metrics(con: duckdb.DuckDBPyConnection) -> None:
    """The data dictionary, replaced when the declared form changed."""
    rows = [(m.table, m.row, m.col, m.zh, m.en, m.unit, ",".join(m.versions)) for m in metric_catalog()]
    if sorted(con.execute("SELECT * FROM metrics").fetchall()) == sorted(rows):
        return
    con.execute("DELETE FROM metrics")
    con.register("_metrics", pd.DataFrame(rows))
    con.execute("INSERT INTO metrics SELECT * FROM _metrics")
    con.unregister("_metrics")


def _add_missing_columns(con: duckdb.DuckDBPyConnection, table: str, columns: list[tuple[str, str, str]]) -> None:
    """A database written before a column was declared gets it (NULL for its old rows); new
    columns are declared at the end of their table, so column order stays that of ``TABLES``."""
    have = {c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                      [table]).fetchall()}
    for column, kind, _ in columns:
        if column not in have:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def _create_wide_views(con: duckdb.DuckDBPyConnection) -> None:
    """One wide row per report per table: columns named row__col, from both forms."""
    for table_key in ("active", "applications", "review_litigation"):
        pairs: list[tuple[str, str]] = []
        for form in FORMS.values():
            for row, col in form.table(table_key).cells():
                if (row.key, col.key) not in pairs:
                    pairs.append((row.key, col.key))
        cells = ", ".join(f"'{r}__{c}'" for r, c in pairs)
        con.execute(
            f"CREATE OR REPLACE VIEW wide_{table_key} AS PIVOT (SELECT report_id, row_key || '__' || col_key AS cell, "
            f"value FROM facts WHERE table_key = '{table_key}') ON cell IN ({cells}) USING max(value) "
            "GROUP BY report_id"
        )
