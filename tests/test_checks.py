"""The check stage: each rule on inline reports (one consistent, one perturbed), then the real corpus."""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest

from nianbao.check import RULES, Finding, check_report
from nianbao.form import FORMS
from nianbao.parse.model import Fact, Metadata, Report, Section, TableResult, Value

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
Cells = dict[tuple[str, str, str], "str | int | Decimal | None"]

# --- building reports ---------------------------------------------------------------------

_PEOPLE = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
           "legal_service_org", "other_org")
# applications per row: (自然人, 商业企业); the other legal-person columns are 0 and 总计 is the sum.
_APPLICATIONS_2021 = {
    "new_received": (20, 3), "carried_over": (2, 0), "granted": (10, 2), "partially_granted": (3, 0),
    "unable_no_info": (4, 0), "rejected_repeat": (1, 0), "other_no_correction": (1, 0),
    "total": (19, 2), "carried_forward": (3, 1),
}
_REVIEW = {"review": (2, 1, 0, 1), "litigation_direct": (1, 0, 0, 0), "litigation_after_review": (0, 0, 0, 0)}
_ACTIVE_2021 = {("regulations", "issued"): 0, ("regulations", "repealed"): 0, ("regulations", "in_force"): 0,
                ("normative_documents", "issued"): 5, ("normative_documents", "repealed"): 1,
                ("normative_documents", "in_force"): 30, ("licensing", "decisions"): 100,
                ("penalty", "decisions"): 20, ("coercion", "decisions"): 2,
                ("admin_fees", "amount_10k_yuan"): "1.5"}
_ACTIVE_2019 = {("regulations", "new_made"): 0, ("regulations", "new_published"): 0,
                ("regulations", "total_published"): 0, ("normative_documents", "new_made"): 5,
                ("normative_documents", "new_published"): 5, ("normative_documents", "total_published"): 40,
                ("licensing", "prev_items"): 50, ("licensing", "change"): -3, ("licensing", "decisions"): 100,
                ("other_admin_services", "prev_items"): 10, ("other_admin_services", "change"): 2,
                ("other_admin_services", "decisions"): 9, ("penalty", "prev_items"): 30,
                ("penalty", "change"): 0, ("penalty", "decisions"): 20, ("coercion", "prev_items"): 5,
                ("coercion", "change"): 1, ("coercion", "decisions"): 2, ("admin_fees", "prev_items"): 4,
                ("admin_fees", "change"): 0, ("gov_procurement", "projects"): 3,
                ("gov_procurement", "amount"): "12.5"}

SECTION_TEXT = {
    "一": "本年度，我局认真贯彻落实《条例》，全面推进政务公开工作。",
    "二": "（表二）",
    "三": "（表三）",
    "四": "（表四）",
    "五": "一是公开内容还不够丰富；二是解读形式较为单一。下一步将加强培训，提升公开质量。",
    "六": "本年度未收取信息处理费。",
}


def consistent_cells(version: str = "2021") -> Cells:
    """A report whose every number adds up, in the given form version."""
    cells: Cells = {}
    rows = dict(_APPLICATIONS_2021)
    if version == "2019":  # the three （六） rows become the single row `other`
        rows["other"] = rows.pop("other_no_correction")
    form_rows = [r.key for r in FORMS[version].table("applications").rows]
    for row in form_rows:
        person, company = rows.get(row, (0, 0))
        for col in _PEOPLE:
            by_col = {"natural_person": person, "commercial_enterprise": company}
            cells[("applications", row, col)] = by_col.get(col, 0)
        cells[("applications", row, "total")] = person + company
    for row, (upheld, corrected, other, pending) in _REVIEW.items():
        total = upheld + corrected + other + pending
        for col, n in zip(("upheld", "corrected", "other", "pending", "total"),
                          (upheld, corrected, other, pending, total), strict=True):
            cells[("review_litigation", row, col)] = n
    active = _ACTIVE_2021 if version == "2021" else _ACTIVE_2019
    for (row, col), n in active.items():
        cells[("active", row, col)] = n
    return cells


