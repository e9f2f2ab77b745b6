"""OCR on generated scans: seconds per page and what became of every expected cell.

Usage: ``nice python benchmarks/bench_ocr.py N [SEED]`` (N scanned synthetic reports, both
forms), or ``python benchmarks/bench_ocr.py --corpus`` (the corpus's 洪泽区 reports rendered
to images and back). Cells: *exact* (loaded, equal to the expected value), *verified* (exact
and confirmed by the table's arithmetic or corrected by it), *unverified* (loaded, no rule
covers it), *unreadable* (not loaded), *wrong* (loaded and different — must be 0).
Targets: exact-and-verified ≥ 98 %, wrong = 0, ≤ 5 s per page on 2 cores.

``--cache DIR`` (first): each scan's OCR'd page model is kept in DIR (pickled, keyed by the
report's name and scan style, since the generated PDF's bytes differ from run to run) and reused
by later runs, so a change to parsing or verification is scored on the same readings in seconds;
the timings then measure the cache, not OCR.

``--workers K`` (before N): the reports are written to a temporary folder and parsed by the
pool ingest uses (``worker.parse_stream``, K processes; each OCR engine then takes one
thread when K ≥ 2), and the figure is throughput: the batch's wall time over its pages. The
parse time budget is lifted for the run (a loaded machine must not turn slow pages into
timeouts that the score would count as unreadable).
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import os
import pickle
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium

from nianbao.parse import parse_bytes, parse_document
from nianbao.parse.model import Report
from nianbao.read import ocr_engine, read_bytes
from nianbao.synth.scan import ScanStyle, scan_pdf, scanned_corpus

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def expected_values(text: str) -> dict[tuple[str, str, str], str]:
    return {(r["table"], r["row"], r["col"]): r["value"] for r in csv.DictReader(io.StringIO(text))}


def score(report, expected: dict) -> Counter:
    """Each expected cell counted once: exact (verified or unverified), unreadable or wrong."""
    got = {f.key: f for f in report.facts}
    withheld = {cell for w in report.warnings if "not loaded: " in w for cell in w.split("not loaded: ")[1].split(", ")}
    c: Counter = Counter()
    for key, value in expected.items():
        fact = got.get(key)
        if fact is None:
            c["unreadable"] += 1
            cause = "withheld by verification" if ".".join(key) in withheld else "not parsed"
            c["cause: " + cause] += 1
            print(f"  unreadable {report.source_name} {'.'.join(key)} (expected {value!r}): {cause}",
                  file=sys.stderr)
        elif fact.value.as_csv() != value:
            c["wrong"] += 1
            print(f"  WRONG {report.source_name} {'.'.join(key)}: expected {value!r}, loaded "
                  f"{fact.value.as_csv()!r} ({fact.place})", file=sys.stderr)
        else:
            c["exact"] += 1
            c["verified" if (" verified " in fact.place or " corrected " in fact.place) else "unverified"] += 1
            c["corrected"] += " corrected " in fact.place
    c["cells"] += len(expected)
    return c


def pages_of(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def run_pool(items, workers: int) -> Counter:
    """The items parsed by ingest's worker pool, scored like :func:`run`; throughput per page."""
    from nianbao.worker import parse_stream

    os.environ["NIANBAO_PARSE_TIMEOUT_S"] = "36000"  # measure, do not time out
    total: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        paths, meta, pages = [], {}, 0
        for name, data, expected_csv, style in items:
            path = Path(tmp) / name
            path.write_bytes(data)
            paths.append(path)
            meta[path] = (expected_csv, style)
            pages += pages_of(data)
        t0 = time.perf_counter()
        parsed = [pair for chunk in parse_stream(paths, workers=workers) for pair in chunk]
        seconds = time.perf_counter() - t0
    for path, result in parsed:
        expected_csv, style = meta[path]
        c = score(result.report, expected_values(expected_csv))
        total += c
        print(f"{path.name}: {style.dpi} dpi {style.angle:+.2f}° — exact {c['exact']}/{c['cells']}, verified "
              f"{c['verified']}, unreadable {c['unreadable']}, wrong {c['wrong']}", flush=True)
    print(f"\n{total['cells']} cells, {pages} pages, {workers} workers: {seconds / max(pages, 1):.2f} s/page wall "
          f"throughput (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    _print_totals(total)
    return total


def parse_cached(data: bytes, name: str, style: ScanStyle, cache: Path | None) -> Report:
    """``parse_bytes``, with the read document kept in ``cache`` when one is given."""
    if cache is None:
        return parse_bytes(data, name)
    sha = hashlib.sha256(data).hexdigest()
    kept = cache / (hashlib.sha256(f"{name} {style}".encode()).hexdigest() + ".pickle")
    if kept.exists():
        doc = pickle.loads(kept.read_bytes())
    else:
        doc = read_bytes(data, name)
        kept.write_bytes(pickle.dumps(doc))
    return parse_document(doc, name, sha)


def run(items, cache: Path | None = None) -> Counter:
    total: Counter = Counter()
    seconds, cpu, pages = 0.0, 0.0, 0
    for name, data, expected_csv, style in items:
        t0, c0 = time.perf_counter(), time.process_time()
        report = parse_cached(data, name, style, cache)
        seconds += time.perf_counter() - t0
        cpu += time.process_time() - c0
        pages += pages_of(data)
        c = score(report, expected_values(expected_csv))
        total += c
        print(f"{name}: {style.dpi} dpi {style.angle:+.2f}° — exact {c['exact']}/{c['cells']}, verified "
              f"{c['verified']}, unreadable {c['unreadable']}, wrong {c['wrong']}", flush=True)
    print(f"\n{total['cells']} cells, {pages} pages, {seconds / max(pages, 1):.2f} s/page wall, "
          f"{cpu / max(pages, 1):.2f} s/page CPU "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    _print_totals(total)
    return total


def _print_totals(total: Counter) -> None:
    n = total["cells"] or 1
    for k in ("exact", "verified", "corrected", "unverified", "unreadable", "wrong"):
        print(f"  {k:>10}: {total[k]:6d}  {100 * total[k] / n:6.2f} %")
    for k in sorted(k for k in total if k.startswith("cause: ")):
        print(f"  unreadable, {k[7:]}: {total[k]}")


def corpus_items():
    for stem in ("huaian-hongzequ_2023", "huaian-hongzequ_2024"):
        pdf = CORPUS / "reports" / f"{stem}.pdf"
        csv_path = CORPUS / "expected" / f"{stem}.pdf.csv"
        if not (pdf.exists() and csv_path.exists()):
            print(f"skipped {stem}: corpus file missing", file=sys.stderr)
            continue
        style = ScanStyle(dpi=200, angle=0.6, blur=0.4, jpeg_quality=70)
        data, _ = scan_pdf(pdf.read_bytes(), random.Random(stem), style=style)
        yield stem + ".pdf", data, csv_path.read_text(encoding="utf-8"), style


def main() -> None:
    args = sys.argv[1:]
    workers, cache = 0, None
    if args[:1] == ["--cache"]:
        cache, args = Path(args[1]), args[2:]
        cache.mkdir(parents=True, exist_ok=True)
    if args[:1] == ["--workers"]:
        workers, args = int(args[1]), args[2:]
    # the pool's workers are forked: an engine loaded here first would be inherited, not theirs
    if not (importlib.util.find_spec("rapidocr_onnxruntime") if workers else ocr_engine.available()):
        sys.exit(ocr_engine.INSTALL_HINT)  # (else the engine has loaded once, outside the timing)
    if args[:1] == ["--corpus"]:
        run(corpus_items(), cache)
        return
    n = int(args[0]) if args else 10
    seed = int(args[1]) if len(args) > 1 else 1
    if workers:
        run_pool(scanned_corpus(seed, n), workers)
    else:
        run(scanned_corpus(seed, n), cache)


if __name__ == "__main__":
    main()
