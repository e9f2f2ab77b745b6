"""Every bound on input and parsing, declared once. Each can be changed by an environment
variable of the same name prefixed ``NIANBAO_`` (e.g. ``NIANBAO_PARSE_TIMEOUT_S=120``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    parse_timeout_s: float = 60.0  # one file's read + parse, in the worker process
    parse_memory_mb: int = 1536  # address space a parser worker may add on top of its start size
    convert_timeout_s: float = 45.0  # one LibreOffice DOC/WPS → DOCX conversion
    file_mb: int = 50  # one uploaded or ingested file
    batch_mb: int = 500  # all files of one upload / ingest batch
    zip_uncompressed_mb: int = 200  # a DOCX's members, uncompressed, added up
    zip_entries: int = 2000  # members of a DOCX
    zip_ratio: int = 200  # uncompressed : compressed size of one member
    pdf_pages: int = 500
    html_depth: int = 200  # element nesting
    html_cells: int = 200_000  # table cells after rowspan/colspan expansion
    # DuckDB memory of the one writing connection: its buffer pool otherwise keeps every block
    # written (up to 80 % of RAM), so an ingest's memory grew with the database; past this it
    # evicts and spills to a temp folder beside the database
    writer_memory_mb: int = 512


def _from_env() -> Limits:
    values = {}
    for f in fields(Limits):
        raw = os.environ.get(f"NIANBAO_{f.name.upper()}")
        if raw:
            values[f.name] = type(f.default)(raw)
    return Limits(**values)


def limits() -> Limits:
    """The limits in force (read from the environment each time, so tests and servers can set them)."""
    return _from_env()
