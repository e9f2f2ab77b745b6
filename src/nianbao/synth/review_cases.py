"""Review cases for the demo (issue 14): a few synthetic reports made late, and one printed again
under another agency's name (a duplicate). Copied text (雷同) and outdated forms occur in the
generated corpus itself (template prose repeats; ``wrong_form_share``). Applied to a written
demo folder before it is ingested; returns what was changed, for the record."""

from __future__ import annotations

import re
from pathlib import Path

_SIGNED = re.compile(r"(\d{4})年1月(\d{1,2})日\s*$")
LATE_MONTH = 3  # a department's report signed in March is weeks after the 1月31日 deadline
DUPLICATE_AGENCY = "示例市统计局"


def add_review_cases(folder: str | Path, metas: list[dict], late: int = 4) -> list[dict]:
    """Make ``late`` department txt reports late and write one duplicate; returns the changes."""
    folder = Path(folder)
    changes: list[dict] = []
    departments = [m for m in metas if m["file"].endswith(".txt") and m.get("scope", "agency") == "agency"
                   and m.get("category") not in ("government", "township", "government_office")]
    for m in departments[3::17][:late]:
        path = folder / m["file"]
        text = path.read_text(encoding="utf-8")
        changed = _SIGNED.sub(lambda g: f"{g.group(1)}年{LATE_MONTH}月{g.group(2)}日\n", text.rstrip(), count=1)
        if changed != text.rstrip():
            path.write_text(changed, encoding="utf-8")
            changes.append({"file": m["file"], "case": "late"})
    source = next((m for m in departments[5:] if m["report_year"] >= 2021), None)
    if source:
        text = (folder / source["file"]).read_text(encoding="utf-8")
        copy = f"duplicate_{source['file']}"
        (folder / copy).write_text(text.replace(source["agency"], DUPLICATE_AGENCY), encoding="utf-8")
        changes.append({"file": copy, "case": "duplicate", "of": source["file"]})
    return changes
