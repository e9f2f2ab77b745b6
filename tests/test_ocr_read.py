"""Scans read by OCR: a scanned table page as a PNG through `nianbao parse` and ingest, an
image-only PDF without the engine, and the corpus's 洪泽区 reports scanned and read back."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from pathlib import Path

import duckdb
import numpy as np
import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.parse import parse_bytes
from nianbao.pipeline import ingest
from nianbao.read import TableBlock, ocr_engine, read_bytes, sniff_format
from nianbao.read.ocr_layout import erase_lines, find_rulings
from nianbao.synth import generate_corpus
from nianbao.synth.scan import ScanStyle, images_to_pdf, render_pages, scan_image, scan_pdf

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
needs_engine = pytest.mark.skipif(not ocr_engine.available(), reason="OCR extra not installed (nianbao[ocr])")


def _expected(text: str) -> dict[tuple[str, str, str], str]:
    return {(r["table"], r["row"], r["col"]): r["value"] for r in csv.DictReader(io.StringIO(text))}


@pytest.fixture(scope="module")
def table_page() -> tuple[bytes, dict]:
    """The page with table 三 of a synthetic report, scanned (150 dpi, tilted, blurred, JPEG, sealed), as PNG."""
    report = next(generate_corpus(5, n_agencies=1, years=[2022], formats=("pdf",), blank_share=0.0))
    pages = render_pages(report.data, 150)
    rng = random.Random(1)
    # the page where table 三 starts (its page depends on the narrative's length)
    start = next(b.place.page for b in read_bytes(report.data, report.name).blocks
                 if isinstance(b, TableBlock) and "本年新收" in str(b.rows))
    scan = scan_image(pages[start - 1], ScanStyle(150, 0.8, 0.4, 70), rng, seal_text="测试区人民政府办公室")
    buf = io.BytesIO()
    scan.save(buf, "PNG", dpi=(150, 150))
    expected = {k: v for k, v in _expected(report.expected_csv).items() if k[0] == "applications"}
    return buf.getvalue(), expected


def _check_cells(loaded: dict[tuple[str, str, str], tuple[str, str]], expected: dict) -> None:
    wrong = {k: (v, expected[k]) for k, (v, _) in loaded.items() if k in expected and v != expected[k]}
    assert wrong == {}, "a wrong number was loaded"
    verified = [k for k in expected if k in loaded and " verified " in loaded[k][1]]
    assert len(verified) >= 0.95 * len(expected), f"{len(verified)}/{len(expected)} verified"


def test_images_are_sniffed_by_content() -> None:
    assert sniff_format(b"\x89PNG\r\n\x1a\n....", "a.txt") == "image"
    assert sniff_format(b"\xff\xd8\xff\xe0..JFIF", "") == "image"
    assert sniff_format(b"II*\x00....", "scan.dat") == "image"
    assert sniff_format(b"MM\x00*....", "") == "image"


@needs_engine
def test_scanned_png_through_parse(table_page, tmp_path) -> None:
    data, expected = table_page
    f = tmp_path / "scan.png"
    f.write_bytes(data)
    out = CliRunner().invoke(app, ["parse", str(f), "--format", "json"])
    report = json.loads(out.stdout)
    loaded = {(r["table"], r["row"], r["col"]): (r["value"], r["place"]) for r in report["facts"]}
    _check_cells(loaded, expected)
    assert any("read by OCR" in w for w in report["warnings"]) and report["format"] == "png"


@needs_engine
def test_scanned_png_through_ingest(table_page, tmp_path) -> None:
    data, expected = table_page
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "scan.png").write_bytes(data)
    db = tmp_path / "n.duckdb"
    outcomes = ingest([tmp_path / "in"], db)
    assert [o.action for o in outcomes] == ["loaded"]
    with duckdb.connect(str(db), read_only=True) as con:
        facts = con.execute("SELECT table_key, row_key, col_key, value_text, place FROM facts").fetchall()
        warnings = con.execute("SELECT warnings FROM reports").fetchone()[0]
    loaded = {(t, r, c): (v, p) for t, r, c, v, p in facts}
    _check_cells(loaded, expected)
    assert all("; ocr " in p for _, p in loaded.values())
    assert "OCR" in warnings


def test_without_the_engine_scans_still_need_ocr(monkeypatch) -> None:
    """The extra missing (simulated ImportError): an image-only PDF is reported as needing OCR,
    as before, with the install hint; a picture file fails with the hint."""
    def missing():
        raise ocr_engine.OcrUnavailable(ocr_engine.INSTALL_HINT)

    monkeypatch.setattr(ocr_engine, "_engine", missing)
    report = next(generate_corpus(5, n_agencies=1, years=[2022], formats=("pdf",)))
    pages = render_pages(report.data, 72)
    pdf = images_to_pdf(pages, 72)
    parsed = parse_bytes(pdf, "scan.pdf")
    assert parsed.status == "failed" and "需要OCR" in parsed.error
    assert ocr_engine.INSTALL_HINT in parsed.warnings
    buf = io.BytesIO()
    pages[0].save(buf, "JPEG")
    picture = parse_bytes(buf.getvalue(), "scan.jpg")
    assert picture.status == "failed" and "nianbao[ocr]" in picture.error


def test_a_tall_digit_stem_is_not_erased_as_a_ruling() -> None:
    """The stem of a large 1 (12-pt digits at 200 dpi) is a vertical dark run as long as a short
    ruling; only runs that meet a ruling across them are erased, so the digit stays."""
    scale = 200 / 72
    gray = np.full((400, 600), 255, dtype=np.uint8)
    for y in (50, 150, 250, 350):
        gray[y:y + 3, 50:550] = 0
    for x in (50, 300, 547):
        gray[50:353, x:x + 3] = 0
    gray[80:120, 420:424] = 0  # a 1 in the middle of a cell, 40 px (14 pt) tall
    grids, lines = find_rulings(gray, scale)
    clean = erase_lines(gray, lines)
    assert len(grids) == 1 and grids[0].n_cols == 2
    assert (clean[80:120, 420:424] == 0).all(), "the digit's stem was erased"
    assert (clean[60:140, 301:302] == 255).all() and (clean[151:152, 100:200] == 255).all()


def _corpus_scan(stem: str) -> bytes:
    pdf = CORPUS / "reports" / f"{stem}.pdf"
    return scan_pdf(pdf.read_bytes(), random.Random(stem), style=ScanStyle(200, 0.6, 0.4, 70))[0]


@needs_engine
@pytest.mark.skipif(not (CORPUS / "reports").is_dir(), reason="shared corpus not present")
def test_corpus_continuation_page_reads_its_rows() -> None:
    """Page 4 of 洪泽区 2024 scanned: the rest of table 三. Its 1s read as 1 (their stems are not
    erased), and （六）/（七）, whose label cell is drawn in two parts, keep exactly 7 values."""
    import pypdfium2 as pdfium

    from nianbao.read.ocr import read_pdf_page

    pdf = pdfium.PdfDocument(_corpus_scan("huaian-hongzequ_2024"))
    try:
        items = read_pdf_page(pdf[3], 4)
    finally:
        pdf.close()
    table = next(t for _, t, _ in items if isinstance(t, TableBlock))
    brackets = str.maketrans("()", "（）")
    rows = {re.sub(r"\s", "", r[-8].text).translate(brackets): [c.text for c in r[-7:]]
            for r in table.rows if len(r) >= 8}
    assert rows["（七）总计"] == ["95", "0", "0", "0", "0", "0", "95"]
    assert rows["（六）其他处理"] == ["0"] * 7
    assert rows["1.信访举报投诉类申请"] == ["1", "0", "0", "0", "0", "0", "1"]
    assert [len(r) for r in table.rows if any("其他处理" in c.text for c in r)] == [8]


@pytest.mark.slow
@needs_engine
@pytest.mark.skipif(not (CORPUS / "reports").is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("stem", ["huaian-hongzequ_2023", "huaian-hongzequ_2024"])
def test_corpus_scans_read_to_their_expected_values(stem) -> None:
    """The real 洪泽区 reports, scanned and read back: never a wrong number, and every expected
    cell either loaded or named as not loaded. 2024 reads its 表三 and 表四 completely; of its
    表二, a 0 read at 0.50 in its row and 0.88 alone is not sure enough and is withheld (since
    each crop is recognised at its own width, docs/ocr.md). 2023 prints 表四 totals of 0 beside
    维持 10 / 纠正 1 and 维持 5 (T4-1 fails in the report itself), so those two rows cannot be
    verified and are withheld — the other 176 of 186 cells are read."""
    expected = _expected((CORPUS / "expected" / f"{stem}.pdf.csv").read_text(encoding="utf-8"))
    report = parse_bytes(_corpus_scan(stem), f"{stem}.pdf")
    loaded = {f.key: f.value.as_csv() for f in report.facts}
    assert {k: v for k, v in loaded.items() if k in expected and v != expected[k]} == {}
    missing = {".".join(k) for k in expected if k not in loaded}
    named = next((w.split("not loaded: ")[1].split(", ") for w in report.warnings if "not loaded: " in w), [])
    assert missing <= set(named)
    if stem.endswith("2024"):
        assert {m.split(".")[0] for m in missing} <= {"active"} and len(missing) <= 1
    else:
        assert {m.rsplit(".", 1)[0] for m in missing} == {"review_litigation.review",
                                                          "review_litigation.litigation_after_review"}


@needs_engine
@pytest.mark.parametrize("size", [24, 30, 34])
def test_a_lone_zero_read_alone_reads_as_zero(size) -> None:
    """The second reading of a cell (its crop alone) gave 。 for a lone 0 cropped tight to
    its ink; with white paper above and below it reads what the image shows."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    from nianbao.read import ocr

    font = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not font.exists():
        pytest.skip("Noto Sans CJK not installed")
    img = Image.new("L", (200, 100), 255)
    ImageDraw.Draw(img).text((80, 20), "0", font=ImageFont.truetype(str(font), size), fill=0)
    gray = np.asarray(img.filter(ImageFilter.GaussianBlur(0.5)))
    box = ocr._ink_box(gray, (2, 2, 198, 98))
    assert ocr._read_strips(gray, [[box]], ocr._ALONE_MARGIN)[box][0] == "0"


