"""The official report forms, declared once.

Everything else — the parser's label matching, the DuckDB schema and its comments, the
checks, chart labels and export headers — is derived from the declarations in
:mod:`nianbao.form.definitions`.
"""

from nianbao.form.definitions import (
    FORMS,
    SECTIONS,
    TABLES,
    Column,
    Form,
    Row,
    Section,
    Table,
    form_for,
    metric_catalog,
)
from nianbao.form.labels import normalize_label

__all__ = [
    "FORMS",
    "SECTIONS",
    "TABLES",
    "Column",
    "Form",
    "Row",
    "Section",
    "Table",
    "form_for",
    "metric_catalog",
    "normalize_label",
]
