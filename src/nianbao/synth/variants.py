"""Many realistic variants of reports over every production route, for measuring fidelity.

Routes: ``txt`` (text copied out of a page or PDF), ``crawler`` (a crawler's text: one table
row per line, cells joined by spaces), ``html`` (a CMS page), ``docx`` / ``pdf`` (python-docx
and reportlab), ``template_pdf`` / ``template_html`` (the official blank template filled and
converted by LibreOffice, :mod:`nianbao.synth.template`). Each report draws its perturbations
(:mod:`nianbao.synth.perturb`) with their rates and records them in ``meta["perturbations"]``.
Same seed, same bytes (the LibreOffice routes: same DOCX input; see ``template``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from nianbao.synth import perturb
from nianbao.synth.agencies import select_agencies
from nianbao.synth.cells import Cell, choose_style, expected_csv, fit_to_form
from nianbao.synth.corpus import SynthReport, natural_form, render
from nianbao.synth.grids import build_grid, place_cells
from nianbao.synth.layout import Layout
from nianbao.synth.numbers import generate_year, new_state
from nianbao.synth.text import write_narrative

ROUTES: tuple[str, ...] = ("txt", "crawler", "html", "docx", "pdf", "template_pdf", "template_html")
DEFAULT_WEIGHTS: tuple[float, ...] = (0.3, 0.2, 0.3, 0.05, 0.05, 0.05, 0.05)
_EXT = {"txt": "txt", "crawler": "txt", "html": "html", "docx": "docx", "pdf": "pdf",
        "template_pdf": "pdf", "template_html": "html"}
_BLANK = Cell("", "")


def generate_variants(seed: int, n: int, routes: Sequence[str] = ROUTES,
                      weights: Sequence[float] | None = None, rates: dict[str, float] | None = None,
                      cache_dir: str | Path | None = None,
                      years: Sequence[int] = range(2019, 2026)) -> Iterator[SynthReport]:
    """``n`` reports: agencies year by year, each on a route drawn by ``weights``."""
    if weights is None and tuple(routes) == ROUTES:
        weights = DEFAULT_WEIGHTS
    count = 0
    for agency in select_agencies(random.Random(f"{seed}:agencies"), n // len(years) + 1):
        numbers_rng = random.Random(f"{seed}:{agency.id}")
        state = new_state(agency, numbers_rng)
        for year in years:
            if count >= n:
                return
            count += 1
            figures = generate_year(agency, state, year, numbers_rng)
            rng = random.Random(f"{seed}:{agency.id}:{year}:variant")
            route = rng.choices(list(routes), weights=weights)[0]
            version = natural_form(year)
            if rng.random() < 0.1:
                version = "2021" if version == "2019" else "2019"
            plan = perturb.choose(route, rng, rates)
            perturb.choose_late(route, plan, random.Random(f"{seed}:{agency.id}:{year}:late"), rates)
            # crawler text loses blank cells altogether, so its reports print every cell
            plain = route == "crawler"
            style = choose_style(rng, 0.0 if plain else 0.05, state.makes_regulations or plain)
            cells = fit_to_form(figures, version, style)
            if "blank_table4" in plan.kinds:
                cells.update({k: _BLANK for k in cells if k[0] == "review_litigation"})
                plan.note("blank_table4", "表四 all blank")
            day = rng.randint(8, 30)
            narrative = write_narrative(agency, year, cells, (figures.published_total, figures.published_website,
                                                              figures.published_new_media),
                                        (figures.fee_notices, figures.fee_collected_yuan), rng, None, day)
            layout = Layout(agency, year, narrative.title, version, tuple(narrative.blocks), cells,
                            wrap_headers=rng.random() < 0.5, numbering="．" if rng.random() < 0.15 else ".",
                            indent="　　" if rng.random() < 0.3 else "", published_on=f"{year + 1}-01-{day:02d}")
            data = render_route(route, layout, plan, rng, cache_dir)
            name = f"{agency.id}_{year}_{route}.{_EXT[route]}"
            meta = {"file": name, "agency": agency.name, "report_year": year, "route": route,
                    "form_version": version, "perturbations": plan.applied, "seed": seed}
            yield SynthReport(name, data, expected_csv(cells), meta)


def render_route(route: str, layout: Layout, plan: perturb.Plan, rng: random.Random,
                 cache_dir: str | Path | None = None) -> bytes:
    if route in ("template_pdf", "template_html"):
        from nianbao.synth.template import render_template

        return render_template(layout, plan, rng, "pdf" if route == "template_pdf" else "html", cache_dir)
    if route in ("docx", "pdf"):
        return render(route, layout)
    text = render_crawler(layout) if route == "crawler" else render(route, layout).decode("utf-8")
    return apply_text(text, route, layout, plan, rng).encode("utf-8")


def render_crawler(layout: Layout) -> str:
    """A crawler's text: paragraphs as lines, each table row on one line, cells joined by spaces."""
    lines: list[str] = []
    for kind, text in layout.blocks:
        if kind != "table":
            lines.append(text)
            continue
        grid = build_grid(layout.version, text, layout.wrap_headers, layout.numbering)
        for row in place_cells(grid):
            parts = [layout.cells[c.slot].printed if c.slot else c.text.replace("\n", "") for _, c in row]
            lines.append(" ".join(p for p in parts if p))
    return "\n".join(lines) + "\n"


