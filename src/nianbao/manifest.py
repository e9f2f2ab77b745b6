"""A manifest CSV sets or corrects metadata per file (columns: file, agency, region, level,
category, report_year, and optionally province, city, county, scope — any subset)."""

from __future__ import annotations

import csv
import re
from pathlib import Path, PurePath

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
