"""Tests for nianbao.parse.narrative: inline phrasing rules, then the real-report corpus."""

from __future__ import annotations

import csv
import html
import re
import time
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from nianbao.parse.narrative import (
    NARRATIVE_KEYS,
    NARRATIVE_METRICS,
    NarrativeResult,
    extract_narrative,
)

# ---------------------------------------------------------------------------------------------
# Helpers


def values(result: NarrativeResult) -> dict[str, Decimal]:
    return {m.key: m.value for m in result.metrics}


def metric(result: NarrativeResult, key: str):
    found = [m for m in result.metrics if m.key == key]
    assert len(found) == 1, f"expected one {key}, got {found}"
    return found[0]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_sentences_from_text(result: NarrativeResult, text: str) -> None:
    """Every sentence is a piece of the text (modulo whitespace) and shows the number."""
    flat = squeeze(text)
    for m in result.metrics:
        sentence = squeeze(m.sentence)
        assert sentence and sentence in flat, m
        shown = {str(m.value), f"{m.value:,}"}
        if not any(s in sentence for s in shown):
            # "15.8万条" shows 158000 as 15.8万; "三十五场" as Chinese numerals.
            assert re.search(r"[\d.]+[万亿]|[一二两三四五六七八九十百千]+[场条篇件]", sentence), m


# ---------------------------------------------------------------------------------------------
# API shape


def test_keys_and_metric_names_line_up():
    assert set(NARRATIVE_METRICS) == set(NARRATIVE_KEYS)
    assert NARRATIVE_METRICS["press_conferences"][2] == "场"
    assert NARRATIVE_METRICS["policy_interpretations"][2] == "篇"
    assert NARRATIVE_METRICS["published_total"][2] == "条"


def test_empty_and_numberless_text_give_nothing():
    for text in ("", "   \n", "一、总体情况\n本年度我局认真贯彻落实《条例》。"):
        result = extract_narrative(text, 2023)
        assert result.metrics == () and result.warnings == ()


# ---------------------------------------------------------------------------------------------
# Phrasing rules

SEED = "2023年全年公开各类政府信息共计共计374条，其中政府网发布79 条、公众号上传 295 条。"


def test_seed_sentence_total_website_and_single_new_media_channel():
    result = extract_narrative(SEED, 2023)
    assert values(result) == {"published_total": Decimal(374), "published_website": Decimal(79),
                              "published_new_media": Decimal(295)}
    assert result.warnings == ()
    assert_sentences_from_text(result, SEED)


def test_wan_multiplier_is_exact():
    text = "2024年，我市各级行政机关共主动公开政府信息15.8万条。"
    m = metric(extract_narrative(text, 2024), "published_total")
    assert m.value == Decimal(158000) and str(m.value) == "158000"
    assert m.approximate is False


def test_yi_multiplier_and_thousands_separator():
    assert values(extract_narrative("全年主动公开政府信息1.2亿条。", 2024)) == {
        "published_total": Decimal(120_000_000)}
    assert values(extract_narrative("全年主动公开政府信息12,345条。", 2024)) == {
        "published_total": Decimal(12345)}


@pytest.mark.parametrize("text, value", [
    ("全年主动公开政府信息7700余条。", 7700),
    ("全年主动公开政府信息近200条。", 200),
    ("全年主动公开政府信息约3000条。", 3000),
    ("全年主动公开政府信息300多条。", 300),
])
def test_approximate_counts_keep_the_stated_number(text, value):
    m = metric(extract_narrative(text, 2023), "published_total")
    assert m.value == Decimal(value) and m.approximate is True


def test_exact_count_is_not_approximate():
    result = extract_narrative("全年主动公开政府信息7700条。", 2023)
    assert metric(result, "published_total").approximate is False


def test_spaces_inside_sentence_and_before_unit():
    text = "2023 年，本年度 主动公开政府信息 1136 条。"
    assert values(extract_narrative(text, 2023)) == {"published_total": Decimal(1136)}


@pytest.mark.parametrize("text, value", [
    ("全年召开新闻发布会三十五场。", 35),
    ("全年共举办了十二场新闻发布会。", 12),
    ("新闻发布会共召开5场。", 5),
    ("全年召开新闻发布会二十场次。", 20),
])
def test_press_conferences_with_chinese_and_arabic_numerals(text, value):
    assert values(extract_narrative(text, 2023)) == {"press_conferences": Decimal(value)}


