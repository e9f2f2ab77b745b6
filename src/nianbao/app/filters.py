"""The global filters shared by every page, and their URL form (st.query_params is a str → str dict)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

SCOPES = ("agency", "jurisdiction", "all")

# dataclass field -> URL key; short keys keep shared links readable
_URL_KEYS = {
    "year_from": "from", "year_to": "to", "provinces": "province", "cities": "city", "levels": "level",
    "categories": "category", "agencies": "agency", "scope": "scope", "form_versions": "form",
}


@dataclass(frozen=True)
class Filters:
    year_from: int | None = None
    year_to: int | None = None
    provinces: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()  # agency_id values
    scope: str = "agency"  # agency | jurisdiction | all
    form_versions: tuple[str, ...] = ()

    def with_years(self, year_from: int | None, year_to: int | None) -> Filters:
        return replace(self, year_from=year_from, year_to=year_to)


def _escape(value: str) -> str:
    # Values are joined with commas, so a comma inside a value (or the escape char) is encoded.
    return value.replace("%", "%25").replace(",", "%2C")


def _unescape(value: str) -> str:
    return value.replace("%2C", ",").replace("%25", "%")


def to_query_params(f: Filters) -> dict[str, str]:
    """Only non-default values, so an unfiltered view has a clean URL."""
    out: dict[str, str] = {}
    default = Filters()
    for field in fields(Filters):
        value = getattr(f, field.name)
        if value == getattr(default, field.name):
            continue
        key = _URL_KEYS[field.name]
        out[key] = ",".join(_escape(v) for v in value) if isinstance(value, tuple) else str(value)
    return out


def from_query_params(params: dict[str, str]) -> Filters:
    """Parse a URL dict back into Filters; malformed values are ignored rather than raising."""
    kwargs: dict[str, object] = {}
    for field in fields(Filters):
        raw = params.get(_URL_KEYS[field.name])
        if raw is None or raw == "":
            continue
        if field.name in ("year_from", "year_to"):
            try:
                kwargs[field.name] = int(raw)
            except ValueError:
                continue
        elif field.name == "scope":
            if raw in SCOPES:
                kwargs["scope"] = raw
        else:
            kwargs[field.name] = tuple(_unescape(v) for v in raw.split(",") if v)
    return Filters(**kwargs)


def url_keys() -> tuple[str, ...]:
    """Every query-param key the filters own (other keys, e.g. ``report``, are left alone)."""
    return tuple(_URL_KEYS.values())
