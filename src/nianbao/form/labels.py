"""Text normalisation used to compare printed labels with the form's labels."""

from __future__ import annotations

import re
import unicodedata

_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’()（）、，。：；"
# Whitespace that sits next to a Han character is a rendering artefact (PDF x-gaps, <br> in
# a label cell, crawler line wraps), never a separator between two numbers.
# Written to open with the whitespace / the digit (not a look-behind) so that the regex
# engine jumps from one candidate character to the next instead of trying every position:
# "(?<=[Han])\s+|\s+(?=[Han])" and "(?<![\d.])(\d)\s*[、．.]" match exactly the same.
_SPACE_NEAR_HAN = re.compile(rf"\s(?:(?<=[{_HAN}{_CJK_PUNCT}]\s)\s*|\s*(?=[{_HAN}{_CJK_PUNCT}]))")
_NUMBERING = re.compile(r"(\d)(?<![\d.]\d)\s*[、．.]")
_QUOTE_CHARS = "“”‘’「」'"
_COMMAS = str.maketrans({"、": ",", "，": ",", "；": ";", "：": ":"})


def collapse_cjk_spaces(text: str) -> str:
    """Remove whitespace adjacent to Han characters, keep it between numbers."""
    return _SPACE_NEAR_HAN.sub("", text)


def normalize_text(text: str) -> str:
    """NFKC plus the punctuation folding that makes printed labels comparable.

    Numbering such as ``1、`` / ``1．`` becomes ``1.``; quotes become ``"``; 、 and ，
    become ``,``; whitespace next to Han characters is dropped.
    """
    text = unicodedata.normalize("NFKC", text)
    for quote in _QUOTE_CHARS:  # str.translate looks every character up; most texts hold few quotes
        if quote in text:
            text = text.replace(quote, '"')
    text = text.replace("\u00a0", " ")
    text = _NUMBERING.sub(r"\1.", text)
    return collapse_cjk_spaces(text)


def normalize_label(text: str) -> str:
    """A label reduced to what matters for matching: no whitespace, folded punctuation."""
    return re.sub(r"\s+", "", normalize_text(text)).translate(_COMMAS)
