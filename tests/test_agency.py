"""Tests for nianbao.parse.agency: who published a report."""

from __future__ import annotations

import csv
import html
import re
import time
from pathlib import Path

import pytest

from nianbao.parse.agency import CATEGORIES, LEVELS, AgencyInfo, agency_key, categorize, infer_agency

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

# ---------------------------------------------------------------------------------------------
# 1. The real corpus, expectations derived from MANIFEST.csv (its agency column carries notes in
#    parentheses; its level column says 县/市/省/部门 — 部门 rows take the level of the government
#    they belong to).
# ---------------------------------------------------------------------------------------------

J, A = "jurisdiction", "agency"
PINGTAN_ZONE = ("平潭综合实验区", "福建省", "平潭综合实验区", None, "市级", "government", J)
Opt = str | None
CORPUS_EXPECTED: dict[str, tuple[Opt, Opt, Opt, Opt, Opt, Opt, str]] = {
    # file: (agency as printed, province, city, county, level, category, scope)
    "huaian-hongzequ_2023.pdf": ("洪泽区人民政府", "江苏省", "淮安市", "洪泽区", "县级", "government", J),
    "huaian-hongzequ_2024.pdf": ("淮安市洪泽区人民政府", "江苏省", "淮安市", "洪泽区", "县级",
                                 "government", J),
    "pingtan-xian_2011.txt": ("平潭县人民政府", "福建省", "福州市", "平潭县", "县级", "government", J),
    "pingtan-xian_2013.txt": ("平潭县人民政府", "福建省", "福州市", "平潭县", "县级", "government", J),
    "pingtan-dishuiju_2013.txt": ("平潭综合实验区地方税务局", "福建省", "平潭综合实验区", None, "市级",
                                  "tax", A),
    **{f"pingtan-syq_{year}.txt": PINGTAN_ZONE
       for year in (2011, 2012, 2013, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2023, 2025)},
    # The text prints 沐阳县 (an OCR error): kept as printed, the place read as 沭阳县.
    "suqian-shuyangxian_2025.txt": ("沐阳县人民政府", "江苏省", "宿迁市", "沭阳县", "县级", "government", J),
    "shanghai-kewei_2024.md": ("上海市科委", "上海市", None, None, "省级", "science_tech", A),
    "shanghai-szfbgt_2019.html": ("上海市人民政府办公厅", "上海市", None, None, "省级",
                                  "government_office", A),
    "suqian-shuyang-fgj_2023.html": ("沭阳县发展和改革局", "江苏省", "宿迁市", "沭阳县", "县级",
                                     "development_reform", A),
    # No title, and the text never names the city: no place, but 市 says the level.
    "seed-shijianju_2023.txt": ("市市场监督管理局", None, None, None, "市级", "market_regulation", A),
}
MANIFEST_LEVELS = {"县": "县级", "市": "市级", "省": "省级"}


def read_manifest() -> list[dict[str, str]]:
    with open(CORPUS / "MANIFEST.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_report_text(path: Path) -> str:
    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            return "\n".join(page.get_textpage().get_text_range() for page in doc)
        finally:
            doc.close()
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".html", ".htm"):
        text = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


def report_rows() -> list[dict[str, str]]:
    if not (CORPUS / "MANIFEST.csv").exists():
        return []
    return [row for row in read_manifest() if row["format"] != "docx"]


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, str]:
    if not CORPUS.exists():
        pytest.skip("shared corpus not present")
    return {row["file"]: read_report_text(CORPUS / "reports" / row["file"]) for row in report_rows()}


needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")


@needs_corpus
def test_every_corpus_report_has_an_expectation() -> None:
    assert {row["file"] for row in report_rows()} == set(CORPUS_EXPECTED)
    assert len(read_manifest()) == len(CORPUS_EXPECTED) + 1  # + the blank docx template, not a report


