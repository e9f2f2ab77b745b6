"""Tables 二, 三 and 四 read from a flattened document by matching the form's labels."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from itertools import product
from math import prod

from nianbao.form import FORMS, SECTIONS, Row, Table
from nianbao.form.labels import normalize_text
from nianbao.parse import align
from nianbao.parse.model import Fact, TableResult, Value
from nianbao.parse.prefilter import with_prefilter
from nianbao.parse.split import candidate_splits
from nianbao.parse.stream import CELL, ROW, Stream
from nianbao.parse.values import NA_MARKS, NUMBER, number_value, parse_value

_CN_NUM = "一二三四五六七八九十"


def label_regex(label: str) -> str:
    """A normalised label as a pattern tolerant of 、/，/, and of missing quotes."""
    out = []
    for ch in normalize_text(label):
        if ch in "、,，":
            out.append("[、,，]?")
        elif ch == '"':
            out.append('"?')
        elif ch.isspace():
            continue
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _prefix_regex(prefix: str) -> str:
    """Numbering as printed or varied: （一）/ 一、/ 一. and 1. / 1、"""
    core = prefix.strip("()（）、.,")
    if not core:
        return ""
    if core in _CN_NUM or all(c in _CN_NUM for c in core):
        return rf"(?:\({core}\)|{core}[、,.])?"
    return rf"(?:{re.escape(core)}[.、,])?"


_PAREN = r"(?:\([^()]{0,40}\))?"
_LEADING_NUMBER = re.compile(r"^(\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+\.)")


def _split_prefix(label: str) -> tuple[str, str]:
    m = _LEADING_NUMBER.match(label)
    return (m.group(1), label[m.end():]) if m else ("", label)


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    rows: dict[str, Row]  # group name -> row


@cache
def _matcher(table_key: str) -> _Matcher:
    """One alternation over both forms' labels of a table: rows, merged group labels, headers."""
    alts: list[tuple[int, str, str]] = []
    rows: dict[str, Row] = {}
    seen: set[str] = set()
    for version in ("2021", "2019"):
        for row in FORMS[version].table(table_key).rows:
            for i, label in enumerate(row.labels):
                name = f"r_{version}_{row.key}_{i}"
                body = label_regex(label)
                if ("r", body) in seen:
                    continue
                seen.add(("r", body))
                rows[name] = row
                alts.append((len(label), name, _prefix_regex(row.prefix) + body + _PAREN))
    for version in ("2021", "2019"):  # after all rows: words that are a row label anywhere stay rows
        table = FORMS[version].table(table_key)
        others = [*table.group_labels, *table.header_labels]
        for i, label in enumerate(others):
            prefix, core = _split_prefix(label)
            body = label_regex(core)
            if body in seen or ("r", body) in seen:
                continue  # the same words are a row label elsewhere; the row pattern covers them
            seen.add(body)
            alts.append((len(core), f"h_{version}_{i}", _prefix_regex(prefix) + body + _PAREN))
    if table_key == "active":
        alts.append((12, "h_caption", r"第二十条第\([一二三四五六七八九十]+\)项"))
    alts.sort(key=lambda a: -a[0])
    pattern = "|".join(f"(?P<{name}>{body})" for _, name, body in alts)
    return _Matcher(with_prefilter(pattern), rows)


@cache
def _heading_regex() -> re.Pattern[str]:
    alts = []
    for s in SECTIONS:
        titles = "|".join(label_regex(t) for t in sorted((s.zh, *s.variants), key=len, reverse=True))
        alts.append(rf"(?P<s{_CN_NUM.index(s.number)}>(?:{s.number}[、,.]|\({s.number}\))(?:{titles}))")
    return with_prefilter("|".join(alts))


