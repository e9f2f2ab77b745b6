"""What the checks derive from one report alone: its own findings, its fingerprints and the
cleaned texts 雷同 compares.

The process that parsed a report computes these (the ingest's parse workers, in parallel), so the
single writer only adds what needs other reports: the cross-year rules, 雷同 (D-6/D-8) and
duplicates (D-4). They hold only while the report is as parsed: a manifest's corrections or a
表二 row decided by the previous year at load change what the rules see, and then the writer
checks the report again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nianbao.check import check_report
from nianbao.check.finding import Finding
from nianbao.check.similarity import section_texts, table_digest, text_digest


@dataclass(frozen=True)
class Checked:
    findings: list[Finding]  # check_report(report) without a previous year
    text_digest: tuple[str, int]
    table_digest: tuple[str, int]
    section_texts: dict[str, str]  # the cleaned texts 雷同 (D-6) compares


def check_alone(report: Any) -> Checked:
    """The findings and fingerprints of ``report`` that need no other report."""
    return Checked(check_report(report), text_digest(report), table_digest(report), section_texts(report))


def still_holds(report: Any, corrected: bool) -> bool:
    """Whether what :func:`check_alone` found still holds at load: not when a manifest corrects
    the report, nor when the load may decide 表二 rows by the previous year (new facts)."""
    table = getattr(report, "tables", {}).get("active")
    return not corrected and not (table is not None and table.split_candidates)
