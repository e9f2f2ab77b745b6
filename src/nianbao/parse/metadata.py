"""Title, report year, statistic period and page metadata, as the text states them."""

from __future__ import annotations

import re

from nianbao.form.labels import collapse_cjk_spaces
from nianbao.parse.model import Metadata

_TITLE = re.compile(
    r"(?:标题[:：]\s*)?([^\s:：。，,]{0,60}?(?:19|20)\d{2}\s*年度?[^\s。，,]{0,40}?"
    r"(?:政府|政务)?信息公开(?:工作)?年度?报告)")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间)?.{0,6}?(?:自|从|为)\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_PERIOD_END = re.compile(r"至\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日")
_PUBLISHER = re.compile(r"(?:发布机构|来源)[:：]\s*([^\s:：]{2,40})")
_PUBLISHED = re.compile(r"(?:发布时间|发布日期|公开日期|成文日期)[:：]\s*((?:19|20)\d{2}[-年./]\d{1,2}[-月./]\d{1,2})")
_OPENING_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*[,，]")
_TITLE_SUFFIX = re.compile(r"(?:19|20)\d{2}\s*年度?|(?:政府|政务)?信息公开(?:工作)?年度?报告$")


def find_title(head: str) -> str | None:
    """The title line; when it starts with the year and names no agency (the agency printed on the
    line above, as PDFs of Word reports often do), the line above is joined to it."""
    lines = [collapse_cjk_spaces(x.strip()) for x in head.splitlines() if x.strip()][:40]
    for i, line in enumerate(lines):
        m = _TITLE.search(line)
        if not m:
            continue
        title = m.group(1).strip()
        if not _TITLE_SUFFIX.sub("", title).strip() and i and len(lines[i - 1]) <= 40 \
                and not re.search(r"[。，,：:]", lines[i - 1]):
            title = lines[i - 1] + title
        return title
    return None


def read_metadata(text: str, overview: str = "") -> Metadata:
    """Metadata stated in the text; what is not stated stays None (a manifest may fill it)."""
    meta = Metadata()
    head = text[:3000]
    title = find_title(head)
    if title:
        meta.title = title
        meta.inferred["title"] = "标题行 / title line"
        year = _YEAR_IN_TITLE.search(meta.title)
        if year:
            meta.report_year = int(year.group(1))
            meta.inferred["report_year"] = "标题中的年份 / year in the title"
        agency = _TITLE_SUFFIX.sub("", meta.title).strip("（）() ")
        if agency:
            meta.agency = agency
            meta.inferred["agency"] = "标题 / title"
    period = _PERIOD.search(text) or _PERIOD_END.search(text)
    if period:
        meta.period_year = int(period.group(1))
        if meta.report_year is None:
            meta.report_year = meta.period_year
            meta.inferred["report_year"] = "统计期限 / statistic period sentence"
    if meta.report_year is None and overview:
        opening = _OPENING_YEAR.search(overview)
        if opening:
            meta.report_year = int(opening.group(1))
            meta.inferred["report_year"] = "总体情况首句的年份 / year opening section 一"
    pub = _PUBLISHER.search(head)
    if pub:
        meta.publisher = pub.group(1)
    date = _PUBLISHED.search(head)
    if date:
        meta.published_on = date.group(1)
    return meta
