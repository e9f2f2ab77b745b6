"""PDF, DOCX and DOC readers: the real corpus, round trips through generated files, bad files."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from nianbao.export import facts_csv
from nianbao.form import FORMS
from nianbao.parse import parse_bytes, parse_file
from nianbao.parse.values import parse_value
from nianbao.read import TableBlock, read_bytes
from nianbao.read import legacy as legacy_module

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed")
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
# PDFium lays out text in a font the PDF does not embed (reportlab's CID font STSong-Light) with a
# system font's metrics; with no CJK font installed, wrapped labels in narrow columns come apart.
needs_cjk_font = pytest.mark.skipif(
    not any(f for d in FONT_DIRS if d.is_dir() for f in d.rglob("*")
            if any(k in f.name.lower() for k in ("cjk", "wqy", "droidsansfallback", "simsun", "sourcehan"))),
    reason="no CJK font installed (Debian: apt-get install fonts-noto-cjk)")


def _rows(csv_text: str) -> dict[tuple[str, str, str], str]:
    return {(r["table"], r["row"], r["col"]): r["value"] for r in csv.DictReader(io.StringIO(csv_text))}


# --- the real corpus ------------------------------------------------------------------------

def _corpus_files(*exts: str) -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(p.name for p in (CORPUS / "reports").iterdir() if p.suffix.lstrip(".") in exts)


@needs_corpus
@pytest.mark.parametrize("name", [n for n in _corpus_files("pdf", "docx")
                                  if (CORPUS / "expected" / f"{n}.csv").exists()])
def test_corpus_report_parses_to_expected_csv(name: str) -> None:
    report = parse_file(CORPUS / "reports" / name)
    expected = _rows((CORPUS / "expected" / f"{name}.csv").read_text(encoding="utf-8"))
    got = _rows(facts_csv(report))
    assert got == expected
    assert report.status == "ok"


@needs_corpus
def test_blank_template_invents_no_numbers() -> None:
    report = parse_file(CORPUS / "reports" / "template-blank_2021.docx")
    assert report.facts, "the template's tables should be found"
    assert {f.value.kind for f in report.facts} == {"blank"}
    assert report.tables["applications"].found and report.tables["active"].found


@needs_corpus
def test_corpus_pdf_text_outside_tables_is_paragraphs_without_page_numbers() -> None:
    doc = read_bytes((CORPUS / "reports" / "huaian-hongzequ_2023.pdf").read_bytes(), "x.pdf")
    text = doc.text()
    assert "一、总体情况" in text and "六、其他需要报告的事项" in text
    assert "- 2 -" not in text and "- 3 -" not in text
    assert doc.page_count == 5 and not doc.pages_needing_ocr
    tables = [b for b in doc.blocks if isinstance(b, TableBlock)]
    assert len(tables) == 3, "tables 二 and 三 continue over a page break and are joined"


# --- generated reports ------------------------------------------------------------------------

@dataclass(frozen=True)
class Spot:
    """A cell of the layout: text at a top-left grid position with its spans."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


Layout = tuple[int, int, list[Spot]]  # rows, cols, cells

_BLOCKS = {
    "2021": (("第二十条第（一）项", ("regulations", "normative_documents")),
             ("第二十条第（五）项", ("licensing",)),
             ("第二十条第（六）项", ("penalty", "coercion")),
             ("第二十条第（八）项", ("admin_fees",))),
    "2019": (("第二十条第（一）项", ("regulations", "normative_documents")),
             ("第二十条第（五）项", ("licensing", "other_admin_services")),
             ("第二十条第（六）项", ("penalty", "coercion")),
             ("第二十条第（八）项", ("admin_fees",)),
             ("第二十条第（九）项", ("gov_procurement",))),
}
_FULL = str.maketrans({"(": "（", ")": "）"})
_PARTIAL_NOTE = "（区分处理的，只计这一情形，不计其他情形）"


def sample_value(table: str, row: str, col: str, i: int) -> str:
    """A printed cell: mostly numbers, with blanks, zeros, '/', a decimal fee and a signed change."""
    if col == "amount_10k_yuan":
        return "12.5"
    if col == "change":
        return "+3"
    return ("7", "0", "", "/", "15", "2", "31", "0")[i % 8] if table != "review_litigation" else str(i % 4)


def expected_value(printed: str) -> str:
    if printed == "/":
        return "NA"
    return printed.lstrip("+")


def sample_values(version: str) -> dict[tuple[str, str, str], str]:
    out = {}
    for table in FORMS[version].tables:
        for i, (row, col) in enumerate(table.cells()):
            out[(table.key, row.key, col.key)] = sample_value(table.key, row.key, col.key, i)
    return out


