"""Review rules (issue 14, catalogue in ``rules_review_catalog``).

Single-report rules, run by ``check_report``: **D-1** published on time, **D-7** outdated form.
Pairwise rules, run by :mod:`nianbao.store.review` because they need other stored reports:
**D-6** 雷同 against the agency's previous report, **D-8** tables identical to it, **D-4** the
same text or tables under another agency or file name. The messages are built here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from nianbao.check.finding import Finding, violation
from nianbao.check.similarity import MIN_CHARS, THRESHOLD, SectionShare, overall
from nianbao.parse.dates import SOURCE_LABELS


@dataclass(frozen=True)
class Deadline:
    month: int
    day: int
    zh: str
    en: str


# Declared once, with the source. 《中华人民共和国政府信息公开条例》（2019 修订）第四十九条:
# "县级以上人民政府部门应当在每年1月31日前…向社会公布"; "县级以上地方人民政府的政府信息公开工作主管
# 部门应当在每年3月31日前向社会公布本级政府上一年度政府信息公开工作年度报告" (the State Council
# office's annual notices repeat both dates). Reports for 2018 and earlier fall under the 2008
# 条例 第三十一条: "各级行政机关应当在每年3月31日前公布本行政机关的政府信息公开工作年度报告".
# Townships and unknown levels have no deadline under the 2019 text: no finding.
DEADLINE_SOURCES = {"2019": "《中华人民共和国政府信息公开条例》（2019）第四十九条",
                    "2008": "《中华人民共和国政府信息公开条例》（2008）第三十一条"}
DEADLINES: dict[str, Deadline] = {
    "department": Deadline(1, 31, "部门年报", "a department's report"),
    "government": Deadline(3, 31, "本级人民政府年报", "a people's government's own report"),
    "any_2008": Deadline(3, 31, "行政机关年报", "an agency's report"),
}
FIRST_YEAR_2019_TEXT = 2019  # the revised 条例 took effect on 2019-05-15: reports for 2019 on
_UPPER_LEVELS = ("国务院部门", "省级", "市级", "县级")  # 县级以上
_GOVERNMENT_CATEGORIES = ("government",)


def deadline_kind(meta: Any) -> str | None:
    """"department", "government", "any_2008", or None when the law's deadline is not clear."""
    year = getattr(meta, "report_year", None)
    if year is not None and year < FIRST_YEAR_2019_TEXT:
        return "any_2008"
    level, category, scope = getattr(meta, "level", None), getattr(meta, "category", None), \
        getattr(meta, "scope", None)
    if level not in _UPPER_LEVELS:
        return None
    if scope == "jurisdiction" or category in _GOVERNMENT_CATEGORIES:
        return "government" if level != "国务院部门" else None
    if category and category != "township":
        return "department"
    return None


def days_late(meta: Any) -> tuple[int, date] | None:
    """(days after the deadline, the deadline) — negative days are on time; None when either the
    date or the deadline is unknown."""
    kind = deadline_kind(meta)
    year = getattr(meta, "report_year", None)
    printed = getattr(meta, "report_date", None)
    if kind is None or year is None or not printed:
        return None
    rule = DEADLINES[kind]
    deadline = date(year + 1, rule.month, rule.day)
    return (date.fromisoformat(str(printed)[:10]) - deadline).days, deadline


def check_timeliness(report: Any) -> list[Finding]:
    """D-1: late → a warning with the days; a date before the report year ended is not judged."""
    meta = report.metadata
    late = days_late(meta)
    if late is None or late[0] <= 0:
        return []
    days, deadline = late
    if date.fromisoformat(meta.report_date) < date(meta.report_year + 1, 1, 1):
        return []
    kind = deadline_kind(meta)
    rule = DEADLINES[kind]
    law = DEADLINE_SOURCES["2008" if kind == "any_2008" else "2019"]
    zh_src, en_src = SOURCE_LABELS.get(meta.report_date_source or "", ("", ""))
    return [violation(
        "D-1",
        f"逾期 {days} 天发布：{rule.zh}应于 {deadline.year}年{deadline.month}月{deadline.day}日前公布"
        f"（{law}），报告日期为 {meta.report_date}（{zh_src}）",
        f"published {days} days late: {rule.en} is due by {deadline.isoformat()} "
        f"({'2008 Regulations art. 31' if kind == 'any_2008' else 'Regulations art. 49'}); the report is "
        f"dated {meta.report_date} ({en_src})")]


