"""Everything a renderer needs for one report: its text blocks, its cells and how it prints."""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.synth.agencies import Agency
from nianbao.synth.cells import Cell, Key


@dataclass(frozen=True)
class Layout:
    agency: Agency
    year: int
    title: str
    version: str  # the form the tables follow
    blocks: tuple[tuple[str, str], ...]  # (kind, text); kind "table" carries the table key
    cells: dict[Key, Cell]
    wrap_headers: bool = False  # narrow header cells wrap: 商业 / 企业
    numbering: str = "."  # 1. or 1．
    indent: str = ""  # paragraphs start with full-width spaces in some copies
    encoding: str = "utf-8"  # html: "utf-8" or "gbk"
    published_on: str = ""  # yyyy-mm-dd
