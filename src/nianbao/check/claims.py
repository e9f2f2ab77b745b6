"""Numbers the prose states about applications, reviews and lawsuits (for X-2 / X-3).

Only statements in a tight form are taken: a verb or row name, at most a few words, the
number and its unit (件/起). A sentence that names another body ("区政府办代表区政府受理…
17件" in a whole-district report) is kept with its subject so the rule can decline to
compare it. Patterns run in a fixed order and each match is blanked out before the next
pattern runs, so "转下一年度办理答复的有1件" is a carry-forward, not a handled count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

_N = r"(?P<n>\d+(?:,\d{3})*)"
_JIAN = r"(?:余|多)?\s*件"  # "30余件" is matched and then marked approximate
_CASE = r"(?:余|多)?\s*(?:件|起|宗|个)"
_NEXT_YEAR = r"(?:结转|顺延|转)(?:至|到|入)?(?:下一?个?年度?|次年|\d{4}年度?)"

# (kind, pattern) in matching order.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("carried_over", re.compile(rf"上一?年度?结转(?:的)?[^,\d]{{0,16}}?(?:共计|共)?{_N}{_JIAN}")),
    ("carried_forward", re.compile(rf"{_NEXT_YEAR}[^,\d]{{0,12}}?{_N}{_JIAN}")),
    ("carried_forward", re.compile(rf"{_N}{_JIAN}[^,\d]{{0,12}}?{_NEXT_YEAR}")),
    ("reviews", re.compile(rf"行政复议(?:案件|申请)?(?:共计|共)?{_N}{_CASE}")),
    ("lawsuits", re.compile(rf"(?:行政)?诉讼(?:案件)?(?:共计|共)?{_N}{_CASE}")),
    ("received", re.compile(rf"(?:收到|受理|接收|接到|新收)[^,\d]{{0,30}}?申请[^,\d]{{0,8}}?"
                            rf"(?:共计|合计|共)?{_N}{_JIAN}")),
    ("received", re.compile(rf"(?:收到|受理|接收|新收)(?:了)?(?:共计|共)?{_N}{_JIAN}[^,\d]{{0,10}}?申请")),
    ("handled", re.compile(rf"(?:办结|答复|办理)(?:了)?[^,\d]{{0,14}}?(?:共计|共)?{_N}{_JIAN}")),
)
# Words that make a match about something else: other case types, or one outcome category.
_OFF_TOPIC = re.compile(r"复议|诉讼|案件|咨询|诉求|建议|提案|留言|来信|信件|热线|事项")
_ONE_OUTCOME = re.compile(r"同意|予以|部分|不予|无法|其中|其他|公开答复")
_COMBINED = re.compile(r"复议[、,和及与]\s*$")  # "行政复议、行政诉讼案件74件" counts both
_APPROX_AFTER = re.compile(r"^\s*(?:余|多)")
_APPROX_BEFORE = re.compile(r"(?:近|约|超过|逾)$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class Claim:
    kind: str  # received | handled | carried_over | carried_forward | reviews | lawsuits
    number: Decimal
    sentence: str
    prefix: str  # the sentence up to the match: where its subject is
    approximate: bool
    other_year: int | None  # a year named before the number that is not the report year
    # Other totals the sentence may mean (a mismatch with every one is info, not an error):
    # "答复新收申请3件，上年结转的2件因…终止" may state 3 or 3 + 2 handled.
    readings: tuple[Decimal, ...] = ()
    parts: tuple[Decimal, ...] = ()  # outcome counts listed one by one, already accounted for
    listed: bool = False  # the number is the sum of listed outcomes (the list may be incomplete)
    some: bool = False  # "上年结转的2件因…终止": may be only some of the carried-over applications


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + "□" * (end - start) + text[end:]


def _keep(kind: str, match: re.Match[str], work: str, sentence: str) -> bool:
    """`work` is the sentence with earlier matches blanked out; `sentence` is as printed."""
    body = match.group(0)
    before = work[:match.start()]
    if kind == "lawsuits" and _COMBINED.search(before):
        return False
    if kind in ("received", "handled") and _OFF_TOPIC.search(body):
        return False
    if kind == "handled" and (_ONE_OUTCOME.search(body) or before.endswith("公开") or "申请" not in sentence):
        return False
    return True


# Outcomes listed one by one ("予以公开4件、部分公开1件、不予公开2件"): parts of the handled total.
_PART = re.compile(rf"(?:予以公开|同意公开|部分公开|不予公开|无法提供|不予处理|其他处理)(?:的)?(?:共)?{_N}{_JIAN}")
# A carried-over count followed by what became of it: those applications were handled this year.
_CLOSED = re.compile(r"^[^,;。\d]{0,24}?(?:终止|办结|答复|不再处理|处理完毕)")


# "答复新收申请3件": the new applications answered, a handled count (not the number received).
_NEW_ANSWERED = re.compile(r"(?:答复|办结|办理)(?:了)?(?:共计|共)?新收$")


def _outcome_parts(sentence: str) -> list[Decimal]:
    return [Decimal(m.group("n").replace(",", "")) for m in _PART.finditer(sentence)]


def _with_readings(claims: list[Claim], sentence: str) -> list[Claim]:
    """What the handled count of a sentence may mean, from the outcomes and closures it lists."""
    parts = _outcome_parts(sentence)
    closed = [c for c in claims if c.kind == "carried_over"
              and _CLOSED.match(sentence[len(c.prefix):].split("件", 1)[-1])]
    out = []
    for c in claims:
        if c.kind == "handled":
            readings = set()
            if parts and sum(parts) != c.number:
                readings.add(sum(parts))  # the parts may be all of it, or only some ("其中…")
            later = sum((o.number for o in closed if len(o.prefix) > len(c.prefix)), Decimal(0))
            if later and _NEW_ANSWERED.search(c.prefix + "新收"):
                # "答复新收申请3件，上年结转的2件…终止": 3 + 2 handled (or, read loosely, 3)
                readings.add(c.number)
                c = replace(c, number=c.number + later)
            elif later:
                readings.add(c.number + later)
            readings.discard(c.number)
            c = replace(c, readings=tuple(sorted(readings)), parts=tuple(parts))
        elif c in closed:
            c = replace(c, some=True)
        out.append(c)
    if len(parts) >= 2 and not any(c.kind == "handled" for c in claims):
        first = next(_PART.finditer(sentence))
        out.append(Claim("handled", sum(parts, Decimal(0)), sentence, sentence[:first.start()], False, None,
                         parts=tuple(parts), listed=True))
    return out


def find_claims(sentence: str, report_year: int | None) -> list[Claim]:
    """Every statement of one kind in one normalised sentence."""
    out = []
    work = sentence
    for kind, pattern in _PATTERNS:
        for m in list(pattern.finditer(work)):
            if not _keep(kind, m, work, sentence):
                continue
            if kind == "received" and m.group(0).startswith("新收") \
                    and _NEW_ANSWERED.search(work[:m.start()] + "新收"):
                kind_here = "handled"
            else:
                kind_here = kind
            work = _blank(work, m.start(), m.end())
            prefix = sentence[:m.start()]
            after = sentence[m.end("n"):]
            approximate = bool(_APPROX_AFTER.match(after) or _APPROX_BEFORE.search(sentence[:m.start("n")]))
            years = [int(y) for y in _YEAR.findall(prefix)]
            other = next((y for y in years if report_year is not None and y != report_year), None)
            number = Decimal(m.group("n").replace(",", ""))
            out.append(Claim(kind_here, number, sentence, prefix, approximate, other))
    return _with_readings(out, sentence)
