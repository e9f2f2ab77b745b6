"""The geometry of a scanned page: straightening it, and the ruling lines of its tables.

Pages are read from the red channel: black print stays dark there while a red seal (公章)
turns as light as the paper, so the seal neither hides digits nor draws lines. Rulings are
found by a morphological opening (dark runs longer than any glyph stroke), turned into the
same edge dicts a PDF's vector paths give, and handed to the PDF reader's grid finder: one
cell-finding for both kinds of page. Coordinates leave this module in PDF points.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from nianbao.read.pdfgeom import Grid, find_grids

_INK = 170  # red-channel level below which a pixel is print
_MAX_SKEW = 2.0  # degrees searched either way when straightening
_H_RUN = 24.0  # points: a horizontal dark run this long is a ruling, never a glyph
_V_RUN = 9.0  # points: vertical rulings between two close rows are short; no CJK stroke is this tall


def page_gray(img: Image.Image) -> np.ndarray:
    """The page as 8-bit gray from its red channel (a red seal disappears)."""
    if img.mode in ("RGB", "RGBA", "P", "CMYK"):
        return np.asarray(img.convert("RGB"))[:, :, 0].copy()
    return np.asarray(img.convert("L")).copy()


def estimate_skew(gray: np.ndarray) -> float:
    """The rotation (degrees, counter-clockwise as PIL rotates) that levels the text lines:
    the angle whose horizontal projection of the ink is most peaked, coarse then fine."""
    small = Image.fromarray(((gray < _INK) * 255).astype(np.uint8))
    factor = max(1, small.width // 500)
    small = small.reduce(factor) if factor > 1 else small

    def peakedness(angle: float) -> float:
        rows = np.asarray(small.rotate(angle, resample=Image.BILINEAR), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, 0.4), key=peakedness)
    fine = max(np.arange(best - 0.3, best + 0.3 + 1e-9, 0.05), key=peakedness)
    return round(float(fine), 2)


def straighten(gray: np.ndarray) -> tuple[np.ndarray, float]:
    angle = estimate_skew(gray)
    if abs(angle) < 0.05:
        return gray, 0.0
    img = Image.fromarray(gray).rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    return np.asarray(img).copy(), angle


def _runs_mask(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels inside a straight dark run of at least ``length`` along ``axis`` (erode, then dilate)."""
    a = ink if axis == 1 else ink.T
    n = a.shape[1]
    if length >= n:
        return np.zeros_like(ink)
    c = np.zeros((a.shape[0], n + 1), dtype=np.int32)
    np.cumsum(a, axis=1, out=c[:, 1:])
    starts = (c[:, length:] - c[:, :-length]) == length  # a full run starts here
    s = np.zeros((a.shape[0], n + 1), dtype=np.int32)
    np.cumsum(np.pad(starts, ((0, 0), (0, length - 1))), axis=1, out=s[:, 1:])
    # pixel p is covered when a run starts in [p - length + 1, p] (clipped at the image's edge)
    p = np.arange(n)
    mask = ((s[:, p + 1] - s[:, np.maximum(0, p - length + 1)]) > 0).astype(a.dtype)
    return mask if axis == 1 else mask.T


def _segments(mask: np.ndarray, horizontal: bool, scale: float) -> list[dict]:
    """Each band of adjacent line pixels as edges along its length, in points."""
    m = mask if horizontal else mask.T
    rows = np.flatnonzero(m.any(axis=1))
    edges: list[dict] = []
    if not rows.size:
        return edges
    bands = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1)
    for band in bands:
        line = m[band[0]:band[-1] + 1].any(axis=0).astype(np.int8)
        d = np.diff(np.concatenate(([0], line, [0])))
        where = (band[0] + band[-1] + 1) / 2 / scale
        for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True):
            pixels = (int(band[0]), int(band[-1]) + 1, int(a), int(b))  # across, then along
            a, b = a / scale, b / scale
            if horizontal:
                edges.append(_edge(a, where, b, where, "h", pixels))
            else:
                edges.append(_edge(where, a, where, b, "v", pixels))
    return edges


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str,
          pixels: tuple[int, int, int, int]) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "line", "pixels": pixels}


def find_rulings(gray: np.ndarray, scale: float) -> tuple[list[Grid], np.ndarray]:
    """The page's ruled tables (in points) and the mask of ruling pixels (to erase before OCR).

    ``scale`` is pixels per point of the image.
    """
    ink = (gray < _INK).astype(np.uint8)
    horizontal = _runs_mask(ink, max(8, int(_H_RUN * scale)), axis=1)
    vertical = _runs_mask(ink, max(6, int(_V_RUN * scale)), axis=0)
    edges = _touching(_segments(horizontal, True, scale), _segments(vertical, False, scale))
    grids = find_grids(edges)
    # Only the rulings kept (those meeting a ruling across them) inside a table are erased: the
    # stem of a large 1 or 4 is as tall as a short vertical ruling but touches no horizontal one.
    kept = np.zeros(gray.shape, dtype=bool)
    for e in edges:
        c0, c1, a, b = e["pixels"]
        if e["orientation"] == "h":
            kept[c0:c1, a:b] = horizontal[c0:c1, a:b]
        else:
            kept[a:b, c0:c1] = vertical[a:b, c0:c1]
    lines = np.zeros(gray.shape, dtype=bool)
    for grid in grids:
        x0, y0, x1, y1 = (int(v * scale) for v in grid.box)
        x0, y0 = max(0, x0 - 4), max(0, y0 - 4)
        lines[y0:y1 + 5, x0:x1 + 5] = kept[y0:y1 + 5, x0:x1 + 5]
    return grids, lines


def _touching(hs: list[dict], vs: list[dict], tol: float = 2.5) -> list[dict]:
    """Rulings that meet a ruling of the other direction. Strokes of a large title are tall
    enough to pass for short verticals, but they never touch a horizontal ruling."""
    def meet(h: dict, v: dict) -> bool:
        return (h["x0"] - tol <= v["x0"] <= h["x1"] + tol) and (v["top"] - tol <= h["top"] <= v["bottom"] + tol)
    vs = [v for v in vs if any(meet(h, v) for h in hs)]
    hs = [h for h in hs if any(meet(h, v) for v in vs)]
    return hs + vs


def erase_lines(gray: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """The page with its rulings (and a pixel round them) painted white, so that a detector
    does not take a cell border for the digit 1 or run a text line through it."""
    grown = lines.copy()
    grown[1:] |= lines[:-1]
    grown[:-1] |= lines[1:]
    grown[:, 1:] |= lines[:, :-1]
    grown[:, :-1] |= lines[:, 1:]
    out = gray.copy()
    out[grown] = 255
    return out
