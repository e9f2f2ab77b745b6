"""The vocabularies shown to users, declared once: every enum value the app, the exports and the
CLI display (category, scope, status, level, severity, ingest action, cell kind, form version,
table) → (中文, English). Labels of form rows and columns come from :mod:`nianbao.form`; this
module holds everything else. A missing value is shown as ``MISSING``, never ``None``."""

from __future__ import annotations

from nianbao.form import FORMS
from nianbao.parse.agency import CATEGORIES, LEVELS

MISSING = "—"

Vocabulary = dict[str, tuple[str, str]]

SCOPE: Vocabulary = {
    "agency": ("本机关", "This agency"),
    "jurisdiction": ("辖区汇总", "Jurisdiction total"),
    "all": ("全部（可能重复计算）", "All (may double count)"),
}
STATUS: Vocabulary = {"ok": ("完整", "Complete"), "partial": ("部分", "Partial"), "failed": ("失败", "Failed")}
SEVERITY: Vocabulary = {"error": ("错误", "Error"), "warning": ("警告", "Warning"), "info": ("提示", "Info")}
ACTION: Vocabulary = {
    "loaded": ("新载入", "Loaded"),
    "replaced": ("已替换旧版本", "Replaced"),
    "unchanged": ("未变化（已在库中）", "Unchanged (already loaded)"),
    "held": ("待定版本（原版本仍为当前）", "Held (the stored version stays current)"),
    "failed": ("未载入", "Not loaded"),
}
KIND: Vocabulary = {"number": ("数字", "Number"), "blank": ("空白", "Blank"), "na": ("不适用", "Not applicable")}
FORM_VERSION: Vocabulary = {
    "2019": ("2019 年格式", "2019 form"),
    "2021": ("2021 年格式", "2021 form"),
    "mixed": ("混合格式", "Mixed forms"),
    "pre2019": ("2019 年以前", "Before 2019"),
    "none": ("未识别", "Not recognised"),
}
_LEVELS_EN = {"国务院部门": "State Council department", "省级": "Provincial", "市级": "Municipal",
              "县级": "County", "乡镇街道": "Township / subdistrict"}
LEVEL: Vocabulary = {level: (level, _LEVELS_EN[level]) for level in LEVELS}
TABLE: Vocabulary = {t.key: (f"表{t.number}·{t.zh}", f"Table {'二三四'.index(t.number) + 2}: {t.en}")
                     for t in FORMS["2021"].tables}
BOOLEAN: Vocabulary = {"True": ("是", "Yes"), "False": ("否", "No")}
SOURCE: Vocabulary = {"text": ("文本", "Text"), "ocr": ("OCR识别", "OCR")}

VOCABULARIES: dict[str, Vocabulary] = {
    "category": CATEGORIES, "scope": SCOPE, "status": STATUS, "severity": SEVERITY, "action": ACTION,
    "kind": KIND, "form_version": FORM_VERSION, "level": LEVEL, "table": TABLE, "source": SOURCE,
}


def label(vocabulary: str, key: object, lang: str = "zh") -> str:
    """The display word for ``key`` in ``lang``; ``MISSING`` for no value; an unknown key is shown
    as given (it is data, e.g. a level the taxonomy does not know)."""
    if key is None or key != key or key == "":
        return MISSING
    names = VOCABULARIES[vocabulary].get(str(key))
    if names is None:
        return str(key)
    return names[1] if lang == "en" else names[0]


def yes_no(value: object, lang: str = "zh") -> str:
    if value is None or value != value:
        return MISSING
    return BOOLEAN[str(bool(value))][1 if lang == "en" else 0]