@needs_corpus
@pytest.mark.parametrize("file", sorted(CORPUS_EXPECTED))
def test_corpus_report(file: str, corpus_texts: dict[str, str]) -> None:
    info = infer_agency(None, corpus_texts[file])
    agency, province, city, county, level, category, scope = CORPUS_EXPECTED[file]
    got = (info.agency, info.province, info.city, info.county, info.level, info.category, info.scope)
    assert got == (agency, province, city, county, level, category, scope)
    for key in ("province", "city", "county"):
        if getattr(info, key) is None:
            assert info.how[key] in ("not stated",) or info.how[key].startswith("ambiguous")


@needs_corpus
@pytest.mark.parametrize("row", report_rows(), ids=lambda row: row["file"])
def test_expectations_agree_with_manifest(row: dict[str, str]) -> None:
    agency, province, city, county, level, _, _ = CORPUS_EXPECTED[row["file"]]
    region = re.sub(r"（[^）]*）", "", row["region"])
    if not region:
        assert (province, city, county) == (None, None, None)
    else:
        assert region.startswith(province)
        assert region.endswith(county or city or province)
    manifest_level = row["level"].split()[0]
    if manifest_level in MANIFEST_LEVELS:
        assert level == MANIFEST_LEVELS[manifest_level]
    else:
        assert manifest_level == "部门" and level in LEVELS
    # the manifest writes the name with notes in parentheses and fixes the 沐 OCR error
    manifest_agency = row["agency"].replace("科学技术委员会", "科委")
    assert agency is not None and agency.replace("沐", "沭") in manifest_agency


@needs_corpus
def test_corpus_with_a_title_given(corpus_texts: dict[str, str]) -> None:
    info = infer_agency("沭阳县发展和改革局2023年政府信息公开年度报告",
                        corpus_texts["suqian-shuyang-fgj_2023.html"])
    assert (info.agency, info.county, info.level) == ("沭阳县发展和改革局", "沭阳县", "县级")
    assert info.how["agency"].startswith("title: ")


@needs_corpus
def test_whole_district_report_mentioning_its_office_stays_jurisdiction(corpus_texts: dict[str, str]) -> None:
    text = corpus_texts["huaian-hongzequ_2024.pdf"]
    assert "区政府办" in text  # the narrative says 区政府办 受理17件 …
    assert infer_agency(None, text).scope == "jurisdiction"


@needs_corpus
def test_fast_enough_for_100k_reports(corpus_texts: dict[str, str]) -> None:
    texts = list(corpus_texts.values())
    infer_agency(None, texts[0])  # the division data loads once
    start = time.perf_counter()
    for _ in range(20):
        for text in texts:
            infer_agency(None, text)
    per_call_ms = (time.perf_counter() - start) * 1000 / (20 * len(texts))
    assert per_call_ms < 5


# ---------------------------------------------------------------------------------------------
# 2. Realistic names: every level, ≥ 20 categories, short forms, two-plaque names, 直辖市
#    districts, 县级市, townships, 国务院部门.
# ---------------------------------------------------------------------------------------------

