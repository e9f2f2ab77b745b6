"""A blank report form (the official template, nothing filled in) is not a report: it names no
agency and no year and its tables hold not one printed number or 不适用 mark."""

from __future__ import annotations

from nianbao.parse.model import Report

BLANK_FORM = ("空白年报模板：表格中没有任何数字，也没有写明机关和年度，不作为报告载入 / "
              "blank report form: no number in any table and no agency or year, not loaded as a report")


def is_blank_form(report: Report) -> bool:
    m = report.metadata
    return (bool(report.facts) and all(f.value.kind == "blank" for f in report.facts)
            and not m.agency and m.report_year is None)


def refuse_blank_form(report: Report) -> Report:
    """Mark a blank form as failed with that reason (it stays visible, like any failed file)."""
    if is_blank_form(report):
        report.status, report.error = "failed", BLANK_FORM
    return report