def to_value(v: str | int | Decimal | None) -> Value:
    if v is None:
        return Value("blank", raw="")
    if v == "/":
        return Value("na", raw="/")
    if isinstance(v, str) and v.endswith("元"):
        return Value("number", Decimal(v.rstrip("万元")), v, "元")
    return Value("number", Decimal(str(v)), str(v))


@dataclass
class Narrative:
    key: str
    value: Decimal
    approximate: bool = False
    sentence: str = ""


def make_report(cells: Cells | None = None, version: str = "2021", *, year: int = 2023,
                period_year: int | None = None, sections: dict[str, str] | None = None,
                unreadable: dict[str, list[str]] | None = None, missing_tables: tuple[str, ...] = (),
                status: str = "ok", narrative: list[Narrative] | None = None, **metadata: object) -> Report:
    cells = consistent_cells(version) if cells is None else cells
    facts = [Fact(t, r, c, to_value(v), "inline") for (t, r, c), v in cells.items()]
    tables = {t: TableResult(t, version if t not in missing_tables else None, t not in missing_tables,
                             list((unreadable or {}).get(t, [])))
              for t in ("active", "applications", "review_litigation")}
    text_by_number = SECTION_TEXT if sections is None else sections
    secs = [Section(n, "", f"{n}、", body) for n, body in text_by_number.items()]
    meta = Metadata(report_year=year, period_year=year if period_year is None else period_year,
                    agency=str(metadata.pop("agency", "某市某某局")), **metadata)  # type: ignore[arg-type]
    text = "\n".join(f"{s.heading}\n{s.text}" for s in secs)
    return Report("inline", "txt", "", meta, version, facts, tables, secs, narrative=list(narrative or []),
                  status=status, text=text)  # type: ignore[arg-type]


def perturbed(version: str = "2021", **changes: object) -> Cells:
    """Consistent cells with some cells changed: key "table.row.col" with dots as "__"."""
    cells = consistent_cells(version)
    for key, v in changes.items():
        cells[tuple(key.split("__"))] = v  # type: ignore[index]
    return cells


def of(findings: list[Finding], rule_id: str, severity: str | None = None) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule_id and (severity is None or f.severity == severity)]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


# --- the catalogue and the consistent baseline ----------------------------------------------

def test_catalogue_lists_every_rule_with_a_severity_and_both_languages() -> None:
    expected = {"T3-1", "T3-2", "T3-3", "T3-4", "T3-6", "T4-1", "T4-2", "T2-1", "T2-2", "T2-3", "T2-4",
                "T2-5", "X-1", "X-2", "X-3", "X-4", "X-5", "D-2", "D-3", "D-5", "N-1",
                "D-1", "D-4", "D-6", "D-7", "D-8"}
    assert set(RULES) == expected
    for severity, zh, en in RULES.values():
        assert severity in ("error", "warning", "info") and zh and en


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_a_consistent_report_has_no_findings(version: str) -> None:
    year = 2020 if version == "2019" else 2023  # a 2019-form report for 2021+ is D-7 (outdated form)
    assert check_report(make_report(version=version, year=year)) == []


def test_a_failed_report_gets_no_findings() -> None:
    report = make_report(perturbed(applications__total__total=999), status="failed")
    assert check_report(report) == []


# --- table 三 ------------------------------------------------------------------------------

def test_t3_1_flags_a_column_that_does_not_balance_with_labels_numbers_and_difference() -> None:
    cells = perturbed(applications__new_received__natural_person=21, applications__new_received__total=24)
    found = of(check_report(make_report(cells)), "T3-1", "error")
    assert [f.cells[0] for f in found] == ["applications.new_received.natural_person",
                                          "applications.new_received.total"]
    assert found[0].message_zh == "表三 自然人列：一（21）+ 二（2）≠ 三（七）总计（19）+ 四（3），相差 1"
    assert "difference 1" in found[0].message_en


def test_t3_1_does_not_run_on_a_blank_cell_but_says_which() -> None:
    cells = perturbed(applications__carried_over__natural_person=None)
    findings = check_report(make_report(cells))
    assert of(findings, "T3-1", "error") == []
    info = of(findings, "T3-1", "info")
    assert len(info) == 1 and "二空白" in info[0].message_zh
    assert info[0].cells == ("applications.carried_over.natural_person",)


