"""Chart builders: stacked bars keep every segment even when a severity is absent for a label."""

from __future__ import annotations

import math

import pandas as pd

from nianbao.app.charts import findings_bars


def test_findings_bars_stack_without_gaps():
    df = pd.DataFrame({"label": ["X-1", "X-1", "N-1"], "severity": ["info", "error", "warning"], "n": [29, 6, 15]})
    fig = findings_bars(df, "按规则统计的问题", "zh")
    assert [tr.name for tr in fig.data] == ["错误", "警告", "提示"]
    for trace in fig.data:
        assert not any(isinstance(x, float) and math.isnan(x) for x in trace.x)  # NaN breaks plotly's stacking
    totals = {y: sum(tr.x[i] for tr in fig.data) for i, y in enumerate(fig.data[0].y)}
    assert totals == {"N-1": 15, "X-1": 35}
    assert fig.layout.title.text and fig.layout.xaxis.title.text == "问题数（条）"


def test_trend_lines_break_at_years_without_reports():
    from nianbao.app.charts import trend_lines
    from nianbao.app.metrics import metric

    df = pd.DataFrame({"series": ["A", "A", "A"], "year": [2021, 2023, 2025], "value": [10.0, 12.0, 9.0],
                       "reports": [1, 1, 1], "form_version": ["2021"] * 3})
    fig = trend_lines(df, metric("active.licensing.decisions"), True, "zh", "合计")
    (trace,) = fig.data
    assert list(trace.x) == [2021, 2022, 2023, 2024, 2025]
    assert math.isnan(trace.y[1]) and math.isnan(trace.y[3]) and not trace.connectgaps


def test_report_grid_keeps_blank_na_zero_and_unread_apart():
    from nianbao.app.report_view import NA_MARK, NOT_READ_MARK, form_grid

    facts = pd.DataFrame({"table_key": ["active"] * 3, "row_key": ["regulations"] * 3,
                          "col_key": ["issued", "repealed", "in_force"], "kind": ["number", "blank", "na"],
                          "value_text": ["0", "", "NA"], "raw": ["0", "", "/"], "place": ["line 3"] * 3})
    values, css, _cells = form_grid(facts, "active", "2021", "zh", set())
    values, css = values.droplevel(0), css.droplevel(0)  # the group heading level
    assert list(values.loc["规章"].iloc[:3]) == ["0", "", NA_MARK]
    assert values.loc["行政规范性文件"].iloc[0] == NOT_READ_MARK  # not read: never shown as a blank
    assert values.loc["规章"].iloc[3] == "" and css.loc["规章"].iloc[3]  # not a cell of this row


def test_headline_trends_keep_each_small_multiples_unit():
    """The shared layout used to reset every y axis title after the units were set (the 件 under
    each small multiple was lost)."""
    from nianbao.app.charts import headline_trends

    df = pd.DataFrame({"year": [2021, 2022], "licensing": [3.0, 4.0], "fees": [1.5, 2.0]})
    fig = headline_trends(df, [("licensing", "行政许可", "件"), ("fees", "行政事业性收费", "万元")], "zh")
    assert [fig.layout.yaxis.title.text, fig.layout.yaxis2.title.text] == ["件", "万元"]
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis2.tickformat == "d"


def test_a_layout_given_whole_keeps_the_charts_own_settings():
    from nianbao.app.charts import applicant_bars, correction_lines

    df = pd.DataFrame({"year": [2021, 2022], "applicant": ["natural_person"] * 2, "value": [5.0, 6.0]})
    fig = applicant_bars(df, "zh")
    assert fig.layout.barmode == "stack" and fig.layout.legend.traceorder == "reversed"
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.showgrid and fig.layout.font.family.startswith("Noto")
    rates = pd.DataFrame({"row_key": ["review"] * 2, "year": [2021, 2022], "rate": [10.0, 20.0],
                          "corrected": [1, 2], "total": [10, 10]})
    fig = correction_lines(rates, "zh")
    assert fig.layout.yaxis.ticksuffix == "%" and fig.layout.yaxis.rangemode == "tozero"
    assert fig.layout.xaxis.tickformat == "d" and fig.layout.title.text


def test_trend_legend_names_the_form_in_the_screens_language():
    """English legends read "Total (2019 form)", never with the Chinese full-width brackets."""
    from nianbao.app.charts import trend_lines
    from nianbao.app.metrics import metric

    df = pd.DataFrame({"series": [None, None], "year": [2020, 2021], "value": [3.0, 4.0], "reports": [1, 1],
                       "form_version": ["2019", "2021"]})
    en = trend_lines(df, metric("active.licensing.decisions"), False, "en", "Total")
    zh = trend_lines(df, metric("active.licensing.decisions"), False, "zh", "合计")
    assert [tr.name for tr in en.data] == ["Total (2019 form)", "Total (2021 form)"]
    assert [tr.name for tr in zh.data] == ["合计（2019格式）", "合计（2021格式）"]


def test_a_name_with_its_unit_follows_the_screens_language():
    from nianbao.app.metrics import with_unit

    assert with_unit("Disclosure rate", "%", "en") == "Disclosure rate (%)"
    assert with_unit("公开率", "%", "zh") == "公开率（%）"
    assert with_unit("Licensing", "件", "en") == "Licensing (cases)"