def test_press_conference_lumped_with_other_events_is_not_counted():
    assert values(extract_narrative("全年召开新闻发布会和政策吹风会12场。", 2023)) == {}


def test_number_split_by_pdf_line_break():
    text = "2023 年，我区主动公开政府信息 12\n36 条。"
    result = extract_narrative(text, 2023)
    assert values(result) == {"published_total": Decimal(1236)}
    assert_sentences_from_text(result, text)


def test_word_split_by_pdf_line_break():
    text = "2023 年，我区在政\n府网站平台主动公开政府信息 1136 条。"
    result = extract_narrative(text, 2023)
    assert values(result) == {"published_website": Decimal(1136)}
    assert squeeze(result.metrics[0].sentence) == squeeze(text)


def test_table_cells_on_one_line_stay_separate_numbers():
    # Tab-separated cells are not one number; nothing here is a narrative statement.
    assert values(extract_narrative("行政许可\t550\t12\n行政处罚\t4119", 2023)) == {}


def test_other_channels_wording_does_not_hide_the_total():
    text = "全年通过政府网站、政务新媒体及其他渠道主动公开政府信息2645条。"
    assert values(extract_narrative(text, 2023)) == {"published_total": Decimal(2645)}


def test_channel_qualified_count_is_not_the_total():
    text = "2023年，我区在政府网站平台主动公开政府信息1136条。"
    assert values(extract_narrative(text, 2023)) == {"published_website": Decimal(1136)}


def test_several_channels_listed_together_state_the_total():
    text = "全年通过政府网站、政务新媒体等平台主动公开政府信息2645条。"
    assert values(extract_narrative(text, 2023)) == {"published_total": Decimal(2645)}


def test_per_channel_new_media_numbers_are_not_added_up():
    text = "全年通过政府网站发布政府信息800条，通过微博发布信息120条，通过微信公众号发布信息340条。"
    result = extract_narrative(text, 2023)
    assert values(result) == {"published_website": Decimal(800)}
    assert any("published_new_media" in w and "120" in w and "340" in w for w in result.warnings)
    assert Decimal(460) not in values(result).values()


def test_one_new_media_number_for_all_accounts_is_kept_over_its_breakdown():
    text = "全年通过政务新媒体发布信息500条，其中微博发布200条、微信公众号发布300条。"
    result = extract_narrative(text, 2023)
    assert values(result) == {"published_new_media": Decimal(500)}


def test_new_media_listed_as_examples_of_the_umbrella_is_one_number():
    text = "通过政务微博、微信等新媒体发布信息2000条，其中微博发布800条、微信发布1200条。"
    result = extract_narrative(text, 2023)
    assert values(result) == {"published_new_media": Decimal(2000)} and result.warnings == ()


def test_new_media_articles_or_videos_are_not_information_items():
    text = "“上海科技”微信公众号共编发文章 1640 篇，抖音号共发布短视频 584 条。"
    assert values(extract_narrative(text, 2024)) == {}


def test_other_year_number_is_skipped():
    text = "2022年公开政府信息1000条。2023年主动公开政府信息1200条，同比增长20%。"
    assert values(extract_narrative(text, 2023)) == {"published_total": Decimal(1200)}


def test_only_other_year_number_gives_warning_not_value():
    result = extract_narrative("2022年全年主动公开政府信息1000条。", 2023)
    assert values(result) == {}
    assert any("published_total" in w and "1000" in w and " / " in w for w in result.warnings)


def test_previous_year_word_and_change_are_not_counts():
    text = "上年主动公开政府信息900条。全年主动公开政府信息1000条，较上年增加100条。"
    assert values(extract_narrative(text, 2023)) == {"published_total": Decimal(1000)}


def test_cumulative_stock_is_not_this_years_count():
    text = "截至2023年底，累计主动公开政府信息52000条。全年主动公开政府信息3100条。"
    result = extract_narrative(text, 2023)
    assert values(result) == {"published_total": Decimal(3100)}


