"""Parse the corpus text and HTML reports many times; print nianbao's time per report next to
the floor measured in the same run (read the bytes, decode, NFKC-normalise, split lines).

    python benchmarks/bench_parse.py [CORPUS_DIR] [--repeat N]
"""

from __future__ import annotations

import sys
import time
import unicodedata
from pathlib import Path

from nianbao.parse import parse_bytes
from nianbao.read.decode import decode_text


def floor(data: bytes) -> int:
    text, _ = decode_text(data)
    return len(unicodedata.normalize("NFKC", text).splitlines())


def timed(fn, items, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for name, data in items:
            fn(data) if fn is floor else fn(data, name)
    return (time.perf_counter() - start) / (repeat * len(items))


def main() -> None:
    argv = sys.argv[1:]
    repeat = int(argv.pop(argv.index("--repeat") + 1)) if "--repeat" in argv else 20
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    files = sorted(p for p in (corpus / "reports").glob("*") if p.suffix in (".txt", ".md", ".html"))
    items = [(p.name, p.read_bytes()) for p in files]
    parse_bytes(*items[0][::-1])  # warm up: regexes compiled, division table loaded once per process
    base = timed(floor, items, repeat)
    ours = timed(parse_bytes, items, repeat)
    print(f"{len(items)} text/HTML reports × {repeat}")
    print(f"floor (read+decode+NFKC+split lines): {base * 1000:8.3f} ms/report")
    print(f"nianbao parse:                        {ours * 1000:8.3f} ms/report")
    print(f"ratio:                                {ours / base:8.1f}×")


if __name__ == "__main__":
    main()
