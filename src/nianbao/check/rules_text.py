"""Rules between the prose and the tables: X-2, X-3, X-4, T3-6, N-1."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from nianbao.check.cells import Cells, Reading, cell_zh, num
from nianbao.check.claims import Claim, find_claims
from nianbao.check.finding import Finding, note, violation
from nianbao.check.sections import prose_sentences, section_text
from nianbao.form.scope import WHOLE_AREA

APPLICATIONS, REVIEW = "applications", "review_litigation"
FEE_WORD = "信息处理费"

_WHOLE = WHOLE_AREA
_SELF = re.compile(r"(?:我|本)(?:区|市|县|省|州|旗|镇|乡|街道|局|委|办|厅|中心|单位|机关|部门|院|会|署)")
_ORG = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:办公厅|办公室|政府办|府办|局|委员会|委|中心|街道办事处|街道|"
                  r"镇人民政府|镇政府|乡政府|部门|单位)")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办公厅|厅|中心|署|队|所|站|院)$")
_PAREN = re.compile(r"[（(][^）)]*[）)]")
_FEE_COLLECTED = re.compile(r"(?:收取|收缴|收到)[^,。\d]{0,14}?信息处理费[^,\d]{0,8}?(?:共计|合计|共)?"
                            r"(?P<n>\d+(?:\.\d+)?)\s*(?:元|万元)")
_FEE_NOTICES = re.compile(r"(?:发出|送达|出具|制发)[^,\d]{0,6}?收费通知(?:书)?(?:共计|共)?"
                          r"(?P<n>\d+)\s*(?:件|份|次)")

# claim kind -> (rule, [(row, col)] whose sum the claim states, zh wording, en wording)
_TARGETS: dict[str, tuple[str, list[tuple[str, str]], str, str]] = {
    "received": ("X-2", [("new_received", "total")], "收到申请", "applications received"),
    "handled": ("X-2", [("total", "total")], "办结（答复）申请", "applications handled"),
    "carried_over": ("X-2", [("carried_over", "total")], "上年结转申请", "applications carried over"),
    "carried_forward": ("X-2", [("carried_forward", "total")], "结转下年度申请",
                        "applications carried forward"),
    "reviews": ("X-3", [("review", "total")], "行政复议", "administrative reviews"),
    "lawsuits": ("X-3", [("litigation_direct", "total"), ("litigation_after_review", "total")],
                 "行政诉讼", "lawsuits"),
}


def _bare(name: str) -> str:
    return _PAREN.sub("", name).replace("人民政府", "政府").strip()


def _scope_refusal(claim: Claim, metadata: Any) -> tuple[str, str] | None:
    """Why a sentence is not about the report's own scope, or None when it is (or seems to be)."""
    agency = _bare(getattr(metadata, "agency", None) or "")
    scope = getattr(metadata, "scope", "agency")
    whole, own = _WHOLE.search(claim.prefix), _SELF.search(claim.prefix)
    if claim.other_year is not None:
        return f"句中所说的是 {claim.other_year} 年", f"the sentence is about {claim.other_year}"
    if whole and scope != "jurisdiction" and _DEPARTMENT.search(agency):
        return (f"句中所说是“{whole.group(0)}”的数字，而本报告是部门“{agency}”的报告",
                f"the sentence gives figures for '{whole.group(0)}', but this is a department's report")
    if whole or own:
        return None
    orgs = [m.group(0) for m in _ORG.finditer(claim.prefix)]
    for org in orgs:
        bare = _bare(org)
        if not agency or bare not in agency:
            return (f"句子说的是“{org}”，不是本报告的机关“{agency or '（未知）'}”",
                    f"the sentence is about '{org}', not the report's body '{agency or '(unknown)'}'")
    return None


_COUNT = re.compile(r"(?<![\d.])(\d+)\s*(?:余|多)?\s*件")


def _other_counts(claim: Claim, claimed: set[Decimal]) -> list[Decimal]:
    """Counts the sentence states after the claim's number that no claim accounts for: parts
    listed one by one, or a second group of applications handled in the same breath."""
    after = claim.sentence[len(claim.prefix):]
    numbers = [Decimal(m.group(1)) for m in _COUNT.finditer(after)]
    if numbers and numbers[0] == claim.number:
        numbers = numbers[1:]
    return [n for n in numbers if n not in claimed]


