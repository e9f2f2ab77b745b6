"""Demo cases the clean synthetic corpus lacks and real data always has: a county government's
whole-area report (辖区汇总) beside its own departments' reports, free-form reports from before
the 2019 form, and files that load only partly or not at all (a crawl cut short, a broken
download, an error page saved as the report, an empty file)."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from nianbao.synth.agencies import COUNTY, Agency, build_catalogue
from nianbao.synth.corpus import MANIFEST_COLUMNS, generate_corpus

COUNTIES = ("js-suqian-shuyang", "zj-jinhua-lanxi")
DEPARTMENTS = ("market_regulation", "public_security", "natural_resources", "education", "finance", "town1")
PRE2019_YEARS = (2017, 2018)
# a crawl cut short at the heading of section 四 loses 表四; at section 三, 表三 and 表四
CUT_AT = (re.compile(r"^四、", re.M), re.compile(r"^三、", re.M))


def county_agencies(exclude: set[str] = frozenset()) -> list[Agency]:
    """For each demo county: its people's government (a whole-area report) and some departments."""
    catalogue = {a.id: a for a in build_catalogue()}
    out: list[Agency] = []
    for kid in COUNTIES:
        departments = [catalogue[f"{kid}-{k}"] for k in DEPARTMENTS
                       if f"{kid}-{k}" in catalogue and f"{kid}-{k}" not in exclude]
        a = departments[0]
        me = "我" + (a.county[-1] if a.county[-1] in "县区市" else "县")
        out.append(Agency(f"{kid}-government", f"{a.county}人民政府", f"{a.county}政府", me, a.province, a.city,
                          a.county, COUNTY, "government", "jurisdiction"))
        out.extend(departments)
    return out


def pre2019_report(agency: Agency, year: int, rng: random.Random) -> str:
    """A free-form report as agencies wrote them before the 2019 form: prose, no form tables."""
    published, website = rng.randint(80, 900), 0
    website = published - rng.randint(0, published // 4)
    received = rng.randint(0, 40)
    whole = "全" + agency.self_ref[-1] if agency.scope == "jurisdiction" else agency.short
    return "\n".join((
        f"{agency.name}{year}年政府信息公开工作年度报告",
        f"根据《中华人民共和国政府信息公开条例》规定，特向社会公布{year}年度{agency.short}政府信息公开工作年度报告。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、概述",
        f"{year}年，{whole}认真贯彻落实政府信息公开各项要求，进一步完善工作机制，政府信息公开工作有序推进。",
        "二、主动公开政府信息情况",
        f"{year}年，共主动公开政府信息{published}条，其中通过政府门户网站公开{website}条。",
        "三、依申请公开政府信息情况",
        f"{year}年，共受理政府信息公开申请{received}件，均已在法定期限内答复。",
        "四、政府信息公开的收费及减免情况",
        "本年度未收取政府信息公开相关费用。",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        f"{year}年，未发生因政府信息公开申请提起行政复议、行政诉讼的情况。",
        "六、政府信息公开工作存在的主要问题及改进措施",
        "信息公开的及时性和规范性仍需加强。下一步，将进一步加强业务培训，提升公开质量。",
        f"{agency.name}",
        f"{year + 1}年1月{rng.randint(10, 28)}日",
    )) + "\n"


def write_demo_cases(out_dir: str | Path, seed: int, exclude: set[str] = frozenset()) -> list[dict]:
    """Write the cases into ``out_dir`` with a ``manifest.csv``; returns one meta dict per file
    with ``expected_status`` (ok | partial | failed)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    agencies = county_agencies(exclude)
    metas: list[dict] = []

    def put(name: str, data: bytes, agency: Agency | None, year: int | None, status: str, case: str) -> None:
        (out / name).write_bytes(data)
        meta = {"file": name, "expected_status": status, "case": case, "report_year": year or ""}
        if agency is not None:
            meta |= agency.as_dict() | {"category": agency.category, "level": agency.level}
        metas.append(meta)

    cuts = iter(CUT_AT)
    for report in generate_corpus(seed, agencies=agencies, formats=("txt", "html", "pdf"),
                                  format_weights=(0.5, 0.4, 0.1), error_rate=0.05):
        agency = next(a for a in agencies if a.id == report.meta["agency_id"])
        year = report.meta["report_year"]
        cut = next(cuts, None) if report.name.endswith(".txt") and year == 2022 else None
        if cut:  # the crawl stopped at a section heading: the tables after it are missing
            text = report.data.decode("utf-8")
            put(report.name, text[:cut.search(text).start()].encode("utf-8"), agency, year, "partial", "cut")
        else:
            put(report.name, report.data, agency, year, "ok", agency.scope)
    rng = random.Random(f"{seed}:pre2019")
    for agency in agencies[::2]:
        for year in PRE2019_YEARS:
            put(f"{agency.id}_{year}.txt", pre2019_report(agency, year, rng).encode("utf-8"), agency, year,
                "ok", "pre2019")
    pdf = next((out / m["file"]).read_bytes() for m in metas if m["file"].endswith(".pdf"))
    county = agencies[0].county  # files saved under the title's name, as many sites offer them
    put(f"{county}审计局2023年政府信息公开工作年度报告.pdf", pdf[:1500], None, None, "failed", "truncated download")
    put(f"{county}统计局2024年政府信息公开工作年度报告.html", "<html><head><title>404 Not Found</title></head><body>"
        "<h1>404 Not Found</h1><p>您访问的页面不存在或已被删除。</p></body></html>".encode(), None, None, "failed",
        "error page")
    put(f"{county}商务局2023年政府信息公开工作年度报告.docx", b"", None, None, "failed", "empty file")
    with open(out / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, MANIFEST_COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(m for m in metas if m.get("agency"))
    return metas
