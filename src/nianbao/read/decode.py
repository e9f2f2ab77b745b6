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


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # UTF-32 LE starts like UTF-16 LE
# A UTF-8 file with at most this many bad bytes is read with them replaced (and a warning);
# more, and it is probably another encoding.
LENIENT_BAD_BYTES = 16


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark declares, if the data starts with one."""
    return next((enc for bom, enc in _BOMS if data.startswith(bom)), None)


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode and say which encoding was used. Raises ReadError when nothing fits."""
    text, enc, _ = decode_with_warnings(data, declared)
    return text, enc


def decode_with_warnings(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode, say which encoding was used and warn about bytes that had to be replaced (U+FFFD:
    a cell containing one is unreadable, never guessed). Raises ReadError when nothing fits."""
    bom = bom_encoding(data)
    if bom:
        text = data.decode(bom, errors="replace")
        return text, bom, _replacement_warning(text, data.decode(bom, errors="ignore"), bom)
    tried: list[str] = []
    if declared is None:
        m = _META_CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii").lower() if m else None
    for enc in filter(None, (_SUPERSET.get(declared or "", declared), "utf-8", "gb18030")):
        if enc in tried:
            continue
        tried.append(enc)
        try:
            return data.decode(enc), enc, []
        except (UnicodeDecodeError, LookupError):
            if enc == "utf-8":
                lenient = _lenient_utf8(data)
                if lenient:
                    return lenient
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError("无法识别文件编码", "unknown text encoding")
    return str(best), best.encoding, []


def _lenient_utf8(data: bytes) -> tuple[str, str, list[str]] | None:
    """Mostly valid UTF-8 with a few bad bytes (a damaged download, a stray GBK character)."""
    bad = 0
    pos = 0
    while bad <= LENIENT_BAD_BYTES:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad += 1
            pos += exc.end
    else:
        return None
    text = data.decode("utf-8", errors="replace")
    return text, "utf-8", _replacement_warning(text, data.decode("utf-8", errors="ignore"), "UTF-8")


def _replacement_warning(text: str, without: str, enc: str) -> list[str]:
    n = text.count("\ufffd") - without.count("\ufffd")
    if n <= 0:
        return []
    lines = sorted({text.count("\n", 0, i) + 1 for i, ch in enumerate(text) if ch == "\ufffd"})
    where = ", ".join(map(str, lines[:10])) + ("…" if len(lines) > 10 else "")
    return [f"{n} 个无法按 {enc} 解码的字节已替换为 �（第 {where} 行），含有它的单元格无法读取 / {n} bytes not valid "
            f"{enc} were replaced by � (lines {where}); cells containing one are unreadable"]
