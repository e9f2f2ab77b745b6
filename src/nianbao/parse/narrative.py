"""Publication counts stated in a report's narrative (not its tables).

Reports say things like "2023年全年公开各类政府信息共计374条，其中政府网发布79条、公众号上传295条".
`extract_narrative` finds such statements and returns one exact number per key, or nothing
plus a bilingual warning when the text is ambiguous or contradicts itself. It never adds up
per-channel numbers and never takes a number about another year, another scope or a
cumulative stock.

How a number is read: the text is whitespace-normalised (PDF line breaks inside words and
numbers removed), cut into sentences and clauses, and each count ("374条", "15.8万条",
"三十五场", "7700余条") is classified by the words right before it: the last publishing verb,
its object (政府信息 / 信息 / nothing / a category such as 招聘信息, which is not counted) and the
channel named before the verb (website, new media, several, or none = the total). Counts
that are shares (占…%), sub-units (各乡镇, 区直), other categories (其他…), changes (同比增加),
other years, another scope (全市 in an agency's report) or stocks (累计 without the year) are
dropped. Different numbers for one key mean a warning and no value.

The function is pure and only uses regexes compiled at import time.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from nianbao.form.scope import WHOLE_AREA
from nianbao.parse.prefilter import with_prefilter

NARRATIVE_KEYS = ("published_total", "published_website", "published_new_media",
                  "press_conferences", "policy_interpretations")

NARRATIVE_METRICS: dict[str, tuple[str, str, str]] = {
    "published_total": ("主动公开政府信息总数", "information items proactively published", "条"),
    "published_website": ("政府网站发布数", "items published on the government website", "条"),
    "published_new_media": ("政务新媒体发布数", "items published on government new media", "条"),
    "press_conferences": ("新闻发布会", "press conferences", "场"),
    "policy_interpretations": ("政策解读", "policy interpretations", "篇"),
}


@dataclass(frozen=True)
class NarrativeMetric:
    key: str            # one of NARRATIVE_KEYS
    value: Decimal      # exact, e.g. Decimal("158000") for "15.8万条"
    approximate: bool   # True for "7700余条", "近200条", "约…"
    sentence: str       # the sentence (from the original text) the number came from


@dataclass(frozen=True)
class NarrativeResult:
    metrics: tuple[NarrativeMetric, ...]
    warnings: tuple[str, ...]   # bilingual "中文 / English" lines: why a key was NOT recorded


# ---------------------------------------------------------------------------------------------
# Regexes (compiled once)

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SPACE_RUN = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[。！？!?；;]")

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUMERAL = f"[{_CN_DIGITS}十百千万亿]+"
# A count: optional "about" word, the number, optional 万/亿, optional 余/多, the unit.
_COUNT = with_prefilter(
    r"(?P<pre>大约|将近|超过|约|近|逾)?"
    r"(?:(?<![\d.．])(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:[.．]\d+)?)(?P<mult>万|亿)?"
    rf"|(?<![{_CN_DIGITS}十百千万亿第])(?P<cn>{_CN_NUMERAL}))"
    r"(?P<post>余|多)?(?P<unit>条|件|篇|场|次|期|个|项|份)(?P<tail>左右|以上)?"
)

# Words between the object and the number: "政府信息共计共计374条", "信息数为62条".
_CONNECT = r"(?:总数|总量|数量|数|共计|合计|总计|累计|共|计|达到|达|为|约|近|超过|逾|有|了|：|:)*"
# Last publishing verb in the clause, then the object, then connector words up to the number.
_PUBLISH = re.compile(
    r"(?s).*(?P<verb>公开|公布|发布|上传|推送|刊发|发送|编发)了?"
    r"(?P<obj>[^，,。；;：:、\d的（）()]{0,12}?)" + _CONNECT + r"$"
)
_OBJECT = re.compile(r"^(?P<mod>.*?)(?P<noun>政府信息|信息)?$")
_GENERIC_INFO_MODS = frozenset({"", "各类", "各种", "各项", "相关", "政务", "各类政务"})

_POLICY_VERB_FIRST = re.compile(
    r"(?s).*(?:发布|推出|制作|编发|刊发|公开|撰写|推送|印发|开展|完成)了?"
    r"(?P<obj>(?:[A-Za-z]\d+|[^，,。；;：:\d（）()]){0,20}?)"  # "H5等多形式" may hold digits
    r"解读类?(?:信息|材料|文章|稿件|产品)?" + _CONNECT + r"$"
)
_POLICY_OBJECT_FIRST = re.compile(
    r"解读类?(?:信息|材料|文章|稿件|产品)?(?:发布|公开|推送)了?" + _CONNECT + r"$")
# "对29项…政策文件进行解读": the number comes before the words that say what it counts.
_POLICY_AFTER = re.compile(r"^[^，,。；;]{0,40}?(?:政策|文件)[^，,。；;]{0,10}?(?:进行|开展)了?(?:政策)?解读")
_CONJUNCTION = re.compile(r"和|及|与")

_PRESS_VERB_FIRST = re.compile(
    r"(?s).*(?:召开|举办|举行|组织|开展)了?(?P<obj>[^，,。；;：:、\d（）()]{0,12}?)新闻发布会"
    + _CONNECT + r"$")
_PRESS_OBJECT_FIRST = re.compile(r"新闻发布会(?:共计|共)?(?:召开|举办|举行)了?" + _CONNECT + r"$")
_PRESS_VERB_BEFORE = re.compile(r"(?:召开|举办|举行|组织|开展)了?(?:共计|共)?$")
_PRESS_AFTER = re.compile(r"^(?:政府)?新闻发布会")

# Channels. Website first: "政府信息公开网" is a website, not "other".
_WEBSITE = re.compile(r"政府网站|门户网站|部门网站|网站|门户网|政府网|官网"
                      r"|信息公开平台|政务公开平台|公开专栏")
_NEW_MEDIA = re.compile(r"新媒体|公众号|微信|微博|客户端|APP|App|app|抖音|头条号|视频号|政务号|小程序")
_OTHER_CHANNEL = re.compile(r"政府公报|公报|报纸|报刊|电视|广播|公开栏|宣传栏|显示屏|LED|查阅点|查阅场所")

# Reasons a stated number is not this report's own count for this year.
_CLAUSE_BREAKS = frozenset("，,：:；;。（）()")
_SHARE_AFTER = re.compile(r"^[，,]?占")
_SUBUNIT = re.compile(r"其他(?!渠道|平台|方式|途径|媒体|形式)"
                      r"|(?<!全[市区县省镇乡旗州])(?:各乡镇|各街道|各单位|各部门)|区直|县直|市直")
_DELTA = re.compile(r"(?:增加|减少|增长|下降|提高|降低|同比|较上年|比上年|较去年|比去年)[^，,]*$")
_OTHER_YEAR_WORD = re.compile(r"(?<![网线])上一?年度?|去年|前年")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_BOOK_TITLE = re.compile(r"《[^《》]*》")
_STOCK = re.compile(r"累计|历年|以来|总量|存量")
_YEAR_ANCHOR = re.compile(r"全年|本年|今年|当年|年内|年度内")
_UNTIL_BEFORE = re.compile(r"(?:截至|截止|截止到|至)$")
_AGENCY_SELF = re.compile(r"我局|本局|我委|本委|我厅|本厅|我办|本办|我署|本署"
                          r"|我中心|本中心|我单位|本单位|本部门|我部门")
_JURISDICTION_SELF = re.compile(r"[我本](区|县|市|省|州|旗|镇|乡)")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})年度?(?:政府)?信息公开(?:工作)?年度?报告"
                         r"|统计期限自((?:19|20)\d{2})年")

_PUBLISHED_UNITS = frozenset("条件篇")
_POLICY_UNITS = frozenset("篇条件个项份")
_PRESS_UNITS = frozenset("场次")
# How far back from a number its words are looked for. Flattened tables can make a "clause"
# thousands of characters long; the words that matter sit right before the number.
_CLAUSE_REACH = 100
_SENTENCE_REACH = 300


# ---------------------------------------------------------------------------------------------
# Text preparation


# Whitespace kept as one space: between two ASCII letters or digits, except a line break
# between two digits (a PDF wrap inside one number). Every other run is dropped.
# Opening with the whitespace itself lets the engine jump from one space to the next; each
# look-behind then checks the character before the run (the run's first one is ``\s``).
_KEPT_SPACE = re.compile(r"\s(?:(?<=[A-Za-z]\s)\s*(?=[A-Za-z0-9])|(?<=[0-9]\s)\s*(?=[A-Za-z])"
                         r"|(?<=[0-9][^\S\n])[^\S\n]*(?=[0-9]))")
_KEPT_MARK = "\ue001"  # stands for a kept run between the two passes; not whitespace
_FULLWIDTH_DIGIT = re.compile("[０-９]")


@dataclass
class _Text:
    """Whitespace-normalised text; the map back to the original is built when first needed."""

    norm: str
    original: str
    _map: _RunMap | None = None

    def original_span(self, start: int, end: int) -> str:
        """Original text behind norm[start:end], whitespace collapsed to single spaces."""
        first = self._to_original(start)
        last = self._to_original(end - 1) + 1
        return " ".join(self.original[first:last].split())

    def _to_original(self, pos: int) -> int:
        if self._map is None:
            self._map = _RunMap(self.original)
        return self._map.to_original(pos)


class _RunMap:
    """Where each whitespace run of the original lands in the normalised text, and how many
    characters were taken out before it: a kept run becomes one space, a dropped one nothing.
    Built with a few passes over the runs (not a loop doing all of it per run)."""

    def __init__(self, text: str) -> None:
        self.runs = [m.start() for m in _SPACE_RUN.finditer(text)]
        ends = [m.end() for m in _SPACE_RUN.finditer(text)]
        self.kept = {m.start() for m in _KEPT_SPACE.finditer(text)}
        removed = [end - start - (start in self.kept) for start, end in zip(self.runs, ends, strict=True)]
        self.before = list(accumulate(removed, initial=0))  # removed before run i
        self.at = [start - r for start, r in zip(self.runs, self.before, strict=False)]  # run i in norm

    def to_original(self, pos: int) -> int:
        i = bisect_right(self.at, pos) - 1
        if i < 0:
            return pos
        if pos == self.at[i] and self.runs[i] in self.kept:
            return self.runs[i]  # the one space a kept run became
        return pos + self.before[i + 1]


def _normalise(text: str) -> _Text:
    """Drop whitespace that PDF/HTML extraction inserted inside words and numbers.

    A space between two digits on the same line separates two numbers (table cells) and is
    kept; a line break between digits is a PDF wrap inside one number and is removed.
    """
    if _FULLWIDTH_DIGIT.search(text):
        text = text.translate(_FULLWIDTH_DIGITS)
    if _KEPT_MARK in text:  # the mark is printed: decide run by run
        return _Text(_SPACE_RUN.sub(lambda m: " " if _KEPT_SPACE.match(text, m.start()) else "", text), text)
    marked = _KEPT_SPACE.sub(_KEPT_MARK, text)
    return _Text(_SPACE_RUN.sub("", marked).replace(_KEPT_MARK, " "), text)


def _split_sentences(norm: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(norm):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(norm):
        spans.append((start, len(norm)))
    return spans


# ---------------------------------------------------------------------------------------------
# Numbers


def _parse_chinese_numeral(s: str) -> int | None:
    """三十五 → 35, 一百零五 → 105, 两千 → 2000, 二〇二三 → 2023."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if all(c in digits for c in s):
        return int("".join(str(digits[c]) for c in s))
    small_units = {"十": 10, "百": 100, "千": 1000}
    big_units = {"万": 10_000, "亿": 100_000_000}
    total, section, digit = 0, 0, None
    for c in s:
        if c in digits:
            digit = digits[c]
        elif c in small_units:
            section += (1 if digit is None else digit) * small_units[c]
            digit = None
        elif c in big_units:
            section += digit or 0
            if section == 0:
                return None
            total += section * big_units[c]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _count_value(m: re.Match[str]) -> Decimal | None:
    if m.group("num"):
        value = Decimal(m.group("num").replace(",", "").replace("．", "."))
        if m.group("mult") == "万":
            value *= 10_000
        elif m.group("mult") == "亿":
            value *= 100_000_000
        # Counts are whole items; "15.8万" is 158000, not 158000.0.
        return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()
    parsed = _parse_chinese_numeral(m.group("cn"))
    return None if parsed is None else Decimal(parsed)


