"""A first-character look-ahead in front of a big alternation.

Python's regex engine skips ahead only when every alternative starts with a plain literal;
an alternative that opens with a group or an optional numbering ("(?:\\(一\\)|一、)?…") makes it try
all alternatives at every position of the text. ``(?=[first characters])`` in front lets it
reject most positions with one character test. The set is read off the parsed pattern, so it
holds every character a match can start with: the matches are exactly those without it.
"""

from __future__ import annotations

import re
from re import _constants as C  # noqa: N812 - the engine's own opcode names
from re import _parser

_CATEGORY = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
             C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W"}
_ZERO_WIDTH = (C.ASSERT, C.ASSERT_NOT, C.AT)
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


class _Unknown(Exception):
    """A construct whose first characters are not worked out here: no look-ahead then."""


def with_prefilter(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled with a look-ahead on its possible first characters (none when the
    pattern can match the empty string or uses a construct not understood here)."""
    plain = re.compile(pattern, flags)
    if flags & re.VERBOSE or plain.flags & ~flags & ~re.UNICODE:
        return plain  # comments or inline global flags would not survive the wrapping
    try:
        items, nullable = _first(list(_parser.parse(pattern, flags)))
    except _Unknown:
        return plain
    if nullable or not items:
        return plain
    return re.compile(f"(?=[{''.join(sorted(items))}])(?:{pattern})", flags)


def _first(seq: list) -> tuple[set[str], bool]:
    """(class items a match of ``seq`` can start with, whether ``seq`` can match nothing)."""
    out: set[str] = set()
    for op, av in seq:
        if op is C.LITERAL:
            out.add(_escape(av))
            return out, False
        if op is C.IN:
            out |= _class_items(av)
            return out, False
        if op in _ZERO_WIDTH:
            continue  # a superset either way: the look-around is still checked by the pattern
        if op is C.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Unknown
            items, nullable = _first(list(sub))
        elif op is C.ATOMIC_GROUP:
            items, nullable = _first(list(av))
        elif op is C.BRANCH:
            items, nullable = set(), False
            for alt in av[1]:
                alt_items, alt_nullable = _first(list(alt))
                items |= alt_items
                nullable = nullable or alt_nullable
        elif op in _REPEATS:
            low, _, sub = av
            items, nullable = _first(list(sub))
            nullable = nullable or low == 0
        else:
            raise _Unknown
        out |= items
        if not nullable:
            return out, False
    return out, True


def _class_items(av: list) -> set[str]:
    items = set()
    for op, arg in av:
        if op is C.LITERAL:
            items.add(_escape(arg))
        elif op is C.RANGE:
            items.add(f"{_escape(arg[0])}-{_escape(arg[1])}")
        elif op is C.CATEGORY and arg in _CATEGORY:
            items.add(_CATEGORY[arg])
        else:
            raise _Unknown  # a negated class or an unusual category
    return items


def _escape(code: int) -> str:
    ch = chr(code)
    return "\\" + ch if ch in "\\]^-[" else ch
