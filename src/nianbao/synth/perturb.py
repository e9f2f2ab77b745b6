"""Realistic variation of a rendered report, each kind drawn with its own rate and recorded.

Agencies retype labels (look-alike / sound-alike characters, dropped 要/的, random slips),
mix full- and half-width forms, let the next paragraph run into a table's last row, add
tables of their own, and copy text out of PDFs with page numbers and running headers in it,
sometimes in the middle of a row. These transforms work on the rendered text of the txt,
crawler and HTML routes; the values printed never change, so the expected CSV stays valid.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from nianbao.form import FORMS, SECTIONS
from nianbao.synth.grids import APPLICATIONS_NOTE, print_label

# Look-alike and sound-alike confusions seen in real reports (issue 13 class 2) and their kin.
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("申请", "申情"), ("事项", "事宜"), ("办理", "力理"), ("公开", "公升"), ("信息", "信悉"),
    ("处理", "外理"), ("结转", "结砖"), ("复议", "复义"), ("诉讼", "诉松"), ("情况", "情兄"),
    ("及", "和"), ("属于", "属干"), ("保护", "保户"), ("提供", "提共"), ("出版物", "出版务"),
    ("不予", "不于"), ("予以", "予已"), ("部分", "部份"), ("法规", "法现"), ("内部", "内布"),
    ("查询", "查旬"), ("规章", "规草"), ("许可", "许诃"), ("强制", "强治"), ("收费", "收废"),
)
# Characters a slip of the keyboard or of OCR brings in.
_SLIP_POOL = "的了和与及在中为有以是其行政信息公开申请理处事项部分法规文件条款本年度上下"
KINDS: tuple[str, ...] = ("typo_declared", "typo_random", "drop_char", "width_mix", "prose_runin",
                          "blank_table4", "extra_table", "page_furniture", "page_split", "run_together",
                          "lost_separators")
DEFAULT_RATES: dict[str, float] = {
    "typo_declared": 0.2, "typo_random": 0.2, "drop_char": 0.15, "width_mix": 0.2, "prose_runin": 0.15,
    "blank_table4": 0.1, "extra_table": 0.15, "page_furniture": 0.25, "page_split": 0.15,
    "run_together": 0.15, "lost_separators": 0.15,
}
# Kinds each route can show (HTML pages have no page furniture; only crawler text runs digits;
# crawler text drops blank cells altogether, so an all-blank table is not one of its kinds).
ROUTE_KINDS: dict[str, tuple[str, ...]] = {
    "txt": ("typo_declared", "typo_random", "drop_char", "width_mix", "prose_runin", "blank_table4",
            "extra_table", "page_furniture", "page_split"),
    "crawler": ("typo_declared", "typo_random", "drop_char", "width_mix", "prose_runin", "extra_table",
                "page_furniture", "page_split", "run_together"),
    "html": ("typo_declared", "typo_random", "drop_char", "width_mix", "prose_runin", "blank_table4",
             "extra_table"),
    "template_pdf": ("typo_declared", "typo_random", "drop_char", "blank_table4", "extra_table"),
    "template_html": ("typo_declared", "typo_random", "drop_char", "blank_table4", "extra_table"),
    "docx": ("blank_table4",),
    "pdf": ("blank_table4",),
}


@dataclass
class Plan:
    """The perturbations chosen for one report, and what each one did (for the metadata)."""

    kinds: list[str]
    applied: dict[str, list[str]] = field(default_factory=dict)

    def note(self, kind: str, what: str) -> None:
        self.applied.setdefault(kind, []).append(what)


# Kinds drawn after the others, from a generator of their own: adding them left every variant
# drawn before byte-identical, so fidelity figures from before and after stay comparable.
LATE_KINDS: dict[str, tuple[str, ...]] = {"crawler": ("lost_separators",)}
# A crawled HTML page whose tables lost their separators has no pages, so no page furniture.
_EXCLUDED_BY: dict[str, tuple[str, ...]] = {"lost_separators": ("page_furniture", "page_split")}


def choose(route: str, rng: random.Random, rates: dict[str, float] | None = None) -> Plan:
    rates = DEFAULT_RATES if rates is None else rates
    return Plan([k for k in ROUTE_KINDS[route] if rng.random() < rates.get(k, 0.0)])


def choose_late(route: str, plan: Plan, rng: random.Random, rates: dict[str, float] | None = None) -> None:
    """Add the route's late kinds to ``plan``, each drawn from ``rng`` (one draw per kind, always)."""
    rates = DEFAULT_RATES if rates is None else rates
    for kind in LATE_KINDS.get(route, ()):
        if rng.random() < rates.get(kind, 0.0) and not set(_EXCLUDED_BY.get(kind, ())) & set(plan.kinds):
            plan.kinds.append(kind)