def _is_approximate(m: re.Match[str]) -> bool:
    return bool(m.group("pre") or m.group("post") or m.group("tail"))


# ---------------------------------------------------------------------------------------------
# Classification of one count


@dataclass(frozen=True)
class _Candidate:
    key: str
    value: Decimal
    approximate: bool
    sentence: tuple[int, int]
    channel: str = ""           # for new media: the channel word, "新媒体" for the umbrella term


@dataclass(frozen=True)
class _Rejection:
    key: str
    value: Decimal
    reason: str                 # "year", "scope" or "stock"


@dataclass(frozen=True)
class _Context:
    report_year: int | None
    agency_report: bool
    level: str                  # 区/县/市/… for a government's own report, "" if unknown


def _channels_in(text: str) -> tuple[set[str], str]:
    """Channel classes named in `text`, and the new-media word if any."""
    found = set()
    media = _NEW_MEDIA.search(text)
    if _WEBSITE.search(text):
        found.add("website")
    if media:
        found.add("new_media")
    if _OTHER_CHANNEL.search(text):
        found.add("other")
    if not media:
        return found, ""
    # "政务微博、微信等新媒体" names the umbrella, not one channel.
    return found, "新媒体" if "新媒体" in text else media.group()


def _classify_published(prefix: str, unit: str) -> tuple[str, str] | None:
    """Key and new-media channel for "…公开政府信息N条"-style clauses, or None."""
    if unit not in _PUBLISHED_UNITS:
        return None
    m = _PUBLISH.match(prefix)
    if not m:
        return None
    obj = _OBJECT.match(m.group("obj"))
    mod, noun = obj.group("mod"), obj.group("noun")
    if noun == "政府信息":
        kind = "gov"
    elif noun == "信息" and mod in _GENERIC_INFO_MODS:
        kind = "generic"
    elif noun is None and mod == "":
        kind = "bare"
    else:
        return None  # a category such as 招聘信息, 政府采购项目信息, 规章
    channels, media_word = _channels_in(prefix[:m.start("verb")])
    if channels == {"website"} and kind in ("gov", "bare"):
        return "published_website", ""
    if channels == {"new_media"}:
        return "published_new_media", media_word
    # No channel, or several listed together ("通过政府网站、政务新媒体等…"): the total.
    if kind == "gov" and (not channels or len(channels) >= 2):
        return "published_total", ""
    return None