def _table_side(cells: Cells, parts: list[tuple[str, str]], table: str) -> list[Reading]:
    return [cells.read(table, row, col) for row, col in parts]


def _compare_claim(claim: Claim, cells: Cells, metadata: Any, claimed: set[Decimal] = frozenset()) -> Finding | None:
    rule, parts, what_zh, what_en = _TARGETS[claim.kind]
    table_key = REVIEW if rule == "X-3" else APPLICATIONS
    table = cells.form_table(table_key)
    quote = f"正文“{claim.sentence}”"
    stated_zh = f"称{what_zh} {num(claim.number)} 件"
    stated_en = f"The text “{claim.sentence}” states {num(claim.number)} {what_en}"
    if table is None:
        return None
    readings = _table_side(cells, parts, table_key)
    if all(r.parser_gap for r in readings):
        return None  # nothing to compare with; the parse status says why
    refusal = _scope_refusal(claim, metadata)
    if refusal is not None:
        return note(rule, f"未比较：{quote}{stated_zh}；{refusal[0]}",
                    f"Not compared: {stated_en}; {refusal[1]}")
    if claim.approximate:
        return note(rule, f"未比较：{quote}{stated_zh}，为约数",
                    f"Not compared: {stated_en}, an approximate number")
    keys = tuple(r.cell.key for r in readings)
    label_zh = " + ".join(cell_zh(table, r.cell.row, r.cell.col) for r in readings)
    present = [r for r in readings if r.number is not None]
    if not present:
        return note(rule, f"未比较：{quote}{stated_zh}；{label_zh} 不是数字",
                    f"Not compared: {stated_en}; the table cell is not a number", keys)
    table_value = sum((r.number for r in present), Decimal(0))
    accepted = [table_value]
    if claim.kind == "received":
        # "受理…749件" often counts the carried-over applications too (一 + 二).
        carried = cells.number(APPLICATIONS, "carried_over", "total")
        if carried is not None:
            accepted.append(table_value + carried)
    if claim.number in accepted:
        return None
    also_zh = f"（一 + 二 为 {num(accepted[1])}）" if len(accepted) > 1 else ""
    also_en = f" (new + carried over is {num(accepted[1])})" if len(accepted) > 1 else ""
    diff = num(abs(claim.number - table_value))
    if claim.readings or claim.listed or claim.some:
        if table_value in claim.readings:
            return None
        meant = "、".join(num(n) for n in (claim.number, *claim.readings))
        why_zh, why_en = (("为所列各项之和，可能未列全", "the sum of the outcomes listed, which may not be all")
                          if claim.listed else
                          ("可能只是其中一部分（句中说的是其结果）", "it may be only some of them (the sentence "
                           "says what became of them)") if claim.some else
                          (f"句意可为 {meant} 件", f"it may mean {meant}"))
        return note(rule, f"未判为错误：{quote}{stated_zh}，{why_zh}；{label_zh} 为 {num(table_value)}",
                    f"Not called an error: {stated_en}; {why_en}; the table gives {num(table_value)}", keys)
    others = _other_counts(claim, claimed | set(claim.parts))
    if others:
        # "答复新申请3件，另有上年结转的2件因申请人逾期不补正终止" states 5; "予以公开4件、部分公开1件…"
        # states parts. A reading under which the sentence agrees with the table is enough.
        if table_value in (claim.number + sum(others), sum(others)):
            return None
        return note(rule, f"未判为错误：{quote}{stated_zh}，句中还有 {'、'.join(num(n) for n in others)} 件，"
                    f"句意不唯一；{label_zh} 为 {num(table_value)}",
                    f"Not called an error: {stated_en}, but the sentence states further counts "
                    f"({', '.join(num(n) for n in others)}), so its meaning is not unambiguous; "
                    f"the table gives {num(table_value)}", keys)
    if len(present) < len(readings):
        # Part of the table side is blank: a mismatch may be the blank, so do not call it an error.
        return note(rule, f"{quote}{stated_zh}，{label_zh} 中已填部分合计 {num(table_value)}，"
                    "其余空白，无法判断",
                    f"{stated_en}; the filled table cells add up to {num(table_value)}, the rest are blank",
                    keys)
    return violation(
        rule,
        f"{quote}{stated_zh}，而 {label_zh} 为 {num(table_value)}{also_zh}，相差 {diff}",
        f"{stated_en}, but the table gives {num(table_value)}{also_en}; difference {diff}",
        keys)


