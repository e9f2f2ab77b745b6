"""The check stage: consistency rules (勾稽关系) over a parsed report, as pure functions.

``check_report(report, previous=None)`` returns a list of :class:`Finding`. ``RULES`` is the
catalogue (rule id → severity, zh and en description) for the UI; the ids follow
format-spec §5 and are stable.

Table rules (``rules_tables``), within one report:

- **T3-1** 表三, per column: 一 + 二 = 三（七）总计 + 四 — the identity printed in the table header.
- **T3-2** 表三, per column: （七）总计 = the sum of the outcome rows of the table's form
  version (2021: （六）1–3; 2019: the single （六） row). The rows come from ``nianbao.form``.
- **T3-3** 表三, per row: 总计 = 自然人 + the five legal-person columns.
- **T3-4 / T4-2 / T2-1** non-negative integers; the 2021 fee amount may be decimal, the 2019
  本年增/减 may be negative, the 2019 采购总金额 may be decimal.
- **T4-1** 表四, per group: 总计 = 维持 + 纠正 + 其他 + 尚未审结.
- **T2-3** (first half, warning) 2019 form: 本年新公开数量 ≤ 对外公开总数量.
- **T2-4** (warning) 规章 issued by a 乡镇街道 or 县级 body (``metadata.level``).
- **T2-5** (warning) 2021 fee amount above 10000 万元 in a report whose scope is not a whole
  jurisdiction, or printed with 元 in the 万元 column.

Cross-year rules (``rules_years``), only when ``previous`` is the year before and of the same
``metadata.scope``; otherwise one info finding says why nothing was compared:

- **X-1** this year's 二、上年结转 = last year's 四、结转下年度继续办理, per column (the 2019 and
  2021 forms share these rows, so a form change does not matter).
- **T2-2** (warning) 2021 form: 现行有效 = last year's 现行有效 + 本年制发 − 本年废止.
- **T2-3** (second half, warning) 2019 form: last year's 上一年项目数量 + 本年增/减 = this
  year's 上一年项目数量.

Text rules (``rules_text``):

- **X-2 / X-3** counts the prose states (申请 received / 办结 / 结转, 行政复议 and 行政诉讼
  cases; ``claims``) against 表三 / 表四. A "受理" count may equal 一 or 一 + 二. A sentence
  whose subject is another body (a sub-unit, "区政府办" in a whole-district report), another
  year, a whole jurisdiction in a department's report, or an approximate number is not
  compared: an info finding quotes it and says why.
- **T3-6** (warning) 2021 form: （六）2 逾期未缴费 > 0 ⇒ section 六 mentions 信息处理费.
- **X-4** (warning) the text says 信息处理费 were collected or notices issued ⇒ section 六
  reports them (the table half of spec X-4 is T3-6, so one fact is reported once).
- **N-1** (warning) narrative 网站 + 新媒体 published counts above the stated total.

Document rules (``rules_document``): **D-2** (warning) six sections and three tables;
**D-3** statistic period year = report year; **D-5** (warning) every table number is 0;
**X-5** (warning) section 五 missing, empty or just "无".

Review rules (``rules_review``, issue 14): **D-1** (warning) published after the legal deadline;
**D-7** (warning) outdated form. The pairwise review rules **D-4** duplicates, **D-6** 雷同 and
**D-8** identical tables need other stored reports and run in :mod:`nianbao.store.review`.

Principles: blank is unknown, not zero — a sum rule runs only when every cell in it is a
printed number, and the rule then reports at most one info finding listing what it skipped.
A rule never fires because the parser failed: cells in rows the parser marks unreadable or
in tables it did not find are absent, and a ``failed`` report gets no findings at all.
Messages name the cells with the form's own Chinese labels, the numbers and the difference.
"""

from __future__ import annotations

from typing import Any

from nianbao.check.cells import Cells
from nianbao.check.finding import RULE_NAMES, RULES, SEVERITIES, Finding
from nianbao.check.rules_document import check_document
from nianbao.check.rules_review import check_review
from nianbao.check.rules_tables import check_tables
from nianbao.check.rules_text import check_text
from nianbao.check.rules_years import check_years

__all__ = ["RULES", "RULE_NAMES", "SEVERITIES", "Finding", "check_report"]


def check_report(report: Any, previous: Any | None = None, alone: list[Finding] | None = None) -> list[Finding]:
    """All findings for one report; `previous` is the same agency's report for the year before;
    `alone`, when given, the report's findings without a previous year, computed already
    (:mod:`nianbao.check.alone`)."""
    if getattr(report, "status", "ok") == "failed":
        return []
    if alone is not None:
        findings = list(alone)
    else:
        cells = Cells(report)
        findings = [*check_tables(cells, report.metadata), *check_text(report, cells),
                    *check_document(report, cells), *check_review(report)]
    if previous is not None and getattr(previous, "status", "ok") != "failed":
        findings.extend(check_years(report, previous))
    return findings
