"""Document → Report: sections, the three tables, metadata. A pure function of the bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from nianbao.form import SECTIONS
from nianbao.parse.agency import infer_agency
from nianbao.parse.blank import refuse_blank_form
from nianbao.parse.dates import read_report_date
from nianbao.parse.metadata import read_metadata
from nianbao.parse.model import Fact, Metadata, Report, Section, TableResult, Value
from nianbao.parse.narrative import extract_narrative
from nianbao.parse.stream import CELL, flatten
from nianbao.parse.tables import find_headings_aligned, read_table, table_regions
from nianbao.read import Document, ReadError, read_bytes

__all__ = ["Fact", "Report", "Value", "failed_report", "parse_bytes", "parse_document", "parse_file"]

PARSER_VERSION = "0.1.0"
_TABLE_NAMES = {"active": ("表二", "table 2"), "applications": ("表三", "table 3"),
                "review_litigation": ("表四", "table 4")}


def parse_file(path: str | Path) -> Report:
    path = Path(path)
    return parse_bytes(path.read_bytes(), path.name)


def parse_bytes(data: bytes, name: str = "") -> Report:
    """Read and parse one file. Never raises for bad input: a failed Report says why."""
    sha = hashlib.sha256(data).hexdigest()
    fmt = Path(name).suffix.lower().lstrip(".") or "txt"
    try:
        doc = read_bytes(data, name)
        return parse_document(doc, name, sha)
    except ReadError as exc:
        return failed_report(name, str(exc), sha, fmt)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch
        return failed_report(name, f"解析出错 / parser error: {type(exc).__name__}: {exc}", sha, fmt)


def failed_report(name: str, error: str, sha: str = "", fmt: str = "") -> Report:
    """A report that could not be read at all; it still loads, so the failure is visible."""
    fmt = fmt or Path(name).suffix.lower().lstrip(".")
    return Report(name, fmt, sha, Metadata(), "none", [], {}, [], status="failed", error=error)


def parse_document(doc: Document, name: str = "", sha256: str = "") -> Report:
    stream = flatten(doc)
    plain = doc.text()
    headings, heading_warnings = find_headings_aligned(stream.text)
    sections = _sections(stream.text, headings)
    overview = next((s.text for s in sections if s.number == "一"), "")
    meta = read_metadata(plain, overview)
    _infer_agency(meta, plain)
    dated = read_report_date(plain, doc.properties)
    if dated:
        meta.report_date, meta.report_date_source, printed = dated
        meta.inferred["report_date"] = f"{meta.report_date_source}: {printed}"
    report = Report(name, doc.source_format, sha256, meta, "none", [], {}, sections,
                    warnings=[*doc.warnings, *heading_warnings], text=plain,
                    unread_pages=list(doc.pages_needing_ocr))
    if doc.pages_needing_ocr:
        report.warnings.append(_ocr_message(doc))
    narrative = extract_narrative(plain, meta.report_year)
    report.narrative = list(narrative.metrics)
    report.warnings.extend(narrative.warnings)
    regions = table_regions(stream, headings)
    for key in ("active", "applications", "review_litigation"):
        if key not in regions:
            report.tables[key] = TableResult(key, None, found=False)
            continue
        result, facts, warnings = read_table(stream, key, regions[key])
        report.tables[key] = result
        report.facts.extend(facts)
        report.warnings.extend(warnings)
    _settle_status(report, doc)
    _verify_ocr(report, doc)
    return refuse_blank_form(report)


def _verify_ocr(report: Report, doc: Document) -> None:
    """Numbers OCR read are loaded only as the table's arithmetic allows (ocr_verify)."""
    from nianbao.parse.ocr_verify import verify_ocr_facts

    outcome = verify_ocr_facts(report, doc)
    if outcome is not None and outcome.unreadable and report.status != "failed":
        settle_status(report)


def _ocr_message(doc: Document | Report) -> str:
    pages = ", ".join(map(str, doc.pages_needing_ocr if isinstance(doc, Document) else doc.unread_pages))
    return f"需要OCR：第 {pages} 页没有可用的文字层 / needs OCR: pages {pages} have no text layer"


def _infer_agency(meta: Metadata, text: str) -> None:
    """Who published it, where, at what level and scope — only what the text supports."""
    info = infer_agency(meta.title, text, meta.publisher)
    for key in ("agency", "province", "city", "county", "level", "category", "scope"):
        value = getattr(info, key)
        if value is not None:
            setattr(meta, key, value)
            if key in info.how:
                meta.inferred[key] = info.how[key]


def _settle_status(report: Report, doc: Document) -> None:
    found = {k: t for k, t in report.tables.items() if t.found and any(f.table == k for f in report.facts)}
    versions = {t.version for k, t in found.items() if k != "review_litigation"}
    if not found:
        year = report.metadata.report_year
        report.form_version = "pre2019" if year is not None and year < 2019 else "none"
        if doc.pages_needing_ocr and not report.text.strip():
            report.status, report.error = "failed", _ocr_message(doc)
        elif report.form_version == "pre2019":
            report.warnings.append("2019年以前的报告，没有统一格式表格 / pre-2019 report: no standard tables")
        else:
            report.status = "failed"
            report.error = "找不到年报表格（表二、表三、表四） / no report tables found (tables 2, 3, 4)"
            if doc.pages_needing_ocr:
                report.error = _ocr_message(doc)
        return
    report.form_version = versions.pop() if len(versions) == 1 else ("mixed" if versions else "2021")
    for key, (zh, en) in _TABLE_NAMES.items():
        t = report.tables[key]
        if t.found and t.missing_rows and _has_facts(report, key):  # said, not failed: some print part of a table
            report.warnings.append(f"{zh}缺少 {len(t.missing_rows)} 行 / {en}: {len(t.missing_rows)} rows not found")
    settle_status(report)


def _has_facts(report: Report, key: str) -> bool:
    return any(f.table == key for f in report.facts)


def report_problems(report: Report) -> list[str]:
    """What keeps a report that has tables from being complete: tables not found or not read,
    rows unreadable, pages left without text. Recomputed whenever a later stage (the cross-year
    rule at load) recovers what the parser could not."""
    problems = []
    for key, (zh, en) in _TABLE_NAMES.items():
        t = report.tables[key]
        if not t.found:
            problems.append(f"{zh}未找到 / {en} not found")
        elif not _has_facts(report, key):  # printed, but the parser refused every row of it
            problems.append(f"{zh}无法准确读取 / {en} could not be read")
        elif t.unreadable_rows:
            problems.append(f"{zh}有 {len(t.unreadable_rows)} 行无法准确读取 / {en}: "
                            f"{len(t.unreadable_rows)} rows unreadable")
    if report.unread_pages:
        problems.append(_ocr_message(report))
    if report.ocr_withheld:
        from nianbao.parse.ocr_verify import withheld_message  # loaded already: OCR ran

        problems.append(withheld_message(report.ocr_withheld))
    return problems


def settle_status(report: Report) -> None:
    """partial with the problems joined into ``error`` when there are any, else ok."""
    problems = report_problems(report)
    report.status, report.error = ("partial", "；".join(problems)) if problems else ("ok", None)


def _sections(text: str, heads: dict) -> list[Section]:
    ordered = sorted(heads.items(), key=lambda kv: kv[1].start())
    out = []
    by_number = {s.number: s for s in SECTIONS}
    for i, (number, m) in enumerate(ordered):
        end = ordered[i + 1][1].start() if i + 1 < len(ordered) else len(text)
        body = text[m.end():end].replace(CELL, "\t").strip()
        out.append(Section(number, by_number[number].key, m.group(), body))
    return out