def find_headings(text: str) -> dict[str, re.Match[str]]:
    """First heading of each section 一…六, in order: each found after the one before."""
    found: dict[str, re.Match[str]] = {}
    last = 0
    for m in _heading_regex().finditer(text):
        number = _CN_NUM[int(m.lastgroup[1:])]
        if number in found or m.start() < last:
            continue
        # a later section found first (e.g. 四 quoted in the intro) must not hide earlier ones
        found[number] = m
        last = m.end()
    return found


def find_headings_aligned(text: str) -> tuple[dict[str, re.Match[str]], list[str]]:
    """Headings by their declared wordings, then the missing ones by alignment (one or two
    characters off, in the expected place), each of the latter with a warning."""
    found = find_headings(text)
    if len(found) == len(SECTIONS):
        return found, []
    titles = {s.number: (s.zh, *s.variants) for s in SECTIONS}
    extra = align.align_headings(text, found, titles)
    warnings = [f"第{n}部分标题“{m.group().strip()}”与格式措辞不完全一致，按编号和位置认定 / "
                f"section {n}: heading '{m.group().strip()}' read by its number and place"
                for n, m in sorted(extra.items(), key=lambda kv: kv[1].start())]
    found.update(extra)
    return found, warnings


_ANCHORS = {
    "active": re.compile(r"第二十条第\(一\)项"),
    "applications": re.compile(r"本列数据的勾稽关系|申请人情况|本年新收政府信息公开申请"),
    "review_litigation": re.compile(r"未经复议直接起诉|复议后起诉"),
}


# A region only holds a standard table when the table's own wording is there, so that a
# pre-2019 narrative mentioning 行政许可 never turns into numbers.
_PRESENT = {
    "active": re.compile("第二十条|" + "|".join(
        re.escape(normalize_text(m)) for f in FORMS.values() for m in f.markers[:4])),
    "applications": re.compile(r"本年新收|勾稽关系|上年结转政府信息公开申请"),
    "review_litigation": re.compile(r"复议后起诉|未经复议"),
}


def table_regions(stream: Stream, heads: dict[str, re.Match[str]]) -> dict[str, tuple[int, int]]:
    """Where each table's text lies: from its section heading (or its own anchor) to the next."""
    text = stream.text
    starts: dict[str, int] = {}
    for key, number in (("active", "二"), ("applications", "三"), ("review_litigation", "四")):
        anchor = _ANCHORS[key].search(text)
        h = heads.get(number)
        candidates = [p for p in ((h.start() if h else None), (anchor.start() if anchor else None))
                      if p is not None]
        if key == "review_litigation" and anchor and h is None:
            # the anchor sits inside the header; the region starts at the header's first label
            back = text.rfind("行政复议", 0, anchor.start())
            candidates = [back if back >= 0 else anchor.start()]
        if candidates:
            starts[key] = min(candidates) if h is None or anchor is None else h.start()
    ends_at = heads["五"].start() if "五" in heads else len(text)
    regions: dict[str, tuple[int, int]] = {}
    ordered = sorted(starts.items(), key=lambda kv: kv[1])
    for i, (key, start) in enumerate(ordered):
        end = ordered[i + 1][1] if i + 1 < len(ordered) else max(ends_at, start)
        if end <= start:
            end = len(text)
        regions[key] = (start, end)
    return regions


def detect_version(table_key: str, region_text: str) -> str | None:
    """Form version of one table from its labels (format-spec §3.4), None if undecidable."""
    if table_key == "review_litigation":
        return "2021"  # identical in both forms
    if table_key == "applications":
        return "2021" if re.search(r"逾期不补正|逾期未按收费通知", region_text) else "2019"
    hits = {v: sum(region_text.count(normalize_text(m)) for m in FORMS[v].markers) for v in FORMS}
    if hits["2019"] == hits["2021"]:
        return None
    return max(hits, key=hits.get)


# --- tokens ------------------------------------------------------------------------------

@dataclass
class _Token:
    raw: str
    value: Value
    offset: int
    cut: bool = False  # its digits ended where the next label's numbering or a year was glued on


