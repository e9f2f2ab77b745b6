"""Recover cells from runs of digits whose separators were lost.

Crawler text flattens a table row such as 80 | 1 | 0 | 0 | 0 | 0 | 81 into ``801000081``.
Every way of cutting such runs into the expected number of cells is enumerated; the table's
own arithmetic (format-spec §5) then has to leave exactly one, or the row stays unreadable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import product

MAX_CANDIDATES = 50_000
_PIECE = re.compile(r"[+-]?\d+(?:\.\d+)?")


def pieces_of(tokens: list[str]) -> list[str] | None:
    """Split tokens further where a sign starts a new number ("2648-18538" → 2648, -18538)."""
    out: list[str] = []
    for token in tokens:
        found = _PIECE.findall(token)
        if "".join(found) != token.replace(",", ""):
            return None
        out.extend(found)
    return out


def _cuts(piece: str, parts: int) -> list[list[str]]:
    """All ways to cut one piece into ``parts`` numbers without leading zeros, in the order
    of the cut positions (leftmost first)."""
    sign = piece[0] if piece[0] in "+-" else ""
    body = piece[len(sign):]
    return [[sign + chunks[0], *chunks[1:]] for chunks in _tails(body, 0, parts, {})]


def _tails(body: str, start: int, parts: int, memo: dict[tuple[int, int], list[list[str]]]) -> list[list[str]]:
    """Cuts of ``body[start:]`` into ``parts`` numbers: only a valid first chunk is followed
    further, and each (start, parts) is worked out once — a leading zero is its own chunk, so
    the enumeration no longer tries every position to throw most away."""
    key = (start, parts)
    if key in memo:
        return memo[key]
    n = len(body)
    if parts == 1:
        out = [[body[start:]]] if _is_number(body[start:]) else []
    else:
        out = []
        for end in range(start + 1, n - parts + 2):
            chunk = body[start:end]
            if not _is_number(chunk):
                if chunk[0] == "0" and chunk != "0" and "." not in chunk:
                    break  # "0" followed by more digits: no longer chunk is valid either
                continue
            out.extend([chunk, *rest] for rest in _tails(body, end, parts - 1, memo))
    memo[key] = out
    return out


def _is_number(chunk: str) -> bool:
    if not chunk or chunk[0] == "." or chunk[-1] == ".":
        return False
    whole = chunk.split(".")[0]
    return whole == "0" or not whole.startswith("0")


def candidate_splits(tokens: list[str], cells: int) -> list[list[str]] | None:
    """Every way to read ``tokens`` as exactly ``cells`` numbers; None if there are too many."""
    pieces = pieces_of(tokens)
    if pieces is None or len(pieces) > cells:
        return []
    out: list[list[str]] = []
    for counts in _distributions([len(p.lstrip("+-").replace(".", "")) for p in pieces], cells):
        per_piece = [list(_cuts(p, k)) for p, k in zip(pieces, counts, strict=True)]
        for combo in product(*per_piece):
            out.append([c for chunks in combo for c in chunks])
            if len(out) > MAX_CANDIDATES:
                return None
    return out


def _distributions(lengths: list[int], total: int) -> Iterator[tuple[int, ...]]:
    """Ways to give each piece between 1 and len(piece) cells, adding up to ``total``."""
    if not lengths:
        if total == 0:
            yield ()
        return
    first, rest = lengths[0], lengths[1:]
    for k in range(1, min(first, total - len(rest)) + 1):
        for tail in _distributions(rest, total - k):
            yield (k, *tail)
