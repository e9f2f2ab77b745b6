"""DOCX parse time against a fair floor: python-docx loading the document, then every
paragraph's and every table cell's text read from the XML (``w:tc``/``w:t``; python-docx's
``Row.cells`` is far slower and would flatter us), runs interleaved.

    python benchmarks/bench_docx.py [FILES OR FOLDERS ...] [--rounds N]
"""

from __future__ import annotations

import io
import sys

import docx
from docx.oxml.ns import qn
from interleave import run_benchmark

P, TC, T = qn("w:p"), qn("w:tc"), qn("w:t")


def docx_load_and_cells(data: bytes) -> int:
    body = docx.Document(io.BytesIO(data)).element.body
    n = sum(len(t.text or "") for p in body.iter(P) for t in p.iter(T))
    for cell in body.iter(TC):
        n += len("".join(t.text or "" for t in cell.iter(T)))
    return n


def main(argv: list[str]) -> None:
    run_benchmark(argv, (".docx",), lambda _: docx_load_and_cells, lambda _: "docx", 9)


if __name__ == "__main__":
    main(sys.argv[1:])
