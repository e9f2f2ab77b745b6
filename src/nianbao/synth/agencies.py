"""Who reports: regions (real place names), agencies in them, and how each names itself.

An agency's formal name is what its report title prints ("沭阳县市场监督管理局"); its short
name is what the body text says ("县市场监管局"). Levels follow format-spec §7.3.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PROVINCIAL, CITY, COUNTY, TOWNSHIP = "省级", "市级", "县级", "乡镇街道"


@dataclass(frozen=True)
class Category:
    key: str
    province: str  # the name at province level ("" = no such body at that level)
    city: str
    county: str
    short: str  # the short form without the level character, e.g. 市场监管局


# format-spec §7.2: formal names and their usual short forms, per level.
CATEGORIES: tuple[Category, ...] = (
    Category("government_office", "人民政府办公厅", "人民政府办公室", "人民政府办公室", "政府办"),
    Category("development_reform", "发展和改革委员会", "发展和改革委员会", "发展和改革局", "发改"),
    Category("education", "教育厅", "教育局", "教育局", "教育局"),
    Category("public_security", "公安厅", "公安局", "公安局", "公安局"),
    Category("civil_affairs", "民政厅", "民政局", "民政局", "民政局"),
    Category("justice", "司法厅", "司法局", "司法局", "司法局"),
    Category("finance", "财政厅", "财政局", "财政局", "财政局"),
    Category("hr_social_security", "人力资源和社会保障厅", "人力资源和社会保障局", "人力资源和社会保障局",
             "人社局"),
    Category("natural_resources", "自然资源厅", "自然资源和规划局", "自然资源和规划局", "自然资源局"),
    Category("ecology_environment", "生态环境厅", "生态环境局", "生态环境局", "生态环境局"),
    Category("housing_construction", "住房和城乡建设厅", "住房和城乡建设局", "住房和城乡建设局", "住建局"),
    Category("transport", "交通运输厅", "交通运输局", "交通运输局", "交通局"),
    Category("water", "水利厅", "水利局", "水务局", "水利局"),
    Category("agriculture", "农业农村厅", "农业农村局", "农业农村局", "农业农村局"),
    Category("commerce", "商务厅", "商务局", "商务局", "商务局"),
    Category("culture_tourism", "文化和旅游厅", "文化广电和旅游局", "文化和旅游局", "文旅局"),
    Category("health", "卫生健康委员会", "卫生健康委员会", "卫生健康委员会", "卫健委"),
    Category("emergency", "应急管理厅", "应急管理局", "应急管理局", "应急局"),
    Category("audit", "审计厅", "审计局", "审计局", "审计局"),
    Category("market_regulation", "市场监督管理局", "市场监督管理局", "市场监督管理局", "市场监管局"),
    Category("statistics", "统计局", "统计局", "统计局", "统计局"),
    Category("medical_security", "医疗保障局", "医疗保障局", "医疗保障局", "医保局"),
    Category("urban_management", "", "城市管理局", "综合行政执法局", "城管局"),
)
CATEGORY_KEYS: tuple[str, ...] = (*(c.key for c in CATEGORIES), "township")
_BY_KEY = {c.key: c for c in CATEGORIES}

# (province, slug, [(city, slug, [(county, slug, [township, ...]), ...]), ...])
# Real place names; townships are real or real-looking.
REGIONS: tuple = (
    ("江苏省", "js", (
        ("宿迁市", "suqian", (
            ("沭阳县", "shuyang", ("沭城街道", "韩山镇", "胡集镇")),
            ("泗阳县", "siyang", ("众兴街道", "爱园镇")),
            ("宿城区", "sucheng", ("幸福街道", "蔡集镇")),
        )),
        ("淮安市", "huaian", (
            ("洪泽区", "hongze", ("高良涧街道", "岔河镇")),
            ("涟水县", "lianshui", ("涟城街道", "高沟镇")),
        )),
    )),
    ("浙江省", "zj", (
        ("金华市", "jinhua", (
            ("兰溪市", "lanxi", ("兰江街道", "游埠镇")),
            ("义乌市", "yiwu", ("稠城街道", "佛堂镇")),
            ("武义县", "wuyi", ("壶山街道", "柳城畲族镇")),
        )),
    )),
    ("山东省", "sd", (
        ("威海市", "weihai", (
            ("文登区", "wendeng", ("龙山街道", "泽头镇")),
            ("荣成市", "rongcheng", ("宁津街道", "石岛管理区")),
            ("乳山市", "rushan", ("城区街道", "海阳所镇")),
        )),
    )),
    ("四川省", "sc", (
        ("德阳市", "deyang", (
            ("绵竹市", "mianzhu", ("剑南街道", "汉旺镇")),
            ("广汉市", "guanghan", ("雒城街道", "向阳镇")),
        )),
        ("广元市", "guangyuan", (
            ("旺苍县", "wangcang", ("东河镇", "嘉川镇")),
        )),
    )),
    ("湖南省", "hn", (
        ("益阳市", "yiyang", (
            ("桃江县", "taojiang", ("桃花江镇", "松木塘镇")),
            ("安化县", "anhua", ("东坪镇", "梅城镇")),
        )),
        ("永州市", "yongzhou", (
            ("道县", "daoxian", ("濂溪街道", "清塘镇")),
        )),
    )),
    ("黑龙江省", "hlj", (
        ("哈尔滨市", "haerbin", (
            ("道里区", "daoli", ("经纬街道", "新阳路街道")),
            ("南岗区", "nangang", ("花园街道", "大成街道")),
        )),
    )),
    ("安徽省", "ah", (
        ("安庆市", "anqing", (
            ("桐城市", "tongcheng", ("文昌街道", "孔城镇")),
            ("怀宁县", "huaining", ("高河镇", "石牌镇")),
        )),
        ("铜陵市", "tongling", (
            ("枞阳县", "zongyang", ("枞阳镇", "汤沟镇")),
        )),
    )),
    ("陕西省", "shx", (
        ("延安市", "yanan", (
            ("黄龙县", "huanglong", ("石堡镇", "白马滩镇")),
            ("宝塔区", "baota", ("宝塔山街道", "南泥湾镇")),
        )),
    )),
    ("福建省", "fj", (
        ("福州市", "fuzhou", (
            ("晋安区", "jinan", ("茶园街道", "鼓山镇")),
            ("闽侯县", "minhou", ("甘蔗街道", "上街镇")),
        )),
    )),
)

# Pieces for additional real-looking counties when a corpus needs more agencies than REGIONS hold.
_EXTRA_FIRST = "青平安永清丰兴宁广福新德长东西南北龙华泰和昌明"
_EXTRA_SECOND = "川阳山江河源城丰宁溪林泉水安平远定"
_EXTRA_TOWN = ("城关镇", "新华街道", "东城街道", "西关镇", "南湖街道", "北山乡", "河口镇", "马坊乡")
_PINYIN = dict(zip(_EXTRA_FIRST + _EXTRA_SECOND, (
    "qing ping an yong qing feng xing ning guang fu xin de chang dong xi nan bei long hua tai he "
    "chang ming chuan yang shan jiang he yuan cheng feng ning xi lin quan shui an ping yuan ding"
).split(), strict=True))

# Province departments present in a corpus (a province office publishes for dozens of bodies;
# a handful is enough for variety).
_PROVINCE_CATEGORIES = ("government_office", "development_reform", "education", "public_security",
                        "natural_resources", "health", "market_regulation", "transport")
_CITY_CATEGORIES = tuple(c.key for c in CATEGORIES)
_COUNTY_CATEGORIES = tuple(c.key for c in CATEGORIES)


@dataclass(frozen=True)
class Agency:
    id: str  # ascii, unique, used in file names: js-suqian-shuyang-market_regulation
    name: str  # formal full name, as in titles
    short: str  # as the body text writes it
    self_ref: str  # how the report refers to itself: 我局 / 我委 / 我办 / 我镇 / 本机关
    province: str
    city: str
    county: str
    level: str
    category: str
    scope: str = "agency"

    @property
    def region(self) -> str:
        return f"{self.province}{self.city}{self.county}"

    def as_dict(self) -> dict[str, str]:
        return {"agency": self.name, "agency_short": self.short, "province": self.province,
                "city": self.city, "county": self.county, "region": self.region, "level": self.level,
                "category": self.category, "scope": self.scope}


def _self_ref(body: str) -> str:
    if body.endswith("委员会"):
        return "我委"
    if body.endswith(("办公室", "办公厅")):
        return "我办"
    if body.endswith("镇"):
        return "我镇"
    if body.endswith("街道"):
        return "我街道"
    if body.endswith("乡"):
        return "我乡"
    if body.endswith("管理区"):
        return "本机关"
    return "我" + body[-1]


def _level_char(place: str) -> str:
    """The level character body text puts before a department: 市/县/区/省."""
    return place[-1] if place[-1] in "省市县区" else "县"


def _department(cat: Category, level: str, place: str, ids: str, province: str, city: str,
                county: str) -> Agency | None:
    body = {PROVINCIAL: cat.province, CITY: cat.city, COUNTY: cat.county}[level]
    if not body:
        return None
    name = place + body
    lc = _level_char(place)
    if cat.key == "government_office":
        short = f"{lc}政府办公{'厅' if body.endswith('厅') else '室'}"
    elif cat.key in ("development_reform", "health") and body.endswith("委员会"):
        short = lc + cat.short + ("委" if not cat.short.endswith("委") else "")
    elif cat.key == "development_reform":
        short = lc + "发展改革局"
    elif body.endswith("厅"):
        short = lc + cat.short[:-1] + "厅"
    else:
        short = lc + cat.short
    return Agency(f"{ids}-{cat.key}", name, short, _self_ref(body), province, city, county, level, cat.key)


def _township(name: str, county_place: str, ids: str, index: int, province: str, city: str,
              county: str) -> Agency:
    if name.endswith("街道"):
        formal = name + "办事处"
    elif name.endswith(("镇", "乡")):
        formal = name + "人民政府"
    else:
        formal = name
    full = county_place + formal
    return Agency(f"{ids}-town{index}", full, name, _self_ref(name), province, city, county, TOWNSHIP,
                  "township")


def build_catalogue(extra_counties: int = 0) -> list[Agency]:
    """Every agency of REGIONS, in a fixed order, plus ``extra_counties`` generated counties."""
    out: list[Agency] = []
    for province, pslug, cities in REGIONS:
        for key in _PROVINCE_CATEGORIES:
            a = _department(_BY_KEY[key], PROVINCIAL, province, pslug, province, "", "")
            if a:
                out.append(a)
        for city, cslug, counties in cities:
            cid = f"{pslug}-{cslug}"
            for key in _CITY_CATEGORIES:
                a = _department(_BY_KEY[key], CITY, city, cid, province, city, "")
                if a:
                    out.append(a)
            for county, kslug, towns in counties:
                out.extend(_county_agencies(province, city, county, f"{cid}-{kslug}", towns))
    cities = [(p, ps, c, cs) for p, ps, cs_ in REGIONS for c, cs, _ in cs_]
    for i in range(extra_counties):
        p, ps, c, cs = cities[i % len(cities)]
        j = i % (len(_EXTRA_FIRST) * len(_EXTRA_SECOND))
        first = _EXTRA_FIRST[j % len(_EXTRA_FIRST)]
        second = _EXTRA_SECOND[j // len(_EXTRA_FIRST)]
        suffix = "县区"[(i // (len(_EXTRA_FIRST) * len(_EXTRA_SECOND))) % 2]
        name = first + second + suffix
        slug = f"x{i}{_PINYIN[first]}{_PINYIN[second]}"
        towns = tuple(t if t.startswith(("城关", "新华")) else first + t
                      for t in _EXTRA_TOWN[i % 5:i % 5 + 3])
        out.extend(_county_agencies(p, c, name, f"{ps}-{cs}-{slug}", towns))
    return out


def _county_agencies(province: str, city: str, county: str, kid: str, towns: tuple[str, ...]) -> list[Agency]:
    out = []
    for key in _COUNTY_CATEGORIES:
        a = _department(_BY_KEY[key], COUNTY, county, kid, province, city, county)
        if a:
            out.append(a)
    for i, town in enumerate(towns, 1):
        out.append(_township(town, county, kid, i, province, city, county))
    return out


def select_agencies(rng: random.Random, n: int) -> list[Agency]:
    """``n`` agencies spread over categories, levels and regions: round robin over categories
    of a shuffled catalogue, so even a small corpus covers many kinds of agency."""
    per_county = len(_COUNTY_CATEGORIES) + 2
    base = build_catalogue()
    extra = 0 if n <= len(base) else (n - len(base)) // per_county + 1
    catalogue = build_catalogue(extra) if extra else base
    by_category: dict[str, list[Agency]] = {}
    for a in catalogue:
        by_category.setdefault(a.category, []).append(a)
    for key in sorted(by_category):
        rng.shuffle(by_category[key])
    order = sorted(by_category, key=lambda k: CATEGORY_KEYS.index(k))
    rng.shuffle(order)
    picked: list[Agency] = []
    while len(picked) < n and any(by_category.values()):
        for key in order:
            if by_category[key] and len(picked) < n:
                picked.append(by_category[key].pop())
    return picked
