"""Every parse is bounded: a file over its time or memory budget fails with a message naming it,
and the batch goes on; a DOC header followed by junk never reaches LibreOffice."""

from __future__ import annotations

import random

import nianbao.worker as worker
from nianbao.parse import parse_bytes
from nianbao.pipeline import ingest
from tests.test_store import GOOD, write


def _misbehaving(real):
    def parse(data: bytes, name: str = ""):
        if name == "hang.txt":
            while True:  # a parser stuck in a loop
                pass
        if name == "hog.txt":
            hog = []
            while True:  # a parser eating memory
                hog.append(bytearray(64 * 1024 * 1024))
        return real(data, name)
    return parse


def test_a_file_over_its_time_or_memory_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_PARSE_TIMEOUT_S", "3")
    monkeypatch.setenv("NIANBAO_PARSE_MEMORY_MB", "300")
    monkeypatch.setattr(worker, "parse_bytes", _misbehaving(worker.parse_bytes))  # forked workers inherit it
    files = [write(tmp_path / "hang.txt", "x"), write(tmp_path / "hog.txt", "y"),
             write(tmp_path / "a.txt", GOOD.format(n=3))]
    out = {o.file: o for o in ingest(files, tmp_path / "n.duckdb", workers=2)}
    assert out["hang.txt"].status == "failed" and "timeout" in out["hang.txt"].message
    assert "超时" in out["hang.txt"].message and "hang.txt" in out["hang.txt"].message
    assert out["hog.txt"].status == "failed" and "memory" in out["hog.txt"].message
    assert "hog.txt" in out["hog.txt"].message
    assert out["a.txt"].action == "loaded"
    assert out["hang.txt"].report_id != out["hog.txt"].report_id  # both recorded, by their own bytes


def test_an_ole_header_followed_by_junk_fails_before_libreoffice(monkeypatch):
    import nianbao.read.legacy as legacy

    monkeypatch.setattr(legacy, "find_soffice", lambda: "/bin/false")
    called = []
    monkeypatch.setattr(legacy.subprocess, "Popen", lambda *a, **k: called.append(a))
    junk = random.Random(3).randbytes(20000)
    report = parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + junk, "old.doc")
    assert report.status == "failed" and "damaged DOC file structure" in report.error
    assert called == []