_TOKEN = re.compile(r"\S+")


def collect_values(stream: Stream, start: int, bound: int) -> list[_Token]:
    """Values printed after a label: the rest of its cell, then whole cells, until text."""
    text = stream.text
    first = stream.cell_at(start)
    if not first.last_in_row:
        bound = min(bound, first.row_end)
    pieces = _SEPARATORS.split(text[start:bound])
    ends_on_boundary = bound >= len(text) or text[bound] in (CELL, ROW)
    tokens: list[_Token] = []
    offset = start
    for i, piece in enumerate(pieces):
        whole_cell = i > 0 and (i < len(pieces) - 1 or ends_on_boundary)
        if not piece.strip():
            if whole_cell:
                tokens.append(_Token(piece, Value("blank", raw=piece), offset))
        else:
            if whole_cell and i == len(pieces) - 1 and first.last_in_row is False \
                    and _PROSE_START.match(piece.lstrip()):
                # the row's last cell printed nothing before the next paragraph ran into it
                tokens.append(_Token("", Value("blank", raw=""), offset))
                break
            scanned = _scan_piece(piece, offset, tokens, i == 0)
            if scanned == _GLUED:
                return []  # a sentence that mentions the label, not a table row
            if not scanned:
                break
        offset += len(piece) + 1
    return tokens


_SEPARATORS = re.compile(f"[{CELL}{ROW}]")


_GLUED = "glued"
# What follows a count in a sentence ("行政许可35件，…", "行政处罚12起"): a measure word or the
# clause's punctuation. Other text glued to a row's only number ("行政事业性收费0注:本表…") is a
# paragraph that ran into the row.
_COUNTED = re.compile(r"[件项个次条宗起份人家批余多,，、。;；:：]")


# Where a row's values end and other text begins although no space is left between them:
# a year opening a sentence ("2024年，本机关…") and the numbering of the next label or
# paragraph ("2.其他…", "(二)依申请公开…", "五、…"; "2." alone where a label's words begin).
# A note under the table ("注:本表数据截至…") opens prose the same way.
_SENTENCE_OPENER = re.compile(r"(?:19|20)\d\d年|(?:备注|注|说明)[:：]")
_NEXT_LABEL = re.compile(r"[1-9]\d?\.(?=[\u4e00-\u9fff]|$)|\([一二三四五六七八九十]{1,3}\)"
                         r"|[一二三四五六七八九十]{1,3}、")
_PROSE_START = re.compile(f"{_SENTENCE_OPENER.pattern}|{_NEXT_LABEL.pattern}")


def _scan_piece(piece: str, offset: int, tokens: list[_Token], label_cell: bool) -> bool | str:
    """Append the values in a piece of text; False at the first word that is not a value, and
    ``_GLUED`` when a sentence runs straight on from the label's only number ("行政许可35件，行政处罚…"
    is prose). Text glued to a later number, or to a number in a cell of its own, is prose
    that ran into the row: the values end there."""
    for m in _TOKEN.finditer(piece):
        word = m.group()
        if word in NA_MARKS:
            tokens.append(_Token(word, Value("na", raw=word), offset + m.start()))
            continue
        if word.isascii() and word.isdigit():  # most cells: one plain count, read as NUMBER reads it
            tokens.append(_Token(word, _plain_count(word), offset + m.start()))
            continue
        pos = 0
        while pos < len(word):
            if _PROSE_START.match(word, pos):
                return False  # prose or the next label starts here: the row's values end
            n = NUMBER.match(word, pos)
            if not n:
                glued = pos and label_cell and len(tokens) == 1 and _COUNTED.match(word, pos)
                return _GLUED if glued else False
            opener = _glued_opener(word, n)
            if opener:  # the number's last digits open the next label or sentence: the values end there
                run = n.group()[:-opener]
                tokens.append(_Token(run, number_value(NUMBER.match(run), run), offset + m.start() + pos, cut=True))
                return False
            tokens.append(_Token(n.group(), number_value(n, n.group()), offset + m.start() + pos))
            pos = n.end()
    return True


