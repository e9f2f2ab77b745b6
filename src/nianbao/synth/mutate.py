"""Hostile inputs for fuzzing: real and synthetic reports mutated (bit flips, truncation, inserted
garbage, duplicated chunks, wrong extensions, other encodings) plus crafted bombs (zip bomb DOCX,
span-bomb and deeply nested HTML, OLE and PDF headers over junk, a file over the size limit).
Deterministic for a seed."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from nianbao.synth.corpus import generate_corpus

MUTATIONS = ("bitflip", "truncate", "garbage", "duplicate", "extension", "encoding")
CRAFTED = ("zip_bomb", "span_bomb", "deep_html", "ole_junk", "pdf_junk", "huge")
_EXTENSIONS = (".txt", ".html", ".pdf", ".docx", ".doc", ".md", ".wps")


def seed_files(corpus: Path | None, seed: int = 1, synthetic: int = 8) -> list[tuple[str, bytes]]:
    """Real reports (when the corpus is there) and a few synthetic ones in every format."""
    files = []
    if corpus and corpus.is_dir():
        files = [(p.name, p.read_bytes()) for p in sorted(corpus.iterdir()) if p.is_file()]
    for r in islice(generate_corpus(seed, n_agencies=2, formats=("txt", "html", "docx", "pdf")), synthetic):
        files.append((r.name, r.data))
    return files


def mutate(rng: random.Random, name: str, data: bytes, kind: str) -> tuple[str, bytes]:
    stem, ext = Path(name).stem, Path(name).suffix
    b = bytearray(data)
    if kind == "bitflip" and b:
        for _ in range(rng.randint(1, 64)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        b = b[:rng.randint(0, max(1, len(b)))]
    elif kind == "garbage":
        at = rng.randint(0, len(b))
        b[at:at] = rng.randbytes(rng.randint(1, 4096))
    elif kind == "duplicate" and b:
        start = rng.randrange(len(b))
        chunk = b[start:start + rng.randint(1, 8192)]
        at = rng.randint(0, len(b))
        b[at:at] = chunk * rng.randint(1, 20)
    elif kind == "extension":
        ext = rng.choice([e for e in _EXTENSIONS if e != ext])
    elif kind == "encoding":
        text = data.decode("utf-8", "replace")
        enc = rng.choice(("gb18030", "utf-16", "utf-32", "utf-8-sig", "big5", "latin-1"))
        b = bytearray(text.encode(enc, "replace"))
    return f"{stem}{ext}", bytes(b)


def crafted(rng: random.Random, kind: str, huge_mb: int = 3) -> tuple[str, bytes]:
    if kind == "zip_bomb":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", b"<" + b"a" * (rng.randint(50, 300) * 1024 * 1024))
        return "bomb.docx", buf.getvalue()
    if kind == "span_bomb":
        n = rng.randint(20, 60)
        rows = "".join(f'<tr>{"<td rowspan=999 colspan=999>1</td>" * n}</tr>' for _ in range(n))
        return "span.html", f"<html><body><table>{rows}</table></body></html>".encode()
    if kind == "deep_html":
        d = rng.randint(500, 20000)
        return "deep.html", ("<html><body>" + "<div><span>" * d + "x" + "</span></div>" * d).encode()
    if kind == "ole_junk":
        return "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(rng.randint(100, 200_000))
    if kind == "pdf_junk":
        return "junk.pdf", b"%PDF-1.7\n" + rng.randbytes(rng.randint(100, 200_000))
    text = "某县商务局2023年政府信息公开工作年度报告\n" + "行政许可\t5\n" * (huge_mb * 1024 * 1024 // 16)
    return "huge.txt", text.encode()


def fuzz_files(seeds: list[tuple[str, bytes]], n: int, seed: int, crafted_share: float = 0.08
               ) -> Iterator[tuple[str, str, bytes]]:
    """``n`` (kind, name, bytes), each name unique (prefixed by its number)."""
    rng = random.Random(seed)
    for i in range(n):
        if rng.random() < crafted_share:
            kind = rng.choice(CRAFTED)
            name, data = crafted(rng, kind)
        else:
            kind = rng.choice(MUTATIONS)
            name, data = mutate(rng, *rng.choice(seeds), kind)
        yield kind, f"{i:05d}-{kind}-{name}", data
