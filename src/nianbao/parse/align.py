"""Printed labels the form's wording does not match exactly, aligned with the form's rows.

Agencies retype labels: a look-alike or sound-alike character (申请 → 申情), one dropped or
doubled, a slip of the keyboard. A label that no declared wording matches is still the row
the form expects at that place when (1) it sits between the rows read before and after it,
(2) it is at most one or two characters away from that row's wording, (3) its numbering, if
printed, is the row's (unless that row is the only one missing there), and (4) its values
fill the row's cells. The alignment must be unique: a label that could be two rows, or two
labels that claim one row, decide nothing and the rows are reported unreadable. Every row
matched this way carries a warning naming the printed label and the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from nianbao.form import Row

# A label: optional numbering, then text without digits (no form label holds a digit).
_CANDIDATE = re.compile(r"(?:\d{1,2}\.|\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、)?"
                        r"[^\d\x1f\n]*[\u4e00-\u9fff][^\d\x1f\n]*")
_NUMBERING = re.compile(r"^(\d{1,2}\.|\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}[、,])")
# A note after the words ("部分公开(区分处理的,只计这一情形…)"), cut from its opening bracket so
# that a doubled, lost or stray closing bracket (OCR) does not keep it in the label.
_TRAILING_NOTE = re.compile(r"(?<=[^\s(])\(.*$")
_NOISE = re.compile(r"[\s,，、\"“”]")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    label: str  # as printed (normalised)


def candidates(text: str, start: int, end: int) -> list[Candidate]:
    """Label-like runs of text between ``start`` and ``end``."""
    out = []
    for m in _CANDIDATE.finditer(text, start, end):
        label = m.group().strip()
        if label:
            out.append(Candidate(m.start(), m.end(), label))
    return out


def split_numbering(label: str) -> tuple[str, str]:
    """(numbering, words) with the words reduced for comparison."""
    m = _NUMBERING.match(label)
    prefix, core = (m.group(1).replace(",", "、"), label[m.end():]) if m else ("", label)
    core = _TRAILING_NOTE.sub("", core)
    return prefix, _NOISE.sub("", core)


def max_distance(core: str) -> int:
    """One character off for short labels, two for longer ones; never half the label."""
    return 0 if len(core) < 2 else 1 if len(core) <= 5 else 2


def distance(printed: str, row: Row, numbered: bool = True) -> int | None:
    """Edit distance from a printed label to the row's nearest wording; None if the printed
    numbering contradicts the row's (unless ``numbered`` is False) or the label is too far
    from every wording."""
    prefix, core = split_numbering(printed)
    if numbered and prefix and row.prefix and prefix != row.prefix.replace(",", "、"):
        return None
    best = None
    for label in row.labels:
        target = split_numbering(label)[1]
        limit = max_distance(target)
        d = Levenshtein.distance(core, target, score_cutoff=limit)
        if d <= limit and (best is None or d < best):
            best = d
    return best


def closest_rows(printed: str, rows: list[Row]) -> list[Row]:
    """The rows at the smallest distance from ``printed`` (several: ambiguous, none: no match).
    When one row is missing between the rows read around it, its place and its words decide:
    a misprinted or misread numbering ("(三)部分公开" between (一) and (三)) does not veto it."""
    scored = [(d, r) for r in rows if (d := distance(printed, r, numbered=len(rows) > 1)) is not None]
    if not scored:
        return []
    best = min(d for d, _ in scored)
    return [r for d, r in scored if d == best]


# --- section headings ------------------------------------------------------------------------

_CN = "一二三四五六"
_HEADING_LINE = re.compile(r"^(?:([一二三四五六])[、,.]|\(([一二三四五六])\))([^\n\x1f]{2,40})$", re.M)


def _title_distance(printed: str, titles: tuple[str, ...]) -> int | None:
    core = _NOISE.sub("", printed)
    best = None
    for title in titles:
        target = _NOISE.sub("", title)
        limit = max_distance(target)
        d = Levenshtein.distance(core, target, score_cutoff=limit)
        if d <= limit and (best is None or d < best):
            best = d
    return best


def align_headings(text: str, found: dict[str, re.Match[str]],
                   titles: dict[str, tuple[str, ...]]) -> dict[str, re.Match[str]]:
    """Section headings no declared wording matched, found between the headings around them:
    a line numbered as the missing section whose words are one or two characters off one of
    its wordings. Only a single such line counts; several decide nothing."""
    out: dict[str, re.Match[str]] = {}
    for i, number in enumerate(_CN):
        if number in found:
            continue
        before = [found[n].end() for n in _CN[:i] if n in found]
        after = [found[n].start() for n in _CN[i + 1:] if n in found]
        lo, hi = (max(before) if before else 0), (min(after) if after else len(text))
        hits = [m for m in _HEADING_LINE.finditer(text, lo, hi)
                if (m.group(1) or m.group(2)) == number and _title_distance(m.group(3), titles[number]) is not None]
        if len(hits) == 1:
            out[number] = hits[0]
    return out
