"""PDF parse time against a fair floor: pypdfium2 loading the document, extracting each page's
text and every character's box (what a table reader needs at least), runs interleaved.

    python benchmarks/bench_pdf.py [FILES OR FOLDERS ...] [--rounds N]
"""

from __future__ import annotations

import sys
from functools import partial

import pypdfium2 as pdfium
from interleave import files_of, print_groups, rounds_option, time_pair

from nianbao.parse import parse_bytes


def pdfium_text_and_boxes(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    try:
        n = 0
        for i in range(len(pdf)):
            page = pdf[i]
            text = page.get_textpage()
            n += len(text.get_text_range())
            for c in range(text.count_chars()):
                text.get_charbox(c)
            text.close()
            page.close()
        return n
    finally:
        pdf.close()


def main(argv: list[str]) -> None:
    rounds = rounds_option(argv, 9)
    files = files_of(argv, (".pdf",))
    if not files:
        sys.exit("no PDF files")
    parse_bytes(files[0].read_bytes(), files[0].name)
    rows = []
    for path in files:
        data = path.read_bytes()
        report = parse_bytes(data, path.name)
        ours, base = time_pair(partial(parse_bytes, data, path.name), partial(pdfium_text_and_boxes, data), rounds)
        rows.append((f"pdf {'with' if report.facts else 'without'} tables", ours, base))
    print(f"{len(files)} files, median of {rounds} interleaved rounds each")
    print_groups(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
