"""Metric keys the app offers, their labels and units, and whether they compare across forms.

A metric key is ``table.row.col`` for a form cell or ``narrative.<key>`` for a publication count
stated in the text. Labels, units and comparability all come from :mod:`nianbao.form`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nianbao.app.i18n import narrative_metrics
from nianbao.form import FORMS, metric_catalog, normalize_label

UNITS_EN = {"件": "cases", "项": "items", "万元": "10k yuan", "条": "items", "场": "events", "篇": "articles",
            "as printed": "as printed", "%": "%"}


def unit_text(unit: str, lang: str) -> str:
    """A unit as the screen's language writes it (件 → cases)."""
    return UNITS_EN.get(unit, unit) if lang == "en" else unit


def with_unit(name: str, unit: str, lang: str) -> str:
    """A name followed by its unit: full-width brackets in Chinese, " (…)" in English."""
    u = unit_text(unit, lang)
    return f"{name}（{u}）" if lang == "zh" else f"{name} ({u})"


@dataclass(frozen=True)
class MetricInfo:
    key: str
    zh: str
    en: str
    unit: str
    versions: tuple[str, ...]

    def label(self, lang: str = "zh", unit: bool = True) -> str:
        name = self.en if lang == "en" else self.zh
        return with_unit(name, self.unit, lang) if unit else name

    def unit_label(self, lang: str = "zh") -> str:
        return unit_text(self.unit, lang)

    @property
    def is_narrative(self) -> bool:
        return self.key.startswith("narrative.")

    def parts(self) -> tuple[str, str, str]:
        table, row, col = self.key.split(".")
        return table, row, col


@cache
def catalog() -> dict[str, MetricInfo]:
    """Every selectable metric, form cells first (form order), then narrative counts."""
    out = {m.key: MetricInfo(m.key, m.zh, m.en, m.unit, m.versions) for m in metric_catalog()}
    for key, (zh, en, unit) in narrative_metrics().items():
        out[f"narrative.{key}"] = MetricInfo(f"narrative.{key}", zh, en, unit, ("text",))
    return out


def metric(key: str) -> MetricInfo:
    return catalog()[key]


# The figures managers ask for first; offered first in every metric picker.
HEADLINE_METRICS = (
    "active.licensing.decisions",
    "active.penalty.decisions",
    "active.coercion.decisions",
    "applications.new_received.total",
    "applications.total.total",
    "review_litigation.review.total",
    "review_litigation.litigation_direct.total",
    "review_litigation.litigation_after_review.total",
    "narrative.published_total",
)


def metric_keys(tables: tuple[str, ...] = ()) -> list[str]:
    """Headline metrics first, then every other metric in form order."""
    keys = [k for k in HEADLINE_METRICS if k in catalog()]
    keys += [k for k in catalog() if k not in keys]
    if tables:
        keys = [k for k in keys if k.split(".")[0] in tables]
    return keys


def _cell_labels(version: str, table: str, row: str, col: str) -> tuple[str, str, str] | None:
    t = FORMS[version].table(table)
    r = next((r for r in t.rows if r.key == row), None)
    if r is None or col not in r.cols:
        return None
    c = t.column(col)
    # The 2019 form's table is all about the report year, so "本年" adds nothing there.
    return normalize_label(r.zh), normalize_label(c.zh).removeprefix("本年"), c.unit


def comparable_across_forms(key: str) -> bool:
    """True when the cell exists in both forms with the same row and column wording and unit."""
    if key.startswith("narrative."):
        return True  # counts stated in the text do not depend on the table form
    table, row, col = key.split(".")
    labels = [_cell_labels(v, table, row, col) for v in FORMS]
    return all(labels) and len(set(labels)) == 1


def other_form_cells(key: str, lang: str = "zh") -> list[str]:
    """Cells of the same row in the form(s) where ``key`` does not exist, for an explanatory note."""
    if key.startswith("narrative."):
        return []
    table, row, col = key.split(".")
    mine = set(metric(key).versions)
    marker = _row_marker(table, row)
    out = []
    for m in catalog().values():
        if m.is_narrative or m.key == key or set(m.versions) & mine:
            continue
        t, r, c = m.parts()
        same_row = r == row or (marker and _row_marker(t, r) == marker and c == col)
        if t == table and same_row:
            out.append(m.label(lang))
    return out


def _row_marker(table: str, row: str) -> str:
    """The printed item number a row sits under, e.g. "(六)" for both 其他处理 layouts."""
    for form in FORMS.values():
        r = next((r for r in form.table(table).rows if r.key == row), None)
        if r is None:
            continue
        for text in (r.prefix, r.group):
            m = re.match(r"\([一二三四五六七八九十]+\)", text)
            if m:
                return m.group()
    return ""


def outcome_label(group: str, lang: str = "zh") -> str:
    """Label of an outcome group of table 三, taken from the form (e.g. (三)不予公开 → 不予公开)."""
    rows = FORMS["2021"].table("applications").rows + FORMS["2019"].table("applications").rows
    for row in rows:
        if row.key == group:
            return row.en if lang == "en" else row.zh
    markers = {"denied": "(三)", "unable": "(四)", "rejected": "(五)", "other": "(六)"}
    for row in rows:
        if (row.group or row.prefix).startswith(markers.get(group, "?")):
            if lang == "en":
                return row.en.split(":")[0]
            return re.sub(r"^\([一二三四五六七八九十]+\)", "", row.group or row.zh)
    return group


def cell_label(table: str, row: str, col: str | None, lang: str = "zh") -> str:
    """A row (and optionally column) label from whichever form declares it."""
    for version in ("2021", "2019"):
        t = FORMS[version].table(table)
        r = next((r for r in t.rows if r.key == row), None)
        if r is None:
            continue
        if col is None:
            return r.en if lang == "en" else r.zh
        c = t.column(col)
        return c.en if lang == "en" else c.zh
    if col is not None:
        for version in ("2021", "2019"):
            c = next((c for c in FORMS[version].table(table).columns if c.key == col), None)
            if c:
                return c.en if lang == "en" else c.zh
    return col or row