NAMES: list[tuple[str, str | None, str | None, str | None, str, str, str]] = [
    # name, province, city, county, level, category, agency_short
    ("生态环境部", None, None, None, "国务院部门", "ecology_environment", "生态环境部"),
    ("国家发展和改革委员会", None, None, None, "国务院部门", "development_reform", "国家发展和改革委员会"),
    ("国务院办公厅", None, None, None, "国务院部门", "government_office", "国务院办公厅"),
    ("国家统计局", None, None, None, "国务院部门", "statistics", "国家统计局"),
    ("江苏省人民政府办公厅", "江苏省", None, None, "省级", "government_office", "人民政府办公厅"),
    ("江苏省财政厅", "江苏省", None, None, "省级", "finance", "财政厅"),
    ("福建省发展和改革委员会", "福建省", None, None, "省级", "development_reform", "发展和改革委员会"),
    ("广西壮族自治区民政厅", "广西壮族自治区", None, None, "省级", "civil_affairs", "民政厅"),
    ("上海市科委", "上海市", None, None, "省级", "science_tech", "科学技术委员会"),
    ("上海市公安局", "上海市", None, None, "省级", "public_security", "公安局"),
    ("上海市普陀区市场监督管理局", "上海市", None, "普陀区", "县级", "market_regulation", "市场监督管理局"),
    ("重庆市永川区市场监督管理局", "重庆市", None, "永川区", "县级", "market_regulation", "市场监督管理局"),
    ("北京市海淀区人力资源和社会保障局", "北京市", None, "海淀区", "县级", "hr_social_security",
     "人力资源和社会保障局"),
    ("武汉市市场监管局", "湖北省", "武汉市", None, "市级", "market_regulation", "市场监督管理局"),
    ("宿迁市人社局", "江苏省", "宿迁市", None, "市级", "hr_social_security", "人力资源和社会保障局"),
    ("威海市人民政府办公室", "山东省", "威海市", None, "市级", "government_office", "人民政府办公室"),
    ("安庆市数据资源管理局(安庆市政务服务管理局)", "安徽省", "安庆市", None, "市级", "gov_services_data",
     "数据资源管理局"),
    ("湛江市卫健委", "广东省", "湛江市", None, "市级", "health", "卫生健康委员会"),
    ("东莞市住建局", "广东省", "东莞市", None, "市级", "housing_construction", "住房和城乡建设局"),
    ("番禺区市场监管局", "广东省", "广州市", "番禺区", "县级", "market_regulation", "市场监督管理局"),
    ("兰溪市商务局", "浙江省", "金华市", "兰溪市", "县级", "commerce", "商务局"),
    ("舒兰市教育局", "吉林省", "吉林市", "舒兰市", "县级", "education", "教育局"),
    ("绵竹市交通运输局", "四川省", "德阳市", "绵竹市", "县级", "transport", "交通运输局"),
    ("仙桃市财政局", "湖北省", None, "仙桃市", "县级", "finance", "财政局"),
    ("旺苍县商务局", "四川省", "广元市", "旺苍县", "县级", "commerce", "商务局"),
    ("沭阳县发改局", "江苏省", "宿迁市", "沭阳县", "县级", "development_reform", "发展和改革局"),
    ("道县文广新局", "湖南省", "永州市", "道县", "县级", "culture_tourism", "文化广电新闻出版局"),
    ("黄龙县市场监督管理局", "陕西省", "延安市", "黄龙县", "县级", "market_regulation", "市场监督管理局"),
    ("洪泽区水务局", "江苏省", "淮安市", "洪泽区", "县级", "water", "水务局"),
    ("沭阳县自然资源和规划局", "江苏省", "宿迁市", "沭阳县", "县级", "natural_resources", "自然资源和规划局"),
    ("沭阳县生态环境局", "江苏省", "宿迁市", "沭阳县", "县级", "ecology_environment", "生态环境局"),
    ("沭阳县农业农村局", "江苏省", "宿迁市", "沭阳县", "县级", "agriculture", "农业农村局"),
    ("沭阳县退役军人事务局", "江苏省", "宿迁市", "沭阳县", "县级", "veterans", "退役军人事务局"),
    ("沭阳县应急管理局", "江苏省", "宿迁市", "沭阳县", "县级", "emergency", "应急管理局"),
    ("沭阳县审计局", "江苏省", "宿迁市", "沭阳县", "县级", "audit", "审计局"),
    ("宿迁市国资委", "江苏省", "宿迁市", None, "市级", "soe_assets", "国有资产监督管理委员会"),
    ("宿迁市统计局", "江苏省", "宿迁市", None, "市级", "statistics", "统计局"),
    ("宿迁市医保局", "江苏省", "宿迁市", None, "市级", "medical_security", "医疗保障局"),
    ("宿迁市城管局", "江苏省", "宿迁市", None, "市级", "urban_management", "城市管理局"),
    ("宿迁市司法局", "江苏省", "宿迁市", None, "市级", "justice", "司法局"),
    ("伊春市林业局", "黑龙江省", "伊春市", None, "市级", "forestry", "林业局"),
    ("宿迁市工信局", "江苏省", "宿迁市", None, "市级", "industry", "工业和信息化局"),
    ("沭阳县乡村振兴局", "江苏省", "宿迁市", "沭阳县", "县级", "rural_revitalization", "乡村振兴局"),
    ("宿迁市粮储局", "江苏省", "宿迁市", None, "市级", "grain_reserves", "粮食和物资储备局"),
    ("国家税务总局沭阳县税务局", "江苏省", "宿迁市", "沭阳县", "县级", "tax", "税务局"),
    ("沭阳县信访局", "江苏省", "宿迁市", "沭阳县", "县级", "other", "信访局"),
    ("市发展和改革委员会(市物价局)", None, None, None, "市级", "development_reform", "发展和改革委员会"),
    ("市民政局(市社会组织管理局)", None, None, None, "市级", "civil_affairs", "民政局"),
    ("区府办", None, None, None, "县级", "government_office", "人民政府办公室"),
    ("道里区经纬街道办事处", "黑龙江省", "哈尔滨市", "道里区", "乡镇街道", "township", "经纬街道办事处"),
    ("东莞市虎门镇人民政府", "广东省", "东莞市", None, "乡镇街道", "township", "虎门镇人民政府"),
    ("下湿壕镇政府", None, None, None, "乡镇街道", "township", "下湿壕镇人民政府"),
    ("平潭综合实验区", "福建省", "平潭综合实验区", None, "市级", "government", "管理委员会"),
    ("沭阳县人民政府", "江苏省", "宿迁市", "沭阳县", "县级", "government", "人民政府"),
]