def test_t3_1_is_silent_when_the_row_is_unreadable() -> None:
    cells = perturbed(applications__carried_over__natural_person=99)
    report = make_report(cells, unreadable={"applications": ["carried_over"]})
    findings = check_report(report)
    assert of(findings, "T3-1") == [] and of(findings, "T3-3") == []


@pytest.mark.parametrize("version,row,diff", [("2021", "other_other", 6), ("2019", "other", 5)])
def test_t3_2_total_handled_must_equal_the_outcome_rows_of_the_form(version: str, row: str,
                                                                    diff: int) -> None:
    changes = {f"applications__{row}__natural_person": 6, f"applications__{row}__total": 6}
    cells = perturbed(version, **changes)
    found = of(check_report(make_report(cells, version)), "T3-2", "error")
    assert [f.cells[0] for f in found] == ["applications.total.natural_person", "applications.total.total"]
    assert "三（七）总计（19）≠" in found[0].message_zh and found[0].message_zh.endswith(f"相差 {diff}")
    assert "（六）其他处理" in found[0].message_zh


def test_t3_2_uses_the_2021_rows_on_a_2021_report() -> None:
    # The 2019 row `other` is not part of the 2021 form: a stray fact there changes nothing.
    cells = consistent_cells("2021")
    cells[("applications", "other", "natural_person")] = 50
    assert of(check_report(make_report(cells)), "T3-2") == []


def test_t3_3_row_total_must_equal_the_applicant_columns() -> None:
    cells = perturbed(applications__granted__research_institution=1)
    found = check_report(make_report(cells))
    t33 = of(found, "T3-3", "error")
    assert len(t33) == 1
    assert t33[0].message_zh.startswith("表三「（一）予以公开」行：总计（12）≠")
    assert "法人或其他组织·科研机构（1）" in t33[0].message_zh and t33[0].message_zh.endswith("相差 1")


def test_t3_4_negative_and_fractional_counts() -> None:
    cells = perturbed(applications__partially_granted__other_org=-1, applications__granted__other_org="0.5")
    found = of(check_report(make_report(cells)), "T3-4", "error")
    assert {f.cells for f in found} == {("applications.partially_granted.other_org",),
                                       ("applications.granted.other_org",)}
    assert any("为负数" in f.message_zh for f in found) and any("不是整数" in f.message_zh for f in found)


def test_t3_6_unpaid_fee_needs_section_six_to_report_fees() -> None:
    cells = perturbed(applications__other_unpaid_fee__natural_person=1,
                      applications__other_unpaid_fee__total=1,
                      applications__other_no_correction__natural_person=0,
                      applications__other_no_correction__total=0)
    ok = make_report(cells)
    assert of(check_report(ok), "T3-6") == []
    silent = make_report(cells, sections={**SECTION_TEXT, "六": "无其他需要报告的事项。"})
    found = of(check_report(silent), "T3-6", "warning")
    assert len(found) == 1 and "第六部分没有提到信息处理费" in found[0].message_zh


# --- table 四 ------------------------------------------------------------------------------

def test_t4_1_each_group_total() -> None:
    cells = perturbed(review_litigation__review__total=0)
    found = of(check_report(make_report(cells)), "T4-1", "error")
    assert len(found) == 1 and found[0].cells[0] == "review_litigation.review.total"
    assert found[0].message_zh == ("表四「行政复议」行：总计（0）≠ 结果维持（2）+ 结果纠正（1）"
                                   "+ 其他结果（0）+ 尚未审结（1），相差 4")


def test_t4_2_non_negative_integers() -> None:
    cells = perturbed(review_litigation__litigation_direct__other=-2)
    found = of(check_report(make_report(cells)), "T4-2", "error")
    assert [f.cells for f in found] == [("review_litigation.litigation_direct.other",)]


# --- table 二 ------------------------------------------------------------------------------

def test_t2_1_allows_decimal_fees_and_negative_2019_change_only() -> None:
    assert of(check_report(make_report(version="2019")), "T2-1") == []  # change -3, amount 12.5
    bad = perturbed("2021", active__licensing__decisions=-1, active__admin_fees__amount_10k_yuan=-2)
    assert len(of(check_report(make_report(bad)), "T2-1", "error")) == 2
    bad_2019 = perturbed("2019", active__licensing__decisions="2.5", active__penalty__change=-4)
    found = of(check_report(make_report(bad_2019, "2019")), "T2-1", "error")
    assert [f.cells for f in found] == [("active.licensing.decisions",)]


