"""Page furniture: page numbers and running headers that a PDF's pages (or text copied out of
one) put between a document's lines. Removed before rows are assembled, so that a page number
under a table's last row is never read as one more cell, and a row a page break cut in two
joins up again.

Also the shape of a printed value, which readers need to tell a label cell from a value cell
without knowing anything of the parser.
"""

from __future__ import annotations

import re
from collections import Counter

# "-3-", "— 3 —", "第3页", "第 3 页 共 5 页", "3/5", or (PDF margins only) a bare number.
PAGE_NUMBER = re.compile(r"^[-—–－_~·\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?"
                         r"[-—–－_~·\s]*$")
# In running text a page number must be decorated: a bare number line is a cell.
_DECORATED = re.compile(r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?"
                        r"|\d{1,4}\s*[/／]\s*\d{1,4}\s*页?)\s*$")
# A dash-framed page number the next paragraph ran into ("— 4 —（二）…", "-2- 注：…"): the mark
# goes, the words stay. Only words may follow: a number after it could be a cell.
_LEADING_MARK = re.compile(r"^\s*[-—–－]+\s*\d{1,4}\s*[-—–－]+\s*(?=[(（\u4e00-\u9fff])")
_VALUE = re.compile(r"^\s*(?:[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:万元|元|件|条|项|个|次)?"
                    r"|/|-|—|——|–|－|／|无|N/A|NA|不适用)?\s*$")
_HEADER_MAX = 60


def is_page_mark(line: str) -> bool:
    """A line that is only a page number, as running text prints it."""
    return bool(_DECORATED.match(line))


def looks_like_value(text: str) -> bool:
    """Whether a cell's text reads as one printed value (or a blank / not-applicable mark)."""
    return bool(_VALUE.match(text))


def drop_text_furniture(lines: list[str]) -> list[str | None]:
    """The lines with page numbers, and the running header next to each, replaced by None.

    A running header is a short untabbed line right before or after a page number whose text
    is printed as a whole line elsewhere too (the title, the agency's name at the signature).
    """
    lines = [_LEADING_MARK.sub("", line) for line in lines]
    marks = [i for i, line in enumerate(lines) if is_page_mark(line)]
    if not marks:
        return list(lines)
    counts = Counter(line.strip() for line in lines if line.strip())
    out: list[str | None] = list(lines)
    for i in marks:
        out[i] = None
        for j in (i + 1, i - 1):
            if 0 <= j < len(lines) and out[j] is not None:
                text = lines[j].strip()
                if text and not lines[j].startswith("\t") and len(text) <= _HEADER_MAX and counts[text] >= 2:
                    out[j] = None
    return out
