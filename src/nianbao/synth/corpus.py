"""Synthetic corpora: reports in several formats, each with its expected CSV and metadata.

Deterministic: everything is drawn from ``random.Random`` instances seeded from the corpus
seed, the agency and the year, so the same seed gives the same bytes, and an agency's figures
do not depend on which formats or how many other agencies are asked for.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from nianbao.synth.agencies import Agency, select_agencies
from nianbao.synth.cells import TABLE_ERROR_KINDS, choose_style, expected_csv, fit_to_form, plant_table_error
from nianbao.synth.layout import Layout
from nianbao.synth.numbers import break_carry_over, generate_year, new_state
from nianbao.synth.text import write_narrative

FORMATS: tuple[str, ...] = ("txt", "html", "docx", "pdf")
MANIFEST_COLUMNS = ("file", "agency", "region", "level", "category", "report_year", "province", "city",
                    "county", "scope", "format", "form_version")
ERROR_KINDS: tuple[str, ...] = (*TABLE_ERROR_KINDS, "carry_over_break", "text_table_mismatch",
                                "text_review_mismatch")


@dataclass(frozen=True)
class SynthReport:
    name: str
    data: bytes
    expected_csv: str
    meta: dict


def natural_form(year: int) -> str:
    """The form a report for ``year`` should use: 2019 for 2019–2020, 2021 after."""
    return "2019" if year <= 2020 else "2021"


def render(fmt: str, layout: Layout) -> bytes:
    if fmt == "txt":
        from nianbao.synth.render_txt import render_txt

        return render_txt(layout)
    if fmt == "html":
        from nianbao.synth.render_html import render_html

        return render_html(layout)
    if fmt == "docx":
        from nianbao.synth.render_docx import render_docx

        return render_docx(layout)
    if fmt == "pdf":
        from nianbao.synth.render_pdf import render_pdf

        return render_pdf(layout)
    raise ValueError(f"unknown format: {fmt}")


def generate_corpus(seed: int, n_agencies: int = 40, years: Iterable[int] = range(2019, 2026),
                    formats: Sequence[str] = ("txt", "html"), format_weights: Sequence[float] | None = None,
                    error_rate: float = 0.0, wrong_form_share: float = 0.05, blank_share: float = 0.05,
                    gbk_share: float = 0.2,
                    agencies: Sequence[Agency] | None = None) -> Iterator[SynthReport]:
    """Reports for ``n_agencies`` agencies over ``years``, agency by agency, year by year.

    ``error_rate``: share of reports (after an agency's first year for X-1) with one planted
    error, recorded in ``meta["planted_errors"]`` with the rule ids it must produce.
    ``wrong_form_share``: share of reports printed on the other form than their year's.
    ``blank_share``: share of reports that print blank cells (table 二 regulations rows, or
    table 三 zeros; the latter is recorded as ``meta["blank_cells_are_zero"]``).
    """
    years = list(years)
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format: {fmt}")
    chosen = list(agencies) if agencies is not None else select_agencies(random.Random(f"{seed}:agencies"),
                                                                          n_agencies)
    for agency in chosen:
        yield from _agency_reports(seed, agency, years, formats, format_weights, error_rate, wrong_form_share,
                                   blank_share, gbk_share)


def _agency_reports(seed: int, agency: Agency, years: list[int], formats: Sequence[str],
                    format_weights: Sequence[float] | None, error_rate: float, wrong_form_share: float,
                    blank_share: float, gbk_share: float) -> Iterator[SynthReport]:
    numbers_rng = random.Random(f"{seed}:{agency.id}")
    state = new_state(agency, numbers_rng)
    previous: str | None = None
    for year in years:
        figures = generate_year(agency, state, year, numbers_rng)
        rng = random.Random(f"{seed}:{agency.id}:{year}")
        kind = None
        if error_rate and rng.random() < error_rate:
            kinds = [k for k in ERROR_KINDS if k != "carry_over_break" or previous]
            kind = rng.choice(kinds)
        errors: list[dict] = []
        if kind == "carry_over_break":
            errors.append(break_carry_over(figures, rng) | {"previous_file": previous})
        natural = natural_form(year)
        version = natural
        if rng.random() < wrong_form_share:
            version = "2021" if natural == "2019" else "2019"
        style = choose_style(rng, 0.0 if kind else blank_share, state.makes_regulations)
        cells = fit_to_form(figures, version, style)
        if kind in TABLE_ERROR_KINDS:
            errors.append(plant_table_error(cells, rng, kind))
        fmt = rng.choices(list(formats), weights=format_weights)[0] if len(formats) > 1 else formats[0]
        day = rng.randint(8, 30)
        mismatch = {"text_table_mismatch": "X-2", "text_review_mismatch": "X-3"}.get(kind or "")
        narrative = write_narrative(agency, year, cells, (figures.published_total, figures.published_website,
                                                          figures.published_new_media),
                                    (figures.fee_notices, figures.fee_collected_yuan), rng, mismatch, day)
        errors.extend(narrative.errors)
        encoding = "gbk" if fmt == "html" and rng.random() < gbk_share else "utf-8"
        layout = Layout(agency, year, narrative.title, version, tuple(narrative.blocks), cells,
                        wrap_headers=rng.random() < 0.5, numbering="．" if rng.random() < 0.15 else ".",
                        indent="　　" if rng.random() < 0.3 else "", encoding=encoding,
                        published_on=f"{year + 1}-01-{day:02d}")
        name = f"{agency.id}_{year}.{fmt}"
        meta = {
            "file": name, **agency.as_dict(), "agency_id": agency.id, "report_year": year,
            "form_version": version, "expected_form_version": natural, "wrong_form": version != natural,
            "format": fmt, "encoding": encoding if fmt == "html" else ("utf-8" if fmt == "txt" else ""),
            "title": narrative.title, "published_on": layout.published_on,
            "planted_errors": errors, "expected_rules": sorted({r for e in errors for r in e["rules"]}),
            "narrative": narrative.stated, "blank_cells_are_zero": style.zero_blank,
            "print_style": {"plus_sign": style.plus_sign, "fixed_decimals": style.fixed_decimals,
                            "regulations_mark": style.regulations_mark,
                            "procurement_yuan": style.procurement_yuan, "wrap_headers": layout.wrap_headers,
                            "numbering": layout.numbering},
            "previous_file": previous, "seed": seed,
        }
        previous = name
        yield SynthReport(name, render(fmt, layout), expected_csv(cells), meta)


def write_corpus(out_dir: str | Path, seed: int, limit: int | None = None, **kwargs) -> list[dict]:
    """Write every report (the first ``limit`` when given), ``<name>.csv`` (expected values),
    ``manifest.csv`` and ``meta.jsonl``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    metas = []
    with open(out / "manifest.csv", "w", encoding="utf-8", newline="") as mf, \
            open(out / "meta.jsonl", "w", encoding="utf-8") as jf:
        writer = csv.DictWriter(mf, MANIFEST_COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for report in generate_corpus(seed, **kwargs):
            if limit is not None and len(metas) >= limit:
                break
            (out / report.name).write_bytes(report.data)
            (out / f"{report.name}.csv").write_text(report.expected_csv, encoding="utf-8")
            meta = report.meta
            writer.writerow(meta)
            jf.write(json.dumps(meta, ensure_ascii=False) + "\n")
            metas.append(meta)
    return metas


DEMO_WEIGHTS = (0.45, 0.4, 0.08, 0.07)  # txt, html, docx, pdf: mostly web pages, some documents


def demo_corpus(out_dir: str | Path, seed: int = 2025) -> list[dict]:
    """The demo set: 50 agencies × 2019–2025 = 350 reports, mostly txt/html, some docx/pdf,
    about one in twelve with a planted error."""
    return write_corpus(out_dir, seed, n_agencies=50, formats=FORMATS, format_weights=DEMO_WEIGHTS,
                        error_rate=0.08, wrong_form_share=0.05)
