"""A manifest CSV sets or corrects metadata per file (columns: file, agency, region, level,
category, report_year, and optionally province, city, county, scope, published_on — any subset).
``published_on`` (a date such as 2024-01-20 or 2024年1月20日) overrides the date read from the report."""

from __future__ import annotations

import csv
import re
from pathlib import Path, PurePath

from nianbao.parse.dates import to_date
from nianbao.parse.model import Report

FIELDS = ("agency", "province", "city", "county", "level", "category", "scope", "report_year")
_REGION = re.compile(r"^(?P<province>.+?(?:省|自治区|(?:北京|上海|天津|重庆)市))?"
                     r"(?P<city>.+?(?:市|自治州|地区|盟))?(?P<county>.+?(?:区|县|旗|市))?$")
_LEVELS = {"省": "省级", "市": "市级", "县": "县级", "乡": "乡镇街道", "镇": "乡镇街道", "街道": "乡镇街道",
           "部门": None}


def read_manifest(path: str | Path) -> dict[str, dict[str, str]]:
    """Rows keyed by file name (base name), empty values dropped."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and "file" not in rows[0]:
        raise ValueError(f"清单缺少 file 列 / manifest has no 'file' column: {path}")
    return {PurePath(r["file"]).name: {k: v.strip() for k, v in r.items() if k and v and v.strip()}
            for r in rows if r.get("file")}


def apply_manifest(report: Report, row: dict[str, str] | None) -> None:
    """Manifest values win over what the parser inferred; each change is noted."""
    if not row:
        return
    meta = report.metadata
    values = dict(row)
    if "region" in values:
        m = _REGION.match(values["region"].split("（")[0])
        if m:
            for key in ("province", "city", "county"):
                if m.group(key) and key not in values:
                    values[key] = m.group(key)
    if values.get("level") in _LEVELS:
        mapped = _LEVELS[values["level"]]
        if mapped:
            values["level"] = mapped
        else:
            values.pop("level")
    for key in FIELDS:
        if key not in values:
            continue
        value = values[key]
        if key == "report_year":
            if not value.isdigit():
                continue
            value = int(value)
        setattr(meta, key, value)
        meta.inferred[key] = "清单 / manifest"
    published = to_date(values.get("published_on", ""))
    if published:
        meta.report_date, meta.report_date_source = published.isoformat(), "manifest"
        meta.inferred["report_date"] = f"manifest: {values['published_on']}"


CORRECTION_COLUMNS = ("agency", "province", "city", "county", "level", "category", "scope", "report_year", "region",
                      "published_on")


def stored_corrections(con) -> dict[str, dict[str, str]]:
    """Corrections saved by earlier ingests, keyed by file name."""
    cols = ", ".join(CORRECTION_COLUMNS)
    out = {}
    for row in con.execute(f"SELECT source_name, {cols} FROM corrections").fetchall():
        out[row[0]] = {k: v for k, v in zip(CORRECTION_COLUMNS, row[1:], strict=True) if v}
    return out


def save_corrections(con, rows: dict[str, dict[str, str]]) -> None:
    """Remember manifest rows so a later ingest of the same file keeps them."""
    for name, row in rows.items():
        con.execute("DELETE FROM corrections WHERE source_name = ?", [name])
        con.execute(f"INSERT INTO corrections VALUES (?, {', '.join('?' for _ in CORRECTION_COLUMNS)})",
                    [name, *(row.get(k) for k in CORRECTION_COLUMNS)])
