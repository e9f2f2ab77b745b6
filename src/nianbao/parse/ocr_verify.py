"""Numbers read by OCR are claims: the form's own arithmetic decides which are loaded.

After parsing, the sum identities of format-spec §5 — T3-1 (一 + 二 = （七）总计 + 四, per
column), T3-2 (（七）总计 = the outcome rows, per column), T3-3 and T4-1 (总计 = the row's
other columns), declared once in ``check.sum_identities`` for the checks and for this — are
evaluated over every table that OCR read. Here, unlike in the checks, a
blank cell counts as 0 (the reader calls a cell blank only when it holds no ink, so a missed
digit is "?", never blank); a rule whose one whole side is blank (总计 left unfilled) is not
evaluated, one blank on both sides holds.

- A cell whose every evaluated rule holds is *verified*.
- When rules fail, every single-digit change of one low-confidence cell is tried; if exactly
  one makes every rule hold, the cell is loaded with that correction named in its provenance.
- Otherwise every OCR'd cell in a failing rule is *unreadable*: it is not loaded as a number,
  and the report says which cells and why.
- A cell no rule covers (table 二 has none) was read twice by the reader, alone and in its
  row; it is *verified* by that second reading when both agree and together they are sure
  (1 − the product of their doubts ≥ ``SURE``), *unverified* when one reading is that sure
  but there was no second, else unreadable.

The outcome is written into each fact's place ("…; ocr 0.97 verified T3-1,T3-3").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from nianbao.check.sum_identities import SumIdentity, table_identities
from nianbao.form import FORMS
from nianbao.parse.model import Fact, Report, Value
from nianbao.read.document import Document, TableBlock
from nianbao.read.ocr import OcrPlace

LOW = 0.97  # below this a cell is a candidate for a one-digit correction
SURE = 0.95  # a cell no rule covers is loaded only at this confidence or above
_OCR_MARK = re.compile(r"; ocr (\d\.\d+)( reread(-differs|-replaces:\S+)?)?")

Key = tuple[str, str, str]


@dataclass
class Verification:
    verified: int = 0
    corrected: int = 0
    unverified: int = 0
    unreadable: list[str] | None = None


def ocr_confidences(doc: Document) -> dict[str, OcrPlace]:
    """Place text → place, for every table cell OCR read."""
    out = {}
    for block in doc.blocks:
        if isinstance(block, TableBlock):
            for row in block.rows:
                for c in row:
                    if isinstance(c.place, OcrPlace):
                        out[str(c.place)] = c.place
    return out


def form_rules(report: Report) -> list[SumIdentity]:
    """The sum identities of the tables (check.sum_identities) as the report's form versions declare them."""
    rules: list[SumIdentity] = []
    for key in ("applications", "review_litigation"):
        result = report.tables.get(key)
        if result is not None and result.version in FORMS:
            rules.extend(table_identities(FORMS[result.version].table(key)))
    return rules


def _amount(value: Value | None) -> Decimal | None:
    if value is None or value.kind == "na":
        return None
    return value.number if value.kind == "number" else Decimal(0)


def _holds(rule: SumIdentity, values: dict[Key, Value]) -> bool | None:
    """True / False, or None when a cell of the rule was not read, or one whole side is blank
    and the other is not (a report that leaves 总计 unfilled): not evaluated. Both sides
    blank hold: a column nobody applied in, left empty (no ink anywhere, so no missed digit)."""
    n = len(rule.left)
    blank = [all(values.get(k) is not None and values[k].kind == "blank" for k in side)
             for side in (rule.keys[:n], rule.keys[n:])]
    if all(blank):
        return True
    if any(blank):
        return None
    amounts = [_amount(values.get(k)) for k in rule.keys]
    if any(a is None for a in amounts):
        return None
    return sum(amounts[:n], Decimal(0)) == sum(amounts[n:], Decimal(0))


def _sure(place: OcrPlace) -> bool:
    """Sure of every character: one reading at ``SURE`` or above, or two readings that agree
    and together are (a wrong digit would have to be misread alike, in its row and alone)."""
    if place.reread is False:
        return False
    doubt = 1 - place.confidence
    if place.reread:
        doubt *= 1 - place.again
    return 1 - doubt >= SURE


def _one_digit_changes(value: Value) -> list[Value]:
    digits = value.raw.strip()
    if not digits.isdigit():
        return []
    out = []
    for i, old in enumerate(digits):
        for new in "0123456789":
            if new != old and not (new == "0" and i == 0 and len(digits) > 1):
                text = digits[:i] + new + digits[i + 1:]
                out.append(Value("number", Decimal(text), text))
    return out


