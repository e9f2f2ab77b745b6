"""nianbao.synth: round trips through the parser, reproducibility, consistency, planted errors."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal
from functools import cache

import pytest

from nianbao.export import facts_csv
from nianbao.form import FORMS
from nianbao.parse import parse_bytes
from nianbao.synth import SynthReport, demo_corpus, generate_corpus, write_corpus
from nianbao.synth.agencies import CATEGORY_KEYS, build_catalogue
from nianbao.synth.numbers import APPLICANT_COLS


@cache
def _corpus(fmt: str, seed: int = 11, n: int = 10, blank_share: float = 0.0) -> tuple[SynthReport, ...]:
    return tuple(generate_corpus(seed, n_agencies=n, formats=(fmt,), wrong_form_share=0.15,
                                 blank_share=blank_share))


def _facts(csv_text: str) -> dict[tuple[str, str, str], str]:
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0] == ["table", "row", "col", "value"]
    return {(t, r, c): v for t, r, c, v in rows[1:]}


def _round_trip_problems(report: SynthReport) -> list[str]:
    """Differences between the parser's CSV and the expected CSV (byte for byte, order included)."""
    got = facts_csv(parse_bytes(report.data, report.name))
    if got == report.expected_csv:
        return []
    expected_lines, got_lines = report.expected_csv.splitlines(), got.splitlines()
    missing = set(expected_lines) - set(got_lines)
    extra = set(got_lines) - set(expected_lines)
    if not missing and not extra:
        return [f"{report.name}: same lines, different order"]
    return [f"{report.name}: missing {sorted(missing)[:5]} extra {sorted(extra)[:5]}"]


@pytest.mark.parametrize("fmt", ["txt", "html"])
@pytest.mark.parametrize("version", ["2019", "2021"])
def test_round_trip_text_and_html(fmt: str, version: str) -> None:
    reports = [r for r in _corpus(fmt) if r.meta["form_version"] == version]
    assert len(reports) >= 10
    problems = [p for r in reports for p in _round_trip_problems(r)]
    assert not problems, "\n".join(problems[:10])


def test_round_trip_2021_is_exact() -> None:
    for fmt in ("txt", "html"):
        for r in _corpus(fmt):
            if r.meta["form_version"] == "2021":
                assert facts_csv(parse_bytes(r.data, r.name)) == r.expected_csv, r.name


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_round_trip_docx_and_pdf(fmt: str) -> None:
    reports = list(generate_corpus(5, n_agencies=3, years=range(2019, 2024), formats=(fmt,),
                                   wrong_form_share=0.2, blank_share=0.0))
    assert {r.meta["form_version"] for r in reports} == {"2019", "2021"}
    problems = [p for r in reports for p in _round_trip_problems(r)]
    assert not problems, "\n".join(problems[:10])


def test_parser_reads_the_2019_other_row() -> None:
    r = next(r for r in _corpus("html") if r.meta["form_version"] == "2019")
    got = _facts(facts_csv(parse_bytes(r.data, r.name)))
    assert ("applications", "other", "total") in got


def test_facts_csv_keeps_the_2019_form_order() -> None:
    r = next(r for r in _corpus("txt") if r.meta["form_version"] == "2019")
    got = facts_csv(parse_bytes(r.data, r.name)).splitlines()
    assert got[1].startswith("active,regulations,new_made,")


def test_parser_keeps_rows_of_blank_cells() -> None:
    reports = [r for r in _corpus("html", seed=3, n=12, blank_share=1.0)
               if r.meta["blank_cells_are_zero"] and r.meta["form_version"] == "2021"]
    assert reports
    for r in reports:
        assert facts_csv(parse_bytes(r.data, r.name)) == r.expected_csv, r.name


def test_blank_and_na_cells_are_printed_and_expected() -> None:
    reports = _corpus("txt", seed=3, n=12, blank_share=1.0)
    values = [v for r in reports for v in _facts(r.expected_csv).values()]
    assert "" in values and "NA" in values
    zero_blank = [r for r in reports if r.meta["blank_cells_are_zero"]]
    assert zero_blank
    for r in zero_blank:
        facts = _facts(r.expected_csv)
        assert all(v != "0" for (t, _, _), v in facts.items() if t == "applications")


# --- reproducibility -------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["txt", "html", "docx", "pdf"])
def test_same_seed_same_bytes_different_seed_different(fmt: str) -> None:
    def run(seed: int) -> list[tuple[str, bytes, str]]:
        return [(r.name, r.data, r.expected_csv) for r in
                generate_corpus(seed, n_agencies=2, years=range(2020, 2022), formats=(fmt,), error_rate=0.5)]

    first, again, other = run(42), run(42), run(43)
    assert first == again
    assert [d for _, d, _ in first] != [d for _, d, _ in other]


