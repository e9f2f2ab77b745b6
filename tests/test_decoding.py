"""Decoding keeps what it can: a few bad UTF-8 bytes are replaced with a warning saying how many
and where, and the cell holding one is not read as a number; BOMs win over binary sniffing."""

from __future__ import annotations

import codecs

import pytest

from nianbao.parse import parse_bytes
from tests.test_store import GOOD


def _cell(report, row, col="total"):
    return next((f for f in report.facts if f.table == "applications" and f.row == row and f.col == col), None)


def test_a_few_bad_utf8_bytes_keep_the_report_and_say_where():
    text = GOOD.format(n=3).replace("商务局", "商务\udcff局")  # placeholder for one bad byte
    data = text.encode("utf-8", "surrogateescape")
    report = parse_bytes(data, "a.txt")
    assert report.status == "ok" and report.metadata.agency
    assert any("1 bytes not valid UTF-8" in w and "lines 1" in w for w in report.warnings), report.warnings


def test_a_bad_byte_inside_a_number_makes_that_cell_unreadable():
    good = parse_bytes(GOOD.format(n=37).encode(), "a.txt")
    assert _cell(good, "new_received").value.number == 37
    data = GOOD.format(n=37).encode().replace(b"\t37\t", b"\t3\xff7\t", 1)
    report = parse_bytes(data, "a.txt")
    cell = _cell(report, "new_received")
    assert cell is None or cell.value.kind != "number"  # never 37, 3 or 7
    assert report.status in ("partial", "failed") and any("not valid UTF-8" in w for w in report.warnings)


def test_too_many_bad_bytes_is_not_utf8():
    data = GOOD.format(n=3).encode("gb18030")
    report = parse_bytes(data, "a.txt")
    assert report.status == "ok" and not any("not valid UTF-8" in w for w in report.warnings)


@pytest.mark.parametrize("enc,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                     ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
                                     ("utf-8", codecs.BOM_UTF8)])
def test_text_with_a_bom_is_read_not_called_binary(enc, bom):
    report = parse_bytes(bom + GOOD.format(n=3).encode(enc), "a.txt")
    assert report.status == "ok", report.error
    assert _cell(report, "new_received").value.number == 3


def test_utf16_html_with_a_bom_is_read_as_html():
    html = ("<html><body><p>某县商务局2023年政府信息公开工作年度报告</p><table><tr><td>a</td></tr></table>"
            "</body></html>")
    report = parse_bytes(codecs.BOM_UTF16_LE + html.encode("utf-16-le"), "page.dat")
    assert report.source_format == "html"
    assert "binary" not in (report.error or "")