def test_t2_3_new_published_at_most_total() -> None:
    cells = perturbed("2019", active__normative_documents__new_published=41)
    found = of(check_report(make_report(cells, "2019")), "T2-3", "warning")
    assert len(found) == 1 and "多 1" in found[0].message_zh


def test_t2_4_regulations_from_a_township() -> None:
    cells = perturbed(active__regulations__issued=2, active__regulations__in_force=2)
    assert of(check_report(make_report(cells, level="市级")), "T2-4") == []
    found = of(check_report(make_report(cells, level="乡镇街道")), "T2-4", "warning")
    assert len(found) == 1 and "乡镇街道" in found[0].message_zh
    assert of(check_report(make_report(level="县级")), "T2-4") == []  # 0 regulations is fine


def test_t2_5_fee_magnitude_and_unit() -> None:
    big = perturbed(active__admin_fees__amount_10k_yuan=316441)
    assert len(of(check_report(make_report(big)), "T2-5", "warning")) == 1
    assert of(check_report(make_report(big, scope="jurisdiction")), "T2-5") == []
    yuan = perturbed(active__admin_fees__amount_10k_yuan="400元")
    found = of(check_report(make_report(yuan)), "T2-5", "warning")
    assert len(found) == 1 and "单位是元" in found[0].message_zh


# --- across years --------------------------------------------------------------------------

def test_x1_carried_over_must_equal_last_years_carried_forward() -> None:
    last = make_report(year=2022)  # carried forward: 自然人 3, 商业企业 1, 总计 4
    this = make_report(perturbed(applications__carried_over__natural_person=3,
                                 applications__carried_over__commercial_enterprise=1,
                                 applications__carried_over__total=4,
                                 applications__new_received__natural_person=19,
                                 applications__new_received__commercial_enterprise=2,
                                 applications__new_received__total=21))
    assert of(check_report(this, last), "X-1") == []
    broken = make_report(year=2023)  # carried over 自然人 2, 总计 2 ≠ 3, 4
    found = of(check_report(broken, last), "X-1", "error")
    assert [f.cells for f in found] == [
        ("applications.carried_over.natural_person", "applications.carried_forward.natural_person"),
        ("applications.carried_over.commercial_enterprise",
         "applications.carried_forward.commercial_enterprise"),
        ("applications.carried_over.total", "applications.carried_forward.total")]
    assert "2023 年“二、上年结转”（2）≠ 2022 年“四、结转下年度继续办理”（3）" in found[0].message_zh


def test_x1_only_compares_consecutive_years_and_the_same_scope() -> None:
    last = make_report(year=2021)
    gap = check_report(make_report(year=2023), last)
    assert errors(gap) == [] and "不是 2022 年" in of(gap, "X-1", "info")[0].message_zh
    other_scope = check_report(make_report(year=2022, scope="jurisdiction"), last)
    assert errors(other_scope) == [] and "口径不同" in of(other_scope, "X-1", "info")[0].message_zh


def test_x1_ignores_a_form_change_between_2020_and_2021() -> None:
    last = make_report(version="2019", year=2020)
    this = make_report(perturbed(applications__carried_over__natural_person=3,
                                 applications__carried_over__commercial_enterprise=1,
                                 applications__carried_over__total=4,
                                 applications__new_received__natural_person=19,
                                 applications__new_received__commercial_enterprise=2,
                                 applications__new_received__total=21), year=2021)
    assert of(check_report(this, last), "X-1") == []


def test_x1_accepts_a_lightweight_previous_record() -> None:
    @dataclass
    class Previous:
        metadata: Metadata
        form_version: str
        facts: list[Fact]

        def fact_map(self) -> dict[tuple[str, str, str], Value]:
            return {f.key: f.value for f in self.facts}

    facts = [Fact("applications", "carried_forward", "total", to_value(9), "store")]
    found = check_report(make_report(), Previous(Metadata(report_year=2022), "2021", facts))
    assert [f.cells for f in of(found, "X-1", "error")] == [
        ("applications.carried_over.total", "applications.carried_forward.total")]


