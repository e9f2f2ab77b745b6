"""Readers: one per format, all producing :class:`nianbao.read.document.Document`."""

from __future__ import annotations

import re
from pathlib import PurePath

from nianbao.read.decode import bom_encoding, decode_with_warnings, looks_binary
from nianbao.read.document import Cell, Document, Paragraph, Place, ReadError, TableBlock
from nianbao.read.html import read_html
from nianbao.read.text import read_text

__all__ = ["Cell", "Document", "Paragraph", "Place", "ReadError", "TableBlock", "read_bytes",
           "sniff_format"]

# PNG, JPEG, TIFF (both byte orders), BMP; WebP is RIFF….WEBP
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")
_HTML_HINT = re.compile(rb"<\s*(html|body|table|p|div|td|span|br)\b", re.I)


def sniff_format(data: bytes, name: str = "") -> str:
    """The format by content first (names lie), the file extension second."""
    ext = PurePath(name).suffix.lower().lstrip(".")
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    for magic in _IMAGE_MAGIC:
        if data.startswith(magic):
            return "image"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] or ext == "docx" else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "wps" if ext == "wps" else "doc"
    return _text_format(name, data[:4096])


def read_bytes(data: bytes, name: str = "") -> Document:
    """Read one report file's bytes. Raises ReadError with a bilingual reason."""
    if not data.strip():
        raise ReadError("文件为空", "empty file")
    bom = bom_encoding(data)
    fmt = sniff_format(data, name) if bom is None else _text_format(name, data.decode(bom, "replace")[:4096].encode())
    if fmt == "pdf":
        from nianbao.read.pdf import read_pdf

        return read_pdf(data)
    if fmt == "image":
        from nianbao.read.ocr import read_image

        return read_image(data)
    if fmt == "docx":
        from nianbao.read.docx import read_docx

        return read_docx(data)
    if fmt in ("doc", "wps"):
        from nianbao.read.legacy import read_legacy_word

        return read_legacy_word(data, fmt)
    if fmt == "zip":
        raise ReadError("压缩包或未知的 Office 文件，不是年报", "a zip archive or unknown Office file, not a report")
    if bom is None and looks_binary(data):  # a BOM says text: UTF-16/32 are full of NUL bytes
        raise ReadError("二进制文件或无关文件，无法作为文本读取", "binary or unrelated file, not readable as text")
    text, _, warnings = decode_with_warnings(data)
    doc = read_html(text) if fmt == "html" else read_text(text, fmt)
    doc.warnings[:0] = warnings
    return doc


def _text_format(name: str, head: bytes) -> str:
    """HTML by extension or by a tag near the start; Markdown by extension; else plain text."""
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext in ("html", "htm", "shtml", "xhtml") or _HTML_HINT.search(head):
        return "html"
    return "md" if ext == "md" else "txt"
