"""Table rulings of a PDF page, read from its vector paths with pdfium, and the grids they form.

Only visible strokes count: Word and WPS exports fill every text line and cell with an
invisible white rectangle, and taking those as borders would turn whole pages into tables.
The cell finding itself is pdfplumber's (pure geometry, no pdfminer pass over the page).
"""

from __future__ import annotations

import ctypes
from bisect import bisect_left
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

Box = tuple[float, float, float, float]  # x0, top, x1, bottom; top-down page coordinates

_AXIS_TOL = 0.8  # a segment this close to horizontal/vertical counts as a ruling
_THIN = 2.5  # a filled rectangle this thin is a drawn border line
_MIN_EDGE = 3.0
_SNAP = 3.0


@dataclass(frozen=True)
class Grid:
    """One ruled table: cells as (row, col, rowspan, colspan, box), top-left positions only."""

    box: Box
    cells: tuple[tuple[int, int, int, int, Box], ...]
    n_rows: int
    n_cols: int


def _visible(rgba: tuple[int, int, int, int]) -> bool:
    r, g, b, a = rgba
    return a > 0 and min(r, g, b) < 235


def _color(getter, obj) -> tuple[int, int, int, int]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return (0, 0, 0, 255)
    return (r.value, g.value, b.value, a.value)


def _path_points(obj, matrix: pdfium.PdfMatrix) -> list[list[tuple[float, float]]]:
    """The path's subpaths as point lists in page space (closed subpaths repeat their start)."""
    subpaths: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        point = matrix.on_point(x.value, y.value)
        if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "line"}


def _segment_edges(points: list[tuple[float, float]], height: float) -> list[dict]:
    edges = []
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        if abs(ay - by) <= _AXIS_TOL and abs(ax - bx) >= _MIN_EDGE:
            top = height - (ay + by) / 2
            edges.append(_edge(min(ax, bx), top, max(ax, bx), top, "h"))
        elif abs(ax - bx) <= _AXIS_TOL and abs(ay - by) >= _MIN_EDGE:
            x = (ax + bx) / 2
            edges.append(_edge(x, height - max(ay, by), x, height - min(ay, by), "v"))
    return edges


def _bar_edge(points: list[tuple[float, float]], height: float) -> list[dict]:
    """A thin filled rectangle drawn as a border: its centre line."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if y1 - y0 <= _THIN and x1 - x0 >= _MIN_EDGE:
        top = height - (y0 + y1) / 2
        return [_edge(x0, top, x1, top, "h")]
    if x1 - x0 <= _THIN and y1 - y0 >= _MIN_EDGE:
        x = (x0 + x1) / 2
        return [_edge(x, height - y1, x, height - y0, "v")]
    return []


def _path_edges(obj, matrix: pdfium.PdfMatrix, height: float) -> list[dict]:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
    stroked = bool(stroke.value) and _visible(_color(pdfium_c.FPDFPageObj_GetStrokeColor, obj))
    filled = fill_mode.value != 0 and _visible(_color(pdfium_c.FPDFPageObj_GetFillColor, obj))
    if not (stroked or filled):
        return []
    edges: list[dict] = []
    for points in _path_points(obj, matrix):
        if stroked:
            edges.extend(_segment_edges(points, height))
        elif len(points) >= 4:
            edges.extend(_bar_edge(points, height))
    return edges


def page_edges(page: pdfium.PdfPage) -> tuple[list[dict], bool]:
    """Visible ruling edges of a page (top-down coordinates), and whether the page shows images."""
    edges: list[dict] = []
    has_image = _walk_objects(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject,
                              pdfium.PdfMatrix(), page.get_height(), edges, depth=0)
    return edges, has_image


_MAX_FORM_DEPTH = 3  # form XObjects nested deeper than this are not searched for rulings


def _walk_objects(parent, count, get, matrix: pdfium.PdfMatrix, height: float, edges: list[dict],
                  depth: int) -> bool:
    """Collect path edges under ``parent`` (a page or a form XObject) through pdfium's raw API:
    a page holds thousands of text objects, and wrapping each in a helper object cost more than
    reading the paths. Objects inside a form are placed by their own matrix, then the form's."""
    has_image = False
    for i in range(max(count(parent), 0)):
        obj = get(parent, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj) if obj else pdfium_c.FPDF_PAGEOBJ_TEXT
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            has_image = True
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            edges.extend(_path_edges(obj, _matrix(obj).multiply(matrix), height))
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
            has_image |= _walk_objects(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                                       _matrix(obj).multiply(matrix), height, edges, depth + 1)
    return has_image


def _matrix(obj) -> pdfium.PdfMatrix:
    raw = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, raw):
        return pdfium.PdfMatrix()
    return pdfium.PdfMatrix.from_raw(raw)


def find_grids(edges: list[dict]) -> list[Grid]:
    """Ruled tables from edges: cells from corner intersections, merged cells spanning grid lines."""
    if len(edges) < 4:
        return []
    merged = _merged(edges)
    merged = _merged(merged + _closing_edges(merged))
    cells = intersections_to_cells(edges_to_intersections(merged, _SNAP, _SNAP))
    grids = [_grid(group) for group in cells_to_tables(cells)]
    return [g for g in grids if g.n_cols >= 2 and g.n_rows >= 2]


def _merged(edges: list[dict]) -> list[dict]:
    return [e for e in merge_edges(edges, _SNAP, _SNAP, _SNAP, _SNAP)
            if (e["width"] if e["orientation"] == "h" else e["height"]) >= _MIN_EDGE]


def _closing_edges(edges: list[dict]) -> list[dict]:
    """Borders a table leaves open where a page cuts it: verticals ending together with no line there."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    horizontals = [e for e in edges if e["orientation"] == "h"]
    added = []
    for end in ("top", "bottom"):
        for y in _cluster([v[end] for v in verticals], _SNAP):
            group = [v for v in verticals if abs(v[end] - y) <= _SNAP]
            if len(group) < 3:
                continue
            x0, x1 = min(v["x0"] for v in group), max(v["x0"] for v in group)
            covered = any(abs(h["top"] - y) <= _SNAP and h["x0"] <= x0 + _SNAP and h["x1"] >= x1 - _SNAP
                          for h in horizontals)
            if not covered:
                added.append(_edge(x0, y, x1, y, "h"))
    return added


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(lines: list[float], v: float) -> int:
    """The nearest of the sorted ``lines`` to ``v`` (the lower one on a tie)."""
    i = bisect_left(lines, v)
    if i == 0:
        return 0
    if i == len(lines):
        return i - 1
    return i - 1 if v - lines[i - 1] <= lines[i] - v else i


def _grid(cells: list[Box]) -> Grid:
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells])
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    placed = []
    for box in cells:
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        placed.append((r0, c0, max(r1 - r0, 1), max(c1 - c0, 1), box))
    placed.sort(key=lambda p: (p[0], p[1]))
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return Grid(bbox, tuple(placed), len(ys) - 1, len(xs) - 1)