@needs_engine  # opencv comes with the engine
def test_ruling_remnants_are_not_a_cells_ink() -> None:
    """Stubs of erased rulings in a cell's corners and a sliver along its edge (a straightened
    page's) read as "—0" or made a lone 0 look two lines tall; a 1 touching the edge stays."""
    from nianbao.read import ocr

    gray = np.full((46, 98), 255, dtype=np.uint8)
    gray[14:31, 45:54] = 0
    gray[16:29, 47:52] = 255  # a 0: a ring, 9 × 17 px
    gray[0:3, 0:4] = gray[43:46, 0:4] = gray[0:2, 90:94] = 0  # stubs in three corners
    gray[4:46, 96:98] = 0  # a sliver along the right edge
    assert ocr._ink_box(gray, (0, 0, 98, 46)) == (45.0, 14.0, 54.0, 31.0)
    gray[14:31, 0:2] = 0  # a 1 at the left edge: no stub, no sliver
    assert ocr._ink_box(gray, (0, 0, 98, 46)) == (0.0, 14.0, 54.0, 31.0)


def test_an_odd_glyph_read_again_alone_gives_way_and_says_so() -> None:
    from nianbao.read import ocr
    from nianbao.read.pdfgeom import Grid

    boxes = [(0.0, 0.0, 10.0, 10.0), (10.0, 0.0, 20.0, 10.0), (20.0, 0.0, 30.0, 10.0), (30.0, 0.0, 40.0, 10.0)]
    grid = Grid((0, 0, 40, 10), tuple((0, i, 1, 1, b) for i, b in enumerate(boxes)), 1, 4)
    read = {boxes[0]: ("3", 0.99), boxes[1]: ("。", 0.9), boxes[2]: ("8", 0.97), boxes[3]: ("０", 0.5)}
    again = {boxes[1]: ("0", 0.8), boxes[2]: ("3", 0.99), boxes[3]: ("0", 0.9)}
    table = ocr._table(grid, [(0, b, []) for b in boxes], read, again, 1.0, 1)
    first, odd, other, wide = table.rows[0]
    assert (wide.place.reread, wide.place.again) == (True, 0.9)  # a full-width ０ is the same 0
    assert (first.text, first.place.reread) == ("3", None)
    assert (odd.text, odd.place.confidence, odd.place.first) == ("0", 0.8, "。")
    assert str(odd.place).endswith("; ocr 0.80 reread-replaces:。")
    # a digit read otherwise alone is not replaced: the two readings disagree, nothing more
    assert (other.text, other.place.reread, other.place.first) == ("8", False, "")


