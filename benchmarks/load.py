"""Concurrent sessions against a local dashboard: p50/p95 page time and errors.

    python benchmarks/load.py [--db DB] [--sessions 20] [--seconds 120] [--ingest] [--client ws|browser]

Starts ``streamlit run app.py`` on a free 127.0.0.1 port (loopback only) and runs ``--sessions``
separate Streamlit sessions that visit the pages round-robin until ``--seconds`` have passed.
With ``--ingest`` a synthetic batch is ingested into the served database while they run. One
session alone is measured first as the baseline of the same run.

Two clients:
- ``ws`` (default) speaks Streamlit's own protocol: each session is a websocket that sends the
  rerun message a browser sends on navigation and times it until the script-finished message,
  counting exception elements. This measures the server, which is what 20 users on 20 machines
  share; 20 Chromium renderers on the server's own 2 cores would mostly measure Chromium.
- ``browser``: headless Chromium pages, timed from navigation to fully drawn (script finished,
  heading and every chart drawn; the test_browser criterion) — for a few sessions.
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # test_browser imports its neighbours by name
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, DONE, PAGES, running_app  # noqa: E402


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


async def _ws_session(url: str, until: float, times: list[float], errors: list[str], offset: int) -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    done = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with connect(ws_url, subprotocols=["streamlit"], origin=url, max_size=None) as ws:
        i = offset
        while time.monotonic() < until:
            name = PAGES[i % len(PAGES)]
            i += 1
            msg = BackMsg()
            msg.rerun_script.page_name = "" if name == "summary" else name
            msg.rerun_script.query_string = ""
            start = time.monotonic()
            await ws.send(msg.SerializeToString())
            try:
                while True:
                    out = ForwardMsg()
                    out.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
                    if out.WhichOneof("type") == "delta" and \
                            out.delta.new_element.WhichOneof("type") == "exception":
                        errors.append(f"{name}: exception")
                    if out.WhichOneof("type") == "script_finished" and out.script_finished == done:
                        break
                times.append(time.monotonic() - start)
            except TimeoutError:
                errors.append(f"{name}: TimeoutError")


async def _run_ws(url: str, sessions: int, seconds: float) -> tuple[list[float], list[str]]:
    times: list[float] = []
    errors: list[str] = []
    until = time.monotonic() + seconds
    await asyncio.gather(*(_ws_session(url, until, times, errors, k) for k in range(sessions)))
    return times, errors


def _pct(values: list[float], q: float) -> float:
    if len(values) < 2:
        return (values or [float("nan")])[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]  # never above the max


def _report(label: str, times: list[float], errors: list[str]) -> None:
    print(f"{label}: {len(times)} pages, {len(errors)} errors, p50 {_pct(times, 50):.2f} s, "
          f"p95 {_pct(times, 95):.2f} s, max {max(times, default=float('nan')):.2f} s")
    for e in sorted(set(errors))[:10]:
        print(f"  {e}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "nianbao.duckdb")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--ingest", action="store_true")
    ap.add_argument("--client", choices=("ws", "browser"), default="ws")
    a = ap.parse_args()
    run = _run_ws if a.client == "ws" else _run
    with tempfile.TemporaryDirectory(prefix="nianbao-load-") as tmp:
        db = Path(tmp) / "served.duckdb"
        if not a.db.exists():
            subprocess.run([sys.executable, "-m", "nianbao", "demo", "--db", str(a.db)], check=True)
        shutil.copyfile(a.db, db)
        with running_app(db) as url:
            base_t, base_e = asyncio.run(run(url, 1, min(30.0, a.seconds)))
            _report("1 session", base_t, base_e)
            ingest = None
            if a.ingest:
                subprocess.run([sys.executable, "-m", "nianbao", "synth", "--out", f"{tmp}/batch", "-n", "200"],
                               check=True, capture_output=True)
                ingest = subprocess.Popen([sys.executable, "-m", "nianbao", "ingest", f"{tmp}/batch", "--db", str(db),
                                           "--wait", "600"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            t, e = asyncio.run(run(url, a.sessions, a.seconds))
            _report(f"{a.sessions} sessions" + (" + ingest" if a.ingest else ""), t, e)
            print(f"client: {a.client}")
            if ingest:
                print(f"ingest exit code {ingest.wait(600)}")


if __name__ == "__main__":
    main()
