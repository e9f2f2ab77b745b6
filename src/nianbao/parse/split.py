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


def _cuts(piece: str, parts: int) -> Iterator[list[str]]:
    """All ways to cut one piece into ``parts`` numbers without leading zeros."""
    sign = piece[0] if piece[0] in "+-" else ""
    body = piece[len(sign):]
    n = len(body)
    for positions in _positions(n, parts - 1):
        bounds = (0, *positions, n)
        chunks = [body[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        if all(_is_number(c) for c in chunks):
            chunks[0] = sign + chunks[0]
            yield chunks


def _positions(n: int, k: int, start: int = 1) -> Iterator[tuple[int, ...]]:
    if k == 0:
        yield ()
        return
    for p in range(start, n - k + 1):
        for rest in _positions(n, k - 1, p + 1):
            yield (p, *rest)


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
