"""Concurrent sessions against a local dashboard: p50/p95 page time and errors.

    python benchmarks/load.py [--db DB] [--mode protocol|browser|both] [--sessions 20]
                              [--browsers 3] [--seconds 120] [--ingest]

Starts ``streamlit run app.py`` on a free 127.0.0.1 port (loopback only) and runs sessions that
visit the pages round-robin until ``--seconds`` have passed.

* ``protocol`` (server cost): ``--sessions`` Streamlit websocket clients, no browser. Each sends
  the rerun BackMsg for a page (what a browser sends on navigation) and times until the
  script-finished ForwardMsg, reading every delta (figures included) on the way. An exception
  element or a compile error counts as an error.
* ``browser`` (drawn-page time): ``--browsers`` headless Chromium pages (one context each:
  separate sessions), timed from navigation to fully drawn (the test_browser criterion). Many
  Chromium renderers on the server's cores measure Chromium, so keep this number small.

With ``--ingest`` a synthetic batch is ingested into the served database while the loaded run
goes. One session alone is measured first in each mode: the baseline of the same run, and the
report gives the loaded/baseline ratios (absolute times on a shared machine are upper bounds).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # tests.test_browser imports its helpers by name
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, DONE, PAGES, running_app  # noqa: E402

WS_PAGES = tuple(p for p in PAGES if p != "import_reports")  # uploads need a file; a browser session covers it


async def _ws_session(port: int, until: float, times: list[float], errors: list[str], offset: int,
                      by_page: dict[str, list[float]]) -> None:
    """One Streamlit session over the websocket protocol."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    try:
        ws = await connect(f"ws://127.0.0.1:{port}/_stcore/stream", max_size=256 * 2**20,
                           subprotocols=["streamlit"], open_timeout=60)
    except Exception as exc:  # noqa: BLE001 - counted, not raised
        errors.append(f"connect: {type(exc).__name__}")
        return
    i = offset
    try:
        while time.monotonic() < until:
            name = WS_PAGES[i % len(WS_PAGES)]
            i += 1
            back = BackMsg()
            back.rerun_script.query_string = ""
            back.rerun_script.page_name = "" if name == "summary" else name
            start = time.monotonic()
            await ws.send(back.SerializeToString())
            failed = ""
            while True:
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=120)
                except ConnectionClosed:
                    raw = None
                    failed = "connection closed"
                    break
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                        and msg.delta.new_element.WhichOneof("type") == "exception":
                    failed = failed or "exception"
                elif kind == "script_finished":
                    if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        failed = "compile error"
                    if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        break
            if failed:
                errors.append(f"{name}: {failed}")
                if raw is None:
                    return
            times.append(time.monotonic() - start)
            by_page.setdefault(name, []).append(times[-1])
    except Exception as exc:  # noqa: BLE001 - a load run counts failures, it does not stop
        errors.append(f"{type(exc).__name__}")
    finally:
        await ws.close()


async def _run_ws(port: int, sessions: int, seconds: float) -> tuple[list[float], list[str]]:
    times: list[float] = []
    errors: list[str] = []
    by_page: dict[str, list[float]] = {}
    until = time.monotonic() + seconds
    await asyncio.gather(*(_ws_session(port, until, times, errors, k, by_page) for k in range(sessions)))
    print("  per page p50/p95 s: " + ", ".join(f"{n} {_pct(v, 50):.2f}/{_pct(v, 95):.2f}"
                                               for n, v in by_page.items()))
    return times, errors


async def _session(browser, url: str, until: float, times: list[float], errors: list[str], offset: int) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = await context.new_page()
    i = offset
    try:
        while time.monotonic() < until:
            name = PAGES[i % len(PAGES)]
            i += 1
            start = time.monotonic()
            try:
                await page.goto(f"{url}/{'' if name == 'summary' else name}", wait_until="domcontentloaded")
                await page.wait_for_function(DONE, timeout=60_000, polling=100)
                if await page.locator('[data-testid="stException"]').count():
                    errors.append(f"{name}: exception")
                times.append(time.monotonic() - start)
            except Exception as exc:  # noqa: BLE001 - a load run counts failures, it does not stop
                errors.append(f"{name}: {type(exc).__name__}")
    finally:
        await context.close()


async def _run(url: str, sessions: int, seconds: float) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    times: list[float] = []
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        until = time.monotonic() + seconds
        await asyncio.gather(*(_session(browser, url, until, times, errors, k) for k in range(sessions)))
        await browser.close()
    return times, errors


def _pct(values: list[float], q: float) -> float:
    if len(values) < 2:
        return (values or [float("nan")])[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _report(label: str, times: list[float], errors: list[str], base: list[float] | None = None) -> None:
    ratio = ""
    if base:
        ratio = (f" (× {_pct(times, 50) / _pct(base, 50):.1f} p50, × {_pct(times, 95) / _pct(base, 95):.1f} p95 "
                 "of 1 session)")
    print(f"{label}: {len(times)} pages, {len(errors)} errors, p50 {_pct(times, 50):.2f} s, "
          f"p95 {_pct(times, 95):.2f} s, max {max(times, default=float('nan')):.2f} s{ratio}", flush=True)
    for e in sorted(set(errors))[:10]:
        print(f"  {e}")


def _start_ingest(tmp: str, db: Path) -> subprocess.Popen:
    batch = f"{tmp}/batch-{time.monotonic_ns()}"
    subprocess.run([sys.executable, "-m", "nianbao", "synth", "--out", batch, "-n", "200"],
                   check=True, capture_output=True)
    return subprocess.Popen([sys.executable, "-m", "nianbao", "ingest", batch, "--db", str(db), "--wait", "600"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "nianbao.duckdb")
    ap.add_argument("--mode", choices=("protocol", "browser", "both"), default="both")
    ap.add_argument("--sessions", type=int, default=20, help="protocol clients")
    ap.add_argument("--browsers", type=int, default=3, help="Chromium pages")
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--ingest", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="nianbao-load-") as tmp:
        db = Path(tmp) / "served.duckdb"
        if not a.db.exists():
            subprocess.run([sys.executable, "-m", "nianbao", "demo", "--db", str(a.db)], check=True)
        shutil.copyfile(a.db, db)
        suffix = " + ingest" if a.ingest else ""
        with running_app(db) as url:
            port = int(url.rsplit(":", 1)[1])
            if a.mode in ("protocol", "both"):
                base_t, base_e = asyncio.run(_run_ws(port, 1, min(30.0, a.seconds)))
                _report("protocol, 1 session", base_t, base_e)
                ingest = _start_ingest(tmp, db) if a.ingest else None
                t, e = asyncio.run(_run_ws(port, a.sessions, a.seconds))
                _report(f"protocol, {a.sessions} sessions{suffix}", t, e, base_t)
                if ingest:
                    print(f"ingest exit code {ingest.wait(600)}")
            if a.mode in ("browser", "both"):
                base_t, base_e = asyncio.run(_run(url, 1, min(30.0, a.seconds)))
                _report("browser, 1 page", base_t, base_e)
                ingest = _start_ingest(tmp, db) if a.ingest else None
                t, e = asyncio.run(_run(url, a.browsers, a.seconds))
                _report(f"browser, {a.browsers} pages{suffix}", t, e, base_t)
                if ingest:
                    print(f"ingest exit code {ingest.wait(600)}")


if __name__ == "__main__":
    main()
