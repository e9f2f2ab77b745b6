"""A realistic fixture database for the app tests, built with the real loader.

About 30 agencies in three provinces × 2019–2025: the 2019 form for 2019–2020 reports, the 2021
form afterwards, arithmetic that balances (column totals, 新收 + 结转 = 办理 + 结转下年), blanks
and 不适用 cells, narrative publication counts, a jurisdiction-wide report per city, one failed and
some partial reports, and a few findings.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from nianbao.form import FORMS
from nianbao.parse.model import Fact, Metadata, Report, Section, TableResult, Value
from nianbao.parse.narrative import NarrativeMetric
from nianbao.store.load import load_reports, report_id, writable_copy

YEARS = tuple(range(2019, 2026))
REGIONS = {"浙江省": ("杭州市", "宁波市"), "江苏省": ("南京市",), "福建省": ("福州市",)}
CITY_OFFICES = (("市场监督管理局", "market_regulation"), ("教育局", "education"), ("公安局", "public_security"),
                ("人民政府办公室", "government_office"))



@dataclass(frozen=True)
class Agency:
    name: str
    province: str
    city: str | None
    county: str | None
    level: str
    category: str
    scope: str = "agency"


def agencies() -> list[Agency]:
    out = [Agency(f"{p}市场监督管理局", p, None, None, "省级", "market_regulation") for p in REGIONS]
    for province, cities in REGIONS.items():
        for city in cities:
            out += [Agency(f"{city}{name}", province, city, None, "市级", cat) for name, cat in CITY_OFFICES]
            county = f"{city[:-1]}东县"
            out.append(Agency(f"{county}人民政府", province, city, county, "县级", "government"))
            out.append(Agency(f"{county}城关镇人民政府", province, city, county, "乡镇街道", "township"))
            out.append(Agency(f"{city}人民政府", province, city, None, "市级", "government", "jurisdiction"))
    return out


def _num(value: float | int | Decimal) -> Value:
    d = Decimal(str(value))
    return Value("number", d, str(value))


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` split into ``parts`` non-negative integers (uneven, like real reports)."""
    weights = [rng.random() ** 2 for _ in range(parts)]
    s = sum(weights) or 1.0
    out = [int(total * w / s) for w in weights]
    out[0] += total - sum(out)
    return out


def _active(version: str, size: float, county_like: bool, rng: random.Random) -> dict[tuple[str, str], Value]:
    cells: dict[tuple[str, str], Value] = {}
    table = FORMS[version].table("active")
    for row, col in table.cells():
        if row.key == "regulations" and county_like:
            cells[(row.key, col.key)] = Value("na", None, "/")  # county offices cannot make 规章
        elif col.key == "amount_10k_yuan":
            cells[(row.key, col.key)] = _num(Decimal(rng.randint(0, 50000)) / 100)
        elif col.key == "amount":
            cells[(row.key, col.key)] = Value("blank") if rng.random() < 0.3 else _num(rng.randint(10, 900))
        elif col.key == "change":
            cells[(row.key, col.key)] = _num(rng.randint(-3, 5))
        else:
            base = {"licensing": 400, "penalty": 250, "coercion": 20}.get(row.key, 6)
            cells[(row.key, col.key)] = _num(int(base * size * rng.uniform(0.6, 1.4)))
    return cells


def _applications(version: str, size: float, rng: random.Random) -> dict[tuple[str, str], Value]:
    table = FORMS[version].table("applications")
    outcome_rows = [r.key for r in table.rows if r.key not in ("new_received", "carried_over", "total",
                                                                 "carried_forward")]
    cells: dict[tuple[str, str], int] = {}
    for col in (c.key for c in table.columns if c.key != "total"):
        new = int(rng.uniform(0, 60) * size) if col == "natural_person" else int(rng.uniform(0, 8) * size)
        carried = rng.randint(0, 3) if new else 0
        forward = min(new + carried, rng.randint(0, 4))
        handled = new + carried - forward
        granted = int(handled * rng.uniform(0.3, 0.6))
        rest = _split(handled - granted, len(outcome_rows) - 1, rng)
        values = {"new_received": new, "carried_over": carried, "total": handled, "carried_forward": forward,
                  outcome_rows[0]: granted, **dict(zip(outcome_rows[1:], rest, strict=True))}
        for row, v in values.items():
            cells[(row, col)] = v
    rows = {r.key for r in table.rows}
    for row in rows:
        cells[(row, "total")] = sum(v for (r, c), v in cells.items() if r == row and c != "total")
    return {k: _num(v) for k, v in cells.items()}


def _review(size: float, rng: random.Random) -> dict[tuple[str, str], Value]:
    cells = {}
    for row in ("review", "litigation_direct", "litigation_after_review"):
        parts = {c: int(rng.uniform(0, 4) * size) for c in ("upheld", "corrected", "other", "pending")}
        parts["total"] = sum(parts.values())
        cells.update({(row, c): _num(v) for c, v in parts.items()})
    return cells


