"""PDF parse time against a fair floor: pypdfium2 loading the document, extracting each page's
text and every character's box (what a table reader needs at least), runs interleaved.

    python benchmarks/bench_pdf.py [FILES OR FOLDERS ...] [--rounds N]
"""

from __future__ import annotations

import sys

import pypdfium2 as pdfium
from interleave import run_benchmark


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
    run_benchmark(argv, (".pdf",), lambda _: pdfium_text_and_boxes, lambda _: "pdf", 9)


if __name__ == "__main__":
    main(sys.argv[1:])