def test_t2_2_in_force_roll_forward() -> None:
    last = make_report(perturbed(active__normative_documents__in_force=26), year=2022)
    assert of(check_report(make_report(), last), "T2-2") == []  # 26 + 5 − 1 = 30
    found = of(check_report(make_report(perturbed(active__normative_documents__in_force=31)), last),
               "T2-2", "warning")
    assert len(found) == 1 and "= 30，相差 1" in found[0].message_zh


def test_t2_3_item_roll_forward_2019_form() -> None:
    rolled = {"active__licensing__prev_items": 53, "active__other_admin_services__prev_items": 8,
              "active__coercion__prev_items": 4}  # + change (−3, +2, +1) = this year's 50, 10, 5
    last = make_report(perturbed("2019", **rolled), "2019", year=2019)
    assert of(check_report(make_report(version="2019", year=2020), last), "T2-3") == []
    bad_cells = perturbed("2019", **{**rolled, "active__licensing__prev_items": 60})
    bad_last = make_report(bad_cells, "2019", year=2019)
    found = of(check_report(make_report(version="2019", year=2020), bad_last), "T2-3", "warning")
    assert [f.cells for f in found] == [("active.licensing.prev_items",)]


def test_a_synthetic_sequence_with_one_planted_break() -> None:
    def year_report(year: int, carried_over: int, carried_forward: int) -> Report:
        new = 10
        handled = new + carried_over - carried_forward
        cells = consistent_cells()
        for row in ("new_received", "carried_over", "total", "carried_forward", "granted"):
            for col in _PEOPLE[1:]:
                cells[("applications", row, col)] = 0
        for row in [r.key for r in FORMS["2021"].table("applications").rows]:
            cells[("applications", row, "natural_person")] = 0
        values = {"new_received": new, "carried_over": carried_over, "total": handled,
                  "carried_forward": carried_forward, "granted": handled}
        for row in [r.key for r in FORMS["2021"].table("applications").rows]:
            n = values.get(row, 0)
            cells[("applications", row, "natural_person")] = n
            cells[("applications", row, "total")] = n
        return make_report(cells, year=year)

    sequence = [year_report(2021, 0, 2), year_report(2022, 2, 1), year_report(2023, 4, 0),
                year_report(2024, 0, 0)]
    for report in sequence:
        assert errors(check_report(report)) == []
    breaks = [(b.metadata.report_year, f.cells[0]) for a, b in zip(sequence, sequence[1:], strict=False)
              for f in errors(check_report(b, a))]
    assert breaks == [(2023, "applications.carried_over.natural_person"),
                      (2023, "applications.carried_over.total")]


# --- text against tables --------------------------------------------------------------------

def _with_overview(text: str, cells: Cells | None = None, **kw: object) -> Report:
    return make_report(cells, sections={**SECTION_TEXT, "一": text}, **kw)


def test_x2_received_handled_and_carried_forward_match_table_three() -> None:
    # 新收 23, 上年结转 2, 总计 21, 结转 4
    text = "本年度共收到政府信息公开申请23件，办结21件，4件结转下年度继续办理。"
    assert of(check_report(_with_overview(text)), "X-2") == []
    wrong = "本年度共收到政府信息公开申请24件，办结21件，4件结转下年度继续办理。"
    found = of(check_report(_with_overview(wrong)), "X-2", "error")
    assert len(found) == 1
    assert found[0].cells == ("applications.new_received.total",)
    assert "称收到申请 24 件" in found[0].message_zh and "为 23" in found[0].message_zh
    assert "本年度共收到政府信息公开申请24件" in found[0].message_zh


def test_x2_received_may_include_the_carried_over_applications() -> None:
    # "全县全年共受理…749件…共办理718件，结转下一年31件" counts 一 + 二 (713 + 36).
    text = "全年共受理政府信息公开申请25件；共办理21件，结转下一年4件。"
    assert of(check_report(_with_overview(text)), "X-2") == []