def _classify_policy(prefix: str, unit: str, after: str) -> bool:
    if unit not in _POLICY_UNITS:
        return False
    m = _POLICY_VERB_FIRST.match(prefix)
    if m:
        obj = m.group("obj")
        # "发布行政公文和政策解读信息9条" counts more than interpretations.
        return not _CONJUNCTION.search(obj) and ("、" not in obj or "形式" in obj)
    if _POLICY_OBJECT_FIRST.search(prefix):
        return True
    return prefix.endswith("对") and bool(_POLICY_AFTER.match(after))


def _classify_press(prefix: str, unit: str, after: str) -> bool:
    if unit not in _PRESS_UNITS:
        return False
    m = _PRESS_VERB_FIRST.match(prefix)
    if m:
        return not _CONJUNCTION.search(m.group("obj"))
    if _PRESS_OBJECT_FIRST.search(prefix):
        return True
    return bool(_PRESS_VERB_BEFORE.search(prefix)) and bool(_PRESS_AFTER.match(after))


def _is_part_of_whole(clause: str, after: str) -> bool:
    """A breakdown item ("各乡镇…122条，占28.7%", "其他…856条") rather than the whole."""
    return bool(_SHARE_AFTER.match(after) or _SUBUNIT.search(clause) or _DELTA.search(clause))