# Numberings the form's rows print ("1." … "8."): the only ones a glued label can open with.
_NUMBERINGS = frozenset(r.prefix.rstrip(".") for f in FORMS.values() for t in f.tables for r in t.rows
                        if r.prefix[:-1].isdigit() and r.prefix.endswith("."))
_AFTER_NUMBERING = re.compile(r"\.(?:[\u4e00-\u9fff]|$)")  # as _NEXT_LABEL: the label's words or its bound
_YEAR = re.compile(r"(?:19|20)\d\d")


def _glued_opener(word: str, n: re.Match[str]) -> int:
    """How many of a number's last digits belong to what follows it when no space is left:
    the numbering of the next label ("10000012.没有现成…" is the row's 1000001, then "2.没有…")
    or a year opening a sentence ("…00022000002019年，本机关…", "0.002024年，…"). Only where the
    digits cannot all be the number: a number never goes on with ".汉字" or 年. 0 when nothing
    is glued, or when which digits are the numbering is not decided (a row's numbering has one
    or two digits; two possible ones decide nothing). A run that is itself a numbering ("2.其他")
    is a label already (``_NEXT_LABEL``)."""
    if n.group(4) or not n.group(2).isdigit():
        return 0  # a unit or thousands separators: the number ended as printed
    digits, decimals, end = n.group(2), n.group(3) or "", n.end()
    if word.startswith("年", end):
        whole = digits + decimals
        rest = whole[:-4]
        if len(whole) > 4 and _YEAR.fullmatch(whole[-4:]) and rest[-1] != "." and (decimals or len(digits) > 4):
            return 4
        return 0
    if not decimals and _AFTER_NUMBERING.match(word, end):
        cuts = [k for k in (1, 2) if len(digits) > k and digits[-k:] in _NUMBERINGS]
        return cuts[0] if len(cuts) == 1 else 0
    return 0


@lru_cache(maxsize=4096)  # a Value is frozen; the same counts recur across a report's cells
def _plain_count(digits: str) -> Value:
    """What ``number_value`` makes of a word of ASCII digits alone (no sign, separator or unit):
    no opener or label numbering can start there (they need 年 or a dot), NUMBER takes it all."""
    return number_value(NUMBER.match(digits), digits)


# --- rows ------------------------------------------------------------------------------

@dataclass
class _RowRead:
    row: Row
    tokens: list[_Token]
    values: list[Value] | None = None  # None until resolved
    candidates: list[list[str]] = field(default_factory=list)
    reason: str = ""  # why it is unresolved: count | ambiguous | unsplittable | arithmetic | label
    decided_by: str = ""  # a split chosen among several by arithmetic: "row" (its sum) | "table"
    start: int = 0  # where its label starts in the stream
    end: int = 0  # where its last value ends


def _fit(read: _RowRead, width: int) -> None:
    """Decide a row whose token count differs from the form's column count."""
    toks = read.tokens
    while len(toks) > width and toks[-1].value.kind == "blank":
        toks = toks[:-1]
    if len(toks) == width:
        read.values = [t.value for t in toks]
        return
    if toks and len(toks) < width and all(t.value.kind == "number" and t.value.unit is None for t in toks[:-1]) \
            and toks[-1].value.kind == "number":
        unit = toks[-1].value.unit or ""
        runs = [t.raw for t in toks[:-1]] + [toks[-1].raw.strip().removesuffix(unit).strip()]
        found = candidate_splits(runs, width)
        if found is None:
            read.reason = "ambiguous"
            return
        read.candidates = [c[:-1] + [c[-1] + unit] for c in found]
        read.reason = "ambiguous" if len(found) > 1 else "unsplittable"
    else:
        read.reason = "count"