# --- label edits ---------------------------------------------------------------------------

_PREFIX = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．])")


def row_labels(version: str, numbering: str) -> list[str]:
    """Row labels as the renderers print them, tables 二 and 三."""
    out = [print_label(r.zh) for r in FORMS[version].table("active").rows]
    out += [print_label(r.prefix.replace(".", numbering) + r.zh) for r in FORMS[version].table("applications").rows]
    return out


def headings(text: str) -> list[str]:
    """Section headings printed in the text, as found."""
    out = []
    for s in SECTIONS:
        for title in (s.zh, *s.variants):
            head = f"{s.number}、{print_label(title)}"
            if head in text:
                out.append(head)
                break
    return out


def _all_cores() -> set[str]:
    cores = set()
    for form in FORMS.values():
        for table in form.tables:
            for row in table.rows:
                cores.update(print_label(label) for label in row.labels)
    return cores


_CORES = _all_cores()


def declared_typo(label: str, rng: random.Random) -> str | None:
    prefix, core = _split(label)
    options = [(a, b) for a, b in CONFUSIONS if a in core]
    if not options:
        return None
    a, b = rng.choice(options)
    return prefix + core.replace(a, b, 1)


def random_typo(label: str, rng: random.Random) -> str | None:
    """One or two random substitutions, deletions or insertions in the label's words."""
    prefix, core = _split(label)
    if len(core) < 4:
        return None  # a two-character label edited is another word, not a typo of it
    edits = 1 if len(core) < 8 else rng.choice((1, 2))
    chars = list(core)
    for _ in range(edits):
        han = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"]
        i = rng.choice(han)
        op = rng.choice(("sub", "del", "ins"))
        if op == "sub":
            chars[i] = rng.choice([c for c in _SLIP_POOL if c != chars[i]])
        elif op == "del" and len(han) > 3:
            del chars[i]
        else:
            chars.insert(i, rng.choice(_SLIP_POOL))
    new = "".join(chars)
    return None if new == core or new in _CORES else prefix + new


def dropped_char(label: str, rng: random.Random) -> str | None:
    prefix, core = _split(label)
    spots = [i for i, c in enumerate(core) if c in "要的"]
    if not spots:
        return None
    i = rng.choice(spots)
    return prefix + core[:i] + core[i + 1:]


def _split(label: str) -> tuple[str, str]:
    m = _PREFIX.match(label)
    return (m.group(), label[m.end():]) if m else ("", label)


def edit_labels(labels: list[str], kind: str, rng: random.Random, count: int) -> dict[str, str]:
    """Up to ``count`` labels with one edit of ``kind`` each: printed → edited."""
    edit = {"typo_declared": declared_typo, "typo_random": random_typo, "drop_char": dropped_char}[kind]
    out: dict[str, str] = {}
    for label in rng.sample(labels, len(labels)):
        new = edit(label, rng)
        if new and new != label:
            out[label] = new
            if len(out) >= count:
                break
    return out


# --- text around the tables ---------------------------------------------------------------

def runin_sentence(year: int, rng: random.Random) -> str:
    return rng.choice((
        f"{year + 1}年，本机关将进一步规范政府信息公开申请办理工作。",
        f"{year}年，本机关依申请公开工作总体平稳，未发生因答复不当引发的纠纷。",
        "（二）依申请公开情况说明：本年度申请数量较上年有所变化。",
        "注：本表数据截至当年12月31日。",
    ))


def extra_table_rows(rng: random.Random) -> list[list[str]]:
    """A table agencies add of their own (format-spec: fees, interpretations, press events)."""
    return rng.choice((
        [["项目", "收费通知件数", "收取金额（元）"], ["信息处理费", str(rng.randint(0, 5)), str(rng.randint(0, 900))]],
        [["类别", "数量（件）"], ["政策解读", str(rng.randint(1, 60))], ["新闻发布会", str(rng.randint(0, 12))],
         ["回应社会关切", str(rng.randint(0, 30))]],
        [["序号", "公开平台", "发布条数"], ["1", "政府网站", str(rng.randint(10, 900))],
         ["2", "政务微信", str(rng.randint(10, 400))]],
    ))


def page_mark(page: int, rng: random.Random) -> str:
    return rng.choice((f"— {page} —", f"- {page} -", f"第 {page} 页", f"第{page}页 共{page + 3}页", f"-{page}-"))


def table_note() -> str:
    return APPLICATIONS_NOTE
