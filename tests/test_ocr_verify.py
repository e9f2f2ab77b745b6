"""OCR verification by the form's arithmetic, without the engine: a text PDF's cells are
presented as OCR'd cells, then digits are spoiled the way an engine misreads them."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from nianbao.parse import parse_document
from nianbao.parse.model import Value
from nianbao.parse.ocr_verify import verify_ocr_facts
from nianbao.read import Cell, Document, TableBlock, read_bytes
from nianbao.read.ocr import OcrPlace
from nianbao.synth import generate_corpus

_PLACE = re.compile(r"page (\d+), table (\d+), row (\d+), col (\d+)")


@pytest.fixture(scope="module")
def parsed():
    report = next(generate_corpus(11, n_agencies=1, years=[2022], formats=("pdf",), blank_share=0.0))
    doc = read_bytes(report.data, report.name)
    return parse_document(doc, report.name), report.expected_csv


def _as_ocr(report, confidence: dict[tuple, float] | None = None, spoil: dict[tuple, str] | None = None,
            first: dict[tuple, str] | None = None, again: dict[tuple, float] | None = None):
    """The report's facts as if OCR read them (confidence 0.99 unless given), with some raw texts
    spoiled, some (``first``) read again alone in place of a first, odd reading, and some read
    again alike (``again``: the second reading's confidence)."""
    confidence, spoil, first, again = confidence or {}, spoil or {}, first or {}, again or {}
    cells, facts = [], []
    for f in report.facts:
        page, table, row, col = map(int, _PLACE.match(f.place).groups())
        place = OcrPlace(page=page, table=table, row=row, col=col, confidence=confidence.get(f.key, 0.99),
                         reread=False if f.key in first else True if f.key in again else None,
                         first=first.get(f.key, ""), again=again.get(f.key, 0.0))
        cells.append(Cell(f.value.raw, place))
        value = f.value
        if f.key in spoil:
            value = Value("number", Decimal(spoil[f.key]), spoil[f.key])
        facts.append(replace(f, place=str(place), value=value))
    new = replace(report, facts=facts, warnings=[])
    return new, Document([TableBlock((tuple(cells),), OcrPlace(page=1))], "pdf")


def _loaded(report) -> dict[tuple, str]:
    return {f.key: f.value.as_csv() for f in report.facts}


def _cell(report, table: str = "applications") -> tuple:
    """A cell of table 三 printed as a one-digit number."""
    return next(f.key for f in report.facts if f.table == table and f.row == "granted" and f.value.raw.strip().isdigit()
                and len(f.value.raw.strip()) == 1 and f.col != "total")


def test_intact_tables_are_verified(parsed):
    report, _ = parsed
    ocr, doc = _as_ocr(report)
    outcome = verify_ocr_facts(ocr, doc)
    assert outcome.unreadable == [] and outcome.corrected == 0
    table3 = [f for f in ocr.facts if f.table == "applications"]
    assert table3 and all(" verified " in f.place and "T3-" in f.place for f in table3)
    assert all(f.place.endswith("unverified") for f in ocr.facts if f.table == "active")
    assert _loaded(ocr) == _loaded(report)


def test_a_second_reading_that_replaced_an_odd_glyph_needs_the_sums(parsed):
    # the reader read a lone 0 as 。 in its row and 0 alone: that is loaded where the table's
    # arithmetic vouches for it (表三), withheld where no rule covers it (表二)
    report, _ = parsed
    in_table3 = _cell(report)
    in_table2 = next(f.key for f in report.facts if f.table == "active" and f.value.kind == "number")
    ocr, doc = _as_ocr(report, first={in_table3: "。", in_table2: "。"})
    outcome = verify_ocr_facts(ocr, doc)
    facts = {f.key: f for f in ocr.facts}
    assert " reread-replaces:。 verified T3-" in facts[in_table3].place
    assert in_table2 not in facts and ".".join(in_table2) in outcome.unreadable


def test_cells_left_blank_for_zero_are_verified():
    # the agency left every 0 of 表三 empty: rows and columns nobody applied in are blank on
    # both sides of their rules, which holds (before: "not covered by any rule")
    made = list(generate_corpus(11, n_agencies=3, years=[2022], formats=("pdf",), blank_share=0.0))[1]
    report = parse_document(read_bytes(made.data, made.name), made.name)  # its 科研机构 column is all 0
    blanked = replace(report, facts=[replace(f, value=Value("blank")) if f.table == "applications"
                                     and f.value.as_csv() == "0" else f for f in report.facts])
    ocr, doc = _as_ocr(blanked)
    outcome = verify_ocr_facts(ocr, doc)
    table3 = [f for f in ocr.facts if f.table == "applications"]
    assert any(f.value.kind == "blank" for f in table3)
    assert all(" verified T3-" in f.place for f in table3), [f.place for f in table3 if "verified T3-" not in f.place][:3]
    assert outcome.unreadable == []


@pytest.mark.parametrize(("first", "again", "loaded"), [(0.81, 0.91, True), (0.49, 0.88, False), (0.90, None, False)])
def test_two_agreeing_readings_are_sure_together(parsed, first, again, loaded):
    # 表二 has no sum: its cell is loaded when its readings, in its row and alone, agree and
    # together leave under 5 % doubt ((1 - 0.81) × (1 - 0.91) = 1.7 %); one reading never is
    report, _ = parsed
    key = next(f.key for f in report.facts if f.table == "active" and f.value.kind == "number")
    ocr, doc = _as_ocr(report, {key: first}, again={} if again is None else {key: again})
    outcome = verify_ocr_facts(ocr, doc)
    assert (key in {f.key for f in ocr.facts}) is loaded
    assert (".".join(key) in outcome.unreadable) is not loaded


def test_one_low_confidence_misread_is_corrected(parsed):
    report, _ = parsed
    key = _cell(report)
    truth = _loaded(report)[key]
    wrong = str((int(truth) + 5) % 10)
    ocr, doc = _as_ocr(report, {key: 0.6}, {key: wrong})
    outcome = verify_ocr_facts(ocr, doc)
    assert outcome.corrected == 1 and outcome.unreadable == []
    fact = next(f for f in ocr.facts if f.key == key)
    assert fact.value.as_csv() == truth
    assert f"corrected {wrong}→{truth}" in fact.place


def test_a_sure_misread_is_not_loaded_and_nothing_wrong_is(parsed):
    report, _ = parsed
    key = _cell(report)
    truth = _loaded(report)[key]
    wrong = str((int(truth) + 5) % 10)
    ocr, doc = _as_ocr(report, {}, {key: wrong})  # the engine was sure: no correction is tried
    outcome = verify_ocr_facts(ocr, doc)
    loaded = _loaded(ocr)
    assert key not in loaded and ".".join(key) in outcome.unreadable
    assert all(v == _loaded(report)[k] for k, v in loaded.items())
    assert any("未载入" in w for w in ocr.warnings)


def test_two_misreads_are_not_guessed(parsed):
    report, _ = parsed
    first = _cell(report)
    second = next(f.key for f in report.facts if f.table == "applications" and f.row == "carried_forward"
                  and f.col == first[2])
    spoil = {first: str((int(_loaded(report)[first]) + 3) % 10),
             second: str((int(_loaded(report)[second]) + 4) % 10)}
    ocr, doc = _as_ocr(report, {first: 0.5, second: 0.5}, spoil)
    outcome = verify_ocr_facts(ocr, doc)
    loaded = _loaded(ocr)
    assert outcome.corrected == 0 and first not in loaded and second not in loaded
    assert all(v == _loaded(report)[k] for k, v in loaded.items())


def test_uncertain_cell_without_a_rule_is_not_loaded(parsed):
    report, _ = parsed
    key = next(f.key for f in report.facts if f.table == "active" and f.value.kind == "number")
    ocr, doc = _as_ocr(report, {key: 0.5})
    verify_ocr_facts(ocr, doc)
    assert key not in _loaded(ocr)


def test_reports_without_ocr_are_untouched(parsed):
    report, _ = parsed
    facts = list(report.facts)
    assert verify_ocr_facts(report, Document([], "pdf")) is None
    assert report.facts == facts


def test_unfilled_total_column_is_not_a_failure(parsed):
    """C1 style: 总计 left blank in the sub-rows. Those row sums are not evaluated (not failed)."""
    report, _ = parsed
    top = ("new_received", "carried_over", "total", "carried_forward")
    blanked = [replace(f, value=Value("blank", raw="")) if f.table == "applications" and f.col == "total"
               and f.row not in top else f for f in report.facts]
    ocr, doc = _as_ocr(replace(report, facts=blanked))
    outcome = verify_ocr_facts(ocr, doc)
    assert outcome.unreadable == []
    granted = next(f for f in ocr.facts if f.key == ("applications", "granted", "natural_person"))
    assert "T3-2" in granted.place and "T3-3" not in granted.place