@pytest.mark.parametrize("name, province, city, county, level, category, short", NAMES,
                         ids=[n[0] for n in NAMES])
def test_names(name: str, province: str | None, city: str | None, county: str | None, level: str,
               category: str, short: str) -> None:
    info = infer_agency(f"{name}2022年政府信息公开工作年度报告", "")
    assert info.agency == name
    assert (info.province, info.city, info.county) == (province, city, county)
    assert (info.level, info.category, info.agency_short) == (level, category, short)
    assert categorize(name) == category


def test_name_table_covers_levels_and_categories() -> None:
    assert len(NAMES) >= 40
    assert {row[4] for row in NAMES} == set(LEVELS)
    assert len({row[5] for row in NAMES}) >= 20
    assert {row[5] for row in NAMES} <= set(CATEGORIES)


@pytest.mark.parametrize("title, agency, province, level, scope", [
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", "上海市", "省级", A),
    ("2022年上海市政府信息公开工作年度报告", "上海市", "上海市", "省级", J),
    ("威海市人民政府2024年政府信息公开工作年度报告", "威海市人民政府", "山东省", "市级", J),
    ("平潭综合实验区2021年度政府信息公开工作年度报告", "平潭综合实验区", "福建省", "市级", J),
    ("道县文广新局2013年度信息公开工作年度报告", "道县文广新局", "湖南省", "县级", A),
    ("舒兰市2016年政务信息公开年度报告", "舒兰市", "吉林省", "县级", J),
    ("宿迁市2017年政府信息公开年度报告", "宿迁市", "江苏省", "市级", J),
    ("下湿壕镇政府2021年信息公开工作年度报告", "下湿壕镇政府", None, "乡镇街道", A),
    ("沭阳县发展和改革局2023年政府信息公开年度报告", "沭阳县发展和改革局", "江苏省", "县级", A),
])
def test_title_patterns(title: str, agency: str, province: str | None, level: str, scope: str) -> None:
    info = infer_agency(title, "")
    assert (info.agency, info.province, info.level, info.scope) == (agency, province, level, scope)