def make_report(agency: Agency, year: int, index: int) -> Report:
    rng = random.Random(f"{agency.name}-{year}")
    version = "2019" if year < 2021 else "2021"
    size = (1.0 + index % 5) * (3 if agency.scope == "jurisdiction" else 1) * (1 + (year - 2019) * 0.08)
    county_like = agency.level in ("县级", "乡镇街道")
    facts: list[Fact] = []
    tables = {}
    blocks = {"active": _active(version, size, county_like, rng), "applications": _applications(version, size, rng),
              "review_litigation": _review(size, rng)}
    # the 宁波市教育局 2022 report prints no table 四: a partial report
    partial = agency.name == "宁波市教育局" and year == 2022
    for table_key, cells in blocks.items():
        if partial and table_key == "review_litigation":
            tables[table_key] = TableResult(table_key, None, found=False)
            continue
        tables[table_key] = TableResult(table_key, version, found=True)
        facts += [Fact(table_key, r, c, v, f"table {table_key}, row {r}") for (r, c), v in cells.items()]
    title = f"{agency.name}{year}年政府信息公开工作年度报告"
    text = f"{title}\n一、总体情况\n{year}年，{agency.name}认真贯彻落实《政府信息公开条例》。\n"
    published = int(800 * size * rng.uniform(0.7, 1.3))
    text += f"全年主动公开政府信息{published}条。\n"
    sha = hashlib.sha256(f"{agency.name}|{agency.scope}|{year}".encode()).hexdigest()
    meta = Metadata(title=title, agency=agency.name, report_year=year, period_year=year, province=agency.province,
                    city=agency.city, county=agency.county, level=agency.level, category=agency.category,
                    scope=agency.scope)
    sections = [Section("一", "overview", "一、总体情况", f"{year}年，{agency.name}认真贯彻落实条例。"
                        f"全年主动公开政府信息{published}条。"),
                Section("五", "problems", "五、存在的主要问题及改进情况", "公开的及时性有待提高。")]
    narrative = [NarrativeMetric("published_total", Decimal(published), False, f"全年主动公开政府信息{published}条。")]
    if year >= 2021:
        narrative.append(NarrativeMetric("press_conferences", Decimal(rng.randint(1, 12)), False,
                                         "召开新闻发布会若干场。"))
    report = Report(f"{agency.name}_{agency.scope}_{year}.txt", "txt", sha, meta, version, facts, tables, sections,
                    narrative=narrative, text=text)
    if partial:
        report.status, report.error = "partial", "表四未找到 / table 4 not found"
    return report


def failed_report() -> Report:
    sha = hashlib.sha256(b"broken").hexdigest()
    return Report("扫描件_无文字.pdf", "pdf", sha, Metadata(), "none", [], {}, [], status="failed",
                  error="需要OCR：第 1 页没有可用的文字层 / needs OCR: page 1 has no text layer")


def fixture_reports() -> list[Report]:
    return [make_report(a, y, i) for i, a in enumerate(agencies()) for y in YEARS] + [failed_report()]


def build_fixture_db(path: str | Path, is_demo: bool = False) -> Path:
    """Write the fixture database to ``path`` (replacing it) and return the path."""
    path = Path(path)
    path.unlink(missing_ok=True)
    reports = fixture_reports()
    sources = {r.source_name: r.text.encode("utf-8") for r in reports}
    with writable_copy(path) as con:
        load_reports(con, reports, sources, is_demo=is_demo)
        con.execute("DELETE FROM findings")  # the check stage may already have written some
        con.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?)", _findings(reports))
    return path


def _findings(reports: list[Report]) -> list[tuple]:
    out = []
    for r in reports[::9]:
        if r.status == "failed":
            continue
        rid = report_id(r)
        out.append((rid, "T3-COLUMN-TOTAL", "error", "表三“总计”列不等于各类申请人之和", "Table 3 total column is not "
                    "the sum of applicant columns", "applications.granted.total,applications.granted.natural_person"))
        out.append((rid, "T2-YOY", "warning", "行政处罚决定数量较上年变化超过 5 倍",
                    "Penalty decisions changed more than 5-fold from last year", "active.penalty.decisions"))
    for r in reports[::20]:
        if r.status != "failed":
            out.append((report_id(r), "NARRATIVE-APPROX", "info", "正文发布数量为约数",
                        "Narrative count is approximate", ""))
    return out


if __name__ == "__main__":  # build a copy to look at: python tests/app_fixtures.py /tmp/fixture.duckdb
    import sys

    print(build_fixture_db(sys.argv[1] if len(sys.argv) > 1 else "/tmp/app-fixture.duckdb"))
