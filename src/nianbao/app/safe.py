"""Report text (agency names, titles, headings, file names, error texts) shown as text, never as
markup that executes: Markdown is escaped where Streamlit renders it (titles, alerts, expander
labels), HTML is escaped where plotly renders it (tick labels, hover text, legend names)."""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of them
# also defeats GFM autolinks (www., https:) and Streamlit's :color[...] / :material/...: directives.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~:$=\"'&/])")


def md_literal(text: object) -> str:
    """``text`` escaped for any Streamlit element that renders Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text)).replace("\n", " ")


def plotly_literal(text: object) -> str:
    """``text`` escaped for plotly, which renders <a>, <b>, <br> … in labels; it shows the
    entities as the characters they stand for."""
    return html.escape("" if text is None else str(text), quote=False)


_TRACE_TEXT = ("x", "y", "text", "labels", "name", "ids")


def inert_figure(fig):
    """Escape every data-derived string of a plotly figure (category labels, trace names, texts,
    sankey node labels) in place. Templates (hovertemplate) are the app's own and stay markup;
    they refer to data through %{y}, %{label}, %{fullData.name}, which get the escaped values."""
    for trace in fig.data:
        for attr in _TRACE_TEXT:
            if attr in trace and trace[attr] is not None:
                trace[attr] = _escaped(trace[attr])
        if trace.type == "sankey" and trace.node.label is not None:
            trace.node.label = _escaped(trace.node.label)
    return fig


def _escaped(value):
    if isinstance(value, str):
        return plotly_literal(value)
    if isinstance(value, tuple | list) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else list(value)
        if any(isinstance(v, str) for v in items):
            return [plotly_literal(v) if isinstance(v, str) else v for v in items]
    return value
