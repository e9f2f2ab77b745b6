"""The template route: the official blank template filled in Word's way, exported by LibreOffice.

Most agencies fill ``template-blank_2021.docx`` (the real blank template, from the corpus) and
"export as PDF" or save as HTML. This module does the same with python-docx — title, section
text, the three tables' cells, a page-number footer (``— 3 —``, ``- 3 -``, ``第 3 页``), sometimes
a running header, the signature/date block — and converts with ``soffice --headless``. The
2019 form is the same template with tables 二 and 三 rebuilt from the form declaration
(format-spec §3). Label perturbations are applied to the DOCX text before conversion.

Determinism: the DOCX input is byte-stable for a seed; LibreOffice's PDF is not (it stamps a
creation time and a document id), so outputs are cached under ``cache_dir`` keyed by the
DOCX's SHA-256 and the same seed returns the same bytes once the cache holds them.
"""

from __future__ import annotations

import copy
import hashlib
import io
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from nianbao.form import FORMS
from nianbao.synth import perturb
from nianbao.synth.grids import print_label
from nianbao.synth.layout import Layout
from nianbao.synth.render_docx import _fixed_zip, _table_template

TEMPLATE = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "reports" / "template-blank_2021.docx"
_ENV = "NIANBAO_TEMPLATE_DOCX"


class TemplateUnavailable(RuntimeError):
    """The blank template or LibreOffice is not on this machine."""


def template_path() -> Path:
    path = Path(os.environ.get(_ENV, TEMPLATE))
    if not path.is_file():
        raise TemplateUnavailable(f"blank template not found: {path} (set {_ENV})")
    return path


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise TemplateUnavailable("soffice (LibreOffice) is not installed")
    return exe


def fill_template(layout: Layout, plan: perturb.Plan, rng: random.Random) -> bytes:
    """The blank template filled with one report, as a DOCX (byte-stable)."""
    doc = Document(str(template_path()))
    _fill_text(doc, layout)
    tables = doc.tables
    if layout.version == "2019":
        for i, key in ((0, "active"), (1, "applications")):
            new = copy.deepcopy(_table_template("2019", key, layout.wrap_headers, layout.numbering)[0])
            _rule(new)
            tables[i]._tbl.addprevious(new)
            tables[i]._tbl.getparent().remove(tables[i]._tbl)
        tables = doc.tables
    _fill_values(tables, layout)
    edits: dict[str, str] = {}
    for kind in ("typo_declared", "typo_random", "drop_char"):
        if kind in plan.kinds:
            labels = perturb.row_labels(layout.version, layout.numbering)
            found = perturb.edit_labels(labels, kind, rng, rng.randint(1, 2))
            heads = [p.text for p in doc.paragraphs if p.text in perturb.headings(p.text)]
            found.update(perturb.edit_labels(heads, kind, rng, 1) if rng.random() < 0.5 else {})
            for old, new in found.items():
                plan.note(kind, f"{old} → {new}")
            edits.update(found)
    if edits:
        _relabel(doc, edits)
    if "extra_table" in plan.kinds:
        _extra_table(doc, plan, rng)
    _page_furniture(doc, layout, rng)
    doc.core_properties.author = doc.core_properties.last_modified_by = layout.agency.name
    doc.core_properties.title = layout.title
    raw = io.BytesIO()
    doc.save(raw)
    return _fixed_zip(raw.getvalue())


_BORDERS = ("<w:tblBorders {}>" + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                                          for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + "</w:tblBorders>")


def _rule(tbl) -> None:
    """Explicit cell borders: the template has no "Table Grid" style for a table built elsewhere."""
    tbl.tblPr.append(parse_xml(_BORDERS.format(nsdecls("w"))))


def _set_text(paragraph, text: str) -> None:
    runs = paragraph.runs
    if runs:
        runs[0].text = text
        for run in runs[1:]:
            run.text = ""
    else:
        paragraph.add_run(text)


def _fill_text(doc, layout: Layout) -> None:
    """Title, the narrative under its headings, and the signature/date block."""
    paras = doc.paragraphs
    _set_text(paras[1], layout.title)
    blocks = [b for b in layout.blocks if b[0] != "title"]
    # the narrative of each section goes where the template says （文字描述）
    by_section: dict[str, list[str]] = {}
    current = ""
    signature = []
    for kind, text in blocks:
        if kind == "heading":
            current = text[0]
        elif kind in ("para", "subheading") and current:
            by_section.setdefault(current, []).append(text)
        elif kind == "sign":
            signature.append(text)
        elif kind == "para":
            by_section.setdefault("前言", []).append(text)
    for p in paras:
        if p.text.startswith("（文字描述"):
            head = _previous_heading(p)
            texts = by_section.get(head, [""])
            _set_text(p, texts[0])
            anchor = p
            for text in texts[1:]:
                anchor = _paragraph_after(anchor, text)
    intro = by_section.get("前言")
    if intro:
        _set_text(paras[2], intro[0])
    last = doc.paragraphs[-1]
    for text in signature:
        last = _paragraph_after(last, text, WD_ALIGN_PARAGRAPH.RIGHT)