def _other_year(sentence_prefix: str, clause: str, report_year: int | None) -> bool:
    if _OTHER_YEAR_WORD.search(clause):
        return True
    if report_year is None:
        return False
    years = _YEAR.findall(_BOOK_TITLE.sub("", sentence_prefix))
    return bool(years) and int(years[-1]) != report_year


def _is_stock(sentence_prefix: str, clause: str, report_year: int | None) -> bool:
    """累计/历年 without anything tying the number to the report year."""
    if not _STOCK.search(clause):
        return False
    if _YEAR_ANCHOR.search(sentence_prefix):
        return False
    if report_year is not None:
        for m in _YEAR.finditer(sentence_prefix):
            # "截至2023年底，累计…" is a stock; "2025年，…累计…7700余条" is the year's count.
            if int(m.group(1)) == report_year and not _UNTIL_BEFORE.search(sentence_prefix[:m.start()]):
                return False
    return True


def _other_scope(clause: str, ctx: _Context) -> bool:
    m = WHOLE_AREA.search(clause)
    if not m:
        return False
    if ctx.agency_report:
        return True
    return bool(ctx.level) and m.group(1) is not None and m.group(1) != ctx.level


def _classify_count(norm: str, span: tuple[int, int], clause_start: int, m: re.Match[str],
                    ctx: _Context) -> _Candidate | _Rejection | None:
    s_start, s_end = span
    start = s_start + m.start()
    prefix_all = norm[max(s_start, start - _SENTENCE_REACH):start]
    clause = norm[max(clause_start, start - _CLAUSE_REACH):start]
    after = norm[s_start + m.end():s_end]
    unit = m.group("unit")
    key, channel = "", ""
    published = _classify_published(clause, unit)
    if published:
        key, channel = published
    elif _classify_policy(clause, unit, after):
        key = "policy_interpretations"
    elif _classify_press(clause, unit, after):
        key = "press_conferences"
    if not key or _is_part_of_whole(clause, after):
        return None
    value = _count_value(m)
    if value is None:
        return None
    if _other_year(prefix_all, clause, ctx.report_year):
        return _Rejection(key, value, "year")
    if _other_scope(clause, ctx):
        return _Rejection(key, value, "scope")
    if _is_stock(prefix_all, clause, ctx.report_year):
        return _Rejection(key, value, "stock")
    return _Candidate(key, value, _is_approximate(m), span, channel)