def read_table(stream: Stream, table_key: str, region: tuple[int, int]) -> tuple[TableResult, list[Fact], list[str]]:
    """Facts of one table inside its region, with the rows that could not be read exactly."""
    text = stream.text[region[0]:region[1]]
    if not _PRESENT[table_key].search(text):
        return TableResult(table_key, None, found=False), [], []
    version = detect_version(table_key, text)
    warnings: list[str] = []
    if version is None:
        version = "2021"
        warnings.append(f"表{_table_no(table_key)}格式无法判断，按2021格式读取 / "
                        f"table {table_key}: form version unclear, read as 2021")
    table = FORMS[version].table(table_key)
    matcher = _matcher(table_key)
    matches = [m for m in matcher.pattern.finditer(stream.text, region[0], region[1])]
    if table_key == "review_litigation":
        reads = _review_rows(stream, table, matches, region)
    else:
        reads = _labelled_rows(stream, table, matcher, matches, region)
        _align_unmatched(stream, table, reads, region, warnings)
    _resolve(table_key, table, reads)
    facts: list[Fact] = []
    # the table's own wording is there: it is found, even when none of its rows could be read
    result = TableResult(table_key, version, found=True)
    if not reads:
        result.unreadable_rows = [r.key for r in table.rows]
        warnings.append(f"表{_table_no(table_key)}的表头已找到，但没有一行能准确读取 / "
                        f"table {table_key}: header found but no row could be read")
        return result, [], warnings
    for read in reads.values():
        if read.values is None:
            result.unreadable_rows.append(read.row.key)
            if table_key == "active" and read.reason == "ambiguous" and len(read.candidates) > 1:
                result.split_candidates[read.row.key] = read.candidates
            warnings.append(_unreadable_message(table_key, read))
            continue
        split = len(read.tokens) != len(read.values)
        cut = split and any(t.cut for t in read.tokens)  # a split row's cells all come from its runs
        for i, (col, value) in enumerate(zip(read.row.cols, read.values, strict=True)):
            token = read.tokens[0 if split else i]
            place = stream.place_text_at(token.offset) + (_DECIDED.get(read.decided_by, _SPLIT) if split else "")
            facts.append(Fact(table_key, read.row.key, col, value,
                              place + (_CUT if cut or token.cut else "")))
    result.missing_rows = [r.key for r in table.rows if r.key not in reads]
    return result, facts, warnings


_SPLIT = "（由连写数字拆分 / split from run-together digits）"
_DECIDED = {
    "row": "（由连写数字拆分：本行合计只有这一种拆分成立 / split from run-together digits: the only split "
           "its row total allows）",
    "table": "（由连写数字拆分：全表勾稽关系只有这一种拆分成立 / split from run-together digits: the only "
             "split that fits the whole table's arithmetic）",
}


# "（由…": a recovered value, as every other one says (store.cross_year never builds on it)
_CUT = ("（由连写文字断开：数字后紧接下一行的编号或年份 / cut from glued text: the next label's numbering "
        "or a year ran into the digits）")


def _table_no(table_key: str) -> str:
    return {"active": "二", "applications": "三", "review_litigation": "四"}[table_key]


def _unreadable_message(table_key: str, read: _RowRead) -> str:
    raw = " ".join(t.raw for t in read.tokens) or "（无）"
    why_zh, why_en = {
        "ambiguous": ("连写数字有多种拆分，无法唯一确定", "run-together digits split several ways"),
        "arithmetic": ("没有符合表格勾稽关系的拆分", "no split fits the table's arithmetic"),
        "unsplittable": ("连写数字无法拆成所需单元格数", "digits cannot make the cells needed"),
        "label": ("印出的行名无法唯一对应表格中的行", "the printed label matches no single row"),
    }.get(read.reason, ("单元格数量与表格不符", "cell count does not match the form"))
    return (f"表{_table_no(table_key)}“{read.row.zh}”行无法准确读取（{raw}：{why_zh}） / "
            f"table {table_key} row {read.row.key} unreadable ({raw}: {why_en})")


