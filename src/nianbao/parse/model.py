"""What the parser produces: a report's metadata, its table cells with provenance, its sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Kind = Literal["number", "blank", "na"]
Status = Literal["ok", "partial", "failed"]


@dataclass(frozen=True)
class Value:
    """One printed cell. A blank cell, ``0`` and ``/`` are three different things."""

    kind: Kind
    number: Decimal | None = None
    raw: str = ""
    unit: str | None = None  # a unit printed inside the cell ("251000元" → "元")

    def as_csv(self) -> str:
        """The corpus expected-values form: canonical number, empty for blank, NA."""
        if self.kind == "blank":
            return ""
        if self.kind == "na":
            return "NA"
        return format_decimal(self.number)


def format_decimal(number: Decimal | None) -> str:
    if number is None:
        return ""
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


@dataclass(frozen=True)
class Fact:
    table: str
    row: str
    col: str
    value: Value
    place: str  # where it was printed, e.g. "table 3, row 5, col 2" or "line 120"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.row, self.col)


@dataclass(frozen=True)
class Section:
    number: str  # 一 … 六
    key: str
    heading: str
    text: str


@dataclass
class Metadata:
    title: str | None = None
    agency: str | None = None
    report_year: int | None = None
    period_year: int | None = None  # the year the statistic-period sentence states
    publisher: str | None = None
    published_on: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    level: str | None = None
    category: str | None = None
    scope: str = "agency"  # agency | jurisdiction
    report_date: str | None = None  # ISO date the report was published or signed (nianbao.parse.dates)
    report_date_source: str | None = None  # manifest | page_meta | page_text | signature
    inferred: dict[str, str] = field(default_factory=dict)  # field -> how it was found


@dataclass
class TableResult:
    """How one of the three tables came out."""

    key: str
    version: str | None  # "2019" | "2021" | None when the table was not found
    found: bool
    unreadable_rows: list[str] = field(default_factory=list)  # row keys that could not be read exactly
    missing_rows: list[str] = field(default_factory=list)  # rows of the form the report does not print
    # unreadable rows whose run-together digits split several ways: row key -> the candidate
    # splits, kept for the load stage to decide by the previous year (nianbao.store.cross_year)
    split_candidates: dict[str, list[list[str]]] = field(default_factory=dict)


@dataclass
class Report:
    source_name: str
    source_format: str
    sha256: str
    metadata: Metadata
    form_version: str  # "2019" | "2021" | "mixed" | "pre2019" | "none"
    facts: list[Fact]
    tables: dict[str, TableResult]
    sections: list[Section]
    narrative: list = field(default_factory=list)  # NarrativeMetric items
    warnings: list[str] = field(default_factory=list)
    status: Status = "ok"
    error: str | None = None
    text: str = ""
    unread_pages: list[int] = field(default_factory=list)  # pages with no text layer, not OCR'd
    ocr_withheld: list[str] = field(default_factory=list)  # OCR'd cells the arithmetic did not confirm

    def fact_map(self) -> dict[tuple[str, str, str], Value]:
        return {f.key: f.value for f in self.facts}
