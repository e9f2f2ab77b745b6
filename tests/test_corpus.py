"""Every text/HTML report with hand-checked expected values parses to exactly those values,
except cells the parser declares unreadable (run-together digits that split several ways)."""

from __future__ import annotations

import csv
import io

import pytest

from nianbao.export import facts_csv
from nianbao.parse import parse_file
from tests.conftest import CORPUS

SUFFIXES = (".txt", ".md", ".html")
FILES = sorted(p.name for p in (CORPUS / "reports").glob("*") if p.suffix in SUFFIXES) \
    if (CORPUS / "reports").is_dir() else []
WITH_EXPECTED = [f for f in FILES if (CORPUS / "expected" / f"{f}.csv").exists()]
# Crawler text whose 表二 rows ran together with no arithmetic to tell the splits apart
# (e.g. "行政规范性文件693665" is 69|3|665 or 6|93|665 …): reported unreadable, never guessed.
AMBIGUOUS_ROWS = {
    "pingtan-syq_2019.txt": {"normative_documents", "licensing", "other_admin_services", "penalty",
                             "coercion", "admin_fees", "gov_procurement"},
    "pingtan-syq_2020.txt": {"normative_documents", "licensing", "other_admin_services", "penalty",
                             "coercion", "gov_procurement"},
    "pingtan-syq_2021.txt": {"normative_documents"},
    "pingtan-syq_2023.txt": {"normative_documents"},
    "pingtan-syq_2025.txt": {"normative_documents"},
}


def _cells(text: str) -> dict[tuple[str, str, str], str]:
    rows = list(csv.reader(io.StringIO(text)))
    return {tuple(r[:3]): r[3] for r in rows[1:]}


@pytest.mark.parametrize("name", WITH_EXPECTED)
def test_report_parses_to_expected_cells(corpus, name):
    report = parse_file(corpus / "reports" / name)
    got = _cells(facts_csv(report))
    expected = _cells((corpus / "expected" / f"{name}.csv").read_text(encoding="utf-8"))
    unreadable = set(report.tables["active"].unreadable_rows)
    assert unreadable == AMBIGUOUS_ROWS.get(name, set())
    assert all(t.unreadable_rows == [] for k, t in report.tables.items() if k != "active")
    wanted = {k: v for k, v in expected.items() if not (k[0] == "active" and k[1] in unreadable)}
    assert got == wanted


def test_corpus_cell_accuracy(corpus, capsys):
    right = total = 0
    for name in WITH_EXPECTED:
        got = _cells(facts_csv(parse_file(corpus / "reports" / name)))
        expected = _cells((corpus / "expected" / f"{name}.csv").read_text(encoding="utf-8"))
        right += sum(got.get(k) == v for k, v in expected.items())
        total += len(expected)
        assert set(got) <= set(expected), f"{name}: cells the report does not print"
    with capsys.disabled():
        print(f"\ncorpus text/HTML cell accuracy: {right}/{total} = {right / total:.1%}")
    assert right / total > 0.95


@pytest.mark.parametrize("name", [f for f in FILES if f not in WITH_EXPECTED])
def test_reports_without_tables_invent_no_numbers(corpus, name):
    """Pre-2019 free-form reports load with their narrative and no table cells."""
    report = parse_file(corpus / "reports" / name)
    if name.startswith(("pingtan", )):
        assert report.form_version == "pre2019"
        assert report.facts == []
        assert report.status == "ok"
        assert any("2019年以前" in w for w in report.warnings)
    assert report.status != "failed" or report.error


NARRATIVE = sorted(p.name.removesuffix(".csv") for p in (CORPUS / "expected-narrative").glob("*.csv")) \
    if (CORPUS / "expected-narrative").is_dir() else []


@pytest.mark.parametrize("name", [f for f in FILES])
def test_narrative_counts_through_the_pipeline(corpus, name):
    """`nianbao parse --narrative` gives exactly the hand-read key,value pairs (none when no file)."""
    report = parse_file(corpus / "reports" / name)
    got = {(n.key, str(n.value)) for n in report.narrative}
    path = corpus / "expected-narrative" / f"{name}.csv"
    expected = set()
    if path.exists():
        expected = {(r[0], r[1]) for r in list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))[1:]}
    assert got == expected
