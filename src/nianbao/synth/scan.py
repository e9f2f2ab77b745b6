"""Scanned copies of PDFs: each page printed, stamped and scanned, saved as an image-only PDF.

A scan is what an office puts online when it publishes the stamped, printed copy: pages
rendered at 150–300 dpi, slightly rotated, a little blurred, saved as JPEG, with the red seal
(公章) over part of the last page. Deterministic for a given ``random.Random``. Needs Pillow
(pdfplumber's dependency) and pypdfium2; nothing else.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

_CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
SEAL_RED = (220, 30, 35)


@dataclass(frozen=True)
class ScanStyle:
    dpi: int
    angle: float  # degrees, counter-clockwise
    blur: float  # Gaussian radius in pixels
    jpeg_quality: int
    seal: bool = True

    @classmethod
    def draw(cls, rng: random.Random) -> ScanStyle:
        return cls(dpi=rng.choice((150, 200, 240, 300)), angle=round(rng.uniform(-1.5, 1.5), 2),
                   blur=round(rng.uniform(0.2, 0.9), 2), jpeg_quality=rng.randint(45, 85))


def render_pages(pdf_bytes: bytes, dpi: int) -> list[Image.Image]:
    """Every page as an RGB image at ``dpi``."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        return [pdf[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(pdf))]
    finally:
        pdf.close()


def scan_image(page: Image.Image, style: ScanStyle, rng: random.Random, seal_text: str = "") -> Image.Image:
    """One page as a scanner sees it: seal (when asked), rotation, blur, JPEG artefacts."""
    img = page.copy()
    if seal_text:
        img = stamp_seal(img, seal_text, rng, style.dpi)
    img = img.rotate(style.angle, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255))
    img = img.filter(ImageFilter.GaussianBlur(style.blur))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=style.jpeg_quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def stamp_seal(img: Image.Image, text: str, rng: random.Random, dpi: int) -> Image.Image:
    """A round red seal (ring, star, the agency's name on an arc), multiplied over the page
    like ink, in the lower half of the page where the signature and date sit."""
    w, h = img.size
    d = int(dpi * 1.65)  # a 42 mm seal
    seal = Image.new("RGB", (d, d), (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    ring = max(2, d // 30)
    draw.ellipse((ring, ring, d - ring, d - ring), outline=SEAL_RED, width=ring)
    c = d / 2
    star = [(c + (d * (0.17 if i % 2 == 0 else 0.07)) * math.sin(i * math.pi / 5),
             c - (d * (0.17 if i % 2 == 0 else 0.07)) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=SEAL_RED)
    font = _font(int(d * 0.11))
    chars = list(text[:16])
    if font is not None and chars:
        span = math.radians(240)
        for i, ch in enumerate(chars):
            a = -span / 2 + span * (i + 0.5) / len(chars)
            r = d * 0.36
            glyph = Image.new("L", (font.size * 2, font.size * 2), 0)
            ImageDraw.Draw(glyph).text((font.size // 2, font.size // 2), ch, font=font, fill=255)
            glyph = glyph.rotate(-math.degrees(a), resample=Image.BICUBIC)
            x, y = c + r * math.sin(a) - font.size, c - r * math.cos(a) - font.size
            seal.paste(Image.new("RGB", glyph.size, SEAL_RED), (int(x), int(y)), glyph)
    seal = seal.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    # over the signature and date: the lowest printed line, right half of the page
    ink = np.flatnonzero((np.asarray(img.convert("L")) < 128).any(axis=1))
    bottom = int(ink[-1]) if ink.size else int(0.7 * h)
    x = int(rng.uniform(0.5, 0.68) * w)
    y = max(0, min(h - d, bottom - int(d * rng.uniform(0.35, 0.65))))
    region = img.crop((x, y, x + d, y + d))
    img.paste(ImageChops.multiply(region, seal.crop((0, 0) + region.size)), (x, y))
    return img


def _font(size: int) -> ImageFont.FreeTypeFont | None:
    for path in _CJK_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


def images_to_pdf(images: list[Image.Image], dpi: int) -> bytes:
    """An image-only PDF: one JPEG per page, no text layer."""
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=90)
    return buf.getvalue()


def scan_pdf(pdf_bytes: bytes, rng: random.Random, seal_text: str = "人民政府办公室",
             style: ScanStyle | None = None) -> tuple[bytes, ScanStyle]:
    """A scanned, image-only copy of a PDF, the seal on the last page."""
    style = style or ScanStyle.draw(rng)
    pages = render_pages(pdf_bytes, style.dpi)
    scans = [scan_image(p, style, rng, seal_text if style.seal and i == len(pages) - 1 else "")
             for i, p in enumerate(pages)]
    return images_to_pdf(scans, style.dpi), style


def scanned_corpus(seed: int, n: int):
    """``n`` scanned synthetic reports, both forms: (name, image-only PDF, expected CSV, style)."""
    from nianbao.synth.corpus import generate_corpus

    reports = generate_corpus(seed, n_agencies=max(1, (n + 6) // 7), formats=("pdf",), wrong_form_share=0.1)
    for i, report in enumerate(reports):
        if i >= n:
            return
        rng = random.Random(f"{seed}:scan:{report.name}")
        data, style = scan_pdf(report.data, rng, seal_text=report.meta.get("agency", "")[:12])
        yield report.name, data, report.expected_csv, style
