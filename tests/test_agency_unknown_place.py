"""An office of a place the division data does not know (renamed, new, or invented for a corpus)
keeps its printed name; it never becomes a fragment of the title or the 条例's 中华人民共和国,
which made two counties' offices one "central" agency and let one replace the other."""

from __future__ import annotations

import pytest

from nianbao.parse import parse_bytes
from nianbao.store.load import agency_id

BODY = ("本报告根据《中华人民共和国政府信息公开条例》要求编制。"
        "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。\n")


@pytest.mark.parametrize("name", ["安江县人民政府办公室", "泰川县人民政府办公室", "青平区人民政府办公室"])
def test_an_unknown_county_office_keeps_its_name(name: str) -> None:
    report = parse_bytes(f"{name}2021年政府信息公开工作年度报告\n{BODY}".encode(), "a.txt")
    m = report.metadata
    assert m.agency == name and m.category == "government_office" and m.level != "国务院部门"
    assert agency_id(report) is None  # no place stated: never merged with another county's office


def test_two_unknown_counties_offices_are_never_one_agency() -> None:
    """Found at 20 k synthetic reports: the generated counties 安江县 and 泰川县 (same city)."""
    import random

    from nianbao.synth import generate_corpus
    from nianbao.synth.agencies import select_agencies

    names = ("安江县人民政府办公室", "泰川县人民政府办公室")
    agencies = [a for a in select_agencies(random.Random("1:agencies"), 2858) if a.name in names]
    reports = [parse_bytes(r.data, r.name) for r in generate_corpus(1, agencies=agencies, years=[2021])]
    assert sorted(r.metadata.agency for r in reports) == sorted(names)
    assert [agency_id(r) for r in reports] == [None, None]
