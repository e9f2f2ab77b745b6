"""Small inline snippets: label variants, value kinds, reader layouts, run-together digits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nianbao.export import facts_csv
from nianbao.form import FORMS, metric_catalog, normalize_label
from nianbao.parse import parse_bytes
from nianbao.parse.split import candidate_splits
from nianbao.parse.values import parse_value

T3_HEAD = "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
T4 = ("四、政府信息公开行政复议、行政诉讼情况\n"
      "| 行政复议 | 行政诉讼 |\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |\n"
      "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
      "| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n\n五、存在的主要问题及改进情况\n无。\n")


def cells(text: str, name: str = "r.txt") -> dict[tuple[str, str, str], str]:
    report = parse_bytes(text.encode("utf-8"), name)
    rows = [line.split(",") for line in facts_csv(report).splitlines()[1:]]
    return {(t, r, c): v for t, r, c, v in rows}


def test_form_declares_every_corpus_key():
    t3 = {r.key for r in FORMS["2021"].table("applications").rows}
    assert len(t3) == 25 and len({r.key for r in FORMS["2019"].table("applications").rows}) == 23
    assert sum(len(r.cols) for r in FORMS["2021"].table("active").rows) == 10
    assert sum(len(r.cols) for r in FORMS["2019"].table("active").rows) == 22
    keys = {m.key for m in metric_catalog()}
    assert "active.admin_fees.amount_10k_yuan" in keys and "active.gov_procurement.amount" in keys
    fee = next(m for m in metric_catalog() if m.key == "active.admin_fees.amount_10k_yuan")
    assert fee.unit == "万元" and fee.versions == ("2021",)


@pytest.mark.parametrize("printed", ["（一）予以公开", "(一)予以公开", "一、予以公开", "（ 一 ）予以 公开", "予以公开"])
def test_label_variants_match(printed):
    assert cells(T3_HEAD + f"{printed}\t7\t0\t0\t0\t0\t0\t7\n" + T4)[("applications", "granted", "total")] == "7"
    assert normalize_label(printed.replace("一、", "(一)")).endswith("予以公开")


@pytest.mark.parametrize("numbering", ["1.", "1、", "1．", "1 .", ""])
def test_row_numbering_variants(numbering):
    text = (T3_HEAD + f"（三）不予公开\t{numbering}属于国家秘密\t1\t0\t0\t0\t0\t0\t1\n" + T4)
    assert cells(text)[("applications", "denied_state_secret", "natural_person")] == "1"


@pytest.mark.parametrize("label", ["四、结转下年度继续办理", "四、结转下一年度继续办理"])
def test_carried_forward_wordings(label):
    got = cells(T3_HEAD + f"{label}\t2\t0\t0\t0\t0\t0\t2\n" + T4)
    assert got[("applications", "carried_forward", "total")] == "2"


def test_label_with_words_missing_as_printed_in_real_reports():
    # 洪泽区 2023/2024 print "2.其他法律行政止公开" (法规禁 missing): a declared variant, not a guess
    got = cells(T3_HEAD + "（三）不予公开\t2.其他法律行政止公开\t3\t0\t0\t0\t0\t0\t3\n" + T4)
    assert got[("applications", "denied_prohibited_by_law", "total")] == "3"


def test_quotes_and_commas_vary():
    text = (T3_HEAD + '3.危及"三安全一稳定"\t4\t0\t0\t0\t0\t0\t4\n'
            "1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请\t5\t0\t0\t0\t0\t0\t5\n" + T4)
    got = cells(text)
    assert got[("applications", "denied_three_safeties", "total")] == "4"
    assert got[("applications", "other_no_correction", "total")] == "5"


@pytest.mark.parametrize(("raw", "kind", "number", "unit"), [
    ("0", "number", Decimal(0), None), ("", "blank", None, None), ("\u00a0 ", "blank", None, None),
    ("/", "na", None, None), ("—", "na", None, None), ("-", "na", None, None), ("无", "na", None, None),
    ("251000元", "number", Decimal(251000), "元"), ("+1036", "number", Decimal(1036), None),
    ("-15", "number", Decimal(-15), None), ("7730.280000", "number", Decimal("7730.280000"), None),
    ("1,234", "number", Decimal(1234), None), ("行政许可", None, None, None),
])
def test_value_kinds(raw, kind, number, unit):
    value = parse_value(raw)
    if kind is None:
        assert value is None
        return
    assert (value.kind, value.number, value.unit) == (kind, number, unit)


def test_blank_zero_and_na_stay_distinct_in_csv():
    text = T3_HEAD + "（一）予以公开\t3\t\t/\t0\t—\t\t3\n" + T4
    got = cells(text)
    row = [got[("applications", "granted", c.key)] for c in FORMS["2021"].table("applications").columns]
    assert row == ["3", "", "NA", "0", "NA", "", "3"]
    assert parse_value("7730.280000").as_csv() == "7730.28"


def test_one_cell_per_line_with_split_cells():
    lines = ["二、主动公开政府信息情况", "\t第二十条第（五）项", "", "\t信息内容", "\t本年处理决定数量", "",
             "\t行政许可", "\t16", "63", ""]
    got = cells("\n".join(lines) + "\n")
    assert got[("active", "licensing", "decisions")] == "1663"


def test_pipe_table_and_space_separated_rows():
    text = ("二、主动公开政府信息情况\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
            "| 规章 | 1 | 0 | 5 |\n\n行政规范性文件 2 1 30\n" + T4)
    got = cells(text)
    assert [got[("active", "regulations", c)] for c in ("issued", "repealed", "in_force")] == ["1", "0", "5"]
    assert got[("active", "normative_documents", "in_force")] == "30"
    assert got[("review_litigation", "review", "upheld")] == "1"


def test_run_together_row_recovered_by_row_total():
    # 80 | 1 | 0 | 0 | 0 | 0 | 81 printed with no separators
    got = cells("三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量801000081"
                "二、上年结转政府信息公开申请数量0000000")
    row = [got[("applications", "new_received", c.key)] for c in FORMS["2021"].table("applications").columns]
    assert row == ["80", "1", "0", "0", "0", "0", "81"]


def test_run_together_review_table_recovered_by_group_totals():
    text = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
            "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计10203120001200000五、存在的主要问题及改进情况")
    got = cells(text)
    assert [got[("review_litigation", "litigation_direct", c)] for c in ("upheld", "total")] == ["12", "12"]
    assert got[("review_litigation", "review", "total")] == "3"


def test_a_sentence_mentioning_a_label_is_not_a_table_row():
    text = ("二、主动公开政府信息情况\n全年办理行政许可1234件，行政处罚56件。\n"
            "第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t1663\n行政处罚\t30\n" + T4)
    got = cells(text)
    assert got[("active", "licensing", "decisions")] == "1663"
    assert got[("active", "penalty", "decisions")] == "30"


def test_ambiguous_run_is_reported_not_guessed():
    report = parse_bytes("二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
                         "规章000行政规范性文件693665第二十条第（五）项".encode(), "x.txt")
    assert report.tables["active"].unreadable_rows == ["normative_documents"]
    assert not any(f.row == "normative_documents" for f in report.facts)
    assert any("693665" in w for w in report.warnings)
    assert report.status == "partial"


def test_candidate_splits_respect_leading_zeros_and_signs():
    assert candidate_splits(["000"], 3) == [["0", "0", "0"]]
    assert ["2648", "-18", "538"] in candidate_splits(["2648", "-18538"], 3)
    assert all(not p.startswith("0") or p == "0" for c in candidate_splits(["1005"], 2) for p in c)
    assert candidate_splits(["12"], 3) == []


def test_form_version_detected_from_labels_not_year():
    text = ("2023年某街道办事处政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n| 规章 | 0 | 0 | 0 |\n"
            "| 规范性文件 | 2 | 2 | 9 |\n" + T4)
    report = parse_bytes(text.encode(), "x.txt")
    assert report.metadata.report_year == 2023 and report.tables["active"].version == "2019"
    assert ("active", "normative_documents", "total_published") in report.fact_map()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_text_encodings(encoding):
    text = T3_HEAD + "（一）予以公开\t3\t0\t0\t0\t0\t0\t3\n" + T4
    report = parse_bytes(text.encode(encoding), "r.txt")
    assert report.fact_map()[("applications", "granted", "total")].number == 3


HTML = """<html><head><meta charset="gbk"><title>x</title></head><body>
<div class="nav">首页 &gt; 政务公开 行政许可 99</div>
<div class="content"><p>某县商务局2022年政府信息公开工作年度报告</p>
<p>三、收到和处理政府信息公开申请情况</p>
<table><tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
<td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业<br>企业</td><td>科研<br/>机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>5</td><td>&nbsp;</td><td>0</td><td>/</td><td>0</td><td>0</td><td>5</td></tr>
<tr><td rowspan="22">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>2</td><td></td><td>0</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>
<tr><td rowspan="8">（三）不予公开</td><td>1.属于国家秘密</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
</table></div><div class="footer">网站标识码 行政处罚 12</div></body></html>"""


def test_html_merged_cells_gbk_and_chrome():
    report = parse_bytes(HTML.encode("gbk"), "p.html")
    got = report.fact_map()
    assert got[("applications", "new_received", "natural_person")].number == 5
    assert got[("applications", "new_received", "commercial_enterprise")].kind == "blank"
    assert got[("applications", "new_received", "social_welfare_org")].kind == "na"
    assert got[("applications", "granted", "total")].number == 2
    assert got[("applications", "denied_state_secret", "natural_person")].number == 1
    assert report.metadata.report_year == 2022 and report.metadata.agency == "某县商务局"
    assert not any(f.table == "active" for f in report.facts)  # nav/footer text is not a table


def test_html_table_split_in_two_and_spread_over_tables():
    rows = "".join(f"<tr><td>{label}</td>" + "<td>0</td>" * 7 + "</tr>"
                   for label in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"))
    more = "<tr><td>四、结转下年度继续办理</td>" + "<td>1</td>" + "<td>0</td>" * 5 + "<td>1</td></tr>"
    html = (f"<p>三、收到和处理政府信息公开申请情况</p><table>{rows}</table><p>（续表）</p><table>{more}</table>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p>")
    got = parse_bytes(html.encode(), "s.html").fact_map()
    assert got[("applications", "carried_over", "total")].number == 0
    assert got[("applications", "carried_forward", "natural_person")].number == 1


@pytest.mark.parametrize(("data", "cause"), [
    (b"", "empty"), (b"\x00\x01\x02binary\x00" * 50, "binary"), (b"PK\x03\x04junk", "zip"),
    ("<html><body><p>网站首页</p><table><tr><td>".encode(), "no report tables"),
    ("这是一段与年报无关的文字。".encode(), "no report tables"),
])
def test_bad_input_fails_with_a_clear_reason(data, cause):
    report = parse_bytes(data, "bad.bin")
    assert report.status == "failed"
    assert cause in report.error and "/" in report.error  # Chinese / English
    assert report.facts == []


def test_partial_report_says_which_tables():
    report = parse_bytes((T3_HEAD + "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n").encode(), "p.txt")
    assert report.status == "partial"
    assert "表四" in report.error and "表二" in report.error


def test_pre2019_report_is_recognised():
    text = "某县人民政府2015年政府信息公开工作年度报告\n一、概述\n二、主动公开政府信息情况\n全年主动公开信息1200条，行政许可35件。"
    report = parse_bytes(text.encode(), "old.txt")
    assert report.form_version == "pre2019" and report.facts == [] and report.status == "ok"


def test_title_split_over_two_lines_joins_the_agency_line():
    text = "淮安市洪泽区人民政府\n2024 年政府信息公开工作年度报告\n本报告由淮安市洪泽区人民政府办公室编制。\n" + T4
    meta = parse_bytes(text.encode(), "t.txt").metadata
    assert meta.title == "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
    assert (meta.agency, meta.report_year, meta.county) == ("淮安市洪泽区人民政府", 2024, "洪泽区")


def test_declared_charset_wrong_or_unknown_falls_back_to_detection():
    page = ("<html><head><meta charset='x-unknown-8'></head><body><p>某县商务局2022年政府信息公开工作年度报告</p>"
            "</body></html>")
    assert parse_bytes(page.encode("gb18030"), "p.html").metadata.agency == "某县商务局"
    assert parse_bytes(page.replace("x-unknown-8", "utf-8").encode("gbk"), "q.html").metadata.report_year == 2022


def _table3_pipe(replace: dict[str, list[str]]) -> str:
    lines = [T3_HEAD.strip(), "| 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |"]
    for r in FORMS["2021"].table("applications").rows:
        lines += replace.get(r.key, [f"| {r.prefix}{r.labels[0]} | " + " | ".join(["0"] * 7) + " |"])
    return "\n".join(lines) + "\n\n" + T4


def test_all_blank_label_fragment_is_not_a_row():
    blanks = " | ".join([""] * 7)
    # the label wrapped over two printed rows: the values follow the rest of it
    wrapped = _table3_pipe({"unable_needs_creation": [f"| 2.没有现成信息需要另行制 | {blanks} |",
                                                      "| 作 | " + " | ".join(["0"] * 7) + " |"]})
    got = cells(wrapped)
    assert [got[("applications", "unable_needs_creation", c)] for c in ("natural_person", "total")] == ["0", "0"]
    # a label one character short over a row that is really blank stays that blank row
    blank_row = _table3_pipe({"unable_needs_creation": [f"| 2.没有现成信息需要另行制 | {blanks} |"]})
    got = cells(blank_row)
    assert [got[("applications", "unable_needs_creation", c)] for c in ("natural_person", "total")] == ["", ""]


def test_note_glued_to_a_one_cell_rows_only_number_is_prose_not_a_sentence():
    fee = "第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费 {v}\n"
    text = "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t16\n" + fee + T4
    assert cells(text.format(v="0注:本表数据截至当年12月31日。"))[("active", "admin_fees", "amount_10k_yuan")] == "0"
    # a count a sentence goes on from is still a sentence mentioning the label, not a row
    assert ("active", "admin_fees", "amount_10k_yuan") not in cells(text.format(v="3件，均已按规定收取。"))