# --- text perturbations ---------------------------------------------------------------------

_NEXT_HEADING = {"active": "三", "applications": "四", "review_litigation": "五"}


def apply_text(text: str, route: str, layout: Layout, plan: perturb.Plan, rng: random.Random) -> str:
    """The planned perturbations applied to a txt, crawler or HTML rendering."""
    kinds = plan.kinds
    if "run_together" in kinds:
        text = _run_together(text, layout, plan, rng)
    if "page_split" in kinds:
        text = _page_split(text, route, layout, plan, rng)
    if "page_furniture" in kinds:
        text = _furniture_under(text, route, layout, plan, rng)
    if "prose_runin" in kinds:
        text = _prose_runin(text, route, layout, plan, rng)
    if "extra_table" in kinds:
        text = _extra_table(text, route, plan, rng)
    for kind in ("typo_declared", "typo_random", "drop_char"):
        if kind in kinds:
            text = _edit_labels(text, route, layout, kind, plan, rng)
    if "width_mix" in kinds:
        text = _width_mix(text, route, plan, rng)
    if "lost_separators" in kinds:  # last: the others find rows and headings by their lines
        text = _lose_separators(text, plan, rng)
    return text


def _heading_at(text: str, number: str) -> int:
    """Where section ``number``'s heading starts (rows such as 四、结转… are not headings)."""
    for head in perturb.headings(text):
        if head.startswith(number):
            m = re.search(rf"(?:^|\n|>){re.escape(head)}", text)
            if m:
                return m.start() + (0 if m.group().startswith(number) else 1)
    raise ValueError(f"no heading {number}")


def _last_cell_end(text: str, route: str, table: str) -> int:
    """Offset just after the last value of ``table`` (before the next section heading)."""
    head = _heading_at(text, _NEXT_HEADING[table])
    if route == "html":
        return text.rfind("</p></td>", 0, head)
    if route == "txt":
        start = text.rfind("\n\t", 0, head)
        return text.index("\n", start + 1)
    return len(text[:head].rstrip("\n"))


def _insert(text: str, at: int, piece: str) -> str:
    return text[:at] + piece + text[at:]


def _furniture_lines(layout: Layout, page: int, rng: random.Random) -> str:
    mark = perturb.page_mark(page, rng)
    header = rng.choice((layout.title, layout.agency.name, ""))
    return f"\n{mark}\n{header}" if header else f"\n{mark}"


def _furniture_under(text: str, route: str, layout: Layout, plan: perturb.Plan, rng: random.Random) -> str:
    """A page number (and the next page's running header) right under a table's last row."""
    table = rng.choice(("review_litigation", "applications", "active"))
    at = _last_cell_end(text, route, table)
    plan.note("page_furniture", f"under the last row of {table}")
    return _insert(text, at, _furniture_lines(layout, rng.randint(2, 6), rng))


def _page_split(text: str, route: str, layout: Layout, plan: perturb.Plan, rng: random.Random) -> str:
    """A page break inside a row of table 三: the label on one page, (some) values on the next."""
    start, end = _heading_at(text, "三"), _heading_at(text, "四")
    rows = [m for m in re.finditer(r"\n(\t?)(（[一二三四五六七]）|[一二三四]、|\d[.．])[^\n\t]*", text[start:end])]
    rows = [m for m in rows if not m.group().strip().startswith("三、")]
    if not rows:
        return text
    m = rng.choice(rows)
    at = start + m.end()
    if route == "crawler":  # inside the line: after the label and a few values
        line_end = text.index("\n", at)
        spaces = [i for i in range(at, line_end) if text[i] == " "][1:]
        at = rng.choice(spaces) if spaces else line_end
        piece = _furniture_lines(layout, rng.randint(2, 6), rng) + "\n"
        plan.note("page_split", m.group().strip())
        return text[:at] + piece + text[at + 1:]
    plan.note("page_split", m.group().strip())
    return _insert(text, at, _furniture_lines(layout, rng.randint(2, 6), rng))


