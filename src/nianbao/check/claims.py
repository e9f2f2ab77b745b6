"""Numbers the prose states about applications, reviews and lawsuits (for X-2 / X-3).

Only statements in a tight form are taken: a verb or row name, at most a few words, the
number and its unit (件/起). A sentence that names another body ("区政府办代表区政府受理…
17件" in a whole-district report) is kept with its subject so the rule can decline to
compare it. Patterns run in a fixed order and each match is blanked out before the next
pattern runs, so "转下一年度办理答复的有1件" is a carry-forward, not a handled count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


def find_claims(sentence: str, report_year: int | None) -> list[Claim]:
    """Every statement of one kind in one normalised sentence."""
    out = []
    work = sentence
    for kind, pattern in _PATTERNS:
        for m in list(pattern.finditer(work)):
            if not _keep(kind, m, work, sentence):
                continue
            work = _blank(work, m.start(), m.end())
            prefix = sentence[:m.start()]
            after = sentence[m.end("n"):]
            approximate = bool(_APPROX_AFTER.match(after) or _APPROX_BEFORE.search(sentence[:m.start("n")]))
            years = [int(y) for y in _YEAR.findall(prefix)]
            other = next((y for y in years if report_year is not None and y != report_year), None)
            number = Decimal(m.group("n").replace(",", ""))
            out.append(Claim(kind, number, sentence, prefix, approximate, other))
    return out
