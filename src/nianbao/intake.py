"""What may come in: size limits per file and per batch, and an allow-list of types checked by
content (magic bytes), not by the file's extension. Deeper bounds (zip bombs, PDF pages, HTML
depth and table size) are checked by the readers; all limits are in :mod:`nianbao.limits`."""

from __future__ import annotations

from nianbao.limits import MB, limits
from nianbao.read import sniff_format
from nianbao.read.decode import bom_encoding, looks_binary

ALLOWED = ("pdf", "docx", "doc", "wps", "html", "txt", "md")


def reject_reason(data: bytes, name: str) -> str | None:
    """Why this file is not accepted, or None: too large, or not a report type by content."""
    lim = limits()
    if len(data) > lim.file_mb * MB:
        return f"文件过大（{len(data) / MB:.1f} MB，上限 {lim.file_mb} MB）/ file too large " \
               f"({len(data) / MB:.1f} MB, limit {lim.file_mb} MB)"
    fmt = sniff_format(data, name)
    text_like = fmt in ("html", "txt", "md")
    if fmt not in ALLOWED or (text_like and bom_encoding(data) is None and looks_binary(data)):
        return "不是可接受的年报文件类型（按内容判断）/ not an accepted report type (judged by content)"
    return None


def batch_reason(sizes: list[int]) -> str | None:
    """Why this batch is too large as a whole, or None."""
    lim = limits()
    total = sum(sizes)
    if total > lim.batch_mb * MB:
        return f"本批文件共 {total / MB:.0f} MB，超过上限 {lim.batch_mb} MB / batch of {total / MB:.0f} MB " \
               f"exceeds the {lim.batch_mb} MB limit"
    return None