def verify_ocr_facts(report: Report, doc: Document) -> Verification | None:
    """Verify, correct or withhold every number OCR read (see the module text). None when
    the report has no OCR'd table cells."""
    places = ocr_confidences(doc)
    read = {f.key: places[_place_key(f.place)] for f in report.facts if _place_key(f.place) in places}
    ocr = {k: p.confidence for k, p in read.items()}
    if not ocr:
        return None
    values = {f.key: f.value for f in report.facts}
    rules = [r for r in form_rules(report) if any(k in ocr for k in r.keys)]
    failing = [r for r in rules if _holds(r, values) is False]
    corrected: dict[Key, Value] = {}
    if failing:
        fix = _unique_fix(failing, rules, values, ocr)
        if fix is not None:
            corrected[fix[0]] = fix[1]
            values[fix[0]] = fix[1]
    by_cell: dict[Key, list[tuple[str, bool | None]]] = {}
    for rule in rules:
        outcome = _holds(rule, values)
        for k in rule.keys:
            by_cell.setdefault(k, []).append((rule.rule_id, outcome))
    out = Verification(unreadable=[])
    kept: list[Fact] = []
    for fact in report.facts:
        if fact.key not in ocr:
            kept.append(fact)
            continue
        outcomes = [o for _, o in by_cell.get(fact.key, []) if o is not None]
        held = sorted({r for r, o in by_cell.get(fact.key, []) if o})
        doubt = fact.value.kind == "number" and not _sure(read[fact.key])
        if False in outcomes or (not outcomes and doubt):
            out.unreadable.append(".".join(fact.key))  # a blank too: it may be a digit the engine missed
            continue
        elif fact.key in corrected:
            new = corrected[fact.key]
            note = f" corrected {fact.value.raw.strip()}→{new.raw} by {','.join(held)}"
            kept.append(replace(fact, value=Value("number", new.number, new.raw, fact.value.unit),
                                place=fact.place + note))
            out.corrected += 1
        elif outcomes:
            kept.append(replace(fact, place=fact.place + f" verified {','.join(held)}"))
            out.verified += 1
        elif read[fact.key].reread:
            kept.append(replace(fact, place=fact.place + " verified by second reading"))
            out.verified += 1
        else:
            kept.append(replace(fact, place=fact.place + " unverified"))
            out.unverified += 1
    report.facts[:] = kept
    report.warnings.append(_summary(out))
    if out.unreadable:
        report.ocr_withheld = list(out.unreadable)
        report.warnings.append(withheld_message(out.unreadable))
    return out


def withheld_message(cells: list[str]) -> str:
    return (f"OCR：{len(cells)} 个单元格的识别结果不符合表内勾稽关系或不够确定，未载入 / "
            f"OCR: {len(cells)} cells failed the table's arithmetic or were uncertain and were not "
            f"loaded: {', '.join(cells)}")


def _unique_fix(failing: list[SumIdentity], rules: list[SumIdentity], values: dict[Key, Value],
                ocr: dict[Key, float]) -> tuple[Key, Value] | None:
    """The one single-digit change of one low-confidence cell that makes every rule hold."""
    suspects = set.intersection(*(set(r.keys) for r in failing))
    found: list[tuple[Key, Value]] = []
    for key in sorted(suspects):
        if key not in ocr or ocr[key] >= LOW or values[key].kind != "number":
            continue
        related = [r for r in rules if key in r.keys]  # every failing rule is among them
        for candidate in _one_digit_changes(values[key]):
            trial = {**values, key: candidate}
            if all(_holds(r, trial) is not False for r in related):
                found.append((key, candidate))
    return found[0] if len(found) == 1 else None


def _place_key(place: str) -> str:
    m = _OCR_MARK.search(place)
    return place[:m.end()] if m else place


def _summary(v: Verification) -> str:
    return (f"OCR核验：{v.verified} 个单元格经表内勾稽关系核验，{v.corrected} 个经单个数字更正，"
            f"{v.unverified} 个无勾稽关系可核验，{len(v.unreadable or [])} 个未载入 / OCR verification: "
            f"{v.verified} cells verified by the table's arithmetic, {v.corrected} corrected by one digit, "
            f"{v.unverified} not covered by any rule, {len(v.unreadable or [])} not loaded")