def _clause_start(norm: str, s_start: int, pos: int, previous_count_end: int) -> int:
    """Start of the clause holding the number at `pos`: after the last comma-like mark or
    after the previous count ("政府网发布79条、公众号上传295条" → two clauses)."""
    start = max(s_start, previous_count_end, pos - _CLAUSE_REACH)
    for i in range(pos - 1, start - 1, -1):
        if norm[i] in _CLAUSE_BREAKS:
            return i + 1
    return start


def _collect(text: _Text, ctx: _Context) -> tuple[list[_Candidate], list[_Rejection]]:
    norm = text.norm
    candidates: list[_Candidate] = []
    rejections: list[_Rejection] = []
    for span in _split_sentences(norm):
        sentence = norm[span[0]:span[1]]
        previous_end = span[0]
        for m in _COUNT.finditer(sentence):
            clause_start = _clause_start(norm, span[0], span[0] + m.start(), previous_end)
            found = _classify_count(norm, span, clause_start, m, ctx)
            if isinstance(found, _Candidate):
                candidates.append(found)
            elif isinstance(found, _Rejection):
                rejections.append(found)
            previous_end = span[0] + m.end()
    return candidates, rejections


# ---------------------------------------------------------------------------------------------
# Report-level context


def _infer_report_year(norm: str) -> int | None:
    m = _TITLE_YEAR.search(norm[:3000])
    return int(m.group(1) or m.group(2)) if m else None


