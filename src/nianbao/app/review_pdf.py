"""The printable review (PDF): a cover page with a region's grade distribution and the headline
changes against the year before, then one page per agency — grade and why, findings, key
numbers against last year and the category median, with a chart. Generated offline with
reportlab; the Chinese font is embedded (WenQuanYi Micro Hei from fonts-wqy-microhei, a
TrueType font; reportlab cannot embed the CFF-based Noto CJK). Without it, the STSong-Light
CID font is used, which PDF viewers supply themselves (not embedded)."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pandas as pd
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from nianbao.app import review_queries as rq
from nianbao.app.filters import Filters
from nianbao.check.grade import GRADES

FONT_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
GRADE_COLOURS = {"A": "#009E73", "B": "#56B4E9", "C": "#F0E442", "D": "#E69F00", "E": "#D55E00"}


def register_font() -> tuple[str, bool]:
    """(font name, embedded?)."""
    for path in FONT_FILES:
        if Path(path).exists():
            if "NianbaoCJK" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("NianbaoCJK", path, subfontIndex=0))
            return "NianbaoCJK", True
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light", False


def _in_region(grades: pd.DataFrame, region: str | None) -> pd.DataFrame:
    if not region:
        return grades
    mask = (grades["province"] == region) | (grades["city"] == region) | (grades["county"] == region)
    return grades[mask]


def _styles(font: str) -> dict[str, ParagraphStyle]:
    return {"h1": ParagraphStyle("h1", fontName=font, fontSize=18, leading=24, spaceAfter=8),
            "h2": ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, spaceBefore=6, spaceAfter=4),
            "p": ParagraphStyle("p", fontName=font, fontSize=9.5, leading=14),
            "small": ParagraphStyle("s", fontName=font, fontSize=8, leading=11, textColor=colors.grey)}


def _grade_chart(counts: dict[str, int], font: str, title: str) -> Drawing:
    d = Drawing(170 * mm, 70 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 20 * mm, 12 * mm, 140 * mm, 45 * mm
    chart.data = [[counts.get(g, 0) for g in GRADES]]
    chart.categoryAxis.categoryNames = list(GRADES)
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#0072B2")
    for i, g in enumerate(GRADES):
        chart.bars[(0, i)].fillColor = colors.HexColor(GRADE_COLOURS[g])
    d.add(chart)
    d.add(String(20 * mm, 62 * mm, title, fontName=font, fontSize=11))
    d.add(String(2 * mm, 35 * mm, "报告数（份）", fontName=font, fontSize=8))
    d.add(String(80 * mm, 2 * mm, "评级", fontName=font, fontSize=8))
    return d


def _numbers_chart(rows: list[tuple[str, float, float, float]], font: str) -> Drawing:
    """Horizontal bars per key number: this year, last year, category median."""
    d = Drawing(170 * mm, 75 * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 45 * mm, 10 * mm, 110 * mm, 52 * mm
    chart.data = [[r[1] or 0 for r in rows], [r[2] or 0 for r in rows], [r[3] or 0 for r in rows]]
    chart.categoryAxis.categoryNames = [r[0] for r in rows]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = 0
    for i, c in enumerate(("#0072B2", "#999999", "#E69F00")):
        chart.bars[i].fillColor = colors.HexColor(c)
    d.add(chart)
    d.add(String(45 * mm, 68 * mm, "关键数字：本年（蓝）· 上年（灰）· 同类别中位数（橙），单位：件",
                 fontName=font, fontSize=9))
    return d


def build_review_pdf(db: str | Path, year: int, region: str | None = None, filters: Filters | None = None) -> bytes:
    """The PDF bytes for ``region`` (a province, city or county name; all when None) and ``year``."""
    font, _ = register_font()
    st = _styles(font)
    base = filters or Filters()
    now, before = (_in_region(g[g["year"] == y], region) for g, y in (
        (rq.report_grades(db, replace(base, year_from=year, year_to=year)), year),
        (rq.report_grades(db, replace(base, year_from=year - 1, year_to=year - 1)), year - 1)))
    counts = now["grade"].value_counts().to_dict()
    counts_before = before["grade"].value_counts().to_dict()
    place = region or "全部地区"
    story = [Paragraph(f"政府信息公开工作年度报告审查 · {place} · {year} 年度", st["h1"]),
             Paragraph(f"共 {len(now)} 份报告；评级阶梯：E 文件已读取 → D 六部分三表齐全 → C 无算术错误 → "
                       "B 正文与表格一致且重复率不超过 50% → A 按时发布。", st["p"]),
             _grade_chart(counts, font, f"{year} 年评级分布")]
    table = [["评级", f"{year} 年", f"{year - 1} 年", "变化"]]
    for g in (*reversed(GRADES), None):
        n, m = (counts.get(g, 0), counts_before.get(g, 0)) if g else (int(now["grade"].isna().sum()),
                                                                       int(before["grade"].isna().sum()))
        table.append([g or "未评级", str(n), str(m), f"{n - m:+d}"])
    story.append(_table(table, font))
    story.append(Paragraph("主要变化", st["h2"]))
    for line in _headlines(now, before):
        story.append(Paragraph(line, st["p"]))
    numbers = rq.key_numbers(db, (year, year - 1))
    findings = rq.findings_with_decisions(db, replace(base, year_from=year, year_to=year))
    for row in now.sort_values(["grade", "agency"], na_position="first").itertuples():
        story += [PageBreak(), *_agency_page(row, before, numbers, findings, year, font, st)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                      bottomMargin=16 * mm, title=f"年报审查 {place} {year}").build(story)
    return out.getvalue()


def _table(rows: list[list[str]], font: str, widths: list[float] | None = None) -> Table:
    t = Table(rows, colWidths=widths, hAlign="LEFT")
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
                           ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def _headlines(now: pd.DataFrame, before: pd.DataFrame) -> list[str]:
    """Agencies whose grade moved, and the rules that stopped most reports."""
    rank = {g: i for i, g in enumerate(GRADES)}
    last = dict(zip(before["agency_key"], before["grade"], strict=True))
    up, down = [], []
    for key, agency, grade in zip(now["agency_key"], now["agency"], now["grade"], strict=True):
        old = last.get(key)
        if grade in rank and old in rank and grade != old:
            (up if rank[grade] > rank[old] else down).append(f"{agency}（{old}→{grade}）")
    lines = [f"评级下降 {len(down)} 家：" + ("、".join(down[:12]) or "无"),
             f"评级上升 {len(up)} 家：" + ("、".join(up[:12]) or "无")]
    rules = now["deciding_rules"].str.split(",").explode()
    top = rules[rules.astype(bool)].value_counts().head(5)
    if not top.empty:
        lines.append("最常见的问题规则：" + "、".join(f"{r}（{n} 份）" for r, n in top.items()))
    missing = set(before["agency_key"]) - set(now["agency_key"])
    lines.append(f"上一年有报告、本年未见报告的机构：{len(missing)} 家")
    return lines


def _agency_page(row, before: pd.DataFrame, numbers: pd.DataFrame, findings: pd.DataFrame, year: int,
                 font: str, st: dict) -> list:
    last = before[before["agency_key"] == row.agency_key]
    old = last["grade"].iloc[0] if not last.empty else None
    out = [Paragraph(f"{row.agency} · {year} 年度", st["h1"]),
           Paragraph(f"评级：<b>{row.grade if isinstance(row.grade, str) else '未评级'}</b>（上一年：{_text(old)}）；"
                     f"未达到的一级：{_text(row.stopped_at)}；决定评级的规则：{_text(row.deciding_rules)}", st["p"])]
    mine = findings[(findings["report_id"] == row.report_id) & (findings["severity"] != "info")]
    out.append(Paragraph("检查结果", st["h2"]))
    if mine.empty:
        out.append(Paragraph("没有错误或警告。", st["p"]))
    for f in mine.itertuples():
        out.append(Paragraph(f"{f.rule_id}（{'错误' if f.severity == 'error' else '警告'}）{f.message_zh}", st["p"]))
    out.append(Paragraph("关键数字", st["h2"]))
    here = numbers[numbers["report_id"] == row.report_id].set_index("key")["value"]
    prev = numbers[(numbers["agency_key"] == row.agency_key) & (numbers["year"] == year - 1)] \
        .set_index("key")["value"]
    peers = numbers[(numbers["year"] == year) & (numbers["category"] == row.category)]
    rows, chart_rows = [["指标", f"{year} 年", f"{year - 1} 年", "同类别中位数"]], []
    for key, (_, zh, _) in rq.KEY_CELLS.items():
        median = peers.loc[peers["key"] == key, "value"].median()
        this, last_v = here.get(key), prev.get(key)
        rows.append([zh, _fmt(this), _fmt(last_v), _fmt(median)])
        chart_rows.append((zh, this, last_v, None if pd.isna(median) else median))
    out.append(_table(rows, font, [55 * mm, 30 * mm, 30 * mm, 35 * mm]))
    out += [Spacer(1, 4 * mm), _numbers_chart(chart_rows, font)]
    return out


def _text(v) -> str:
    return "—" if v is None or (isinstance(v, float) and pd.isna(v)) or v == "" else str(v)


def _fmt(v) -> str:
    if v is None or pd.isna(v):
        return "—"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"
