"""Rules about the report as a document: D-2, D-3, D-5, X-5."""

from __future__ import annotations

import re
from typing import Any

from nianbao.check.cells import TABLE_EN, TABLE_ZH, Cells
from nianbao.check.finding import Finding, note, violation
from nianbao.check.sections import section_text
from nianbao.form import SECTIONS, TABLES

UNIFORM_FORMS = ("2019", "2021", "mixed")  # reports that follow a national form at all
_NOTHING = {"无", "暂无", "没有", "无问题", "无相关情况"}
_MIN_ZERO_CELLS = 10  # fewer printed numbers than this say too little to call a report all-zero


def check_completeness(report: Any) -> list[Finding]:
    """D-2: the six sections and the three tables are all there (2019 and 2021 forms)."""
    if report.form_version not in UNIFORM_FORMS:
        return []
    out = []
    missing = []
    for section in SECTIONS:
        text, by_parser = section_text(report, section.number)
        if text is None:
            missing.append(section)
        elif not by_parser:
            out.append(note("D-2", f"第{section.number}部分的标题措辞未被识别，按编号和相近措辞认定存在",
                            f"section {section.number}: heading wording not recognised; taken as present "
                            "by its number and similar wording"))
    if missing:
        out.append(violation(
            "D-2",
            "缺少部分：" + "、".join(f"{s.number}、{s.zh}" for s in missing),
            "missing sections: " + ", ".join(f"{s.number} ({s.en})" for s in missing)))
    tables = getattr(report, "tables", {}) or {}
    absent = [t for t in TABLES if t in tables and not tables[t].found]
    if absent:
        out.append(violation("D-2", "缺少表格：" + "、".join(TABLE_ZH[t] for t in absent),
                             "missing tables: " + ", ".join(TABLE_EN[t] for t in absent)))
    return out


def check_period_year(report: Any) -> list[Finding]:
    """D-3: the statistic period sentence names the report year."""
    year = getattr(report.metadata, "report_year", None)
    period = getattr(report.metadata, "period_year", None)
    if year is None or period is None or year == period:
        return []
    return [violation("D-3", f"统计期限写的是 {period} 年，而报告年份是 {year} 年",
                      f"the statistic period states {period}, but the report year is {year}")]


def check_all_zero(cells: Cells) -> list[Finding]:
    """D-5: every printed number in the tables is 0 — no activity at all, or an unfilled form."""
    printed = [v for t in TABLES for _, v in cells.printed(t)]
    if len(printed) < _MIN_ZERO_CELLS or any(v.number != 0 for v in printed):
        return []
    return [violation("D-5", f"表格中 {len(printed)} 个数字全部为 0，请核实是否确无相关工作或表格未填写",
                      f"all {len(printed)} numbers in the tables are 0: no activity at all, or the form was "
                      "not filled in")]


def check_problems_section(report: Any) -> list[Finding]:
    """X-5: section 五 (problems and improvements) is there and says something."""
    if report.form_version not in UNIFORM_FORMS:
        return []
    text, by_parser = section_text(report, "五")
    if text is None:
        return [violation("X-5", "未找到第五部分“存在的主要问题及改进情况”",
                          "section 5 (problems and improvements) was not found")]
    bare = re.sub(r"[\s。.,，;；:：!！、\-—]+", "", text)
    if not bare:
        return [violation("X-5", "第五部分“存在的主要问题及改进情况”为空", "section 5 is empty")]
    if bare in _NOTHING:
        return [violation("X-5", f"第五部分“存在的主要问题及改进情况”只写了“{text.strip()}”",
                          f"section 5 only says '{text.strip()}'")]
    return []


def check_document(report: Any, cells: Cells) -> list[Finding]:
    return [*check_completeness(report), *check_period_year(report), *check_all_zero(cells),
            *check_problems_section(report)]
