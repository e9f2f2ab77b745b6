"""A grade per report: a ladder E → A, each step a condition on the report's findings, declared
once here (review-rules §2.2, after 宿迁, GovOpen-AutoAudit and Éclaireur Public).

A report gets the highest grade whose step and every step below it pass; each step says why it
passed or which findings stopped it, so a grade can always be traced to its findings. Info
findings never lower a grade (the conservative mode of GovOpen-AutoAudit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

GRADES = ("E", "D", "C", "B", "A")
ARITHMETIC_RULES = ("T2-1", "T3-1", "T3-2", "T3-3", "T3-4", "T4-1", "T4-2")
TEXT_RULES = ("X-2", "X-3", "D-3", "D-6")


@dataclass(frozen=True)
class Step:
    grade: str
    zh: str
    en: str
    blocking: tuple[str, ...]  # rule ids whose error/warning findings stop this step


STEPS: tuple[Step, ...] = (
    Step("E", "文件已读取（解析未失败）", "the file was read (parsing did not fail)", ()),
    Step("D", "六个部分和三张表齐全", "all six sections and the three tables are present", ("D-2",)),
    Step("C", "没有算术错误（表内勾稽关系）", "no arithmetic error (the tables' own identities)", ARITHMETIC_RULES),
    Step("B", "正文与表格一致、统计期限正确，且与上一份报告的重复率不超过 50%",
         "the text agrees with the tables, the period is right, and at most 50 % repeats the previous report",
         TEXT_RULES),
    Step("A", "按时发布（日期和期限都已知且未逾期）", "published on time (date and deadline known, not late)",
         ("D-1",)),
)


@dataclass(frozen=True)
class FindingRef:
    rule_id: str
    severity: str
    message: str


@dataclass
class StepResult:
    step: Step
    passed: bool
    because: list[FindingRef] = field(default_factory=list)
    note_zh: str = ""
    note_en: str = ""


@dataclass
class Grade:
    grade: str | None  # None: the file could not be read, no grade
    steps: list[StepResult]

    @property
    def deciding(self) -> list[FindingRef]:
        """The findings of the first step that failed: why the grade is not one higher."""
        failed = next((s for s in self.steps if not s.passed), None)
        return failed.because if failed else []


def grade_report(status: str, findings: Iterable[FindingRef], on_time: bool | None) -> Grade:
    """The ladder for one report; ``on_time`` None means its date or deadline is unknown."""
    if status == "failed":
        return Grade(None, [StepResult(STEPS[0], False, note_zh="文件未能读取", note_en="the file could not be read")])
    serious = [f for f in findings if f.severity in ("error", "warning")]
    results, grade, climbing = [], None, True
    for step in STEPS:
        because = [f for f in serious if f.rule_id in step.blocking]
        passed = not because
        result = StepResult(step, passed, because)
        if step.grade == "A" and passed and on_time is not True:
            result.passed = False
            result.note_zh, result.note_en = "发布日期或发布期限不明，无法确认按时发布", \
                "the date or the deadline is unknown: on time cannot be confirmed"
        results.append(result)
        if climbing and result.passed:
            grade = step.grade
        else:
            climbing = False
    return Grade(grade, results)