def layout_active(version: str, values: dict) -> Layout:
    table = FORMS[version].table("active")
    cells: list[Spot] = []
    r = 0
    for caption, keys in _BLOCKS[version]:
        cells.append(Spot(r, 0, caption, colspan=4))
        cols = table.row(keys[0]).cols
        last_span = 4 - len(cols)  # the last column takes what is left of the 3 value columns
        cells.append(Spot(r + 1, 0, "信息内容"))
        for j, col in enumerate(cols):
            head = table.column(col).zh + ("（单位：万元）" if col == "amount_10k_yuan" else "")
            cells.append(Spot(r + 1, 1 + j, head, colspan=last_span if j == len(cols) - 1 else 1))
        r += 2
        for key in keys:
            cells.append(Spot(r, 0, table.row(key).zh))
            for j, col in enumerate(cols):
                cells.append(Spot(r, 1 + j, values[("active", key, col)],
                                  colspan=last_span if j == len(cols) - 1 else 1))
            r += 1
    return r, 4, cells


def layout_applications(version: str, values: dict) -> Layout:
    table = FORMS[version].table("applications")
    cells = [Spot(0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
             Spot(0, 3, "申请人情况", colspan=7), Spot(1, 3, "自然人", rowspan=2),
             Spot(1, 4, "法人或其他组织", colspan=5), Spot(1, 9, "总计", rowspan=2)]
    cells += [Spot(2, 4 + j, name) for j, name in enumerate(("商业企业", "科研机构", "社会公益组织",
                                                             "法律服务机构", "其他"))]
    rows = table.rows
    outcome = [r for r in rows if r.key not in ("new_received", "carried_over", "carried_forward")]
    r = 3
    for row in rows:
        label = (row.prefix + row.zh).translate(_FULL) + (_PARTIAL_NOTE if row.key == "partially_granted" else "")
        if row.key == outcome[0].key:
            cells.append(Spot(r, 0, "三、本年度办理结果", rowspan=len(outcome)))
        if row.key in ("new_received", "carried_over", "carried_forward"):
            cells.append(Spot(r, 0, label, colspan=3))
        elif not row.group.startswith("("):
            cells.append(Spot(r, 1, label, colspan=2))
        else:
            members = [x for x in rows if x.group == row.group]
            if row is members[0]:
                cells.append(Spot(r, 1, row.group.translate(_FULL), rowspan=len(members)))
            cells.append(Spot(r, 2, label))
        cells += [Spot(r, 3 + j, values[("applications", row.key, col)]) for j, col in enumerate(row.cols)]
        r += 1
    return r, 10, cells


def layout_review(values: dict) -> Layout:
    table = FORMS["2021"].table("review_litigation")
    outcomes = [table.column(c).zh for c in table.rows[0].cols]
    cells = [Spot(0, 0, "行政复议", colspan=5), Spot(0, 5, "行政诉讼", colspan=10)]
    cells += [Spot(1, j, name, rowspan=2) for j, name in enumerate(outcomes)]
    cells += [Spot(1, 5, "未经复议直接起诉", colspan=5), Spot(1, 10, "复议后起诉", colspan=5)]
    cells += [Spot(2, 5 + j, outcomes[j % 5]) for j in range(10)]
    flat = [values[("review_litigation", row.key, col)] for row in table.rows for col in row.cols]
    cells += [Spot(3, j, v) for j, v in enumerate(flat)]
    return 4, 15, cells


def report_parts(version: str, values: dict) -> list[str | Layout]:
    year = "2023" if version == "2021" else "2020"
    return [f"某县人民政府办公室{year}年政府信息公开工作年度报告",
            "一、总体情况", f"{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。",
            "二、主动公开政府信息情况", layout_active(version, values),
            "三、收到和处理政府信息公开申请情况", layout_applications(version, values),
            "四、政府信息公开行政复议、行政诉讼情况", layout_review(values),
            "五、存在的主要问题及改进情况", "依申请公开答复规范性有待提高。",
            "六、其他需要报告的事项", "本年度未收取信息处理费。"]


def write_docx(parts: list) -> bytes:
    import docx

    document = docx.Document()
    for part in parts:
        if isinstance(part, str):
            document.add_paragraph(part)
            continue
        n_rows, n_cols, spots = part
        table = document.add_table(rows=n_rows, cols=n_cols)
        table.style = "Table Grid"
        for s in spots:
            cell = table.cell(s.row, s.col)
            if s.rowspan > 1 or s.colspan > 1:
                cell = cell.merge(table.cell(s.row + s.rowspan - 1, s.col + s.colspan - 1))
            cell.text = s.text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def split_layout(layout: Layout, at: int, repeat_header: bool) -> tuple[Layout, Layout]:
    """Cut a table before row ``at`` as a page break would: merged cells crossing the cut are
    continued by an empty cell; the second part may repeat the three header rows."""
    n_rows, n_cols, spots = layout
    head = 3 if repeat_header else 0
    first, second = [], [s for s in spots if s.row < head]
    for s in spots:
        if s.row < at <= s.row + s.rowspan - 1:
            first.append(Spot(s.row, s.col, s.text, at - s.row, s.colspan))
            second.append(Spot(head, s.col, "", s.row + s.rowspan - at, s.colspan))
        elif s.row < at:
            first.append(s)
        else:
            second.append(Spot(s.row - at + head, s.col, s.text, s.rowspan, s.colspan))
    return (at, n_cols, first), (n_rows - at + head, n_cols, second)


def write_reportlab_pdf(parts: list, repeat_header: bool = False) -> bytes:
    """A ruled PDF in the CID font STSong-Light; narrow label columns make labels wrap."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    num = ParagraphStyle("num", parent=cell, alignment=2)  # right-aligned numbers
    pieces: list = []
    for part in parts:
        if not isinstance(part, str) and part[1] == 10:  # table 三 runs over a page break
            top, rest = split_layout(part, 14, repeat_header)
            pieces += [top, PageBreak(), rest]
        else:
            pieces.append(part)
    flow = []
    for part in pieces:
        if isinstance(part, PageBreak | str):
            flow.append(Paragraph(part, body) if isinstance(part, str) else part)
            continue
        n_rows, n_cols, spots = part
        grid = [[""] * n_cols for _ in range(n_rows)]
        style = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for s in spots:
            is_value = parse_value(s.text) is not None
            grid[s.row][s.col] = Paragraph(s.text, num if is_value else cell)
            if s.rowspan > 1 or s.colspan > 1:
                style.append(("SPAN", (s.col, s.row), (s.col + s.colspan - 1, s.row + s.rowspan - 1)))
        widths = {4: [110, 110, 110, 110], 10: [22, 60, 75] + [38] * 7, 15: [30] * 15}[n_cols]
        table = Table(grid, colWidths=widths)
        table.setStyle(TableStyle(style))
        flow.append(table)

    def page_number(canvas, doc) -> None:
        canvas.setFont("STSong-Light", 10)
        canvas.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(flow, onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()


def convert(data: bytes, src_ext: str, target: str, tmp_path: Path) -> bytes:
    source = tmp_path / f"in.{src_ext}"
    source.write_bytes(data)
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(tmp_path / "out"), str(source)],
                   check=True, capture_output=True, timeout=180)
    return (tmp_path / "out" / f"in.{target}").read_bytes()


def assert_round_trip(data: bytes, name: str, version: str, values: dict) -> None:
    report = parse_bytes(data, name)
    got = _rows(facts_csv(report))
    expected = {k: expected_value(v) for k, v in values.items()}
    assert got == expected
    assert report.status == "ok", report.error
    assert report.form_version == version


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_docx_round_trip(version: str) -> None:
    values = sample_values(version)
    assert_round_trip(write_docx(report_parts(version, values)), "r.docx", version, values)


@needs_cjk_font
@pytest.mark.parametrize("version", ["2021", "2019"])
@pytest.mark.parametrize("repeat_header", [False, True])
def test_reportlab_pdf_round_trip(version: str, repeat_header: bool) -> None:
    values = sample_values(version)
    data = write_reportlab_pdf(report_parts(version, values), repeat_header)
    doc = read_bytes(data, "r.pdf")
    assert doc.page_count >= 2
    assert not any("—" in b.text for b in doc.blocks if not isinstance(b, TableBlock)), "page numbers dropped"
    tables = [b for b in doc.blocks if isinstance(b, TableBlock)]
    assert len(tables) == 3, "table 三 continues over the page break as one table"
    header_rows = sum(1 for row in tables[1].rows for c in row if c.text == "申请人情况")
    assert header_rows == 1, "a repeated header is not emitted twice"
    assert_round_trip(data, "r.pdf", version, values)


@needs_soffice
@pytest.mark.parametrize("version", ["2021", "2019"])
def test_libreoffice_pdf_round_trip(version: str, tmp_path: Path) -> None:
    values = sample_values(version)
    pdf = convert(write_docx(report_parts(version, values)), "docx", "pdf", tmp_path)
    assert_round_trip(pdf, "r.pdf", version, values)


@needs_soffice
def test_doc_round_trip_through_libreoffice(tmp_path: Path) -> None:
    values = sample_values("2021")
    doc = convert(write_docx(report_parts("2021", values)), "docx", "doc", tmp_path)
    assert_round_trip(doc, "r.doc", "2021", values)
    assert parse_bytes(doc, "r.wps").source_format == "wps"


def test_docx_merged_cells_appear_once() -> None:
    values = sample_values("2021")
    doc = read_bytes(write_docx(report_parts("2021", values)), "r.docx")
    applications = [b for b in doc.blocks if isinstance(b, TableBlock)][1]
    texts = [c.text for row in applications.rows for c in row]
    assert texts.count("三、本年度办理结果") == 1
    group = next(c for row in applications.rows for c in row if c.text == "三、本年度办理结果")
    assert group.rowspan == 22 and group.place.row == 6
    header = applications.rows[0][0]
    assert (header.rowspan, header.colspan) == (3, 3)


# --- files that cannot be read --------------------------------------------------------------

def _scanned_pdf(pages: int = 2) -> bytes:
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (400, 560), 255)
    ImageDraw.Draw(image).rectangle((40, 60, 360, 200), outline=0, width=3)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for _ in range(pages):
        pdf.drawImage(ImageReader(image), 0, 0, *A4)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_scanned_pdf_needs_ocr_and_yields_no_facts(monkeypatch) -> None:
    """Without the OCR extra (simulated: the engine cannot be imported). With it: tests/test_ocr_read.py."""
    from nianbao.read import ocr_engine

    def missing():
        raise ocr_engine.OcrUnavailable(ocr_engine.INSTALL_HINT)

    monkeypatch.setattr(ocr_engine, "_engine", missing)
    report = parse_bytes(_scanned_pdf(), "scan.pdf")
    assert report.status == "failed"
    assert not report.facts
    assert "需要OCR" in report.error and "needs OCR" in report.error and "1, 2" in report.error


def test_encrypted_pdf_fails_clearly() -> None:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt="secret")
    pdf.drawString(100, 700, "hello")
    pdf.save()
    report = parse_bytes(out.getvalue(), "locked.pdf")
    assert report.status == "failed"
    assert "PDF 已加密" in report.error and "encrypted PDF" in report.error


@pytest.mark.parametrize("data", [b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated", b"%PDF-1.4\n" + bytes(300)])
def test_corrupt_pdf_fails_clearly(data: bytes) -> None:
    report = parse_bytes(data, "broken.pdf")
    assert report.status == "failed"
    assert "PDF 文件损坏" in report.error and "corrupt PDF" in report.error


def test_corrupt_docx_fails_clearly() -> None:
    values = sample_values("2021")
    data = write_docx(report_parts("2021", values))
    report = parse_bytes(data[: len(data) // 2], "broken.docx")
    assert report.status == "failed"
    assert "DOCX 文件损坏" in report.error and "corrupt DOCX" in report.error


def test_doc_without_libreoffice_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy_module, "find_soffice", lambda: None)
    report = parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.doc")
    assert report.status == "failed"
    assert "LibreOffice" in report.error and "apt-get install libreoffice-writer-nogui" in report.error


@needs_soffice
def test_corrupt_doc_fails_clearly() -> None:
    report = parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.doc")
    assert report.status == "failed"
    assert "DOC" in report.error




def test_a_row_and_its_group_label_cut_by_a_page_break_are_joined():
    """LibreOffice's template PDF cut "（五）不予处理 / 1.信访举报投诉类申请" after "（五）" and "1．信":
    the next page starts with both labels' tails over blank cells. Read apart, the tail row took
    the form row with blank cells where the report printed 0 (wrong cells); joined, the values
    above belong to the whole label."""
    from nianbao.read.document import Cell, Place
    from nianbao.read.pdf import _join_split_row

    def row(page: int, *texts: str, first_col: int = 2) -> tuple[Cell, ...]:
        return tuple(Cell(t, Place(page=page, col=first_col + k)) for k, t in enumerate(texts))

    last = row(4, "（五）", "1．信", *["0"] * 7)
    head = row(5, "不予处\n理", "访举报\n投诉类\n申请", *[""] * 7)
    joined = _join_split_row(last, head)
    assert joined is not None
    assert [c.text for c in joined] == ["（五）\n不予处\n理", "1．信\n访举报\n投诉类\n申请", *["0"] * 7]
    # a caption and a repeated header at the top of a page are never glued on
    assert _join_split_row(last, row(5, "不予处理", "说明", *[""] * 7)) is None