def _prose_runin(text: str, route: str, layout: Layout, plan: perturb.Plan, rng: random.Random) -> str:
    table = rng.choice(("review_litigation", "applications", "active"))
    at = _last_cell_end(text, route, table)
    sentence = perturb.runin_sentence(layout.year, rng)
    plan.note("prose_runin", f"{table}: {sentence}")
    return _insert(text, at, " " + sentence)


def _extra_table(text: str, route: str, plan: perturb.Plan, rng: random.Random) -> str:
    rows = perturb.extra_table_rows(rng)
    where = rng.choice(("三", "五", "六"))  # after table 二, after table 四, inside section 五
    at = _heading_at(text, where)
    if where == "六":
        at = text.index("\n", _heading_at(text, "五") + 1)
        at = text.index("\n", at + 1) if route != "html" else text.index("</p>", at) + 4
    plan.note("extra_table", f"before {where}: {rows[0]}")
    if route == "html":
        body = "".join("<tr>" + "".join(f"<td><p>{c}</p></td>" for c in row) + "</tr>" for row in rows)
        return _insert(text, at, f'<table border="1"><tbody>{body}</tbody></table>\n')
    if route == "txt":
        body = "\n".join("".join(f"\t{c}\n" for c in row) for row in rows)
        return _insert(text, at, f"\n{body}\n")
    return _insert(text, at, "".join(" ".join(row) + "\n" for row in rows))


def _edit_labels(text: str, route: str, layout: Layout, kind: str, plan: perturb.Plan,
                 rng: random.Random) -> str:
    lead = {"txt": "\t", "html": ">", "crawler": "\n"}[route]
    labels = perturb.row_labels(layout.version, layout.numbering)
    heads = perturb.headings(text)
    edits = perturb.edit_labels(labels, kind, rng, rng.randint(1, 2))
    edits.update(perturb.edit_labels(heads, kind, rng, 1) if rng.random() < 0.5 else {})
    for old, new in edits.items():
        heading = old in heads
        key = ("\n" if heading and route != "html" else (">" if heading else lead)) + old
        i = text.find(key)
        if i < 0:
            continue
        text = text[:i] + key[0] + new + text[i + len(key):]
        plan.note(kind, f"{old} → {new}")
    return text


_FULL_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _width_mix(text: str, route: str, plan: perturb.Plan, rng: random.Random) -> str:
    """Half-width brackets in some labels, full-width digits in some cells."""
    def label(m: re.Match[str]) -> str:
        return m.group().replace("（", "(").replace("）", ")") if rng.random() < 0.5 else m.group()

    text = re.sub(r"（[一二三四五六七]）", label, text)
    cell = {"html": r"(?<=>)\d+(?=</p>)", "txt": r"(?<=\t)\d+(?=\n)", "crawler": r"(?<= )\d+(?= )"}[route]
    text = re.sub(cell, lambda m: m.group().translate(_FULL_DIGITS) if rng.random() < 0.2 else m.group(), text)
    plan.note("width_mix", "（）→() and full-width digits")
    return text


def _run_together(text: str, layout: Layout, plan: perturb.Plan, rng: random.Random) -> str:
    """Crawler text whose cell separators were lost in one or two rows: 3 0 0 0 0 0 3 → 3000003."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("三、") and "申请" in line)
    rows = [i for i in range(start, len(lines)) if re.search(r"(?: \d+){7}$", lines[i])][:25]
    for i in rng.sample(rows, min(len(rows), rng.randint(1, 2))):
        m = re.search(r"(?: \d+){7}$", lines[i])
        lines[i] = lines[i][:m.start()] + " " + m.group().replace(" ", "")
        plan.note("run_together", lines[i])
    return "\n".join(lines)


def _lose_separators(text: str, plan: perturb.Plan, rng: random.Random) -> str:
    """A crawled HTML page whose tables lost every separator (the real pingtan-syq reports):
    from 表二's heading to 五's, labels, cells and rows run together ("行政规范性文件693665第二十条…",
    "1.属于国家秘密00000002.其他…"); here and there a space survives where a cell or line ended."""
    try:
        start, end = _heading_at(text, "二"), _heading_at(text, "五")
    except ValueError:
        return text  # a retyped heading: the tables are not found the way the others found them
    region = text[start:end]
    joined = re.sub(r"[ \n]+", lambda _: " " if rng.random() < 0.05 else "", region)
    plan.note("lost_separators", f"表二–表四: {len(region) - len(joined)} separators lost")
    return text[:start] + joined + text[end:]
