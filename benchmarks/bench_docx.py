"""DOCX parse time against a fair floor: python-docx loading the document, then every
paragraph's and every table cell's text read from the XML (``w:tc``/``w:t``; python-docx's
``Row.cells`` is far slower and would flatter us), runs interleaved.

    python benchmarks/bench_docx.py [FILES OR FOLDERS ...] [--rounds N]
"""

from __future__ import annotations

import io
import sys
from functools import partial

import docx
from docx.oxml.ns import qn
from interleave import files_of, print_groups, rounds_option, time_pair

from nianbao.parse import parse_bytes

P, TC, T = qn("w:p"), qn("w:tc"), qn("w:t")


def docx_load_and_cells(data: bytes) -> int:
    body = docx.Document(io.BytesIO(data)).element.body
    n = sum(len(t.text or "") for p in body.iter(P) for t in p.iter(T))
    for cell in body.iter(TC):
        n += len("".join(t.text or "" for t in cell.iter(T)))
    return n


def main(argv: list[str]) -> None:
    rounds = rounds_option(argv, 9)
    files = files_of(argv, (".docx",))
    if not files:
        sys.exit("no DOCX files")
    parse_bytes(files[0].read_bytes(), files[0].name)
    rows = []
    for path in files:
        data = path.read_bytes()
        report = parse_bytes(data, path.name)
        ours, base = time_pair(partial(parse_bytes, data, path.name), partial(docx_load_and_cells, data), rounds)
        rows.append((f"docx {'with' if report.facts else 'without'} tables", ours, base))
    print(f"{len(files)} files, median of {rounds} interleaved rounds each")
    print_groups(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
