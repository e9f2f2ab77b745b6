"""Text and HTML parse time against the floor, split by format and by whether the report has
tables (pre-2019 reports have none and are cheap), runs interleaved (see interleave.py).

Floors: text — read bytes, decode, NFKC, split lines; HTML — the same plus ``lxml.html``
parsing and iterating every table cell's text.

    python benchmarks/bench_parse.py [FILES OR FOLDERS ...] [--rounds N]
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import lxml.html
from interleave import run_benchmark

from nianbao.read.decode import decode_text


def text_floor(data: bytes) -> int:
    text, _ = decode_text(data)
    return len(unicodedata.normalize("NFKC", text).splitlines())


def html_floor(data: bytes) -> int:
    n = text_floor(data)
    doc = lxml.html.fromstring(data)
    for cell in doc.iter("td", "th"):
        n += len(cell.text_content())
    return n


def _html(path: Path) -> bool:
    return path.suffix.lower() in (".html", ".htm")


def main(argv: list[str]) -> None:
    run_benchmark(argv, (".txt", ".md", ".html", ".htm"), lambda p: html_floor if _html(p) else text_floor,
                  lambda p: "html" if _html(p) else "text", 15)


if __name__ == "__main__":
    main(sys.argv[1:])