def test_x2_does_not_compare_a_sentence_about_a_sub_unit() -> None:
    # huaian-hongzequ_2024: a whole-district report whose text gives the office's own count.
    text = "2024 年，区政府办代表区政府受理政府\n信息公开申请 17 件，均已在法定期限内予以答复。"
    report = _with_overview(text, year=2024, agency="淮安市洪泽区人民政府")
    findings = check_report(report)
    assert of(findings, "X-2", "error") == []
    info = of(findings, "X-2", "info")
    assert len(info) == 1 and "区政府办" in info[0].message_zh and "17" in info[0].message_zh
    whole = _with_overview("2024年，全区受理政府信息公开申请17件。", year=2024, agency="淮安市洪泽区人民政府")
    assert len(of(check_report(whole), "X-2", "error")) == 1


def test_x2_compares_a_sentence_naming_the_reports_own_agency() -> None:
    text = "市政府办公厅代表市政府共受理政府信息公开申请30件。"
    found = check_report(_with_overview(text, agency="上海市人民政府办公厅"))
    assert len(of(found, "X-2", "error")) == 1


def test_x2_skips_whole_jurisdiction_figures_in_a_department_report_and_approximate_numbers() -> None:
    findings = check_report(_with_overview("全市各级行政机关共受理政府信息公开申请5000余件。",
                                           agency="某市商务局"))
    assert errors(findings) == [] and len(of(findings, "X-2", "info")) == 1
    approx = check_report(_with_overview("我局共受理政府信息公开申请30余件。"))
    assert errors(approx) == [] and "约数" in of(approx, "X-2", "info")[0].message_zh


def test_x3_reviews_and_lawsuits_against_table_four() -> None:
    # 行政复议 总计 4; 诉讼 = 未经复议直接起诉 1 + 复议后起诉 0
    agreeing = _with_overview("因政府信息公开引起的行政复议案件4件、行政诉讼案件1件。")
    assert of(check_report(agreeing), "X-3") == []
    found = of(check_report(_with_overview("全年发生行政复议3起，行政诉讼2起。")), "X-3", "error")
    assert [f.cells for f in found] == [
        ("review_litigation.review.total",),
        ("review_litigation.litigation_direct.total", "review_litigation.litigation_after_review.total")]


def test_x3_does_not_read_a_combined_count_as_lawsuits() -> None:
    text = "依法做好行政复议、行政诉讼案件74件的应诉工作。"
    assert of(check_report(_with_overview(text)), "X-3") == []


def test_x3_blank_part_of_the_table_gives_info_not_error() -> None:
    cells = perturbed(**{f"review_litigation__litigation_after_review__{c}": None
                         for c in ("upheld", "corrected", "other", "pending", "total")})
    ok = check_report(_with_overview("行政复议4件，诉讼1件。", cells))
    assert of(ok, "X-3") == []
    off = check_report(_with_overview("行政复议4件，诉讼3件。", cells))
    assert of(off, "X-3", "error") == [] and len(of(off, "X-3", "info")) == 1


def test_x4_fees_stated_in_the_text_must_be_reported_in_section_six() -> None:
    text = "全年收取信息处理费共计380元。"
    silent = make_report(sections={**SECTION_TEXT, "一": text, "六": "无。"})
    assert len(of(check_report(silent), "X-4", "warning")) == 1
    reported = make_report(sections={**SECTION_TEXT, "六": "全年收取信息处理费共计380元。"})
    assert of(check_report(reported), "X-4") == []
    none = make_report(sections={**SECTION_TEXT, "一": "全年收取信息处理费0元。", "六": "无。"})
    assert of(check_report(none), "X-4") == []


def test_n1_channels_above_the_total() -> None:
    ok = [Narrative("published_total", Decimal(100)), Narrative("published_website", Decimal(60)),
          Narrative("published_new_media", Decimal(40))]
    assert of(check_report(make_report(narrative=ok)), "N-1") == []
    over = [replace(ok[0], value=Decimal(90)), *ok[1:]]
    found = of(check_report(make_report(narrative=over)), "N-1", "warning")
    assert len(found) == 1 and "60 + 新媒体发布 40 = 100" in found[0].message_zh


# --- the document --------------------------------------------------------------------------

