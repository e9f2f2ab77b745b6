"""CI: the README's first command, as written, on a fresh copy in a fresh venv.

Copies the tracked files to a temporary folder (so no database or build is there), makes a new
venv, runs ``pip install -e .`` in it and ``streamlit run app.py`` from it, waits for the health
endpoint, then opens the summary page in headless Chromium (driven by this interpreter's
playwright) until the first-start demo build has finished, and fails on any error box.
Usage: python .ci/first_run.py
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BUILD_TIMEOUT = 600  # seconds: pip install, then the first-start demo build on a 2-core machine


def fresh_copy(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    for name in filter(None, files.decode().split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.5)  # polling a server that is starting; not a test
    raise SystemExit("health endpoint never answered ok")


def check_summary(url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/summary", timeout=60_000)
        # first start builds the demo database; the summary page is done when its metrics are drawn
        page.wait_for_selector('[data-testid="stMetric"]', timeout=BUILD_TIMEOUT * 1000)
        page.wait_for_function("""() => document.querySelector('[data-testid="stApp"]')
            ?.getAttribute('data-test-script-state') === 'notRunning'""", timeout=120_000)
        errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
        if errors.count():
            raise SystemExit(f"error box on the summary page: {errors.first.inner_text()}")
        shot = ROOT / "screenshots" / "first-run-summary.png"
        shot.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="nianbao-first-run-") as tmp:
        repo, venv = Path(tmp) / "nianbao", Path(tmp) / "venv"
        fresh_copy(repo)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("NIANBAO_DB", "PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        print("first run: pip install -e . in a fresh venv", flush=True)
        subprocess.run(["pip", "install", "-q", "-e", "."], cwd=repo, env=env, check=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = open(Path(tmp) / "streamlit.log", "w")
        proc = subprocess.Popen(["streamlit", "run", "app.py", "--server.port", str(port),
                                 "--server.address", "127.0.0.1"], cwd=repo, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            start = time.monotonic()
            wait_healthy(url, proc, start + 120)
            check_summary(url)
            print(f"first run: streamlit run app.py served the summary page in {time.monotonic() - start:.0f} s",
                  flush=True)
        except BaseException:
            log.flush()
            print((Path(tmp) / "streamlit.log").read_text()[-4000:], file=sys.stderr)
            raise
        finally:
            proc.terminate()
            proc.wait(20)


if __name__ == "__main__":
    main()
