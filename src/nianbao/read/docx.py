"""Word (DOCX) reports: body paragraphs and tables in document order, merged cells resolved once.

python-docx opens the package; the body is walked at the XML level because ``Row.cells``
repeats a merged cell at every grid position it covers. Headers and footers are not part of
the body and are never read.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from nianbao.limits import MB, limits
from nianbao.read.document import Cell, Document, Paragraph, Place, ReadError, TableBlock
from nianbao.read.repair import drop_label_fillers

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC = f"{{{_W}}}p", f"{{{_W}}}tbl", f"{{{_W}}}tr", f"{{{_W}}}tc"
_SDT, _SDT_CONTENT = f"{{{_W}}}sdt", f"{{{_W}}}sdtContent"
_TEXT, _TAB, _BR, _CR = f"{{{_W}}}t", f"{{{_W}}}tab", f"{{{_W}}}br", f"{{{_W}}}cr"
_FALLBACK = f"{{{_MC}}}Fallback"
_VAL = f"{{{_W}}}val"


def check_zip(data: bytes) -> None:
    """Before anything is decompressed: entry count, declared sizes (zipfile never inflates a
    member past its declared size, so these bound the work), ratios and member names."""
    lim = limits()
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReadError("DOCX 文件损坏，无法打开", f"corrupt DOCX, cannot be opened ({exc})") from exc
    if len(members) > lim.zip_entries:
        raise ReadError(f"DOCX 内文件过多（{len(members)} 个）", f"DOCX has too many parts ({len(members)})")
    total = sum(m.file_size for m in members)
    if total > lim.zip_uncompressed_mb * MB:
        raise ReadError(f"DOCX 解压后过大（{total // MB} MB）", f"DOCX too large uncompressed ({total // MB} MB)")
    for m in members:
        if m.file_size > 1 * MB and m.file_size > lim.zip_ratio * max(1, m.compress_size):
            raise ReadError("DOCX 压缩比异常（疑似压缩炸弹）", "DOCX compression ratio suspicious (zip bomb?)")
        name = m.filename
        if name.startswith(("/", "\\")) or ".." in name.split("/") or "\0" in name or ":" in name:
            raise ReadError("DOCX 内含非法文件路径", f"DOCX contains an unsafe member path: {name[:80]!r}")


def read_docx(data: bytes) -> Document:
    """Read a DOCX file's body. Raises ReadError when it is not a readable Word document."""
    body = _body(data)
    doc = Document([], "docx")
    _walk(body, doc)
    return doc


def _body(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(data)
    try:
        word = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise ReadError("DOCX 文件损坏，无法打开", f"corrupt DOCX, cannot be opened ({exc})") from exc
    return word.element.body


def _walk(container, doc: Document) -> None:
    """Paragraphs and tables of a body, cell or content control, in order."""
    for child in container:
        if child.tag == _P:
            _add_paragraph(_paragraph_text(child), doc)
        elif child.tag == _TBL:
            _add_table(child, doc)
        elif child.tag in (_SDT, _SDT_CONTENT) or child.tag.endswith("}customXml"):
            _walk(child.find(_SDT_CONTENT) if child.tag == _SDT else child, doc)


def _add_paragraph(text: str, doc: Document) -> None:
    for line in text.split("\n"):
        if line.strip():
            doc.blocks.append(Paragraph(line.strip(), Place(line=len(doc.blocks) + 1)))


def _paragraph_text(p) -> str:
    parts: list[str] = []
    for el in p.iter(_TEXT, _TAB, _BR, _CR):
        if any(a.tag == _FALLBACK for a in el.iterancestors()):
            continue  # the fallback copy of a text box repeats its primary content
        if el.tag == _TEXT:
            parts.append(el.text or "")
        else:
            parts.append("\t" if el.tag == _TAB else "\n")
    return "".join(parts)


def _cells_of(tr) -> list:
    """The w:tc of a row, including those wrapped in content controls."""
    out = []
    for child in tr:
        if child.tag == _TC:
            out.append(child)
        elif child.tag in (_SDT, f"{{{_W}}}customXml"):
            out.extend(child.iter(_TC))
    return out


def _add_table(tbl, doc: Document) -> None:
    if any(True for _ in tbl.iter(_TBL) if _ is not tbl):
        # a layout table holding the real tables: read its cells' contents as body text
        for tr in tbl.iter(_TR):
            if _nearest_table(tr) is tbl:
                for tc in _cells_of(tr):
                    _walk(tc, doc)
        return
    number = sum(isinstance(b, TableBlock) for b in doc.blocks) + 1
    table = drop_label_fillers(_grid(tbl, number))
    doc.blocks.append(table)


def _nearest_table(el):
    return next(el.iterancestors(_TBL), None)


def _int_prop(tc_or_tr, path: str, default: int) -> int:
    el = tc_or_tr.find(path)
    try:
        return max(1, int(el.get(_VAL))) if el is not None else default
    except (TypeError, ValueError):
        return default


def _vmerge(tc) -> str | None:
    """"restart", "continue" or None. A bare <w:vMerge/> continues the cell above."""
    el = tc.find(f"{{{_W}}}tcPr/{{{_W}}}vMerge")
    if el is None:
        return None
    return "restart" if el.get(_VAL) == "restart" else "continue"


def _grid(tbl, number: int) -> TableBlock:
    """Visible cells: gridSpan gives colspan, vertical merges give the top cell a rowspan."""
    placed: list[list[tuple[int, int, str, str | None]]] = []  # per row: (col, colspan, text, vmerge)
    for tr in tbl.iterchildren(_TR):
        col = _int_prop(tr, f"{{{_W}}}trPr/{{{_W}}}gridBefore", 0)
        row = []
        for tc in _cells_of(tr):
            span = _int_prop(tc, f"{{{_W}}}tcPr/{{{_W}}}gridSpan", 1)
            text = "\n".join(t for t in (_paragraph_text(p).strip() for p in tc.iter(_P)) if t)
            row.append((col, span, text, _vmerge(tc)))
            col += span
        placed.append(row)
    rows: list[tuple[Cell, ...]] = []
    for r, row in enumerate(placed):
        cells = []
        for col, span, text, merge in row:
            if merge == "continue":
                continue
            rowspan = _rowspan(placed, r, col) if merge == "restart" else 1
            cells.append(Cell(text, Place(table=number, row=r + 1, col=col + 1), rowspan, span))
        rows.append(tuple(cells))
    return TableBlock(tuple(rows), Place(table=number))


def _rowspan(placed: list, r: int, col: int) -> int:
    span = 1
    for below in placed[r + 1:]:
        if not any(c == col and m == "continue" for c, _, _, m in below):
            break
        span += 1
    return span