def test_only_cumulative_stock_gives_warning():
    result = extract_narrative("截至2023年底，历年累计主动公开政府信息52000条。", 2023)
    assert values(result) == {}
    assert any("published_total" in w and "52000" in w for w in result.warnings)


def test_cumulative_within_the_report_year_counts():
    text = "2025年，通过实验区政府门户网站累计主动公开政府信息7700余条。"
    m = metric(extract_narrative(text, 2025), "published_website")
    assert m.value == Decimal(7700) and m.approximate


def test_whole_city_number_in_an_agency_report_is_another_scope():
    text = ("我局高度重视政务公开工作。2024年，全市共主动公开政府信息15.8万条。"
            "我局全年主动公开政府信息312条。")
    result = extract_narrative(text, 2024)
    assert values(result) == {"published_total": Decimal(312)}


def test_whole_area_number_is_own_scope_in_the_governments_report():
    text = "我区认真落实《条例》。2023年全区共主动公开政府信息13561条。"
    assert values(extract_narrative(text, 2023)) == {"published_total": Decimal(13561)}


def test_shares_of_the_total_are_not_the_total():
    text = "2017年全区主动公开政府信息2122条。其中，区政府办公室主动公开政府信息1509条，占71.11%。"
    assert values(extract_narrative(text, 2017)) == {"published_total": Decimal(2122)}


def test_sub_units_are_not_the_total():
    text = "2013年主动公开政府信息4970条。各乡镇主动公开政府信息1037条。"
    assert values(extract_narrative(text, 2013)) == {"published_total": Decimal(4970)}


def test_breakdown_category_other_is_not_the_total():
    text = "今年共公布政府信息2599条，(其中机构职能类信息25条，其他应主动公开政府信息856条)。"
    assert values(extract_narrative(text, 2019)) == {"published_total": Decimal(2599)}


def test_channel_breakdown_in_brackets_is_kept():
    text = "全年主动公开政府信息1000条（其中通过政府网站公开政府信息800条）。"
    assert values(extract_narrative(text, 2023)) == {"published_total": Decimal(1000),
                                                     "published_website": Decimal(800)}


def test_change_against_last_year_is_not_a_count():
    text = "全年主动公开政府信息1000条，同比多公开政府信息100条。"
    assert values(extract_narrative(text, 2023)) == {"published_total": Decimal(1000)}


def test_category_counts_are_not_publication_counts():
    text = ("全年在平潭政府采购信息网上主动公开政府采购项目信息188条。"
            "在门户网站发布招聘信息20多条。共公开发布信息82条。")
    assert values(extract_narrative(text, 2015)) == {}


def test_conflicting_totals_give_warning_and_no_value():
    text = "全年主动公开政府信息300条。本年度共主动公开政府信息320条。"
    result = extract_narrative(text, 2023)
    assert values(result) == {}
    assert len(result.warnings) == 1
    assert "published_total" in result.warnings[0] and "300" in result.warnings[0]
    assert "320" in result.warnings[0] and " / " in result.warnings[0]


def test_same_number_repeated_is_not_a_conflict():
    text = "全年主动公开政府信息300条。综上，本年度主动公开政府信息300条。"
    result = extract_narrative(text, 2023)
    assert values(result) == {"published_total": Decimal(300)} and result.warnings == ()


@pytest.mark.parametrize("text, value", [
    ("全年发布政策解读117篇。", 117),
    ("发布文字、图解、H5等多形式政策解读82篇。", 82),
    ("对29项涉及群众切身利益的重要政策文件进行解读。", 29),
    ("解读类信息发布 21 条。", 21),
    ("通过“中国上海”门户网站发布政策解读共132件。", 132),
])
def test_policy_interpretations(text, value):
    result = extract_narrative(text, 2023)
    assert values(result) == {"policy_interpretations": Decimal(value)}


@pytest.mark.parametrize("text", [
    "全年共编发公报24期，刊登政府规章、规范性文件等112件，政策解读83件。",  # a list item, no verb
    "全年共审核发布各类公开政府信息249条，其中：发布行政公文和政策解读信息9条。",  # lumped together
    "提出50条精准扶贫有关问题进行解读。",
    "完成政府常务会议同步配套解读 7 次。",
])
def test_not_policy_interpretation_counts(text):
    assert "policy_interpretations" not in values(extract_narrative(text, 2023))