@pytest.mark.parametrize("short, category", [
    ("发改委", "development_reform"), ("人社局", "hr_social_security"), ("市场监管局", "market_regulation"),
    ("卫健委", "health"), ("住建局", "housing_construction"), ("城管局", "urban_management"),
    ("府办", "government_office"), ("市政府办", "government_office"), ("文广新局", "culture_tourism"),
    ("自规局", "natural_resources"), ("医保局", "medical_security"), ("国资委", "soe_assets"),
    ("粮储局", "grain_reserves"), ("应急局", "emergency"), ("退役军人局", "veterans"),
    ("教体局", "education"),
    ("科技局", "science_tech"), ("经信局", "industry"), ("综合执法局", "urban_management"),
    ("行政审批局", "gov_services_data"), ("环保局", "ecology_environment"),
    ("扶贫开发办公室", "rural_revitalization"),
    ("工商行政管理局", "market_regulation"), ("人民政府", "government"), ("市信访局", "other"),
    ("经纬街道办事处", "township"), ("城关镇人民政府", "township"), ("住房公积金管理中心", "other"),
])
def test_categorize_short_forms(short: str, category: str | None) -> None:
    assert categorize(short) == category


def test_categorize_rejects_non_names() -> None:
    assert categorize("") is None
    assert categorize("我们认真做好") is None


# ---------------------------------------------------------------------------------------------
# Places: ambiguity, disambiguation from the text, OCR, no guessing
# ---------------------------------------------------------------------------------------------

def test_ambiguous_district_is_left_open_without_a_stated_parent() -> None:
    info = infer_agency("普陀区民政局2022年政府信息公开工作年度报告", "")
    assert (info.province, info.city, info.county, info.level) == (None, None, "普陀区", "县级")
    assert info.how["province"].startswith("ambiguous")


def test_ambiguous_district_resolved_by_a_place_named_in_the_text() -> None:
    info = infer_agency("普陀区民政局2022年政府信息公开工作年度报告", "舟山市普陀区民政局坚持……")
    assert (info.province, info.city, info.county) == ("浙江省", "舟山市", "普陀区")
    assert "舟山" in info.how["province"]


def test_place_printed_elsewhere_in_the_text_fills_a_bare_name() -> None:
    text = "2023年，市市场监督管理局政府信息公开工作……如有疑问请联系宿迁市市场监督管理局办公室。"
    info = infer_agency(None, text)
    got = (info.agency, info.province, info.city, info.level)
    assert got == ("市市场监督管理局", "江苏省", "宿迁市", "市级")


def test_seed_style_text_names_no_place() -> None:
    info = infer_agency(None, "2023年，市市场监督管理局政府信息公开工作在市政府的领导下，认真贯彻省市……")
    assert (info.province, info.city, info.county) == (None, None, None)
    assert info.how["province"] == "not stated"
    assert info.level == "市级"


def test_old_division_names_resolve() -> None:
    info = infer_agency("洪泽县环境保护局2015年政府信息公开工作年度报告", "")
    assert (info.province, info.city, info.county, info.category) == ("江苏省", "淮安市", "洪泽县",
                                                                       "ecology_environment")


@pytest.mark.parametrize("name, province, city, county", [
    ("淮安经济技术开发区管委会", "江苏省", "淮安市", "淮安经济技术开发区"),
    ("沭阳经济技术开发区管委会", "江苏省", "宿迁市", "沭阳县"),
    ("宿迁市宿迁经济技术开发区管委会", "江苏省", "宿迁市", "宿迁经济技术开发区"),
])
def test_development_zones_are_county_level(name: str, province: str, city: str, county: str) -> None:
    info = infer_agency(f"{name}2022年政府信息公开工作年度报告", "")
    assert (info.province, info.city, info.county, info.level) == (province, city, county, "县级")
    assert (info.category, info.scope) == ("government", "jurisdiction")


def test_how_explains_each_field() -> None:
    info = infer_agency("沭阳县发展和改革局2023年政府信息公开年度报告", "")
    assert info.how["province"] == "行政区划: 沭阳县 → 江苏省宿迁市"
    assert set(info.how) >= {"agency", "province", "city", "county", "level", "category", "scope"}


def test_unknown_agency() -> None:
    info = infer_agency(None, "一、总体情况\n本年度我们认真做好各项工作。")
    assert info == AgencyInfo(None, None, None, None, None, None, None, "agency", info.how)
    assert agency_key(info) is None
    assert info.how["agency"] == "not stated"


