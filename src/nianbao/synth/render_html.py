"""HTML as a government CMS publishes it: site header and navigation, breadcrumb, the 信息公开
metadata block, the article (paragraphs and tables with the template's rowspan/colspan,
``&nbsp;`` in blank cells, ``<br />`` in header cells), footer. Some sites serve GBK."""

from __future__ import annotations

from functools import cache
from html import escape

from nianbao.synth.cells import Cell, Key
from nianbao.synth.grids import GridCell, build_grid, fill_template
from nianbao.synth.layout import Layout

_TABLE_OPEN = ('<table border="1" cellspacing="0" cellpadding="0" width="100%" '
               'style="border-collapse:collapse;margin:0 auto;"><tbody>')


def _td(cell: GridCell, inner: str) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    align = ' align="center"' if cell.header or cell.slot else ""
    side = "center" if align else "left"
    return f'<td{attrs} valign="middle"><p{align} style="text-align:{side};">{inner}</p></td>'


@cache
def _table_template(version: str, table: str, wrap: bool,
                    numbering: str) -> tuple[tuple[str, ...], tuple[Key, ...]]:
    pieces: list[str] = []
    slots: list[Key] = []
    buf = [_TABLE_OPEN]
    for row in build_grid(version, table, wrap, numbering).rows:
        buf.append("<tr>")
        for cell in row:
            if cell.slot:
                head, tail = _td(cell, "\x00").split("\x00")
                buf.append(head)
                pieces.append("".join(buf))
                slots.append(cell.slot)
                buf = [tail]
            else:
                buf.append(_td(cell, "<br />".join(escape(t) for t in cell.text.split("\n"))))
        buf.append("</tr>")
    buf.append("</tbody></table>")
    pieces.append("".join(buf))
    return tuple(pieces), tuple(slots)


def render_table(version: str, table: str, cells: dict[Key, Cell], wrap: bool, numbering: str) -> str:
    pieces, slots = _table_template(version, table, wrap, numbering)
    return fill_template(pieces, slots, cells, lambda printed: escape(printed) if printed else "&nbsp;")


def _site(layout: Layout) -> str:
    a = layout.agency
    return f"{a.county or a.city or a.province}人民政府"


def hash_name(text: str) -> int:
    """A stable small number from a name (Python's hash() is salted per process)."""
    h = 0
    for ch in text:
        h = (h * 131 + ord(ch)) % 1_000_003
    return h


def render_html(layout: Layout) -> bytes:
    site = _site(layout)
    charset = "gbk" if layout.encoding == "gbk" else "utf-8"
    head_meta = f'<meta charset="{charset}">'
    body: list[str] = []
    for kind, text in layout.blocks:
        if kind == "title":
            continue
        if kind == "table":
            body.append(render_table(layout.version, text, layout.cells, layout.wrap_headers,
                                     layout.numbering))
        elif kind == "heading":
            body.append(f'<p style="text-indent:2em;"><strong>{escape(text)}</strong></p>')
        elif kind == "subheading":
            body.append(f'<p style="text-indent:2em;"><span style="font-family:楷体;">'
                        f'{escape(text)}</span></p>')
        elif kind == "sign":
            body.append(f'<p style="text-align:right;">{escape(text)}</p>')
        else:
            body.append(f'<p style="text-indent:2em;">{escape(text)}</p>')
    title = escape(layout.title)
    agency = escape(layout.agency.name)
    index_no = (f"{hash_name(layout.agency.id) % 900000 + 100000:06d}/{layout.year + 1}-"
                f"{hash_name(title) % 90 + 10:05d}")
    page = f"""<!DOCTYPE html>
<html>
<head>
{head_meta}
<title>{title}_{escape(site)}</title>
<link rel="stylesheet" href="/css/common.css">
<script src="/js/jquery.min.js"></script>
</head>
<body>
<div class="header">
  <div class="top-bar"><span>欢迎访问{escape(site)}门户网站</span><a href="javascript:;">无障碍</a>
    <a href="javascript:;">繁體版</a></div>
  <div class="logo"><img src="/images/logo.png" alt="{escape(site)}"></div>
  <div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>\
<li><a href="/bsfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>
    <li><a href="/zjxq/">走进{escape(site[:-4])}</a></li></ul></div>
</div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt;
  <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="main">
<div class="xxgk-info"><table class="info-table">
<tr><td>索引号</td><td>{index_no}</td><td>主题分类</td><td>政务公开</td></tr>
<tr><td>发布机构</td><td>{agency}</td><td>公开日期</td><td>{layout.published_on}</td></tr>
<tr><td>名称</td><td colspan="3">{title}</td></tr>
</table></div>
<h1 class="article-title">{title}</h1>
<div class="article-content" id="zoom">
{chr(10).join(body)}
</div>
<div class="share">分享到：<a href="javascript:;">微信</a><a href="javascript:;">微博</a></div>
</div>
<div class="footer">
  <p>主办单位：{escape(site)}办公室　承办单位：{escape(site)}大数据中心</p>
  <p>网站标识码：{hash_name(site) % 9000000000 + 1000000000}　<a href="https://beian.miit.gov.cn/">备案号</a></p>
</div>
</body>
</html>
"""
    return page.encode(charset)