def test_d2_all_sections_and_tables() -> None:
    no_six = {k: v for k, v in SECTION_TEXT.items() if k != "六"}
    found = of(check_report(make_report(sections=no_six)), "D-2", "warning")
    assert len(found) == 1 and "六、其他需要报告的事项" in found[0].message_zh
    no_table = of(check_report(make_report(missing_tables=("review_litigation",))), "D-2", "warning")
    assert len(no_table) == 1 and "表四" in no_table[0].message_zh


def test_d2_accepts_an_undeclared_heading_wording_found_in_the_text() -> None:
    report = make_report(sections={k: v for k, v in SECTION_TEXT.items() if k != "五"})
    report.text += "\n五、存在的主要问题及整改措施\n一是培训不足。\n"
    findings = check_report(report)
    assert of(findings, "D-2", "warning") == [] and of(findings, "X-5") == []
    assert len(of(findings, "D-2", "info")) == 1


def test_d3_statistic_period_year() -> None:
    found = of(check_report(make_report(year=2022, period_year=2021)), "D-3", "error")
    assert len(found) == 1 and "2021" in found[0].message_zh and "2022" in found[0].message_zh


def test_d5_all_zero_report() -> None:
    zeros = {k: 0 for k in consistent_cells()}
    assert len(of(check_report(make_report(zeros)), "D-5", "warning")) == 1
    assert of(check_report(make_report()), "D-5") == []


@pytest.mark.parametrize("body", ["无", "无。", "", "  "])
def test_x5_problems_section_empty_or_none(body: str) -> None:
    found = of(check_report(make_report(sections={**SECTION_TEXT, "五": body})), "X-5", "warning")
    assert len(found) == 1


# --- the real corpus -----------------------------------------------------------------------

# Every inconsistency the corpus sources print (MANIFEST notes, verified against the
# expected CSVs): (rule, first cell named). Nothing else in the corpus is an error.
SOURCE_ERRORS: dict[str, set[tuple[str, str]]] = {
    "huaian-hongzequ_2023.pdf": {("T4-1", "review_litigation.review.total"),
                                 ("T4-1", "review_litigation.litigation_after_review.total")},
    "pingtan-syq_2020.txt": {("T3-2", "applications.total.natural_person"),
                             ("T3-2", "applications.total.total")},
}
PINGTAN = ["pingtan-syq_2019.txt", "pingtan-syq_2020.txt", "pingtan-syq_2021.txt", "pingtan-syq_2023.txt",
           "pingtan-syq_2025.txt"]

needs_corpus = pytest.mark.skipif(not (CORPUS / "reports").is_dir(), reason="corpus not available")


def _manifest() -> dict[str, dict[str, str]]:
    with open(CORPUS / "MANIFEST.csv", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def _parse(name: str) -> Report | None:
    """The project's parse of a corpus file, or None when it could not be read at all."""
    from nianbao.parse import parse_file

    report = parse_file(CORPUS / "reports" / name)
    return None if report.status == "failed" else report


def _expected_value(text: str) -> Value:
    if text == "":
        return Value("blank")
    if text == "NA":
        return Value("na", raw="/")
    return Value("number", Decimal(text), text)


def printed_report(name: str) -> Report:
    """A report from the hand-read printed numbers, with the parser's text and metadata when it can read
    the file, so the checks are judged on what the source prints, not on parser gaps."""
    with open(CORPUS / "expected" / f"{name}.csv", encoding="utf-8") as fh:
        facts = [Fact(r["table"], r["row"], r["col"], _expected_value(r["value"]), "expected")
                 for r in csv.DictReader(fh)]
    version = "2019" if any(f.col == "new_made" for f in facts) else "2021"
    tables = {t: TableResult(t, version, True) for t in ("active", "applications", "review_litigation")}
    parsed = _parse(name)
    meta = parsed.metadata if parsed else Metadata(report_year=int(_manifest()[name]["report_year"]))
    narrative = []
    narrative_file = CORPUS / "expected-narrative" / f"{name}.csv"
    if narrative_file.exists():
        with open(narrative_file, encoding="utf-8") as fh:
            narrative = [Narrative(r["key"], Decimal(r["value"]), False, r["sentence"])
                         for r in csv.DictReader(fh)]
    return Report(name, "", "", meta, version, facts, tables, parsed.sections if parsed else [], narrative,
                  text=parsed.text if parsed else "")


def _error_keys(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.rule_id, f.cells[0] if f.cells else "") for f in errors(findings)}