def check_form_age(report: Any) -> list[Finding]:
    """D-7: a 2021+ report on the 2019 tables, or a report for 2020 or earlier on the 2021 tables."""
    year = getattr(report.metadata, "report_year", None)
    if year is None or year < 2019:
        return []
    used = getattr(report, "form_version", None)
    expected = "2021" if year >= 2021 else "2019"
    # only a report wholly on the other form: "mixed" is the parser unsure per table, not the report
    if used not in ("2019", "2021") or used == expected:
        return []
    return [violation(
        "D-7",
        f"{year} 年度报告的表格使用 {used} 年格式，应使用 {expected} 年格式"
        + ("（国办公开办函〔2021〕30号）" if expected == "2021" else "（国办公开办函〔2019〕60号）"),
        f"the {year} report prints its tables on the {used} form; it should use the {expected} form")]


def check_review(report: Any) -> list[Finding]:
    return [*check_timeliness(report), *check_form_age(report)]


# --- pairwise: messages for the store's review stage ----------------------------------------

def similarity_finding(shares: list[SectionShare], previous_year: int | None) -> Finding | None:
    """D-6 when more than half of the (cleaned) text repeats the previous report."""
    total = overall(shares)
    if total.chars < MIN_CHARS or total.share <= THRESHOLD:
        return None
    worst = sorted((s for s in shares if s.same_chars), key=lambda s: -s.same_chars)[:3]  # most repeated
    parts_zh = "、".join(f"第{s.section}部分 {s.share:.0%}" if s.section != "all" else f"全文 {s.share:.0%}"
                        for s in worst)
    parts_en = ", ".join(f"section {s.section} {s.share:.0%}" for s in worst)
    year = f" {previous_year} 年" if previous_year else "上一份"
    return violation(
        "D-6",
        f"与{year}报告重复率 {total.share:.1%}（{total.same_chars}/{total.chars} 字，去除格式套话后），超过 50%；"
        f"{parts_zh}",
        f"{total.share:.1%} of the text ({total.same_chars}/{total.chars} characters after removing the form's "
        f"boilerplate) repeats the {previous_year or 'previous'} report, above 50 %; {parts_en}")


def identical_tables_finding(cells: int, previous_year: int | None) -> Finding:
    """D-8: every non-zero cell equals the previous report's."""
    return violation(
        "D-8",
        f"表格与{previous_year or '上一份'}年报告完全相同：{cells} 个非零单元格的数字全部一致",
        f"the tables equal the {previous_year or 'previous'} report: all {cells} non-zero cells are the same")


def duplicate_finding(kind: str, others: list[tuple[str, str, int | None]]) -> Finding:
    """D-4 for one report: ``kind`` "text" or "tables"; others = (agency, file, year)."""
    listed = "；".join(f"{a or '未识别机构'} {y or ''}（{f}）" for a, f, y in others[:5])
    listed_en = "; ".join(f"{a or 'unknown agency'} {y or ''} ({f})" for a, f, y in others[:5])
    what_zh, what_en = ("正文", "text") if kind == "text" else ("表格数字", "table numbers")
    more = f" 等 {len(others)} 份" if len(others) > 5 else ""
    return violation("D-4", f"{what_zh}与另一份报告相同：{listed}{more}",
                     f"the same {what_en} as another report: {listed_en}" + (f" and {len(others) - 5} more"
                                                                            if len(others) > 5 else ""))