def _report_context(norm: str, report_year: int | None) -> _Context:
    """Whose report is this? An agency ("我局") or a government for its whole area ("我区")."""
    agency = len(_AGENCY_SELF.findall(norm))
    levels = _JURISDICTION_SELF.findall(norm)
    level = max(set(levels), key=levels.count) if levels else ""
    if report_year is None:
        report_year = _infer_report_year(norm)
    return _Context(report_year, agency > len(levels), "" if agency > len(levels) else level)


# ---------------------------------------------------------------------------------------------
# Choosing one value per key

_REJECTION_TEXT = {
    "year": ("只见其他年度的数字", "only numbers for another year were found"),
    "scope": ("只见其他范围（如全市）的数字",
              "only numbers for another scope (e.g. the whole city) were found"),
    "stock": ("只见累计存量数字", "only cumulative (stock) numbers were found"),
}


def _values_text(values: list[Decimal]) -> str:
    return "、".join(str(v) for v in values)


def _choose(key: str, candidates: list[_Candidate]) -> tuple[_Candidate | None, str | None]:
    """One candidate for the key, or a warning when the text gives different numbers."""
    if key == "published_new_media":
        umbrella = [c for c in candidates if c.channel == "新媒体"]
        candidates = umbrella or candidates
    values = list(dict.fromkeys(c.value for c in candidates))
    if len(values) == 1:
        return candidates[0], None
    zh, en = NARRATIVE_METRICS[key][0], key
    if key == "published_new_media" and len({c.channel for c in candidates}) > 1:
        return None, (f"{zh}：各新媒体渠道分别给出数字（{_values_text(values)}），不相加，未记录 / "
                      f"{en}: separate numbers per new-media channel ({', '.join(map(str, values))}); "
                      f"not added up, not recorded")
    return None, (f"{zh}：文中给出不同数字（{_values_text(values)}），未记录 / "
                  f"{en}: the text states conflicting numbers ({', '.join(map(str, values))}); not recorded")


def _rejection_warning(key: str, rejected: list[_Rejection]) -> str:
    reasons = list(dict.fromkeys(r.reason for r in rejected))
    values = list(dict.fromkeys(r.value for r in rejected))
    zh = "；".join(_REJECTION_TEXT[r][0] for r in reasons)
    en = "; ".join(_REJECTION_TEXT[r][1] for r in reasons)
    return (f"{NARRATIVE_METRICS[key][0]}：{zh}（{_values_text(values)}），未记录 / "
            f"{key}: {en} ({', '.join(map(str, values))}); not recorded")


def extract_narrative(text: str, report_year: int | None = None) -> NarrativeResult:
    """Publication counts the report's narrative states for its own year and scope."""
    prepared = _normalise(text)
    ctx = _report_context(prepared.norm, report_year)
    candidates, rejections = _collect(prepared, ctx)
    metrics: list[NarrativeMetric] = []
    warnings: list[str] = []
    for key in NARRATIVE_KEYS:
        own = [c for c in candidates if c.key == key]
        if not own:
            rejected = [r for r in rejections if r.key == key]
            if rejected:
                warnings.append(_rejection_warning(key, rejected))
            continue
        chosen, warning = _choose(key, own)
        if warning:
            warnings.append(warning)
        if chosen:
            sentence = prepared.original_span(*chosen.sentence)
            metrics.append(NarrativeMetric(key, chosen.value, chosen.approximate, sentence))
    return NarrativeResult(tuple(metrics), tuple(warnings))
