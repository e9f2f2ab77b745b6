"""URL query parameters reach SQL only as bound parameters: injection strings in every filter
field and in ?report= change nothing, raise nothing and match nothing."""

from __future__ import annotations

import hashlib
import inspect

import pytest

from nianbao.app import queries as q
from nianbao.app.filters import Filters, from_query_params, url_keys
from tests.test_app_pages import run_app

INJECTIONS = ["' OR '1'='1", "'; DROP TABLE reports; --", '" OR 1=1 --', "1) UNION SELECT * FROM sources --",
              "%' --", "\\'; DELETE FROM facts; --", "report_id) OR (1=1"]
METRIC = "applications.new_received.total"


def _digest(db) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def _hostile_filters(s: str) -> Filters:
    params = {k: s for k in url_keys()}
    f = from_query_params(params)
    return Filters(f.year_from, f.year_to, (s,), (s,), (s,), (s,), (s,), f.scope, (s,))


def _call_all(db, f: Filters, s: str) -> dict[str, object]:
    """Every query function that takes filters or a report id, called with hostile values."""
    out = {}
    for name, fn in inspect.getmembers(q, inspect.isfunction):
        if fn.__module__ != q.__name__ or name.startswith("_"):
            continue
        params = list(inspect.signature(fn).parameters)
        if params[:2] == ["db", "f"]:
            extra = {"key": METRIC, "year": 2023, "by": "rule", "col": "total"}
            out[name] = fn(db, f, **{p: extra[p] for p in params[2:] if p in extra})
        elif params == ["db", "report_id"]:
            out[name] = fn(db, s)
    return out


@pytest.mark.parametrize("s", INJECTIONS)
def test_injection_strings_in_every_parameter_change_and_match_nothing(fixture_db, s):
    before = _digest(fixture_db)
    results = _call_all(fixture_db, _hostile_filters(s), s)
    assert {"database_summary", "ranking", "report_meta", "report_facts", "findings_list"} <= set(results)
    assert results["database_summary"]["matched"] == 0  # the string is a value, not SQL
    for name, value in results.items():
        if hasattr(value, "empty") and name not in ("data_dictionary",):
            assert value.empty or name in ("filter_options",), (name, value)
    assert _digest(fixture_db) == before


def test_injection_strings_in_the_url_reach_the_pages_harmlessly(fixture_db, monkeypatch):
    before = _digest(fixture_db)
    query = {k: INJECTIONS[1] for k in url_keys()} | {"report": INJECTIONS[0], "lang": INJECTIONS[2]}
    for page in ("summary", "report"):
        at = run_app(fixture_db, monkeypatch, page, query=query)
        assert not at.exception
    assert _digest(fixture_db) == before