def check_text_numbers(report: Any, cells: Cells) -> list[Finding]:
    """X-2 / X-3: each application, review and lawsuit count the prose states vs tables 三 / 四."""
    year = getattr(report.metadata, "report_year", None)
    out = []
    for sentence in prose_sentences(report):
        claims = find_claims(sentence, year)
        claimed = {c.number for c in claims}
        for claim in claims:
            finding = _compare_claim(claim, cells, report.metadata, claimed)
            if finding is not None:
                out.append(finding)
    return out


def _fee_section_missing(report: Any) -> tuple[bool, str, str]:
    """(section 六 lacks 信息处理费, zh reason, en reason)."""
    text, _ = section_text(report, "六")
    if text is None:
        return True, "未找到第六部分", "section 6 was not found"
    if FEE_WORD in re.sub(r"\s+", "", text):
        return False, "", ""
    return True, "第六部分没有提到信息处理费", "section 6 does not mention information processing fees"


def check_unpaid_fee_reported(report: Any, cells: Cells) -> list[Finding]:
    """T3-6 (2021 form): （六）2 逾期未缴费 > 0 means fee notices went out; section 六 should say so."""
    if cells.version(APPLICATIONS) != "2021":
        return []
    table = cells.form_table(APPLICATIONS)
    counts = [(c.key, cells.number(APPLICATIONS, "other_unpaid_fee", c.key)) for c in table.columns]
    positive = [(k, n) for k, n in counts if n is not None and n > 0]
    if not positive:
        return []
    lacking, why_zh, why_en = _fee_section_missing(report)
    if not lacking:
        return []
    total = next((n for k, n in positive if k == "total"), max(n for _, n in positive))
    return [violation(
        "T3-6",
        f"{cell_zh(table, 'other_unpaid_fee', 'total')} 为 {num(total)}（发出过收费通知），但{why_zh}",
        f"Table 3 (6)2 'fee not paid' is {num(total)} (fee notices were issued), but {why_en}",
        tuple(f"{APPLICATIONS}.other_unpaid_fee.{k}" for k, _ in positive))]


def check_fee_reported(report: Any) -> list[Finding]:
    """X-4: the text says 信息处理费 were collected or notices issued; section 六 should report it.

    The table half of spec X-4 (（六）2 > 0) is T3-6, so one fact is reported once.
    """
    if report.form_version not in ("2019", "2021", "mixed"):
        return []  # before 2019 fees were cost fees under the 2007 条例, not 信息处理费
    evidence = []
    for sentence in prose_sentences(report):
        for pattern in (_FEE_COLLECTED, _FEE_NOTICES):
            m = pattern.search(sentence)
            if m and Decimal(m.group("n")) > 0:
                evidence.append(sentence)
    if not evidence:
        return []
    lacking, why_zh, why_en = _fee_section_missing(report)
    if not lacking:
        return []
    return [violation("X-4", f"正文“{evidence[0]}”提到收取信息处理费，但{why_zh}",
                      f"The text “{evidence[0]}” reports information processing fees, but {why_en}")]


def check_channels_within_total(report: Any) -> list[Finding]:
    """N-1: 网站 + 新媒体 published counts above the stated total (warn: channels overlap)."""
    stated: dict[str, Any] = {}
    for item in getattr(report, "narrative", []) or []:
        stated.setdefault(item.key, item)
    keys = ("published_total", "published_website", "published_new_media")
    total, site, media = (stated.get(k) for k in keys)
    if total is None or site is None or media is None:
        return []
    if site.value + media.value <= total.value:
        return []
    approx = any(x.approximate for x in (total, site, media))
    return [violation(
        "N-1",
        f"正文所述网站发布 {num(site.value)} + 新媒体发布 {num(media.value)} = "
        f"{num(site.value + media.value)}，"
        f"大于主动公开总数 {num(total.value)}（同一信息多渠道发布可致重叠{'；含约数' if approx else ''}）。"
        f"出处：“{total.sentence}”",
        f"Published on website {num(site.value)} + new media {num(media.value)} = "
        f"{num(site.value + media.value)} exceeds the total {num(total.value)} (channels may overlap"
        f"{'; approximate figures' if approx else ''})")]


def check_text(report: Any, cells: Cells) -> list[Finding]:
    return [*check_text_numbers(report, cells), *check_unpaid_fee_reported(report, cells),
            *check_fee_reported(report), *check_channels_within_total(report)]