def test_report_year_inferred_from_title_when_not_given():
    text = ("某某区人民政府2023年政府信息公开工作年度报告\n"
            "2022年主动公开政府信息900条。全年主动公开政府信息1000条。")
    assert values(extract_narrative(text, None)) == {"published_total": Decimal(1000)}


def test_sentence_comes_from_the_original_text():
    text = "一、总体情况\n  全年主动公开政府信息\n1136 条，其中通过政府网站发布\t800条。"
    result = extract_narrative(text, 2023)
    assert values(result) == {"published_total": Decimal(1136), "published_website": Decimal(800)}
    assert_sentences_from_text(result, text)


def test_fast_on_a_long_single_line_page():
    filler = ("区直各部门认真做好信息公开工作，及时发布各类信息，全年共发布信息84条，"
              "公开科技创新等信息2000余条；")
    line = filler * 400 + SEED
    start = time.perf_counter()
    result = extract_narrative(line, 2023)
    elapsed = time.perf_counter() - start
    assert values(result)["published_total"] == Decimal(374)
    assert elapsed < 1.0, elapsed  # ~40 000 characters; real reports take about 1-2 ms


# ---------------------------------------------------------------------------------------------
# The real-report corpus (skipped when /work/shared/corpus is not there)


def find_corpus() -> Path | None:
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "shared" / "corpus", here.parents[1].parent / "shared" / "corpus"):
        if (candidate / "reports").is_dir():
            return candidate
    return None


CORPUS = find_corpus()
REPORTS = sorted((CORPUS / "reports").iterdir()) if CORPUS else []


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def html_to_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>|<!--.*?-->", " ", page)
    page = re.sub(r"(?i)<(?:br|/p|/div|/tr|/li|/h\d|/table)\b[^>]*>", "\n", page)
    page = re.sub(r"(?i)</t[dh]>", "\t", page)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def docx_to_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    xml = re.sub(r"</w:p>", "\n", xml)
    return html.unescape(re.sub(r"<[^>]+>", "", xml))


def pdf_to_text(path: Path) -> str:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def report_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_to_text(path)
    if suffix == ".docx":
        return docx_to_text(path)
    text = decode(path.read_bytes())
    return html_to_text(text) if suffix in (".html", ".htm") else text


def report_year(path: Path) -> int | None:
    m = re.search(r"_((?:19|20)\d{2})\.", path.name)
    return int(m.group(1)) if m else None


def expected_values(path: Path) -> dict[str, Decimal]:
    expected = CORPUS / "expected-narrative" / f"{path.name}.csv"
    if not expected.exists():
        return {}
    with expected.open(encoding="utf-8", newline="") as f:
        return {row["key"]: Decimal(row["value"]) for row in csv.DictReader(f)}


requires_corpus = pytest.mark.skipif(CORPUS is None, reason="shared/corpus not present")


@requires_corpus
@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_corpus_report_matches_expected(path: Path):
    text = report_text(path)
    result = extract_narrative(text, report_year(path))
    assert values(result) == expected_values(path)
    assert_sentences_from_text(result, text)


@requires_corpus
def test_corpus_accuracy_summary():
    assert len(REPORTS) >= 23 and any(p.suffix == ".pdf" for p in REPORTS)
    score = Counter()
    for path in REPORTS:
        got = values(extract_narrative(report_text(path), report_year(path)))
        expected = expected_values(path)
        for key in NARRATIVE_KEYS:
            if key in expected:
                score[key, "right" if got.get(key) == expected[key] else "wrong/missing"] += 1
            elif key in got:
                score[key, "invented"] += 1
    lines = ["narrative corpus accuracy (per key: right / expected; invented = value where none stated)"]
    for key in NARRATIVE_KEYS:
        right = score[key, "right"]
        total = right + score[key, "wrong/missing"]
        lines.append(f"  {key:24} {right:3} / {total:<3} invented {score[key, 'invented']}")
    print("\n".join(lines))
    assert sum(n for (_, kind), n in score.items() if kind != "right") == 0, "\n".join(lines)