def test_ocr_threads_follow_the_pool(monkeypatch) -> None:
    """One thread per engine when the ingest pool runs several workers, all cores when one."""
    import os

    from nianbao.worker import _init_worker

    monkeypatch.setattr("nianbao.worker.die_with_parent", lambda: None)
    monkeypatch.setenv(ocr_engine.OCR_THREADS_ENV, "0")  # restored after the test
    assert ocr_engine.ocr_threads() == (os.cpu_count() or 1)
    _init_worker(0, workers=2)
    assert ocr_engine.ocr_threads() == 1
    _init_worker(0, workers=1)
    assert ocr_engine.ocr_threads() == (os.cpu_count() or 1)
    monkeypatch.setenv(ocr_engine.OCR_THREADS_ENV, "not a number")
    assert ocr_engine.ocr_threads() == (os.cpu_count() or 1)


@pytest.mark.slow
@needs_engine
def test_generated_scans_of_both_forms_read_exactly_and_verified() -> None:
    """The issue's target on a small set (bench_ocr.py measures it on 100): a 2019-form and a
    2021-form report, scanned with blur, skew, JPEG and a seal, read with ≥ 98 % of their cells
    exact and verified by the arithmetic, and not one wrong number."""
    from nianbao.synth.scan import scanned_corpus

    items = list(scanned_corpus(1, 3))
    cells = verified = 0
    for name, data, expected_csv, _ in (items[0], items[2]):  # report years 2019 and 2021
        expected = _expected(expected_csv)
        report = parse_bytes(data, name)
        loaded = {f.key: f for f in report.facts}
        assert {k: f.value.as_csv() for k, f in loaded.items()
                if k in expected and f.value.as_csv() != expected[k]} == {}, name
        cells += len(expected)
        verified += sum(1 for k, v in expected.items() if k in loaded and loaded[k].value.as_csv() == v
                        and (" verified " in loaded[k].place or " corrected " in loaded[k].place))
    assert verified >= 0.98 * cells, (verified, cells)