def test_crawler_metadata_and_publisher() -> None:
    text = "标题: 旺苍县商务局2021年政府信息公开工作年度报告\n发布机构: 旺苍县人民政府\n正文……"
    assert infer_agency(None, text).agency == "旺苍县商务局"
    info = infer_agency(None, "一、总体情况……", publisher="绵竹市交通运输局")
    assert (info.agency, info.city, info.category) == ("绵竹市交通运输局", "德阳市", "transport")


# ---------------------------------------------------------------------------------------------
# Scope
# ---------------------------------------------------------------------------------------------

def test_scope_office_without_cue_is_agency() -> None:
    text = "市政府办公室代表市政府受理申请859件。抓好全市权责清单……"
    assert infer_agency("威海市人民政府办公室2022年政府信息公开工作年度报告", text).scope == "agency"


def test_scope_office_that_aggregates_is_jurisdiction() -> None:
    text = "本报告由威海市人民政府办公室在汇总各区市、市政府各部门年度报告的基础上编制而成。"
    info = infer_agency("威海市人民政府办公室2022年政府信息公开工作年度报告", text)
    assert info.scope == "jurisdiction"
    assert "汇总" in info.how["scope"]


def test_scope_department_mentioning_whole_city_stays_agency() -> None:
    text = "我局指导全市各级行政机关做好复议应诉工作。"
    assert infer_agency("宿迁市司法局2022年政府信息公开工作年度报告", text).scope == "agency"


def test_scope_unknown_name_with_aggregate_cue() -> None:
    text = "本年度全县各级行政机关共主动公开政府信息4511条。"
    assert infer_agency(None, text).scope == "jurisdiction"


# ---------------------------------------------------------------------------------------------
# 3. agency_key
# ---------------------------------------------------------------------------------------------

def key_of(name: str, year: int = 2022) -> str | None:
    return agency_key(infer_agency(f"{name}{year}年政府信息公开工作年度报告", ""))


@pytest.mark.parametrize("first, second", [
    ("沭阳县发展和改革局", "沭阳县发改局"),
    ("旺苍县工商行政管理局", "旺苍县市场监督管理局"),
    ("旺苍县食品药品监督管理局", "旺苍县市场监管局"),
    ("旺苍县质量技术监督局", "旺苍县市场监督管理局"),
    ("沭阳县环境保护局", "沭阳县生态环境局"),
    ("沭阳县农业局", "沭阳县农业农村局"),
    ("沭阳县农业委员会", "沭阳县农业农村局"),
    ("沭阳县安全生产监督管理局", "沭阳县应急管理局"),
    ("宿迁市卫生和计划生育委员会", "宿迁市卫健委"),
    ("市发展和改革委员会(市物价局)", "市发展和改革委员会"),
    ("上海市人民政府", "上海市"),
    ("平潭综合实验区", "平潭综合实验区管委会"),
    ("沭阳县人民政府", "沐阳县人民政府"),
    ("上海市人民政府办公厅", "上海市政府办公厅"),
])
def test_agency_key_same_across_variants(first: str, second: str) -> None:
    assert key_of(first, 2017) == key_of(second, 2019) is not None


@pytest.mark.parametrize("first, second", [
    ("沭阳县发改局", "泗阳县发改局"),
    ("上海市普陀区民政局", "舟山市普陀区民政局"),
    ("沭阳县发展和改革局", "沭阳县财政局"),
    ("沭阳县人民政府", "沭阳县人民政府办公室"),
    ("沭阳县人民政府", "沭阳经济技术开发区管委会"),
    ("宿迁市市场监督管理局", "沭阳县市场监督管理局"),
    ("道里区经纬街道办事处", "道里区新阳路街道办事处"),
])
def test_agency_key_differs_across_places_and_offices(first: str, second: str) -> None:
    assert key_of(first) != key_of(second)


def test_agency_key_sub_unit_does_not_fold_into_its_department() -> None:
    assert key_of("沭阳县公安局交通警察大队") != key_of("沭阳县公安局")
