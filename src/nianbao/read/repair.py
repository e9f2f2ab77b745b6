"""Table clean-up for drawn (PDF, DOCX) tables: filler cells of a label drawn in two parts, and
whether a cell is exactly a numbered row label (to rejoin a row a page break cut in two).

Labels that real reports print with words missing are declared as variants in
:mod:`nianbao.form`, never guessed here.
"""

from __future__ import annotations

import re
from functools import cache

from nianbao.form import FORMS
from nianbao.form.labels import normalize_label
from nianbao.read.document import TableBlock
from nianbao.read.furniture import looks_like_value

_NUMBERING = re.compile(r"^(\d+\.|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+,)")


@cache
def _labels_by_prefix() -> dict[str, tuple[tuple[str, str], ...]]:
    """Normalised numbering → (normalised label, printed label) of every numbered form row."""
    out: dict[str, set[tuple[str, str]]] = {}
    for form in FORMS.values():
        for table in form.tables:
            for row in table.rows:
                if not row.prefix:
                    continue
                prefix = normalize_label(row.prefix)
                for label in row.labels:
                    # every wording of a row repairs to the row's own printed label
                    out.setdefault(prefix, set()).add((normalize_label(label), row.prefix + row.zh))
    return {k: tuple(sorted(v)) for k, v in out.items()}


@cache
def _all_labels() -> frozenset[str]:
    return frozenset(label for group in _labels_by_prefix().values() for label, _ in group)


def is_form_label(text: str) -> bool:
    """Whether a cell's text is exactly a numbered row label of a form."""
    norm = normalize_label(text)
    m = _NUMBERING.match(norm)
    return bool(m) and norm[m.end():] in _all_labels()


def _is_value(text: str) -> bool:
    return looks_like_value(text) and bool(text.strip())


def drop_label_fillers(table: TableBlock) -> TableBlock:
    """Empty cells left of the value columns (a label cell drawn in two parts) are not values."""
    starts: dict[int, int] = {}
    for row in table.rows:
        cols = [c.place.col for c in row if c.place.col is not None and _is_value(c.text)]
        if cols:
            starts[min(cols)] = starts.get(min(cols), 0) + 1
    if not starts:
        return table
    first_value_col = max(starts, key=lambda k: (starts[k], -k))
    rows = tuple(tuple(c for c in row if c.text.strip() or c.place.col is None
                       or c.place.col + c.colspan - 1 >= first_value_col) for row in table.rows)
    return TableBlock(tuple(r for r in rows if r), table.place)
