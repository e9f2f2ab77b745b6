"""The parse-speed rewrites (issue #16) read exactly what the straightforward versions read:
each fast path is checked against the plain formulation it replaced, on many random inputs."""

from __future__ import annotations

import random
import re
import unicodedata
from itertools import combinations

import pytest

from nianbao.form import FORMS, labels
from nianbao.parse import narrative, split
from nianbao.parse.prefilter import with_prefilter
from nianbao.parse.stream import CELL, ROW, flatten
from nianbao.parse.tables import _heading_regex, _matcher
from nianbao.read.document import Cell, Document, Paragraph, Place, TableBlock

_ALPHABET = list("0123456789.、．,， \n\t\u3000\u00a0年报条件场次约近余多第一二三四五六七八九十百千万亿（）()“”'"
                 "ab申请人情况本年新收其他行政复议总计结转\ue000\ue001０５")


def _texts(seed: int, n: int, longest: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, longest))) for _ in range(n)]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(text)]


@pytest.mark.parametrize("key", ["active", "applications", "review_litigation"])
def test_label_lookahead_finds_what_the_plain_alternation_finds(key: str) -> None:
    fast = _matcher(key).pattern
    assert fast.pattern.startswith("(?=[")  # the look-ahead is there, or this test checks nothing
    plain = re.compile(fast.pattern[fast.pattern.index("])(?:") + 5:-1])
    labels_text = "".join(r.zh for r in FORMS["2021"].table(key).rows)
    for text in [*_texts(1, 300, 60), labels_text, "(一)" + labels_text, "1." + labels_text]:
        assert _spans(fast, text) == _spans(plain, text), text


def test_count_and_heading_lookaheads_match_the_plain_patterns() -> None:
    for fast in (narrative._COUNT, _heading_regex()):
        plain = re.compile(fast.pattern[fast.pattern.index("])(?:") + 5:-1])
        for text in _texts(2, 2000, 40) + ["约35条", "二、主动公开政府信息情况", "三十五场", "7700余条左右"]:
            assert _spans(fast, text) == _spans(plain, text), text


def test_prefilter_covers_optional_prefixes_and_refuses_what_it_cannot_bound() -> None:
    fast = with_prefilter(r"(?:\(一\)|一、)?行政|\d+件|x?")  # can match empty: no look-ahead
    assert not fast.pattern.startswith("(?=")
    fast = with_prefilter(r"(?P<a>(?:\(一\)|一、)?行政)|(?P<b>[^a]b)")  # a negated class: none either
    assert not fast.pattern.startswith("(?=")
    fast = with_prefilter(r"(?P<a>(?:\(一\)|一、)?行政)|(?P<b>\d+件)")
    assert fast.pattern.startswith("(?=")
    assert [m.group() for m in fast.finditer("(一)行政 一、行政 行政 35件")] == ["(一)行政", "一、行政", "行政", "35件"]


def _cuts_by_every_position(piece: str, parts: int) -> list[list[str]]:
    """The enumeration the memoised version replaced: every cut, then the leading-zero filter."""
    sign = piece[0] if piece[0] in "+-" else ""
    body = piece[len(sign):]
    out = []
    for cut in combinations(range(1, len(body)), parts - 1):
        bounds = (0, *cut, len(body))
        chunks = [body[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        if all(split._is_number(c) for c in chunks):
            out.append([sign + chunks[0], *chunks[1:]])
    return out


def test_cuts_are_every_valid_cut_in_the_same_order() -> None:
    rng = random.Random(5)
    pieces = ["801000081", "0000", "1000", "10.50", "-2648", "0.5", "100200300400"]
    pieces += ["".join(rng.choice("00123456789.") for _ in range(rng.randint(1, 11))).strip(".") or "7"
               for _ in range(600)]
    for piece in pieces:
        for parts in range(1, len(piece.lstrip("+-")) + 1):
            assert split._cuts(piece, parts) == _cuts_by_every_position(piece, parts), (piece, parts)


def _normalise_run_by_run(text: str) -> str:
    """The narrative whitespace rule decided one run at a time, as before the two-pass version."""
    def keep(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        kept = (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
                and not (before.isdigit() and after.isdigit() and "\n" in m.group()))
        return " " if kept else ""

    text = text.translate(narrative._FULLWIDTH_DIGITS)
    return re.sub(r"\s+", keep, text)


def _segment_map(text: str) -> list[int]:
    """The original index of every normalised character, segment by segment as before the
    run map (a kept run is one space at the run's start, a dropped run nothing)."""
    out: list[int] = []
    pos = 0
    for m in re.finditer(r"\s+", text):
        out.extend(range(pos, m.start()))
        if narrative._KEPT_SPACE.match(text, m.start()):
            out.append(m.start())
        pos = m.end()
    return out + list(range(pos, len(text)))


def test_narrative_normalisation_and_its_map_back() -> None:
    texts = _texts(3, 3000, 30) + ["ab 12\n34 5 6 x\t\ty", "共 35 条。2023年 \n 发布", "\ue001a b", "  a  b  "]
    for text in texts:
        prepared = narrative._normalise(text)
        assert prepared.norm == _normalise_run_by_run(text), repr(text)
        want = _segment_map(prepared.original)
        assert [prepared._to_original(pos) for pos in range(len(prepared.norm))] == want, repr(text)
        assert all(prepared.original[want[pos]] == ch for pos, ch in enumerate(prepared.norm) if ch != " ")


def test_normalize_text_matches_the_lookbehind_first_patterns() -> None:
    han = labels._HAN + labels._CJK_PUNCT
    near_han = re.compile(rf"(?<=[{han}])\s+|\s+(?=[{han}])")
    numbering = re.compile(r"(?<![\d.])(\d)\s*[、．.]")
    quotes = str.maketrans({"“": '"', "”": '"', "‘": '"', "’": '"', "「": '"', "」": '"', "'": '"'})
    for text in _texts(4, 5000, 20):
        old = unicodedata.normalize("NFKC", text).translate(quotes).replace("\u00a0", " ")
        old = near_han.sub("", numbering.sub(r"\1.", old))
        assert labels.normalize_text(text) == old, repr(text)


def test_flatten_keeps_every_cell_at_its_offsets_with_empty_rows() -> None:
    p = Place(line=1)
    doc = Document([Paragraph("一、总体情况", p),
                    TableBlock(((Cell("信息内容", p), Cell("", p), Cell("12 件", p)), (), (Cell("x\ny", p),)), p),
                    Paragraph("结束", p)], "txt")
    stream = flatten(doc)
    assert stream.text == f"一、总体情况{ROW}信息内容{CELL}{CELL}12件{ROW}{ROW}x y{ROW}结束{ROW}"
    assert [stream.text[c.start:c.end] for c in stream.cells] == ["一、总体情况", "信息内容", "", "12件", "x y", "结束"]
    assert [c.last_in_row for c in stream.cells] == [True, False, False, True, True, True]
    assert all(stream.text[c.row_end] == ROW for c in stream.cells)
