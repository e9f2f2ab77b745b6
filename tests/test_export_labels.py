"""Spreadsheet exports speak the chosen language: no vocabulary key (ok, agency, number, 2021,
applications…) in a CSV or XLSX; Parquet, for programs, keeps the keys."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from nianbao.app.export import export_table
from nianbao.vocab import VOCABULARIES

LABELLED = {"解析状态": "status", "范围": "scope", "类型": "kind", "表": "table", "表格格式": "form_version"}


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_facts_carry_words_not_keys(fixture_db: Path) -> None:
    rows = _rows(export_table(fixture_db, "facts", "zh", "csv", years=(2023,), scope="all"))
    assert rows
    for header, vocabulary in LABELLED.items():
        words = {w[0] for w in VOCABULARIES[vocabulary].values()}
        seen = {r[header] for r in rows if r[header]}
        assert seen and seen <= words, (header, seen - words)
    en = _rows(export_table(fixture_db, "facts", "en", "csv", years=(2023,)))
    assert {r["status"] for r in en} <= {w[1] for w in VOCABULARIES["status"].values()}


def test_parquet_keeps_the_keys(fixture_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "f.parquet"
    path.write_bytes(export_table(fixture_db, "facts", "zh", "parquet", years=(2023,)))
    df = pd.read_parquet(path)
    assert set(df["解析状态"]) <= set(VOCABULARIES["status"]) and set(df["表"]) <= set(VOCABULARIES["table"])
