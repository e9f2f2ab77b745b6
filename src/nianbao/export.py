"""Text renderings of a parsed report: the corpus CSV form and JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from nianbao.form import FORMS
from nianbao.parse.model import Report


def _form_order() -> dict[tuple[str, str, str, str], int]:
    """Position of every cell in its own form version's tables (the corpus files' order)."""
    order: dict[tuple[str, str, str, str], int] = {}
    for version, form in FORMS.items():
        for t, table in enumerate(form.tables):
            for i, (row, col) in enumerate(table.cells()):
                order[(version, table.key, row.key, col.key)] = t * 1000 + i
    return order


_ORDER = _form_order()


def _sorted_facts(report: Report) -> list:
    def key(fact):
        version = (report.tables.get(fact.table).version if report.tables.get(fact.table) else None) or "2021"
        return _ORDER.get((version, *fact.key), _ORDER.get(("2019", *fact.key), 10**6))

    return sorted(report.facts, key=key)


def facts_csv(report: Report) -> str:
    """``table,row,col,value`` exactly as in the corpus expected files, in form order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "row", "col", "value"])
    for fact in _sorted_facts(report):
        writer.writerow([fact.table, fact.row, fact.col, fact.value.as_csv()])
    return out.getvalue()


def report_json(report: Report) -> str:
    meta = asdict(report.metadata)
    data = {
        "source": report.source_name,
        "sha256": report.sha256,
        "format": report.source_format,
        "status": report.status,
        "error": report.error,
        "form_version": report.form_version,
        **{k: meta[k] for k in ("agency", "province", "city", "county", "level", "category", "scope",
                                "title", "report_year", "period_year", "publisher", "published_on")},
        "inferred": meta["inferred"],
        "tables": {k: asdict(t) for k, t in report.tables.items()},
        "facts": [{"table": f.table, "row": f.row, "col": f.col, "value": f.value.as_csv(),
                   "kind": f.value.kind, "raw": f.value.raw, "unit": f.value.unit, "place": f.place}
                  for f in _sorted_facts(report)],
        "narrative": [{"key": n.key, "value": str(n.value), "approximate": n.approximate,
                       "sentence": n.sentence} for n in report.narrative],
        "sections": [{"number": s.number, "heading": s.heading, "chars": len(s.text)} for s in report.sections],
        "warnings": report.warnings,
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def narrative_csv(report: Report) -> str:
    """``key,value,sentence`` for the narrative metrics (the corpus expected-narrative form)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["key", "value", "sentence"])
    for n in report.narrative:
        writer.writerow([n.key, str(n.value), n.sentence])
    return out.getvalue()