def _previous_heading(p) -> str:
    el = p._p.getprevious()
    while el is not None:
        text = "".join(t.text or "" for t in el.iter(qn("w:t")))
        if text[:2] in {f"{n}、" for n in "一二三四五六"}:
            return text[0]
        el = el.getprevious()
    return ""


def _paragraph_after(anchor, text: str, align=None):
    new = copy.deepcopy(anchor._p)
    anchor._p.addnext(new)
    from docx.text.paragraph import Paragraph

    para = Paragraph(new, anchor._parent)
    _set_text(para, text)
    if align is not None:
        para.alignment = align
    return para


def _unique_cells(row) -> list:
    out, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell)
    return out


def _fill_values(tables, layout: Layout) -> None:
    """Each form row's value cells: the last unique cells of the row whose label is the row's."""
    for table_doc, key in zip(tables[:3], ("active", "applications", "review_litigation"), strict=True):
        form_table = FORMS[layout.version].table(key)
        if key == "review_litigation":
            cells = _unique_cells(table_doc.rows[-1])
            slots = [(r.key, c) for r in form_table.rows for c in r.cols]
            for cell, (row, col) in zip(cells, slots, strict=True):
                _set_cell(cell, layout.cells[(key, row, col)].printed)
            continue
        rows = list(form_table.rows)
        for tr in table_doc.rows:
            if not rows:
                break
            cells = _unique_cells(tr)
            label = "".join(c.text for c in cells[:3]).replace("\n", "")
            row = rows[0]
            if print_label(row.zh) not in label:
                continue
            rows.pop(0)
            for cell, col in zip(cells[-len(row.cols):], row.cols, strict=True):
                _set_cell(cell, layout.cells[(key, row.key, col)].printed)


def _set_cell(cell, text: str) -> None:
    para = cell.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_text(para, text)


def _relabel(doc, edits: dict[str, str]) -> None:
    """Replace printed labels (in paragraphs and in table cells) by their edited forms."""
    done: set[str] = set()
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in _unique_cells(row):
                paragraphs.extend(cell.paragraphs)
    for p in paragraphs:
        text = p.text
        for old, new in edits.items():
            if old not in done and (text == old or text.startswith(old + "（") or
                                    text.replace("\n", "") == old):
                _set_text(p, text.replace(old, new, 1))
                done.add(old)
                break


def _extra_table(doc, plan: perturb.Plan, rng: random.Random) -> None:
    rows = perturb.extra_table_rows(rng)
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    _rule(table._tbl)
    for tr, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(tr.cells, values, strict=True):
            _set_text(cell.paragraphs[0], value)
    where = rng.choice(("三", "五", "六"))
    anchor = next(p for p in doc.paragraphs if p.text.startswith(f"{where}、"))
    anchor._p.addprevious(table._tbl)
    plan.note("extra_table", f"before {where}: {rows[0]}")


_FOOTERS = ("— {} —", "- {} -", "第 {} 页", "-{}-")


def _page_furniture(doc, layout: Layout, rng: random.Random) -> None:
    """A centred page-number footer on every page; a running header in some reports."""
    section = doc.sections[0]
    footer = section.footer
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = rng.choice(_FOOTERS).split("{}")
    para.add_run(before)
    para._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    para.add_run(after)
    for run in para.runs:
        run.font.size = Pt(12)
    if rng.random() < 0.4:
        header = section.header
        header.is_linked_to_previous = False
        _set_text(header.paragraphs[0], rng.choice((layout.title, layout.agency.name)))


def convert(docx: bytes, fmt: str, cache_dir: str | Path | None = None, timeout: float = 120) -> bytes:
    """``docx`` converted to ``fmt`` (pdf | html) by LibreOffice, cached by the input's hash."""
    key = hashlib.sha256(docx).hexdigest()
    cached = Path(cache_dir) / f"{key}.{fmt}" if cache_dir else None
    if cached and cached.is_file():
        return cached.read_bytes()
    exe = soffice()
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(docx)
        # a private profile per call, so parallel conversions do not clash over one profile lock
        profile = Path(tmp) / "profile"
        subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
                        "--outdir", tmp, str(src)], capture_output=True, timeout=timeout, check=False)
        out = Path(tmp) / f"report.{fmt}"
        if not out.is_file():
            raise TemplateUnavailable(f"LibreOffice did not convert the report to {fmt}")
        data = out.read_bytes()
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(data)
    return data


def render_template(layout: Layout, plan: perturb.Plan, rng: random.Random, fmt: str,
                    cache_dir: str | Path | None = None) -> bytes:
    return convert(fill_template(layout, plan, rng), fmt, cache_dir)