def _labelled_rows(stream: Stream, table: Table, matcher: _Matcher, matches: list[re.Match[str]],
                   region: tuple[int, int]) -> dict[str, _RowRead]:
    reads: dict[str, _RowRead] = {}
    valid = {r.key for r in table.rows}
    for i, m in enumerate(matches):
        name = m.lastgroup
        row = matcher.rows.get(name)
        if row is None or row.key not in valid:
            continue
        row = table.row(row.key)
        bound = matches[i + 1].start() if i + 1 < len(matches) else region[1]
        tokens = collect_values(stream, m.end(), bound)
        if not tokens or all(t.value.kind == "blank" for t in tokens) and not _same_row(stream, m):
            continue  # a header or group label that happens to read like a row
        read = _RowRead(row, tokens, start=m.start(), end=_end_of(tokens, m.end()))
        _fit(read, len(row.cols))
        # The first printing that fits the form wins; a column header with the same words
        # ("其他", "总计") or a repeated header after a page break does not fit and gives way.
        if row.key not in reads or (not _fits(reads[row.key]) and _fits(read)):
            reads[row.key] = read
    return reads


def _end_of(tokens: list[_Token], default: int) -> int:
    return tokens[-1].offset + len(tokens[-1].raw) if tokens else default


def _align_unmatched(stream: Stream, table: Table, reads: dict[str, _RowRead], region: tuple[int, int],
                     warnings: list[str]) -> None:
    """Rows whose printed label no wording matched, found by aligning the labels printed between
    the rows read with the rows the form has there (:mod:`nianbao.parse.align`)."""
    order = {r.key: i for i, r in enumerate(table.rows)}
    anchors = sorted((r for r in reads.values() if _fits(r)), key=lambda r: r.start)
    gaps, lo, before = [], region[0], -1
    for r in anchors:
        gaps.append((lo, r.start, before, order[r.row.key]))
        lo, before = r.end, order[r.row.key]
    gaps.append((lo, region[1], before, len(table.rows)))
    claims: dict[str, list[tuple[str, _RowRead, bool]]] = {}
    for lo, hi, a, b in gaps:
        window = [r for r in table.rows[a + 1:b] if r.key not in reads]
        if not window or hi <= lo:
            continue
        cands = align.candidates(stream.text, lo, hi)
        joined: align.Candidate | None = None
        for k, cand in enumerate(cands):
            label, start = cand.label, cand.start
            if joined is not None:
                label, start, joined = joined.label + cand.label, joined.start, None
            tokens = collect_values(stream, cand.end, hi)
            if not tokens or all(t.value.kind == "blank" for t in tokens):
                nxt = cands[k + 1] if k + 1 < len(cands) else None
                if nxt is not None and _continues(label, nxt.label, window):
                    joined = align.Candidate(start, cand.end, label)  # the label goes on in the next row
                    continue
                if stream.cell_at(cand.end).last_in_row:
                    continue
            rows = align.closest_rows(label, window)
            if not rows:
                continue
            for row in rows:
                read = _RowRead(row, tokens, start=start, end=_end_of(tokens, cand.end))
                _fit(read, len(row.cols))
                claims.setdefault(row.key, []).append((label, read, len(rows) == 1))
    for key, found in claims.items():
        label, read, unique = found[0]
        if len(found) == 1 and unique:
            reads[key] = read
            warnings.append(f"表{_table_no(table.key)}印出的行名“{label}”按表格顺序读作“{read.row.zh}”行 / "
                            f"table {table.key}: printed label '{label}' read as row {key}")
        else:
            reads[key] = _RowRead(read.row, read.tokens, reason="label", start=read.start, end=read.end)


