"""Upload limits and hostile input: types by content, size limits, zip bombs, span bombs and deep
HTML stay under a stated memory bound; names with markup print literally."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.intake import batch_reason, reject_reason
from nianbao.limits import MB
from tests.test_store import GOOD, write

MEMORY_BOUND_MB = 400  # a parse of each hostile file below adds less than this to the process


def _peak_parse(data: bytes, name: str) -> tuple[str, str, float]:
    """Status, error and peak RSS growth (MB) of parsing ``data`` in a fresh process."""
    code = (
        "import resource, sys\nfrom nianbao.parse import parse_bytes\n"
        "data = sys.stdin.buffer.read()\nbase = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"r = parse_bytes(data, {name!r})\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(r.status); print((r.error or '').replace(chr(10), ' ')); print((peak - base) / 1024)\n")
    proc = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    status, error, grew = proc.stdout.decode().splitlines()[-3:]
    return status, error, float(grew)


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b"a" * (400 * MB))  # 400 MB of one byte: ~400 KB packed
    return buf.getvalue()


def test_a_zip_bomb_docx_fails_before_it_is_inflated():
    bomb = _zip_bomb()
    assert len(bomb) < 2 * MB
    status, error, grew = _peak_parse(bomb, "bomb.docx")
    assert status == "failed" and ("zip bomb" in error or "too large uncompressed" in error)
    assert grew < MEMORY_BOUND_MB


def test_a_span_bomb_html_fails_under_the_memory_bound():
    rows = "".join(f'<tr>{"<td rowspan=200 colspan=200>1</td>" * 40}</tr>' for _ in range(40))
    page = f"<html><body><p>某县商务局2023年政府信息公开工作年度报告</p><table>{rows}</table></body></html>"
    assert len(page) < 100_000
    status, error, grew = _peak_parse(page.encode(), "span.html")
    assert status == "failed" and "table too large" in error
    assert grew < MEMORY_BOUND_MB


def test_deep_html_fails_clearly():
    page = "<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "</body></html>"
    status, error, _ = _peak_parse(page.encode(), "deep.html")
    assert status == "failed" and ("nested too deeply" in error or "no report tables" in error)


def test_unsafe_member_paths_are_refused():
    from nianbao.parse import parse_bytes

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<x/>")
        z.writestr("../../etc/evil", "x")
    report = parse_bytes(buf.getvalue(), "evil.docx")
    assert report.status == "failed" and "unsafe member path" in report.error


def test_types_are_judged_by_content_and_sizes_are_bounded(monkeypatch):
    assert reject_reason(GOOD.format(n=3).encode(), "report.pdf") is None  # text named .pdf: still text
    assert "not an accepted" in reject_reason(b"\x7fELF\x02\x01\x01" + bytes(3000), "report.txt")
    assert "not an accepted" in reject_reason(b"PK\x03\x04" + bytes(100), "x.zip")  # a zip, not a Word file
    assert reject_reason(b"%PDF-1.7 ...", "a.txt") is None
    monkeypatch.setenv("NIANBAO_FILE_MB", "1")
    assert "file too large" in reject_reason(b"a" * (MB + 1), "big.txt")
    monkeypatch.setenv("NIANBAO_BATCH_MB", "2")
    assert batch_reason([MB, MB]) is None and "exceeds" in batch_reason([MB, MB, 1])


def test_ingest_fails_a_file_over_the_size_limit(tmp_path, monkeypatch):
    from nianbao.pipeline import ingest

    monkeypatch.setenv("NIANBAO_FILE_MB", "1")
    big = write(tmp_path / "big.txt", GOOD.format(n=3) + "x" * (MB + 10))
    out = ingest([big], tmp_path / "n.duckdb")
    assert out[0].status == "failed" and "file too large" in out[0].message


@pytest.mark.parametrize("folder,name", [("d[", "x].txt"), ("[red]a", "[red].txt"), ("a[", "]b.txt")])
def test_paths_with_markup_print_literally(tmp_path, folder, name):
    where = tmp_path / folder
    where.mkdir()
    f = where / name  # the path reads "…d[/x].txt": a rich closing tag
    f.write_bytes(b"\x00\x01" * 50)
    db = where / "x].duckdb"
    out = CliRunner().invoke(app, ["ingest", str(f), "--db", str(db)])
    assert out.exit_code == 1 and isinstance(out.exception, SystemExit), out.output
    flat = "".join(out.output.split())
    assert name in flat and "".join(str(db).split()) in flat
    parsed = CliRunner().invoke(app, ["parse", str(f)])
    assert parsed.exit_code == 1 and isinstance(parsed.exception, SystemExit)
    assert "".join(str(f).split()) in "".join(parsed.output.split())