def test_figures_do_not_depend_on_formats() -> None:
    a = {r.name.rsplit(".", 1)[0]: r.expected_csv for r in generate_corpus(9, n_agencies=4, formats=("txt",))}
    b = {r.name.rsplit(".", 1)[0]: r.expected_csv
         for r in generate_corpus(9, n_agencies=4, formats=("html",))}
    assert a == b


# --- consistency -------------------------------------------------------------------------

def _num(v: str, zero_blank: bool) -> int:
    if v == "" and zero_blank:
        return 0
    return int(v)


def _rule_failures(report: SynthReport) -> set[str]:
    """T3-1, T3-2, T3-3, T4-1 evaluated with plain arithmetic on the expected values."""
    facts = _facts(report.expected_csv)
    zb = report.meta["blank_cells_are_zero"]
    version = report.meta["form_version"]
    failed = set()
    rows = [r.key for r in FORMS[version].table("applications").rows]
    outcomes = [r for r in rows if r not in ("new_received", "carried_over", "total", "carried_forward")]
    cols = (*APPLICANT_COLS, "total")

    def a(row: str, col: str) -> int:
        return _num(facts[("applications", row, col)], zb)

    for c in cols:
        if a("new_received", c) + a("carried_over", c) != a("total", c) + a("carried_forward", c):
            failed.add("T3-1")
        if a("total", c) != sum(a(r, c) for r in outcomes):
            failed.add("T3-2")
    for r in rows:
        if a(r, "total") != sum(a(r, c) for c in APPLICANT_COLS):
            failed.add("T3-3")
    for r in ("review", "litigation_direct", "litigation_after_review"):
        parts = [int(facts[("review_litigation", r, p)]) for p in ("upheld", "corrected", "other", "pending")]
        if int(facts[("review_litigation", r, "total")]) != sum(parts):
            failed.add("T4-1")
    return failed


@cache
def _mixed_corpus(error_rate: float) -> tuple[SynthReport, ...]:
    return tuple(generate_corpus(21, n_agencies=30, formats=("txt",), error_rate=error_rate,
                                 wrong_form_share=0.1, blank_share=0.1))


def test_error_free_reports_satisfy_the_table_rules() -> None:
    reports = _mixed_corpus(0.0)
    assert len(reports) == 30 * 7
    for r in reports:
        assert r.meta["planted_errors"] == []
        assert _rule_failures(r) == set(), r.name
        for (table, row, col), v in _facts(r.expected_csv).items():
            if v in ("", "NA"):
                continue
            if col == "change":
                assert int(v) == Decimal(v)
            elif col in ("amount_10k_yuan", "amount"):
                assert Decimal(v) >= 0
            else:
                assert v.isdigit(), (r.name, table, row, col, v)


def _chain_breaks(reports: tuple[SynthReport, ...]) -> set[str]:
    """Files whose 上年结转 differs from the same agency's 结转下年度 of the year before (X-1)."""
    by_agency: dict[str, dict[int, SynthReport]] = defaultdict(dict)
    for r in reports:
        by_agency[r.meta["agency_id"]][r.meta["report_year"]] = r
    broken = set()
    for years in by_agency.values():
        for year, r in years.items():
            if year - 1 not in years:
                continue
            now, before = _facts(r.expected_csv), _facts(years[year - 1].expected_csv)
            for c in (*APPLICANT_COLS, "total"):
                if _num(now[("applications", "carried_over", c)], r.meta["blank_cells_are_zero"]) != _num(
                        before[("applications", "carried_forward", c)],
                        years[year - 1].meta["blank_cells_are_zero"]):
                    broken.add(r.name)
    return broken


def test_carry_overs_chain_across_years_and_forms() -> None:
    reports = _mixed_corpus(0.0)
    assert {r.meta["form_version"] for r in reports} == {"2019", "2021"}
    assert any(r.meta["wrong_form"] for r in reports)
    assert _chain_breaks(reports) == set()
    nonzero = [r for r in reports if r.meta["report_year"] > 2019 and
               _facts(r.expected_csv)[("applications", "carried_over", "total")] not in ("0", "")]
    assert nonzero, "the chain must carry something, not only zeros"


