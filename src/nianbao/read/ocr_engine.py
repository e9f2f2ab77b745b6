"""The OCR engine: RapidOCR (PaddleOCR's PP-OCRv4 Chinese models on onnxruntime).

Chosen by measurement over Tesseract's chi_sim (docs/ocr.md). The models ship inside the
``rapidocr_onnxruntime`` wheel and are loaded from the package directory: nothing is
downloaded, ever. The engine is an optional extra (``nianbao[ocr]``, ~300 MB with onnxruntime
and OpenCV); without it, scanned pages are reported as needing OCR, as before.
"""

from __future__ import annotations

import os
from functools import cache

import numpy as np

INSTALL_HINT = "需要安装 nianbao[ocr] / install nianbao[ocr] to read scanned pages"
OCR_THREADS_ENV = "NIANBAO_OCR_THREADS"  # onnxruntime threads per engine; 0 or unset: all cores
_REC_MIN_WIDTH = 320  # the width the recogniser was trained at; narrower crops read 0 as o


class OcrUnavailable(RuntimeError):
    """The OCR extra is not installed."""


@cache
def _engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:  # the extra is missing, or OpenCV/onnxruntime cannot load
        raise OcrUnavailable(INSTALL_HINT) from exc
    return RapidOCR(inter_op_num_threads=1, intra_op_num_threads=ocr_threads())


def use_threads(n: int) -> None:
    """Give this process's engine ``n`` onnxruntime threads (0: all cores); an engine built
    with another count is dropped, so the next page builds it anew."""
    before = ocr_threads()
    os.environ[OCR_THREADS_ENV] = str(max(0, n))
    if ocr_threads() != before:
        _engine.cache_clear()


def ocr_threads() -> int:
    """onnxruntime's intra-op threads: as the ingest pool set it (one per worker when several
    workers share the cores), else every core (one process reading alone)."""
    try:
        wanted = int(os.environ.get(OCR_THREADS_ENV, "0"))
    except ValueError:
        wanted = 0
    cores = os.cpu_count() or 1
    return min(wanted, cores) if wanted > 0 else cores


def available() -> bool:
    """Whether scanned pages can be read here."""
    try:
        _engine()
    except OcrUnavailable:
        return False
    return True


def detect(gray: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Text line boxes (x0, top, x1, bottom) in the image's pixels."""
    engine = _engine()
    rgb = np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    boxes, _ = engine.text_det(rgb)
    if boxes is None:
        return []
    return [(float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 0].max()), float(b[:, 1].max()))
            for b in boxes]


def recognise(crops: list[np.ndarray]) -> list[list[tuple[str, float, float]]]:
    """Each single-line crop's characters as (char, confidence, x centre in crop pixels).

    The recogniser's own decoding keeps only a mean score; this one keeps every character's
    probability (a cell is as sure as its least sure digit) and where it sits, so that one
    crop can carry a whole table row and each digit still find its cell.
    """
    if not crops:
        return []
    rec = _engine().text_rec
    chars = rec.postprocess_op.character
    height = rec.rec_image_shape[1]
    out: list[list[tuple[str, float, float]]] = []
    for crop in crops:
        # one crop per run, at its own width (never under the trained 320 px): a batch is padded
        # to its widest crop and, measured, costs more than its crops alone (docs/ocr.md, Session 8)
        ratio = max(_REC_MIN_WIDTH / height, crop.shape[1] / crop.shape[0])
        image = rec.resize_norm_img(np.repeat(crop[:, :, None], 3, axis=2), ratio)[None]
        p = rec.session(image)[0][0]
        shrink = crop.shape[0] / height  # crop pixels per resized pixel
        step = int(height * ratio) / p.shape[0]
        best, prob = p.argmax(axis=1), p.max(axis=1)
        out.append([(chars[best[t]], float(prob[t]), (t + 0.5) * step * shrink) for t in range(len(best))
                    if best[t] != 0 and not (t and best[t] == best[t - 1])])
    return out
