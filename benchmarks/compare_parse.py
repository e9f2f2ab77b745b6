"""Parse output of this checkout against another's, file by file, for changes that must not
change what is read (speed work): every field of every Report — cells, provenance, warnings,
narrative — has to come out identical.

    python benchmarks/compare_parse.py generate DIR [N] [--seed S]   # N generated txt/crawler/html reports
    python benchmarks/compare_parse.py dump DIR OUT                  # one line per file: name and digest
    diff <(sort A) <(sort B)

Run ``dump`` once per checkout (``PYTHONPATH=/other/src python benchmarks/compare_parse.py dump ...``)
and compare the two outputs; ``--full`` writes the whole repr instead of its digest, to see a change.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from nianbao.parse import parse_bytes


def generate(out: Path, n: int, seed: int) -> None:
    from nianbao.synth.variants import generate_variants

    out.mkdir(parents=True, exist_ok=True)
    for i, report in enumerate(generate_variants(seed, n, ("txt", "crawler", "html"), (0.4, 0.3, 0.3))):
        (out / f"{i:05d}_{report.name}").write_bytes(report.data)


def dump(folder: Path, out: Path, full: bool) -> None:
    with out.open("w", encoding="utf-8") as f:
        for path in sorted(folder.iterdir()):
            text = repr(parse_bytes(path.read_bytes(), path.name))
            f.write(f"{path.name}\t{text if full else hashlib.sha256(text.encode()).hexdigest()}\n")


def main(argv: list[str]) -> None:
    seed = 7
    if "--seed" in argv:
        i = argv.index("--seed")
        seed = int(argv[i + 1])
        del argv[i:i + 2]
    full = "--full" in argv
    argv = [a for a in argv if a != "--full"]
    if argv[:1] == ["generate"]:
        generate(Path(argv[1]), int(argv[2]) if len(argv) > 2 else 2000, seed)
    elif argv[:1] == ["dump"]:
        dump(Path(argv[1]), Path(argv[2]), full)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
