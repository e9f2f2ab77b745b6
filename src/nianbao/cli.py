"""The `nianbao` command line: parse, ingest, check, export, demo."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape as lit  # names and messages print literally, never as markup
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nianbao.store.load import DEFAULT_DB

# the exportable datasets (nianbao.app.datasets.DATASETS, which imports Streamlit; a test keeps them equal)
EXPORT_TABLES = ("facts", "active", "applications", "review_litigation", "narrative")

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="nianbao 年报：政府信息公开工作年度报告 → 精确、经过核对的数字 / exact, checked numbers.")
err = Console(stderr=True)
DbOption = typer.Option(DEFAULT_DB, "--db", help="DuckDB 数据库文件 / database file")


def _require_db(db: Path) -> None:
    if not db.exists():
        err.print(f"[red]{lit(str(db))}: 数据库不存在，请先运行 nianbao ingest 或 nianbao demo / "
                  f"database not found: run nianbao ingest or nianbao demo first[/red]")
        raise typer.Exit(2)


@app.command()
def parse(
    file: Path = typer.Argument(..., help="年报文件 / report file (.txt .md .html .pdf .docx .doc .wps)"),
    format: str = typer.Option("csv", "--format", "-f", help="csv | json"),
    narrative: bool = typer.Option(False, "--narrative", help="正文发布数量 / narrative metrics CSV"),
) -> None:
    """解析一个文件并打印表格单元格（不写入数据库）/ Parse one file and print its cells; writes nothing."""
    from nianbao.export import facts_csv, narrative_csv, report_json
    from nianbao.parse import parse_bytes

    try:
        data = file.read_bytes()
    except OSError as exc:
        err.print(f"[red]{lit(str(file))}: 无法读取文件 / cannot read file: {lit(str(exc.strerror))}[/red]")
        raise typer.Exit(2) from None
    report = parse_bytes(data, file.name)
    if format == "json":
        sys.stdout.write(report_json(report) + "\n")
    elif narrative:
        sys.stdout.write(narrative_csv(report))
    elif format == "csv":
        sys.stdout.write(facts_csv(report))
    else:
        err.print(f"[red]未知格式 / unknown format: {lit(format)}[/red]")
        raise typer.Exit(2)
    m = report.metadata
    err.print(f"{lit(file.name)}: {report.status} · 格式 form {report.form_version} · {lit(m.agency or '?')} · "
              f"{m.report_year or '?'} · {len(report.facts)} cells")
    for w in report.warnings:
        err.print(f"  [yellow]{lit(w)}[/yellow]")
    if report.status == "failed":
        err.print(f"[red]{lit(str(file))}: {lit(report.error or '')}[/red]")
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="文件或文件夹 / files or folders"),
    db: Path = DbOption,
    manifest: Path | None = typer.Option(None, "--manifest", help="清单 CSV / manifest CSV"),
    workers: int = typer.Option(1, "--workers", "-j", help="并行解析进程数 / parallel parse processes"),
    wait: float = typer.Option(0.0, "--wait", help="另一个导入正在写入时最多等待的秒数 / seconds to wait for "
                               "another ingest writing the same database"),
    chunk: int = typer.Option(1000, "--chunk", min=1, help="每批解析并写入的报告数（内存随之而定）/ reports parsed "
                              "and loaded at a time (bounds memory)"),
    executor: str = typer.Option("local", "--executor", help="local（本机进程）或 dask（本机 Dask 集群）/ local "
                                 "processes or dask (a local Dask cluster)"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask 调度器地址，如 tcp://host:8786 / a Dask "
                                         "scheduler address, e.g. tcp://host:8786"),
) -> None:
    """解析并载入数据库（同一文件重复载入不变，新版本替换旧版本）/ Parse and load into DuckDB."""
    from nianbao.lock import LockBusy
    from nianbao.pipeline import ExecutorError, collect_files
    from nianbao.pipeline import ingest as run_ingest

    missing = [p for p in paths if not p.exists()]
    if missing:  # before anything touches the database
        for p in missing:
            err.print(f"{p}: 文件或文件夹不存在 / no such file or folder", style="red", markup=False)
        raise typer.Exit(2)
    files = collect_files(paths)
    if not files:
        err.print("[red]没有找到年报文件 / no report files found[/red]")
        raise typer.Exit(2)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err) as progress:
        task = progress.add_task("解析 parsing", total=len(files))
        try:
            outcomes = run_ingest(files, db, manifest, workers, lambda _: progress.advance(task), wait=wait,
                                  chunk=chunk, executor=executor, scheduler=scheduler,
                                  on_wait=lambda who: progress.console.print(
                                      f"[yellow]等待另一个导入完成（{lit(who)}）/ waiting for another ingest "
                                      f"({lit(who)}), up to {wait:.0f} s[/yellow]", soft_wrap=True))
        except ExecutorError as exc:
            progress.stop()
            err.print(f"[red]{lit(str(exc))}[/red]", soft_wrap=True)
            raise typer.Exit(2) from None
        except LockBusy as exc:
            progress.stop()
            err.print(f"[red]{lit(str(exc))}[/red]", soft_wrap=True)
            raise typer.Exit(3) from None
    # every file that needs attention, and the others only while the table stays readable
    shown = [o for o in outcomes if o.status != "ok"] + [o for o in outcomes if o.status == "ok"][:30]
    table = Table("文件 file", "状态 status", "结果 action", "说明 message", title=lit(str(db)))
    colour = {"ok": "green", "partial": "yellow", "failed": "red"}
    for o in shown:
        table.add_row(lit(o.file), f"[{colour[o.status]}]{o.status}[/]", o.action, lit(o.message))
    err.print(table)
    if len(shown) < len(outcomes):
        err.print(f"（另有 {len(outcomes) - len(shown)} 个文件正常 / {len(outcomes) - len(shown)} more files ok）")
    failed = sum(o.status == "failed" for o in outcomes)
    actions = {a: sum(o.action == a for o in outcomes) for a in ("loaded", "replaced", "unchanged", "held")}
    err.print(f"{len(outcomes) - failed} 载入 loaded · {failed} 失败 failed "
              f"(new {actions['loaded']}, replaced {actions['replaced']}, unchanged {actions['unchanged']}"
              + (f", held {actions['held']}" if actions["held"] else "") + ")")
    raise typer.Exit(1 if failed else 0)


@app.command()
def check(
    db: Path = DbOption,
    report: list[str] = typer.Option(None, "--report", help="报告标识或文件名 / report id or file name"),
    severity: str = typer.Option("warning", "--min-severity", help="error | warning | info"),
) -> None:
    """按报告列出一致性检查结果；有 error 时退出码为 1 / Findings by report; exit 1 on errors."""
    from nianbao.store.queries import findings_by_report

    _require_db(db)

    rows = findings_by_report(db, report or None, severity)
    colour = {"error": "red", "warning": "yellow", "info": "cyan"}
    current = None
    for r in rows:
        if r["source_name"] != current:
            current = r["source_name"]
            err.print(f"\n[bold]{lit(current)}[/bold] ({lit(r['agency'] or '?')} {r['report_year'] or '?'})")
        err.print(f"  [{colour[r['severity']]}]{r['rule_id']} {r['severity']}[/]: {lit(r['message_zh'])}")
        err.print(f"      {lit(r['message_en'])}")
    errors = sum(r["severity"] == "error" for r in rows)
    err.print(f"\n{len(rows)} 条结果 findings · {errors} error")
    raise typer.Exit(1 if errors else 0)


@app.command()
def agencies(
    db: Path = DbOption,
    as_manifest: bool = typer.Option(False, "--manifest", help="按文件输出清单 CSV，修改后用 ingest --manifest 载入 / "
                                     "print a per-file manifest CSV to edit and feed back to ingest --manifest"),
) -> None:
    """列出机构及其推断字段和推断依据，便于用清单更正 / Agencies with inferred fields and how."""
    import csv
    import json

    from nianbao.store.queries import list_agencies, report_manifest

    _require_db(db)

    if as_manifest:
        rows = report_manifest(db)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(rows[0].keys() if rows else ["file"])
        writer.writerows(r.values() for r in rows)
        return

    table = Table("机构 agency", "省 province", "市 city", "县 county", "层级 level", "类别 category",
                  "范围 scope", "年度 years", "依据 how", title=str(db))
    for a in list_agencies(db):
        how = json.loads(a["how"] or "{}")
        table.add_row(lit(a["name"] or ""), *(lit(a[k] or "—") for k in ("province", "city", "county", "level",
                                                                          "category")),
                      a["scope"] or "—", ",".join(map(str, a["years"])),
                      lit("\n".join(f"{k}: {v}" for k, v in how.items() if k not in ("title",))))
    Console().print(table)


@app.command()
def export(
    out: Path = typer.Argument(..., help="输出文件 .csv、.xlsx 或 .parquet / output file"),
    db: Path = DbOption,
    table: str = typer.Option("facts", "--table", help=" | ".join(EXPORT_TABLES)),
    lang: str = typer.Option("zh", "--lang", help="zh | en"),
    year: list[int] = typer.Option(None, "--year", help="报告年度 / report year"),
    scope: str = typer.Option("all", "--scope", help="范围 scope: all 全部 | agency 本机关 | jurisdiction 辖区汇总"),
) -> None:
    """导出（CSV 带 BOM，Excel 可直接打开中文）/ Export a table to CSV (UTF-8 BOM), XLSX or Parquet."""
    from streamlit import logger

    logger.set_log_level("error")  # the app's query cache works without a server; no warning needed
    from nianbao.app.export import write_table
    from nianbao.app.filters import SCOPES

    _require_db(db)
    if scope not in SCOPES:
        err.print(f"未知范围 / unknown scope: {scope} ({' | '.join(SCOPES)})", style="red", markup=False)
        raise typer.Exit(2)

    try:
        n = write_table(db, out, table, lang, out.suffix.lower().lstrip("."), years=tuple(year or ()), scope=scope)
    except ValueError as exc:  # unknown table or format, or too many rows for XLSX
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    err.print(f"{out}: {n} 行 rows · {out.stat().st_size} bytes", markup=False)


@app.command()
def demo(db: Path = DbOption, force: bool = typer.Option(False, "--force", help="重建 / rebuild")) -> None:
    """用合成示例数据和真实样例构建演示数据库 / Build the demo database (synthetic + real sample)."""
    from nianbao.demo import build_demo, count_reports, demo_built_message, demo_failure_message

    if db.exists() and not force:
        err.print(f"{lit(str(db))} 已存在，使用 --force 重建 / exists, use --force to rebuild")
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err) as progress:
        task = progress.add_task("示例数据 demo", total=None)
        try:
            build_demo(db, lambda done, total: progress.update(task, completed=done, total=total))
        except Exception as exc:  # the user's only command: one line naming the cause, never a traceback
            progress.stop()
            err.print(" / ".join(demo_failure_message(exc)), style="red", markup=False)
            raise typer.Exit(1) from None
    err.print(f"{db}: " + " / ".join(demo_built_message(count_reports(db))), markup=False)


@app.command()
def synth(
    out: Path = typer.Option(..., "--out", help="输出文件夹 / output folder"),
    reports: int = typer.Option(350, "--reports", "-n", help="报告份数 / number of reports"),
    format: str = typer.Option("txt", "--format", "-f", help="txt,html,docx,pdf 之一或逗号分隔 / one or more"),
    seed: int = typer.Option(1, "--seed", help="随机种子（同种子同字节）/ seed: same seed, same bytes"),
    error_rate: float = typer.Option(0.0, "--error-rate", help="植入错误的比例 / share with planted errors"),
) -> None:
    """生成合成年报及其期望值（测试、演示、压测用）/ Generate synthetic reports with expected values."""
    import time

    from nianbao.synth.corpus import FORMATS, write_corpus

    formats = tuple(f.strip() for f in format.split(","))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        err.print(f"[red]未知格式 / unknown format: {lit(', '.join(unknown))}[/red]")
        raise typer.Exit(2)
    years = 7  # 2019–2025
    start = time.perf_counter()
    metas = write_corpus(out, seed, limit=reports, n_agencies=-(-reports // years), formats=formats,
                         error_rate=error_rate)
    seconds = time.perf_counter() - start
    err.print(f"{lit(str(out))}: {len(metas)} 份报告 reports · {seconds:.1f} s · {len(metas) / seconds:.0f}/s")


@app.command("hash-password")
def hash_password_command(
    password: str = typer.Option(..., prompt="密码 / password", hide_input=True, confirmation_prompt=True),
) -> None:
    """生成管理员或查看密码的哈希，写入 .streamlit/secrets.toml / Hash a password for secrets.toml."""
    from nianbao.app.auth import hash_password

    sys.stdout.write(hash_password(password) + "\n")


roster_app = typer.Typer(no_args_is_help=True, help="应发布年报的机构名录 / the roster of agencies expected to publish")
app.add_typer(roster_app, name="roster")


@roster_app.command("import")
def roster_import(file: Path = typer.Argument(..., help="名录 CSV：agency, region, level, category / roster CSV"),
                  db: Path = DbOption) -> None:
    """导入名录（替换已有名录），年报汇总页据此标出未发布的机构 / Import the roster (replaces the stored one)."""
    from nianbao.store.decisions import import_roster

    _require_db(db)
    err.print(f"{db}: {import_roster(db, file)} 个机构 agencies in the roster")


@app.command()
def review(
    out: Path = typer.Argument(..., help="输出 PDF / output PDF"),
    year: int = typer.Option(..., "--year", help="报告年度 / report year"),
    region: str | None = typer.Option(None, "--region", help="省、市或县名称 / province, city or county name"),
    db: Path = DbOption,
) -> None:
    """生成可打印的审查报告（封面评级分布 + 每个机构一页）/ Write the printable review PDF."""
    from streamlit import logger

    logger.set_log_level("error")  # the app's query cache works without a server
    from nianbao.app.review_pdf import build_review_pdf

    _require_db(db)
    data = build_review_pdf(db, year, region)
    out.write_bytes(data)
    err.print(f"{out}: {len(data)} bytes")


def main() -> None:
    try:
        app()
    except (OSError, ValueError) as exc:  # a bad path or manifest: one clear line, no traceback
        err.print(f"[red]错误 / error: {lit(str(exc))}[/red]")
        sys.exit(2)
