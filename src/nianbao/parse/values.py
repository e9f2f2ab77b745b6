"""Cell values: what a printed cell says, kept exact."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from nianbao.parse.model import Value

NA_MARKS = frozenset({"/", "-", "—", "——", "–", "－", "无", "N/A", "NA", "不适用", "／"})
UNITS = ("万元", "元", "件", "条", "项", "个", "次")
_UNIT = "|".join(UNITS)
# A number as printed: sign, digits (optionally with thousands separators), decimals, a unit.
NUMBER = re.compile(rf"([+-]?)(\d{{1,3}}(?:,\d{{3}})+|\d+)(\.\d+)?\s*({_UNIT})?")
_WHOLE_NUMBER = re.compile(rf"^\s*{NUMBER.pattern}\s*$")


def parse_value(raw: str) -> Value | None:
    """Classify one cell's text; None when it is not a value (a label, a sentence)."""
    text = raw.strip()
    if not text:
        return Value("blank", raw=raw)
    if text in NA_MARKS:
        return Value("na", raw=raw)
    m = _WHOLE_NUMBER.match(text)
    if not m:
        return None
    return number_value(m, raw)


_decimal = lru_cache(maxsize=8192)(Decimal)  # immutable; tables print the same few numbers often


def number_value(m: re.Match[str], raw: str) -> Value:
    sign, digits, decimals, unit = m.group(1), m.group(2), m.group(3) or "", m.group(4)
    number = _decimal(("-" if sign == "-" else "") + digits.replace(",", "") + decimals)
    return Value("number", number, raw, unit)