def _continues(label: str, rest: str, window: list[Row]) -> bool:
    """A label wrapped over two printed rows ("2.没有现成信息需要另行制" over blank cells, then "作"
    over the values): its first part is only a fragment when joining the next printed label
    brings it closer to a row it may be. The fragment's blank cells are not that row's values."""
    joined = _nearest(label + rest, window)
    return joined is not None and (_nearest(label, window) or 99) > joined


def _nearest(label: str, window: list[Row]) -> int | None:
    found = [d for r in window if (d := align.distance(label, r)) is not None]
    return min(found) if found else None


def _fits(read: _RowRead) -> bool:
    return read.values is not None or bool(read.candidates)


def _same_row(stream: Stream, m: re.Match[str]) -> bool:
    return not stream.cell_at(m.end()).last_in_row


def _review_rows(stream: Stream, table: Table, matches: list[re.Match[str]],
                 region: tuple[int, int]) -> dict[str, _RowRead]:
    """Table 四 prints one row of 15 values under a three-level header (or three sub-tables)."""
    tokens: list[_Token] = []
    for i, m in enumerate(matches):
        found = collect_values(stream, m.end(), _value_bound(stream, m, matches[i + 1:], region))
        if any(t.value.kind != "blank" for t in found):
            tokens.extend(found)
    width = sum(len(r.cols) for r in table.rows)
    if not tokens and matches:
        tokens = _blank_row_after(stream, matches[-1].end(), width, region[1])
    if not tokens:
        return {}
    whole = _RowRead(Row("all", "行政复议、行政诉讼", "review and litigation", ("x",) * width), tokens)
    _fit(whole, width)
    if whole.values is None and len(whole.candidates) > 1:
        whole.decided_by = "table"  # several splits: the group totals decide, or nothing does
        whole.candidates = [c for c in whole.candidates if _groups_add_up(c, len(table.rows))]
        whole.reason = "arithmetic" if not whole.candidates else whole.reason
    if whole.values is None and len(whole.candidates) == 1:
        whole.values = [split_value(x) for x in whole.candidates[0]]
    reads: dict[str, _RowRead] = {}
    for i, row in enumerate(table.rows):
        part = _RowRead(row, tokens if whole.values is None else tokens[i * 5:(i + 1) * 5])
        part.candidates, part.reason, part.decided_by = whole.candidates, whole.reason, whole.decided_by
        if whole.values is not None:
            part.values = whole.values[i * 5:(i + 1) * 5]
            part.tokens = tokens if len(tokens) != width else tokens[i * 5:(i + 1) * 5]
        reads[row.key] = part
    return reads


def _value_bound(stream: Stream, m: re.Match[str], later: list[re.Match[str]],
                 region: tuple[int, int]) -> int:
    """Where the values after header word ``m`` end: at the next header word, or at the start of
    its cell when that is a later cell — what is printed in front of a header's words inside
    their own cell ("—尚未审结", a ruling's end read by OCR) belongs to the header."""
    if not later:
        return region[1]
    cell = stream.cell_at(later[0].start()).start
    return cell if cell > m.end() else later[0].start()


def _blank_row_after(stream: Stream, offset: int, width: int, bound: int) -> list[_Token]:
    """A table printed with every cell blank: the row after its header holds exactly ``width``
    empty cells (an office with no cases leaves 表四 empty). Blank, not 0 and not missing."""
    start = stream.cell_at(offset).row_end + 1
    end = stream.text.find(ROW, start)
    end = bound if end < 0 else min(end, bound)
    cells = stream.text[start:end].split(CELL)
    if cells and _PROSE_START.match(cells[-1].lstrip()):
        cells[-1] = ""  # the next paragraph ran into the last cell, which printed nothing
    if len(cells) != width or any(c.strip() for c in cells):
        return []
    return [_Token("", Value("blank", raw=""), start + i) for i in range(width)]


