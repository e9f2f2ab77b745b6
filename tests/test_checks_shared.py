"""The checks build each form table's equations and labels once and share them between reports
(``rules_tables._column_templates``/``_row_templates``, ``cells._cell``/``_absent``): what one
report's checks compute must never leak into another's, whatever the order."""

from __future__ import annotations

from nianbao.check import check_report
from tests.test_checks import make_report, of, perturbed


def test_findings_do_not_depend_on_which_form_version_was_checked_before() -> None:
    # T3-2 sums the outcome rows of the table's own version: 2019 has the single （六） row
    # (14 other terms), 2021 three （六） rows (16 other terms)
    bad_2019 = make_report(perturbed("2019", applications__other__natural_person=5), version="2019")
    bad_2021 = make_report(perturbed("2021", applications__other_no_correction__natural_person=5))
    cases = [(bad_2021, 16), (bad_2019, 14)]
    for order in (cases, cases[::-1], cases):  # each version first once: nothing built for one serves the other
        for report, other_terms in order:
            t32 = of(check_report(report), "T3-2", "error")
            assert len(t32) == 1 and t32[0].message_zh.endswith(f"（其余 {other_terms} 项为 0），相差 4")


def test_a_blank_cell_says_so_in_each_report_that_has_it() -> None:
    blank = make_report(perturbed(applications__carried_over__other_org=None))
    number = make_report(perturbed())
    skipped = of(check_report(blank), "T3-1", "info")
    assert len(skipped) == 1 and "空白" in skipped[0].message_zh
    assert of(check_report(number), "T3-1") == []  # the shared absence is not carried to a report with a number
    assert of(check_report(blank), "T3-1", "info")[0].message_zh == skipped[0].message_zh


def test_number_kinds_are_reported_in_cell_order() -> None:
    cells = perturbed(applications__unable_no_info__other_org="0.5", applications__granted__natural_person=-1,
                      applications__carried_over__commercial_enterprise=-2)
    found = of(check_report(make_report(cells)), "T3-4", "error")
    keys = [f.cells[0] for f in found]
    assert keys == sorted(keys) and set(keys) == {"applications.unable_no_info.other_org",
                                                  "applications.granted.natural_person",
                                                  "applications.carried_over.commercial_enterprise"}
