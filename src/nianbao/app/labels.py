"""Display labels derived from the declarations: rule names (nianbao.check), form cells
(nianbao.form) and enum columns of a frame (nianbao.vocab). Pages never show a key."""

from __future__ import annotations

import re

import pandas as pd

from nianbao import vocab
from nianbao.app.metrics import UNITS_EN
from nianbao.check import RULE_NAMES, RULES
from nianbao.form import FORMS

_FULL_WIDTH = str.maketrans("()", "（）")


def rule_name(rule_id: str, lang: str = "zh") -> str:
    """ "X-1 上年结转衔接"; a rule id the catalogue does not know is shown as given."""
    names = RULE_NAMES.get(rule_id)
    return f"{rule_id} {names[lang == 'en']}" if names else rule_id


def rule_description(rule_id: str, lang: str = "zh") -> str:
    rule = RULES.get(rule_id)
    return rule[2 if lang == "en" else 1] if rule else ""


def _row_zh(row) -> str:
    group = row.group if row.group.startswith("(") else ""
    text = f"{group}{row.prefix}{row.zh}" if row.prefix.endswith(".") else f"{row.prefix}{row.zh}"
    return text.translate(_FULL_WIDTH)


def cell_name(key: str, lang: str = "zh") -> str:
    """``applications.partially_granted.natural_person`` → 表三·（二）部分公开·自然人."""
    parts = key.strip().split(".")
    if len(parts) != 3:
        return key
    table_key, row_key, col_key = parts
    for form in FORMS.values():
        table = next((t for t in form.tables if t.key == table_key), None)
        row = next((r for r in table.rows if r.key == row_key), None) if table else None
        col = next((c for c in table.columns if c.key == col_key), None) if table else None
        if row is None or col is None:
            continue
        if lang == "en":
            return f"Table {'二三四'.index(table.number) + 2} · {row.en} · {col.en}"
        return f"表{table.number}·{_row_zh(row)}·{col.zh}"
    return key


def cells_text(cells: object, lang: str = "zh") -> str:
    """A finding's comma-separated cell keys as names ("—" for none)."""
    if not isinstance(cells, str) or not cells.strip():
        return vocab.MISSING
    return "；".join(cell_name(c, lang) for c in cells.split(",") if c.strip())


# frame column -> vocabulary of its values
# columns of our own vocabularies → the vocabulary (screens and spreadsheet exports show the words)
ENUM_COLUMNS = {"level": "level", "category": "category", "scope": "scope", "status": "status",
                "form_version": "form_version", "kind": "kind", "table_key": "table", "severity": "severity",
                "action": "action", "source": "source"}
_META_TEXT = ("agency", "province", "city", "county")


def _form_label(table_key: str, key: str, what: str, lang: str) -> str:
    for form in FORMS.values():
        table = next((t for t in form.tables if t.key == table_key), None)
        items = (table.rows if what == "row" else table.columns) if table else ()
        item = next((i for i in items if i.key == key), None)
        if item is not None:
            return item.en if lang == "en" else (_row_zh(item) if what == "row" else item.zh)
    return key


def label_frame(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Enum columns as words in ``lang``, form row/column keys as the form's labels, missing
    names and places as "—". Cell values are left exactly as printed."""
    out = df.copy()
    for column, name in ENUM_COLUMNS.items():
        if column in out.columns:
            out[column] = out[column].map(lambda v, name=name: vocab.label(name, v, lang))
    if "table_key" in df.columns:
        for column, what in (("row_key", "row"), ("col_key", "col")):
            if column in out.columns:
                out[column] = [_form_label(t, k, what, lang) for t, k in zip(df["table_key"], df[column],
                                                                              strict=True)]
    if "unit" in out.columns and lang == "en":
        out["unit"] = out["unit"].map(lambda u: UNITS_EN.get(u, u))
    if "approximate" in out.columns:
        out["approximate"] = out["approximate"].map(lambda v: vocab.yes_no(v, lang))
    for column in _META_TEXT:
        if column in out.columns:
            out[column] = out[column].map(lambda v: vocab.MISSING if v is None or v != v or v == "" else v)
    return out


def reason_text(text: object, lang: str = "zh") -> str:
    """A stored "中文 / English；中文 / English" error text in one language ("—" for none)."""
    if not isinstance(text, str) or not text.strip():
        return vocab.MISSING
    out = []
    for part in text.split("；"):
        halves = part.split(" / ", 1)
        bilingual = len(halves) == 2 and re.search(r"[\u4e00-\u9fff]", halves[0])
        out.append((halves[1] if lang == "en" else halves[0]) if bilingual else part)
    return ("; " if lang == "en" else "；").join(out)


def year_text(year: object) -> str:
    """2023.0 → "2023"; no year (a failed file) → "—", never None."""
    return vocab.MISSING if pd.isna(year) else str(int(year))
