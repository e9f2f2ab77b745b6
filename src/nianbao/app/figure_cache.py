"""Figures built once and shared by every session.

A chart is a pure function of a small aggregated frame and a few labels, but building a plotly
figure validates every property it sets: under 20 concurrent sessions that was a third of the
server's CPU (py-spy). Each chart is therefore built once per distinct input, made inert (report
text as text, see safe.py), and the same figure object is handed to every later run. Callers
must not change a figure they get (ui.plot only serialises it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

import plotly.graph_objects as go
import streamlit as st

from nianbao.app.safe import inert_figure

P = ParamSpec("P")


@st.cache_resource(max_entries=2000, show_spinner=False)
def _build(name: str, _fn: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    # Streamlit leaves parameters named with a leading underscore out of the key: the name stands for _fn
    fig = inert_figure(_fn(*args, **kwargs))
    fig._nianbao_inert = True  # ui.plot must not escape it a second time
    return fig


def shared_figure(fn: Callable[P, go.Figure]) -> Callable[P, go.Figure]:
    """Decorate a chart function; its arguments (frames, labels) are the cache key, and the
    function's qualified name keeps charts with equal arguments apart."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> go.Figure:
        return _build(name, fn, *args, **kwargs)
    return wrapper



def clear_figures() -> None:
    """Forget every shared figure (benchmarks time a cold page)."""
    _build.clear()
