"""What a user reads on a rendered AppTest page, and the internal keys that must never be among it.

Texts come from every element's visible fields (labels, bodies, options, help), every dataframe
cell, header and index, and every plotly chart's titles, names, labels and category values."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache

import pandas as pd
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from nianbao.app.datasets import FACT_COLUMNS, META_COLUMNS, NARRATIVE_COLUMNS
from nianbao.form import FORMS
from nianbao.parse.narrative import NARRATIVE_METRICS
from nianbao.vocab import VOCABULARIES

_VISIBLE = {"label", "body", "value", "options", "placeholder", "help", "displayText", "text", "formattedOptions"}
_PLOT_TEXT = {"text", "name", "label", "hovertemplate", "x", "y", "ticktext"}
MISSING_WORDS = ("None", "nan", "NaN", "<NA>", "NaT", "True", "False")


@cache
def raw_keys(lang: str) -> frozenset[str]:
    """Every key the project declares for something shown to users: the vocabularies (category,
    scope, status, level, action …), the form's table, row and column keys, narrative keys —
    less those that are also a declared label in ``lang`` (the form's English "granted")."""
    keys = {k for vocab in VOCABULARIES.values() for k in vocab}
    labels = {names[lang == "en"] for vocab in VOCABULARIES.values() for names in vocab.values()}
    for form in FORMS.values():
        for table in form.tables:
            keys.add(table.key)
            for item in (*table.rows, *table.columns):
                keys.add(item.key)
                labels.add(item.en if lang == "en" else item.zh)
    for headers in (META_COLUMNS, FACT_COLUMNS, NARRATIVE_COLUMNS):  # declared column headers
        labels |= {names[lang == "en"] for names in headers.values()}
    keys |= set(NARRATIVE_METRICS)
    return frozenset(k for k in keys - labels if not k.isdigit() and not re.search(r"[\u4e00-\u9fff]", k))


def _strings(value: object, fields: set[str], under: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, fields, k if k in fields else under)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, fields, under)
    elif isinstance(value, str) and under:
        yield value


def _plot_strings(spec: dict) -> Iterator[str]:
    for trace in spec.get("data", []):
        trace = {k: v for k, v in trace.items() if not (isinstance(v, dict) and "bdata" in v)}
        yield from _strings(trace, _PLOT_TEXT)
    layout = spec.get("layout", {})
    yield from _strings({k: v for k, v in layout.items() if k not in ("template",)}, {"text", "ticktext"})


def _frame_strings(df: pd.DataFrame, config: dict) -> Iterator[str]:
    # a header is what column_config labels it, else the column name
    yield from (str((config.get(str(c)) or {}).get("label") or c) for c in df.columns)
    yield from (str(i) for i in df.index if not isinstance(i, int))
    for column in df.columns:
        for v in df[column]:
            yield "None" if v is None else str(v) if not isinstance(v, float) or v == v else "nan"


def rendered_texts(at: AppTest) -> Iterator[str]:
    for node in at._tree:
        kind = getattr(node, "type", "")
        if kind in ("dataframe", "arrow_data_frame"):
            yield from _frame_strings(node.value, json.loads(node.proto.columns or "{}"))
        elif kind == "plotly_chart":
            yield from _plot_strings(json.loads(node.proto.spec))
        elif getattr(node, "proto", None) is not None:
            yield from _strings(MessageToDict(node.proto), _VISIBLE)


def _clean(text: str) -> str:
    return re.sub(r"%\{[^}]*\}|<extra>.*?</extra>|<[^>]+>", " ", text)


def where_bad(at: AppTest, lang: str) -> dict[str, str]:
    """Each bad word with one text it was found in (for a readable failure)."""
    out: dict[str, str] = {}
    for text in rendered_texts(at):
        for word in bad_words(iter([text]), lang):
            out.setdefault(word, text[:120])
    return out


def bad_words(texts: Iterator[str], lang: str) -> set[str]:
    """Raw keys and missing-value words: any text that *is* a key or None; in Chinese any key
    word inside a text; in both languages any key with an underscore inside a text."""
    keys = raw_keys(lang)
    bad = set()
    for raw in texts:
        if raw.strip() in MISSING_WORDS:  # before cleaning: "<NA>" looks like a tag
            bad.add(raw.strip())
            continue
        text = _clean(raw)
        stripped = text.strip()
        if re.fullmatch(r"\w+\?\S*", stripped):
            continue  # a link's target (its display text is scanned), not text on the screen
        if stripped in keys or stripped in MISSING_WORDS:
            bad.add(stripped)
            continue
        for cell in re.findall(r"\b[a-z_]+\.[a-z_0-9]+(?:\.[a-z_0-9]+)?\b", text):
            if cell.split(".")[0] in keys:
                bad.add(cell)  # a cell key such as applications.granted.total
        for word in re.findall(r"(?<![A-Za-z0-9_.\-/])[A-Za-z][A-Za-z_]*(?![A-Za-z0-9_\-/])", text):
            if word in keys and (lang == "zh" or "_" in word) or word == "None":
                bad.add(word)
    return bad
