"""Finding a report's six sections, and its prose sentences, for the text and document rules."""

from __future__ import annotations

import re
from typing import Any

from nianbao.form import SECTIONS
from nianbao.form.labels import collapse_cjk_spaces, normalize_text

_HEADING_LINE = re.compile(r"^\s*([一二三四五六七八九十])\s*[、.．]\s*(\S.{0,40})$", re.M)
_ANY_HEADING = re.compile(r"^\s*[一二三四五六七八九十]\s*[、.．]", re.M)
_SENTENCE_END = re.compile(r"[。!?！？]")  # not ；: "…申请749件；共办理718件" is one statement
_TABLE_LINE = re.compile(r"\t|\||^\s*-\s*\d+\s*-\s*$")  # table rows, PDF page numbers
_SIMILAR = 0.5  # share of a declared heading's character pairs a printed variant must contain


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _looks_like(heading: str, number: str) -> bool:
    """Whether a printed heading is a wording of section `number` the parser does not declare."""
    section = next(s for s in SECTIONS if s.number == number)
    printed = _bigrams(re.sub(r"\s+", "", heading))
    for label in (section.zh, *section.variants):
        pairs = _bigrams(label)
        if pairs and len(pairs & printed) / len(pairs) >= _SIMILAR:
            return True
    return False


def section_text(report: Any, number: str) -> tuple[str | None, bool]:
    """(body of section `number` or None, whether the parser found it itself).

    When the parser did not recognise the heading, a numbered line that resembles a declared
    heading (e.g. "五、存在的主要问题及整改措施") still counts: a missing heading variant in
    the parser must not read as a missing section in the report.
    """
    for s in getattr(report, "sections", []) or []:
        if s.number == number:
            return s.text, True
    text = getattr(report, "text", "") or ""
    for m in _HEADING_LINE.finditer(text):
        if m.group(1) == number and _looks_like(m.group(2), number):
            nxt = _ANY_HEADING.search(text, m.end())
            return text[m.end():nxt.start() if nxt else len(text)].strip(), False
    return None, False


def prose_sentences(report: Any) -> list[str]:
    """The report's prose, normalised and split into sentences; table lines are left out.

    Lines are joined before splitting because PDF and crawler text wrap mid-sentence
    ("受理政府\\n信息公开申请 17 件").
    """
    sections = getattr(report, "sections", []) or []
    blocks = [s.text for s in sections] if sections else [getattr(report, "text", "") or ""]
    out = []
    for block in blocks:
        lines = [ln.strip() for ln in block.splitlines() if ln.strip() and not _TABLE_LINE.search(ln)]
        joined = collapse_cjk_spaces(normalize_text("".join(lines)))
        out.extend(s.strip() for s in _SENTENCE_END.split(joined) if s.strip())
    return out
