"""Text and HTML parse time against the floor, split by format and by whether the report has
tables (pre-2019 reports have none and are cheap), runs interleaved (see interleave.py).

Floors: text — read bytes, decode, NFKC, split lines; HTML — the same plus ``lxml.html``
parsing and iterating every table cell's text.

    python benchmarks/bench_parse.py [FILES OR FOLDERS ...] [--rounds N]
"""

from __future__ import annotations

import sys
import unicodedata
from functools import partial

import lxml.html
from interleave import files_of, print_groups, rounds_option, time_pair

from nianbao.parse import parse_bytes
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


def main(argv: list[str]) -> None:
    rounds = rounds_option(argv, 15)
    files = files_of(argv, (".txt", ".md", ".html", ".htm"))
    if not files:
        sys.exit("no text or HTML files")
    parse_bytes(files[0].read_bytes(), files[0].name)  # imports, regexes, tables: outside the timing
    rows = []
    for path in files:
        data = path.read_bytes()
        html = path.suffix.lower() in (".html", ".htm")
        report = parse_bytes(data, path.name)
        floor = html_floor if html else text_floor
        ours, base = time_pair(partial(parse_bytes, data, path.name), partial(floor, data), rounds)
        rows.append((f"{'html' if html else 'text'} {'with' if report.facts else 'without'} tables", ours, base))
    print(f"{len(files)} files, median of {rounds} interleaved rounds each")
    print_groups(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
