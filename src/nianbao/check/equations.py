"""Sum rules: `left terms = right terms`, evaluated only when every term is a printed number.

Blank is unknown, not zero (format-spec §5.1), so an equation with an absent term is not
evaluated; the rule collects those and reports them once, as an info finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from nianbao.check.cells import Reading, num
from nianbao.check.finding import Finding, note, violation

_LONG = 4  # a side with more terms than this lists only its non-zero terms


@dataclass(frozen=True)
class Term:
    reading: Reading
    zh: str
    en: str


@dataclass
class Equation:
    """One instance of a rule, e.g. T3-1 for the 自然人 column."""

    rule_id: str
    where_zh: str  # "表三 自然人列"
    where_en: str
    left: list[Term]
    right: list[Term]


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    skipped: list[tuple[Equation, list[Term]]] = field(default_factory=list)


def _side_zh(terms: list[Term]) -> str:
    shown = terms if len(terms) <= _LONG else [t for t in terms if t.reading.number]
    # Full-width brackets carry their own spacing: "一（21）+ 二（0）"
    text = "+ ".join(f"{t.zh}（{num(t.reading.number)}）" for t in shown) or "0"
    if len(shown) < len(terms):
        text += f"（其余 {len(terms) - len(shown)} 项为 0）"
    return text


def _side_en(terms: list[Term]) -> str:
    shown = terms if len(terms) <= _LONG else [t for t in terms if t.reading.number]
    text = " + ".join(f"{t.en} ({num(t.reading.number)})" for t in shown) or "0"
    if len(shown) < len(terms):
        text += f" (the other {len(terms) - len(shown)} are 0)"
    return text


def evaluate(equations: list[Equation]) -> Outcome:
    """Violations for equations that do not hold; the rest that could not be evaluated."""
    out = Outcome()
    for eq in equations:
        absent = [t for t in eq.left + eq.right if t.reading.number is None]
        if absent:
            out.skipped.append((eq, absent))
            continue
        left = sum((t.reading.number for t in eq.left), Decimal(0))
        right = sum((t.reading.number for t in eq.right), Decimal(0))
        if left == right:
            continue
        diff = num(abs(left - right))
        cells = tuple(t.reading.cell.key for t in eq.left + eq.right)
        out.findings.append(violation(
            eq.rule_id,
            f"{eq.where_zh}：{_side_zh(eq.left)}≠ {_side_zh(eq.right)}，相差 {diff}",
            f"{eq.where_en}: {_side_en(eq.left)} ≠ {_side_en(eq.right)}; difference {diff}",
            cells))
    return out


def report_skipped(rule_id: str, skipped: list[tuple[Equation, list[Term]]]) -> list[Finding]:
    """One info finding per rule listing what was not checked and why.

    Equations whose every absent term is a parser gap (table not found, row unreadable) are
    left out: they say nothing about the report, and the parse status already reports them.
    """
    about_report = [(eq, absent) for eq, absent in skipped if not all(t.reading.parser_gap for t in absent)]
    if not about_report:
        return []
    parts_zh, parts_en, cells = [], [], []
    for eq, absent in about_report:
        parts_zh.append(eq.where_zh + "（" + "、".join(f"{t.zh}{t.reading.reason_zh}" for t in absent) + "）")
        parts_en.append(eq.where_en + " (" + ", ".join(f"{t.en} {t.reading.reason_en}" for t in absent) + ")")
        cells.extend(t.reading.cell.key for t in absent)
    n = len(about_report)
    return [note(
        rule_id,
        f"{n} 处未检查，因为有单元格不是数字（空白不等于 0）：" + "；".join(parts_zh),
        f"{n} not checked because a cell is not a number (blank is not 0): " + "; ".join(parts_en),
        tuple(dict.fromkeys(cells)))]