@needs_corpus
@pytest.mark.parametrize("name", sorted(p.name[:-4] for p in (CORPUS / "expected").glob("*.csv"))
                         if (CORPUS / "expected").is_dir() else [])
def test_corpus_errors_are_exactly_the_printed_inconsistencies(name: str) -> None:
    assert _error_keys(check_report(printed_report(name))) == SOURCE_ERRORS.get(name, set())


@needs_corpus
@pytest.mark.parametrize("name", sorted(p.name for p in (CORPUS / "reports").iterdir())
                         if (CORPUS / "reports").is_dir() else [])
def test_corpus_parsed_reports_raise_no_error_the_source_does_not_contain(name: str) -> None:
    report = _parse(name)
    if name.startswith("template-blank"):
        assert report is None, "the blank form is not a report: it is refused (issue 11)"
        return
    assert report is not None, f"{name} could not be read"
    assert _error_keys(check_report(report)) <= SOURCE_ERRORS.get(name, set())


@needs_corpus
def test_corpus_hongzequ_2024_sub_unit_sentence_is_not_an_error() -> None:
    report = _parse("huaian-hongzequ_2024.pdf")
    assert report is not None
    findings = check_report(report)
    assert of(findings, "X-2", "error") == []
    assert any("区政府办" in f.message_zh for f in of(findings, "X-2", "info"))


@needs_corpus
def test_corpus_pingtan_text_statements_are_compared_and_agree() -> None:
    # pingtan-syq_2025: "共收到…154件,共办结148件,结转至2026年6件" and "行政复议36起,行政诉讼9起".
    report = printed_report("pingtan-syq_2025.txt")
    assert report.sections
    assert of(check_report(report), "X-2") == [] and of(check_report(report), "X-3") == []
    changed = [f if f.key != ("review_litigation", "review", "total")
               else replace(f, value=_expected_value("35")) for f in report.facts]
    broken = check_report(replace(report, facts=changed))
    assert any("行政复议36起" in f.message_zh for f in of(broken, "X-3", "error"))


@needs_corpus
@pytest.mark.parametrize("source", ["printed", "parsed"])
def test_corpus_pingtan_sequence_cross_year(source: str) -> None:
    reports = [printed_report(n) if source == "printed" else _parse(n) for n in PINGTAN]
    assert all(r is not None for r in reports)
    compared, refused = [], []
    for last, this in zip(reports, reports[1:], strict=False):
        findings = [f for f in check_report(this, last) if f.rule_id in ("X-1", "T2-2", "T2-3")]
        assert [f for f in findings if f.severity != "info"] == []
        infos = [f for f in findings if "未做跨年比较" in f.message_zh]
        (refused if infos else compared).append(this.metadata.report_year)
    assert compared == [2020, 2021] and refused == [2023, 2025]  # 2022 and 2024 are missing


@needs_corpus
def test_corpus_pingtan_planted_break_is_found() -> None:
    last, this = printed_report("pingtan-syq_2020.txt"), printed_report("pingtan-syq_2021.txt")
    changed = [f if f.key != ("applications", "carried_over", "natural_person")
               else replace(f, value=_expected_value("2")) for f in this.facts]
    found = of(check_report(replace(this, facts=changed), last), "X-1", "error")
    assert [f.cells[0] for f in found] == ["applications.carried_over.natural_person"]


def test_table_version_follows_the_printed_rows_over_a_wrong_tag() -> None:
    # The parser may tag table 三 "2019" when it could not read the （六） rows; when 2021 rows
    # are printed, T3-2 must sum the 2021 rows.
    cells = perturbed(applications__other_other__natural_person=6, applications__other_other__total=6)
    report = make_report(cells)
    report.tables["applications"] = TableResult("applications", "2019", True, [], ["other"])
    found = of(check_report(report), "T3-2", "error")
    assert [f.cells[0] for f in found] == ["applications.total.natural_person", "applications.total.total"]
