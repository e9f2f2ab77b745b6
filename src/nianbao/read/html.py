"""HTML reports: paragraphs and data tables, merged cells resolved, page chrome dropped."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from nianbao.limits import limits
from nianbao.read.document import Cell, Document, Paragraph, Place, ReadError, TableBlock

_DROP = ("script", "style", "noscript", "iframe", "head", "nav", "footer", "header", "button",
         "select", "form")
_CHROME = re.compile(r"(^|[-_ ])(nav|menu|footer|foot|header|breadcrumb|crumb|share|sidebar|topbar)"
                     r"($|[-_ \d])", re.I)
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "section", "article",
               "ucapcontent", "center", "blockquote", "pre", "dd", "dt"}
_LINE_ENDING = frozenset(_BLOCK_TAGS | {"table", "td", "th"})


def read_html(text: str) -> Document:
    if not text.strip():
        raise ReadError("HTML 内容为空", "empty HTML page")
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError("HTML 无法解析", f"HTML cannot be parsed: {exc}") from exc
    properties = {m.get("name"): m.get("content").strip() for m in root.iter("meta")
                  if m.get("name") and m.get("content") and m.get("content").strip()}
    for el in root.iter(*_DROP):
        el.drop_tree() if el.getparent() is not None else None
    # only an element with a class or an id can be chrome: the others need no look
    for el in root.xpath("//*[@class or @id]"):
        if el.getparent() is None:
            continue
        marker = f"{el.get('class', '')} {el.get('id', '')}"
        if _CHROME.search(marker) and not _has_table_inside(el):
            el.drop_tree()
    doc = Document([], "html", properties=properties)
    current = limits()  # read once per page: it comes from the environment
    _walk(root, doc, [], 0, _Walk(current.html_depth, current.html_cells))
    return doc


class _Walk:
    """What the walk needs besides the element: the limits in force, the tables seen so far."""

    def __init__(self, max_depth: int, max_cells: int) -> None:
        self.max_depth, self.max_cells, self.tables = max_depth, max_cells, 0


def _has_table_inside(el) -> bool:
    return next(el.iterdescendants("table"), None) is not None


def _walk(el, doc: Document, line: list[str], depth: int, walk: _Walk) -> None:
    """Depth-first: text accumulates into the current line; block tags end it; leaf tables emit."""
    if depth > walk.max_depth:
        raise ReadError(f"HTML 嵌套过深（超过 {walk.max_depth} 层）",
                        f"HTML nested too deeply (over {walk.max_depth} levels)")
    if el.tag == "table" and not _has_table_inside(el):
        _flush(doc, line)
        walk.tables += 1
        doc.blocks.append(_table(el, walk.tables, walk.max_cells))
        if el.tail and el.tail.strip():
            line.append(el.tail)
        return
    block = isinstance(el.tag, str) and el.tag.lower() in _LINE_ENDING
    if block:
        _flush(doc, line)
    if isinstance(el.tag, str) and el.text:
        line.append(el.text)
    for child in el:
        _walk(child, doc, line, depth + 1, walk)
    if block:
        _flush(doc, line)
    if el.tail:
        line.append(el.tail)


def _flush(doc: Document, line: list[str]) -> None:
    text = "".join(line).replace("\u00a0", " ").strip()
    line.clear()
    for part in text.splitlines():
        if part.strip():
            doc.blocks.append(Paragraph(part.strip(), Place(line=len(doc.blocks) + 1)))


def _cell_text(td) -> str:
    for el in td.iter("br", "p", "div"):  # one walk: each sets only its own tail
        el.tail = "\n" + (el.tail or "")
    return td.text_content().replace("\u00a0", " ").strip()


def _table(table, number: int, max_cells: int) -> TableBlock:
    """Rows of cells; a merged cell appears once, at its top-left grid position."""
    rows: list[tuple[Cell, ...]] = []
    taken: set[tuple[int, int]] = set()
    budget = max_cells  # rowspan × colspan expanded: a 15 KB page could ask for billions
    for r, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")):
        c = 0
        cells: list[Cell] = []
        for td in tr.iterchildren("td", "th"):  # document order, as "./td|./th" gives
            while (r, c) in taken:
                c += 1
            rowspan = _span(td.get("rowspan"))
            colspan = _span(td.get("colspan"))
            budget -= rowspan * colspan
            if budget < 0:
                raise ReadError(f"HTML 表格过大（超过 {max_cells} 个单元格）",
                                f"HTML table too large (over {max_cells} cells)")
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            cells.append(Cell(_cell_text(td), Place(table=number, row=r + 1, col=c + 1), rowspan, colspan))
            c += colspan
        rows.append(tuple(cells))
    return TableBlock(tuple(rows), Place(table=number))


def _span(value: str | None) -> int:
    if value is None:  # most cells: no exception to raise and catch
        return 1
    try:
        return max(1, min(int(str(value).strip()), 200))
    except (TypeError, ValueError):
        return 1
