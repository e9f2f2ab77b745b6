"""Bytes to text: UTF-8 with or without BOM, GB18030/GBK/GB2312, declared or detected."""

from __future__ import annotations

import codecs
import re

from nianbao.read.document import ReadError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
# GB2312 and GBK pages routinely contain characters only GB18030 (their superset) defines.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not a text file."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * 0.05


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode and say which encoding was used. Raises ReadError when nothing fits."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    tried: list[str] = []
    if declared is None:
        m = _META_CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii").lower() if m else None
    for enc in filter(None, (_SUPERSET.get(declared or "", declared), "utf-8", "gb18030")):
        if enc in tried:
            continue
        tried.append(enc)
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError("无法识别文件编码", "unknown text encoding")
    return str(best), best.encoding
