"""The command line contract: parse output and exit codes, ingest outcomes, agencies, export."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from nianbao.cli import app
from tests.test_store import GOOD, write

runner = CliRunner()


def test_parse_csv_and_json(tmp_path):
    f = write(tmp_path / "a.txt", GOOD.format(n=3))
    out = runner.invoke(app, ["parse", str(f)])
    assert out.exit_code == 0
    assert out.stdout.splitlines()[0] == "table,row,col,value"
    assert "applications,new_received,total,3" in out.stdout
    js = runner.invoke(app, ["parse", str(f), "--format", "json"])
    assert '"agency": "某县商务局"' in js.stdout and '"report_year": 2023' in js.stdout


def test_python_dash_m_prints_the_same(tmp_path):
    f = write(tmp_path / "a.txt", GOOD.format(n=3))
    proc = subprocess.run([sys.executable, "-m", "nianbao", "parse", str(f)], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == runner.invoke(app, ["parse", str(f)]).stdout


def test_parse_bad_file_one_clear_line_and_nonzero_exit(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"")
    out = runner.invoke(app, ["parse", str(bad)])
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert "x.pdf" in out.output and "empty file" in out.output
    missing = runner.invoke(app, ["parse", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "cannot read file" in missing.output


def test_ingest_reports_each_file_and_exits_nonzero_on_failure(tmp_path):
    db = tmp_path / "n.duckdb"
    good = write(tmp_path / "a.txt", GOOD.format(n=3))
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"\x00" * 10)
    out = runner.invoke(app, ["ingest", str(good), str(bad), "--db", str(db)])
    assert out.exit_code == 1
    assert "1 载入 loaded · 1 失败 failed" in out.output
    listing = runner.invoke(app, ["agencies", "--db", str(db), "--manifest"])
    assert listing.stdout.splitlines()[0].startswith("file,agency")
    assert "a.txt,某县商务局" in listing.stdout


def test_synth_command_writes_reports_with_expected_values(tmp_path):
    out = runner.invoke(app, ["synth", "--reports", "9", "--format", "txt,html", "--out", str(tmp_path / "a")])
    assert out.exit_code == 0
    reports = sorted(p for p in (tmp_path / "a").iterdir() if p.suffix in (".txt", ".html"))
    assert len(reports) == 9 and all((p.parent / f"{p.name}.csv").exists() for p in reports)
    again = runner.invoke(app, ["synth", "--reports", "9", "--format", "txt,html", "--out", str(tmp_path / "b")])
    assert again.exit_code == 0
    assert all(p.read_bytes() == (tmp_path / "b" / p.name).read_bytes() for p in reports)
    assert runner.invoke(app, ["synth", "--format", "rtf", "--out", str(tmp_path / "c")]).exit_code == 2


def test_commands_on_a_missing_database_say_so(tmp_path):
    for args in (["check"], ["agencies"], ["export", str(tmp_path / "x.csv")]):
        out = runner.invoke(app, [*args, "--db", str(tmp_path / "none.duckdb")])
        assert out.exit_code == 2 and "database not found" in out.output and "Traceback" not in out.output


def test_ingest_of_a_missing_path_names_it_and_creates_no_database(tmp_path):
    db = tmp_path / "n.duckdb"
    good = write(tmp_path / "a.txt", GOOD.format(n=3))
    out = runner.invoke(app, ["ingest", str(good), str(tmp_path / "nope"), "--db", str(db)])
    assert out.exit_code == 2 and "nope" in out.output and "no such file or folder" in out.output
    assert not db.exists()


def test_a_pre_2019_report_says_why_it_has_no_tables(tmp_path):
    old = write(tmp_path / "old.txt", "某县商务局2017年政府信息公开工作年度报告\n一、概述\n本年度主动公开政府信息120条。\n")
    out = runner.invoke(app, ["ingest", str(old), "--db", str(tmp_path / "n.duckdb")])
    assert out.exit_code == 0
    assert "2019年以前的报告" in out.output


def test_export_help_lists_every_dataset():
    from nianbao.app.datasets import DATASETS
    from nianbao.cli import EXPORT_TABLES

    assert EXPORT_TABLES == DATASETS
    out = runner.invoke(app, ["export", "--help"], terminal_width=200)
    assert all(name in out.output for name in DATASETS) and "--scope" in out.output


JURISDICTION = GOOD.replace("某县商务局2023年", "沭阳县人民政府2023年").replace(
    "本报告中所列数据", "本报告由沭阳县人民政府办公室汇总全县各级行政机关年度报告编制，所列数据")


def test_export_keeps_jurisdiction_reports_unless_a_scope_is_asked(tmp_path):
    db = tmp_path / "n.duckdb"
    files = [write(tmp_path / "a.txt", GOOD.format(n=3)), write(tmp_path / "b.txt", JURISDICTION.format(n=7))]
    assert runner.invoke(app, ["ingest", *map(str, files), "--db", str(db)]).exit_code == 0

    def exported(*args):
        out = tmp_path / "x.csv"
        result = runner.invoke(app, ["export", str(out), "--db", str(db), "--table", "applications", *args])
        assert result.exit_code == 0, result.output
        return out.read_text(encoding="utf-8-sig")

    everything, own = exported(), exported("--scope", "agency")
    assert "沭阳县人民政府" in everything and "某县商务局" in everything
    assert "沭阳县人民政府" not in own and "某县商务局" in own
    assert "沭阳县人民政府" in exported("--scope", "jurisdiction")
    bad = runner.invoke(app, ["export", str(tmp_path / "y.csv"), "--db", str(db), "--scope", "county"])
    assert bad.exit_code == 2 and "unknown scope" in bad.output


def test_demo_says_how_many_files_it_stored_and_how_many_failed(tmp_path, monkeypatch):
    """The demo used to print the reports read (464) while its database held every stored file,
    the failed ones too (467): the line now gives both, and they add up to what is stored."""
    import duckdb

    import nianbao.demo
    from nianbao.pipeline import ingest

    files = [write(tmp_path / f"{n}.txt", GOOD.format(n=n)) for n in (3, 4)]
    (tmp_path / "empty.pdf").write_bytes(b"")  # a file that cannot be read is stored with its error

    def small_build(path, progress=None, workers=None):
        return sum(o.status != "failed" for o in ingest([*files, tmp_path / "empty.pdf"], path))

    monkeypatch.setattr(nianbao.demo, "build_demo", small_build)
    db = tmp_path / "d.duckdb"
    out = runner.invoke(app, ["demo", "--db", str(db)])
    assert out.exit_code == 0, out.output
    con = duckdb.connect(str(db), read_only=True)
    stored, failed = con.execute("SELECT count(*), count(*) FILTER (WHERE status = 'failed') FROM reports").fetchone()
    con.close()
    assert (stored, failed) == (3, 1)
    line = " ".join(out.output.split())
    assert "3 个文件入库：2 份报告，1 个文件无法读取" in line
    assert "3 files stored: 2 reports, 1 file that could not be read" in line


def test_demo_counts_add_up_to_the_stored_rows(tmp_path):
    from nianbao.demo import DemoCounts, count_reports, demo_built_message
    from nianbao.pipeline import ingest

    files = [write(tmp_path / "a.txt", GOOD.format(n=3)), tmp_path / "empty.pdf"]
    files[1].write_bytes(b"")
    ingest(files, tmp_path / "c.duckdb")
    counts = count_reports(tmp_path / "c.duckdb")
    assert counts == DemoCounts(files=2, reports=1, partial=0, failed=1, held=0)
    assert demo_built_message(DemoCounts(467, 464, 2, 3, 0)) == (
        "467 个文件入库：464 份报告（其中 2 份部分读取），3 个文件无法读取",
        "467 files stored: 464 reports (2 partly read), 3 files that could not be read")


def test_demo_build_failure_is_one_line_naming_the_cause(tmp_path, monkeypatch):
    import nianbao.demo

    def broken(*_args, **_kwargs):
        raise ModuleNotFoundError("No module named 'reportlab'", name="reportlab")

    monkeypatch.setattr(nianbao.demo, "build_demo", broken)
    out = runner.invoke(app, ["demo", "--db", str(tmp_path / "d.duckdb")])
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert "reportlab" in out.output and "pip install -e ." in out.output
