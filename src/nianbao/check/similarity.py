"""雷同: how much of a report's text repeats the same agency's earlier report, section by section.

The measure is character-level, which suits Chinese (no word segmentation needed): the two
texts are aligned by their longest common subsequence (rapidfuzz's bit-parallel Indel
alignment, see docs/review.md for the speed against difflib), and a character counts as
repeated when it lies in an aligned run of at least ``MIN_RUN`` identical characters — a
shared 的 or 政府信息 between two different sentences is not a copied passage.

Before comparing, what every report prints by the form is removed (``BOILERPLATE`` and the
form's own headings and table labels, derived from :mod:`nianbao.form`), whitespace is
dropped, and every number becomes ``#``: last year's text with only the figures and the year
changed is still a copy (东莞统计局 2010, review-rules E03).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from rapidfuzz.distance import Indel

from nianbao.form import FORMS, SECTIONS
from nianbao.form.labels import normalize_text

THRESHOLD = 0.5  # 宿迁 "与上年度重复率大于50%" (review-rules E03): more than half repeated is 雷同
MIN_RUN = 8  # characters: shorter common runs are shared vocabulary, not copied passages
MIN_CHARS = 50  # a text shorter than this (after cleaning) says too little to be called a copy

# Sentences the form or the State Council's template makes every report print (review-rules E03:
# "the nianbao boilerplate list"). A sentence matching any of these is removed before comparing.
BOILERPLATE: tuple[str, ...] = (
    r"本报告.{0,80}(?:根据|依据|按照).{0,40}《中华人民共和国政府信息公开条例》",
    r"(?:根据|依据|按照)《中华人民共和国政府信息公开条例》.{0,120}(?:编制|公布|发布|报告)",
    r"(?:全文|本报告)(?:包括|分为|由).{0,20}总体情况.{0,120}其他需要报告的事项",
    r"统计期限(?:自|从|为)?.{0,30}至.{0,20}(?:止|为止)?",
    r"本报告(?:的)?电子版可在.{0,80}(?:下载|查阅|获取)",
    r"如对本报告有(?:任何)?(?:疑问|意见|建议).{0,200}",
    r"^(?:无|暂无|本年度无|本机关无)?其他需要报告的事项[。.]?$",
)
_BOILER = re.compile("|".join(f"(?:{p})" for p in BOILERPLATE))
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBERING = re.compile(r"[(（]?[一二三四五六七八九十]{1,2}[)）、,.]")  # 二、 （三） — heading numbers
_DROP_CHARS = re.compile(r"[\s\t]+")
_SENTENCE = re.compile(r"(?<=[。！？!?；;])")
_TABLE_LINE = re.compile(r"\t")


@cache
def _form_labels() -> re.Pattern[str]:
    """The section titles and every printed table label and caption of both forms."""
    labels: set[str] = set()
    for s in SECTIONS:
        labels.update((s.zh, *s.variants))
    for form in FORMS.values():
        for table in form.tables:
            labels.update((table.zh, *table.group_labels, *table.header_labels))
            labels.update(c.zh for c in table.columns)
            for row in table.rows:
                labels.update(row.labels)
                if row.group:
                    labels.add(row.group)
    labels.update(("第二十条第", "勾稽关系", "申请人情况", "法人或其他组织", "本年度办理结果"))
    ordered = sorted((normalize_text(x) for x in labels if len(x) >= 2), key=len, reverse=True)
    return re.compile("|".join(re.escape(x) for x in ordered))


def clean(text: str) -> str:
    """The text as compared: table rows and boilerplate sentences out, form labels out,
    whitespace out, numbers as ``#``."""
    lines = [ln for ln in (text or "").splitlines() if not _TABLE_LINE.search(ln)]
    joined = normalize_text("".join(lines))
    kept = [s for s in _SENTENCE.split(joined) if s and not _BOILER.search(s)]
    body = _NUMBERING.sub("", _form_labels().sub("", "".join(kept)))
    body = _NUMBER.sub("#", body)
    return _DROP_CHARS.sub("", body)


def repeated_runs(this: str, before: str, min_run: int = MIN_RUN) -> list[tuple[int, int, int]]:
    """(start in this, start in before, length) of every aligned identical run ≥ ``min_run``."""
    out = []
    for op in Indel.opcodes(this, before):
        if op.tag == "equal" and op.src_end - op.src_start >= min_run:
            out.append((op.src_start, op.dest_start, op.src_end - op.src_start))
    return out


def repeated_chars(this: str, before: str) -> int:
    return sum(n for _, _, n in repeated_runs(this, before))


@dataclass(frozen=True)
class SectionShare:
    section: str  # 一 … 六, or "all" for a report without recognised sections
    chars: int
    same_chars: int

    @property
    def share(self) -> float:
        return self.same_chars / self.chars if self.chars else 0.0


def section_texts(report: Any) -> dict[str, str]:
    """Cleaned text per section number; the whole text under "all" when no section was found."""
    sections = getattr(report, "sections", None) or []
    if sections:
        out: dict[str, str] = {}
        for s in sections:
            out[s.number] = out.get(s.number, "") + clean(s.text)
        return out
    return {"all": clean(getattr(report, "text", "") or "")}


def compare(report: Any, previous: Any) -> list[SectionShare]:
    """Per-section repeated characters of ``report`` against ``previous`` (section by section;
    a section the earlier report lacks repeats nothing)."""
    return compare_texts(section_texts(report), section_texts(previous))


def compare_texts(mine: dict[str, str], theirs: dict[str, str]) -> list[SectionShare]:
    """:func:`compare` of two reports' :func:`section_texts`."""
    if "all" in mine or "all" in theirs:  # one side has no sections: compare whole texts
        mine = {"all": "".join(mine.values())}
        theirs = {"all": "".join(theirs.values())}
    return [SectionShare(number, len(text), repeated_chars(text, theirs.get(number, "")))
            for number, text in mine.items() if text]


def overall(shares: list[SectionShare]) -> SectionShare:
    return SectionShare("all", sum(s.chars for s in shares), sum(s.same_chars for s in shares))


def text_digest(report: Any) -> tuple[str, int]:
    """(digest, characters) of the report's own words with numbers kept: two reports with the
    same digest print the same text."""
    lines = [ln for ln in (getattr(report, "text", "") or "").splitlines() if not _TABLE_LINE.search(ln)]
    body = _DROP_CHARS.sub("", _form_labels().sub("", normalize_text("".join(lines))))
    return hashlib.sha256(body.encode()).hexdigest()[:32], len(body)


def nonzero_cells(report: Any) -> dict[tuple[str, str, str], str]:
    """Every printed non-zero number of the three tables, by cell."""
    return {f.key: f.value.as_csv() for f in getattr(report, "facts", [])
            if f.value.kind == "number" and f.value.number != 0}


def table_digest(report: Any) -> tuple[str, int]:
    """(digest, non-zero cells) of the tables: equal digests mean every non-zero cell is equal."""
    cells = nonzero_cells(report)
    body = ";".join(f"{t}.{r}.{c}={v}" for (t, r, c), v in sorted(cells.items()))
    return hashlib.sha256(body.encode()).hexdigest()[:32], len(cells)