def test_magnitudes_follow_the_kind_of_agency() -> None:
    reports = _mixed_corpus(0.0)
    key21 = ("active", "licensing", "decisions")

    def median(values: list[int]) -> float:
        values = sorted(values)
        return values[len(values) // 2] if values else 0

    def of(category: str) -> list[SynthReport]:
        agencies = [a for a in build_catalogue() if a.category == category][:6]
        return list(generate_corpus(4, formats=("txt",), blank_share=0.0, agencies=agencies))

    market = [int(_facts(r.expected_csv)[key21]) for r in of("market_regulation")]
    towns = [int(_facts(r.expected_csv)[("applications", "new_received", "total")]) for r in of("township")]
    assert median(market) > 1000
    assert median(towns) < 10
    assert reports


# --- planted errors ------------------------------------------------------------------------

def test_planted_errors_are_recorded_with_the_rules_they_break() -> None:
    reports = _mixed_corpus(1.0)
    by_name = {r.name: r for r in reports}
    kinds = set()
    breaks = _chain_breaks(reports)
    for r in reports:
        errors = r.meta["planted_errors"]
        assert len(errors) == 1, r.name
        error = errors[0]
        kinds.add(error["kind"])
        assert r.meta["expected_rules"] == sorted(error["rules"])
        table_rules = {x for x in error["rules"] if x.startswith("T")}
        assert _rule_failures(r) == table_rules, (r.name, error)
        if "X-1" in error["rules"]:
            assert r.name in breaks and error["previous_file"] in by_name
        else:
            assert r.name not in breaks, r.name
        if error["rules"][0] in ("X-2", "X-3"):
            stated = r.meta["narrative"][error["narrative_key"]]
            assert stated == error["stated"] != error["table"]
            assert f"{stated}件" in r.data.decode("utf-8")
    assert kinds == {"t3_grand_total", "t3_row_total", "t3_new_total", "t4_total", "carry_over_break",
                     "text_table_mismatch", "text_review_mismatch"}


def test_narrative_states_the_table_figures() -> None:
    for r in _mixed_corpus(0.0):
        facts, stated = _facts(r.expected_csv), r.meta["narrative"]
        zb = r.meta["blank_cells_are_zero"]
        total = ("applications", "new_received", "total")
        assert stated["applications_received"] == _num(facts[total], zb)
        assert stated["applications_handled"] == _num(facts[("applications", "total", "total")], zb)
        assert stated["review_total"] == int(facts[("review_litigation", "review", "total")])
        text = r.data.decode("utf-8")
        assert f"主动公开政府信息{stated['published_total']}条" in text
        assert f"统计期限自{r.meta['report_year']}年1月1日起至{r.meta['report_year']}年12月31日止" in text


def test_parser_sees_the_title_year_and_form() -> None:
    for r in _corpus("html")[:20]:
        report = parse_bytes(r.data, r.name)
        assert report.metadata.report_year == r.meta["report_year"]
        assert report.form_version == r.meta["form_version"]
        assert r.meta["agency"] in report.metadata.title


def test_some_html_pages_are_gbk() -> None:
    pages = list(generate_corpus(8, n_agencies=12, formats=("html",), gbk_share=0.3))
    gbk = [p for p in pages if p.meta["encoding"] == "gbk"]
    assert gbk and len(gbk) < len(pages)
    for p in gbk[:3]:
        assert b'<meta charset="gbk">' in p.data
        with pytest.raises(UnicodeDecodeError):
            p.data.decode("utf-8")
        assert facts_csv(parse_bytes(p.data, p.name)) == p.expected_csv or p.meta["form_version"] == "2019"


# --- corpus files ------------------------------------------------------------------------------

def test_write_corpus_files_manifest_and_meta(tmp_path) -> None:
    metas = write_corpus(tmp_path, 5, n_agencies=3, years=range(2022, 2024), formats=("txt", "html"),
                         blank_share=0.0, wrong_form_share=0.0)
    assert len(metas) == 6
    with open(tmp_path / "manifest.csv", encoding="utf-8") as f:
        manifest = list(csv.DictReader(f))
    assert list(manifest[0])[:6] == ["file", "agency", "region", "level", "category", "report_year"]
    assert {"province", "city", "county"} <= set(manifest[0])
    lines = (tmp_path / "meta.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["file"] for x in lines] == [m["file"] for m in manifest]
    for m in manifest:
        data = (tmp_path / m["file"]).read_bytes()
        expected = (tmp_path / f"{m['file']}.csv").read_text(encoding="utf-8")
        assert expected.startswith("table,row,col,value\n")
        assert facts_csv(parse_bytes(data, m["file"])) == expected


def test_demo_corpus_covers_regions_categories_years_formats(tmp_path) -> None:
    metas = demo_corpus(tmp_path)
    assert 200 <= len(metas) <= 600
    assert len({m["category"] for m in metas}) >= 15
    assert len({m["province"] for m in metas}) >= 5
    assert {m["report_year"] for m in metas} == set(range(2019, 2026))
    assert {m["level"] for m in metas} == {"省级", "市级", "县级", "乡镇街道"}
    formats = [m["format"] for m in metas]
    assert {"txt", "html", "docx", "pdf"} <= set(formats)
    assert formats.count("txt") + formats.count("html") > len(formats) * 0.7
    assert any(m["planted_errors"] for m in metas)
    assert set(CATEGORY_KEYS) >= {m["category"] for m in metas}
