"""Words that say a figure or a report covers a whole area rather than one body, declared once.

"全市…", "全区各级行政机关…", "各部门…": the agency parser takes them as the cue that a report
aggregates a region (scope "jurisdiction"), the narrative reader and the text checks as the
sign that a stated number is not the reporting body's own.
"""

from __future__ import annotations

import re

# Divisions a 全… phrase names (全省 … 全街道).
AREA_UNITS: tuple[str, ...] = ("省", "市", "区", "县", "州", "盟", "旗", "镇", "乡", "街道")
# Whole-area words without 全….
AREA_WORDS: tuple[str, ...] = ("各级行政机关", "各级政府", "全系统", "各部门", "各单位")
_UNITS = "|".join(AREA_UNITS)

# group 1 is the division named (市 in 全市), None for the words without 全
WHOLE_AREA = re.compile(rf"全({_UNITS})|" + "|".join(AREA_WORDS))
# A report that aggregates its area's bodies: 全市各级行政机关 / 全区人民政府及其部门 …
AREA_BODIES = re.compile(rf"全(?:{_UNITS})(?:各级|各)?(?:行政机关|政府机关|人民政府及其(?:工作)?部门|政府及其部门)")
