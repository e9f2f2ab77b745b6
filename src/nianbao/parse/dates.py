"""The report's date: when it was published, or failing that when it was signed.

Sources, most trusted first (each result keeps which one it came from):

- ``manifest``: a ``published_on`` column of the manifest (applied by :mod:`nianbao.manifest`);
- ``page_meta``: an HTML page's ``<meta name="PubDate">`` (and the CMS variants below);
- ``page_text``: a ``发布时间：`` / ``发布日期：`` / ``公开日期：`` line in the page header;
- ``signature``: the date line of the signature block at the report's end
  (``2024年1月20日``, ``2024 年 1 月 20 日``, ``二〇二四年一月二十日``).

The page's date is the publication; the signature date is when the report was written, so it
only stands in when the page says nothing. An impossible date (2月30日) is no date.
"""

from __future__ import annotations

import re
from datetime import date

SOURCES = ("manifest", "page_meta", "page_text", "signature")
SOURCE_LABELS = {"manifest": ("清单", "manifest"), "page_meta": ("网页元数据", "page metadata"),
                 "page_text": ("网页发布时间", "page publish line"), "signature": ("落款日期", "signature date")}
META_NAMES = ("PubDate", "pubdate", "publishdate", "PublishDate", "firstpublishedtime", "article:published_time")

_DIGIT_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?")
_CN_DIGITS = "〇零○Ｏ一二三四五六七八九"
_CN_VALUE = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_DATE = re.compile(rf"([{_CN_DIGITS}]{{4}})\s*年\s*([一二三四五六七八九十]{{1,2}})\s*月"
                      rf"\s*([一二三四五六七八九十]{{1,3}})\s*日")
_PAGE_LINE = re.compile(r"(?:发布时间|发布日期|公开日期|发文日期)\s*(?:[:：]|\t)\s*"  # a tab: CMS metadata tables
                        r"((?:19|20)\d{2}[-年./]\d{1,2}[-月./]\d{1,2})")
_SIGN_TAIL_LINES = 6  # the signature block is within the last few lines
_SIGN_PREFIX = 40  # an agency name may precede the date on the same line


def _cn_number(text: str) -> int:
    """一 … 三十一 as printed in dates."""
    if "十" not in text:
        return _CN_VALUE[text]
    tens, _, ones = text.partition("十")
    return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[ones] if ones else 0)


def to_date(text: str) -> date | None:
    """A printed date (digits or Chinese numerals) as a date; None when it is no valid date."""
    m = _DIGIT_DATE.search(text)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _CN_DATE.search(text)
        if m:
            year = int("".join(str(_CN_VALUE[c]) for c in m.group(1)))
            return date(year, _cn_number(m.group(2)), _cn_number(m.group(3)))
    except (ValueError, KeyError):
        return None
    return None


def signature_date(text: str) -> tuple[date, str] | None:
    """The date line of the closing signature block: one of the last lines, holding a date and at
    most an agency name before it (a date inside a sentence is not a signature)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][-_SIGN_TAIL_LINES:]
    for line in reversed(lines):
        for pattern in (_DIGIT_DATE, _CN_DATE):
            m = pattern.search(line)
            if m and m.end() >= len(line.rstrip("。 ")) and m.start() <= _SIGN_PREFIX \
                    and not re.search(r"[，。,；;：:]", line[:m.start()]):
                found = to_date(m.group(0))
                if found:
                    return found, m.group(0)
    return None


def read_report_date(text: str, properties: dict[str, str] | None = None) -> tuple[str, str, str] | None:
    """(ISO date, source, text as printed) from the document, or None when it states no date."""
    for name in META_NAMES:
        value = (properties or {}).get(name)
        found = to_date(value) if value else None
        if found:
            return found.isoformat(), "page_meta", value
    m = _PAGE_LINE.search(text[:3000])
    if m:
        found = to_date(m.group(1))
        if found:
            return found.isoformat(), "page_text", m.group(1)
    signed = signature_date(text)
    if signed:
        return signed[0].isoformat(), "signature", signed[1]
    return None
