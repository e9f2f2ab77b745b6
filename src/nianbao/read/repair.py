"""Repair of row labels that a table prints with characters missing.

Real reports drop characters from a label when it overflows its cell (洪泽区 prints
"2.其他法律行政止公开" for "2.其他法律行政法规禁止公开"). A table cell is repaired only when
its numbering matches a form row's numbering and its words are an in-order subset of exactly
one such row's label, covering most of it. The repair is reported as a warning.
"""

from __future__ import annotations

import re
from functools import cache

from nianbao.form import FORMS
from nianbao.form.labels import normalize_label
from nianbao.parse.values import parse_value
from nianbao.read.document import Cell, TableBlock

_NUMBERING = re.compile(r"^(\d+\.|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+,)")
_MIN_COVER = 0.6
_MIN_CHARS = 4


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


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def repaired_label(text: str) -> str | None:
    """The form's label for a printed label with characters missing, or None."""
    norm = normalize_label(text)
    m = _NUMBERING.match(norm)
    if not m:
        return None
    core = norm[m.end():]
    candidates = _labels_by_prefix().get(m.group(1), ())
    if len(core) < _MIN_CHARS or any(core.startswith(label) for label, _ in candidates):
        return None
    fits = {printed for label, printed in candidates
            if len(core) < len(label) and len(core) >= _MIN_COVER * len(label) and _is_subsequence(core, label)}
    return fits.pop() if len(fits) == 1 else None


def repair_table(table: TableBlock) -> tuple[TableBlock, list[str]]:
    """Label-area filler cells dropped and damaged row labels repaired, with a note per repair."""
    return repair_labels(drop_label_fillers(table))


def _is_value(text: str) -> bool:
    return parse_value(text) is not None and bool(text.strip())


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


def repair_labels(table: TableBlock) -> tuple[TableBlock, list[str]]:
    """The table with damaged row labels replaced (only cells followed by value cells)."""
    notes: list[str] = []
    rows = []
    for row in table.rows:
        cells = list(row)
        for i, cell in enumerate(cells[:-1]):
            fixed = repaired_label(cell.text)
            if fixed is None:
                continue
            cells[i] = Cell(fixed, cell.place, cell.rowspan, cell.colspan)
            where = cell.place
            notes.append(f"表格标签“{cell.text}”不完整，按“{fixed}”读取（{where}） / "
                         f"table label '{cell.text}' is incomplete, read as '{fixed}' ({where})")
        rows.append(tuple(cells))
    return TableBlock(tuple(rows), table.place), notes