def _groups_add_up(cells: list[str], groups: int) -> bool:
    nums = [Decimal(c) for c in cells]
    return all(nums[g * 5 + 4] == sum(nums[g * 5:g * 5 + 4]) and min(nums[g * 5:g * 5 + 5]) >= 0
               for g in range(groups))


@lru_cache(maxsize=8192)  # a Value is frozen: every split of a row repeats most of its cells
def split_value(text: str) -> Value:
    return parse_value(text) or Value("na", raw=text)


def _resolve(table_key: str, table: Table, reads: dict[str, _RowRead]) -> None:
    """Settle rows with run-together digits using every constraint of the table at once."""
    pending = [r for r in reads.values() if r.values is None and r.candidates]
    if not pending or table_key == "review_litigation":
        return
    if table_key == "applications":
        # a single possible split needs no arithmetic; several must be told apart by it
        several = [r for r in pending if len(r.candidates) > 1]
        for r in several:
            r.candidates = [c for c in r.candidates if _row_adds_up(c)]
            r.reason = "arithmetic" if not r.candidates else r.reason
            r.decided_by = "row"
        _resolve_columns(table, reads, [r for r in several if r.candidates])
    for r in pending:
        if r.values is None and len(r.candidates) == 1:
            r.values = [split_value(x) for x in r.candidates[0]]


# A split's cells are checked as numbers over and over (each row's candidates, then every
# combination of them); a Decimal is immutable, so one per printed string is enough.
_number = lru_cache(maxsize=8192)(Decimal)


def _row_adds_up(cells: list[str]) -> bool:
    nums = [_number(c) for c in cells]
    return min(nums) >= 0 and nums[6] == sum(nums[:6])


_MAX_COMBINATIONS = 20_000


def _resolve_columns(table: Table, reads: dict[str, _RowRead], ambiguous: list[_RowRead]) -> None:
    """Every combination of the rows' remaining splits against the column identities
    (一+二 = （七）总计 + 四, 总计 = the outcome rows): exactly one must balance. When none
    does (real reports print totals that do not add up) or the columns cannot be checked, a
    row its own sum left with one split keeps it; the others stay unreadable."""
    if not ambiguous or prod(len(r.candidates) for r in ambiguous) > _MAX_COMBINATIONS:
        return
    fixed = {k: [Decimal(v.number) if v.kind == "number" else None for v in r.values]
             for k, r in reads.items() if r.values is not None}
    for r in reads.values():
        if r.values is None and len(r.candidates) == 1 and r not in ambiguous:
            fixed[r.row.key] = [_number(x) for x in r.candidates[0]]
    outcome_rows = [r.key for r in table.rows if r.key not in
                    ("new_received", "carried_over", "total", "carried_forward")]
    need = ["new_received", "carried_over", "total", "carried_forward", *outcome_rows]
    known = set(fixed) | {r.row.key for r in ambiguous}
    if any(k not in known or (k in fixed and None in fixed[k]) for k in need):
        return  # the columns cannot be checked
    good = []
    for combo in product(*(r.candidates for r in ambiguous)):
        values = dict(fixed)
        values.update({r.row.key: [_number(x) for x in c] for r, c in zip(ambiguous, combo, strict=True)})
        if _columns_balance(values, outcome_rows):
            good.append(combo)
            if len(good) > 1:
                return
    if good:  # none balancing says the report's own totals are off, not which split is right
        for r, c in zip(ambiguous, good[0], strict=True):
            r.candidates = [c]
            r.decided_by = "table"


def _columns_balance(values: dict[str, list], outcome_rows: list[str]) -> bool:
    need = ["new_received", "carried_over", "total", "carried_forward", *outcome_rows]
    if any(k not in values or any(v is None for v in values[k]) for k in need):
        return False
    for c in range(7):
        col = {k: values[k][c] for k in need}
        if col["new_received"] + col["carried_over"] != col["total"] + col["carried_forward"]:
            return False
        if col["total"] != sum(col[k] for k in outcome_rows):
            return False
    return True
