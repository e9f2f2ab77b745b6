"""A real browser run: ``streamlit run app.py`` on the fixture database, every page opened in
headless Chromium, no exception or error box, a screenshot per page in ``screenshots/``."""

from __future__ import annotations

import os
import selectors
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from ui_scan import bad_words

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
PAGES = ("summary", "compare", "trends", "applications", "review", "quality", "report", "explore", "import_reports",
         "grades", "coverage")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip("chromium is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_line(proc: subprocess.Popen, needle: str, timeout: float) -> list[str]:
    """Read the server's output until ``needle`` appears (select() waits on the pipe, no sleeping)."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not sel.select(timeout=deadline - time.monotonic()):
                break
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            if needle in line:
                return seen
    raise AssertionError(f"streamlit did not start: {''.join(seen)}")


@contextmanager
def running_app(db: Path) -> Iterator[str]:
    """``streamlit run app.py`` on a free local port; yields its URL."""
    port = _free_port()
    env = {**os.environ, "NIANBAO_DB": str(db), "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for_line(proc, str(port), 60)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def server(fixture_db: Path) -> Iterator[str]:
    with running_app(fixture_db) as url:
        yield url


@contextmanager
def headless_chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright, headless."""
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with headless_chromium() as b:
        yield b


# The app is done when the script is not running (stApp's data-test-script-state), nothing is
# stale or a skeleton, the heading is drawn and every plotly chart has drawn its SVG.
DONE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('h1')) return false;
  if (document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"], [data-stale="true"]'))
    return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  for (const c of charts) { if (!c.querySelector('.main-svg')) return false; }
  return true;
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page_name", PAGES)
def test_page_in_chromium(server: str, browser, page_name: str, lang: str) -> None:
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    # Streamlit scrolls inside its own container, so a tall viewport is what makes the screenshot whole
    page = browser.new_page(viewport={"width": 1400, "height": 2400}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        # /summary is served by the default page too (the README names it)
        query = "?lang=en" if lang == "en" else ""
        page.goto(f"{server}/{page_name}{query}", wait_until="domcontentloaded")
        page.wait_for_function(DONE, timeout=180_000, polling=200)
        # a second check after the network settles: reruns triggered by URL sync must finish too
        page.wait_for_load_state("networkidle")
        page.wait_for_function(DONE, timeout=180_000, polling=200)
        page.screenshot(path=str(out / f"{page_name}-{lang}.png"), full_page=True)
        exceptions = page.locator('[data-testid="stException"]')
        assert exceptions.count() == 0, exceptions.first.inner_text()
        error_boxes = page.locator('[data-testid="stAlertContentError"]')
        assert error_boxes.count() == 0, error_boxes.first.inner_text()
        assert page.locator("h1").first.inner_text().strip()
        assert ("已载入" if lang == "zh" else "reports loaded") in page.locator('[data-testid="stSidebar"]').inner_text()
        assert page.get_by_text("Page not found").count() == 0
        # what the user reads: no internal key, no None (in Chinese, no key word at all)
        texts = page.locator('[data-testid="stApp"]').inner_text().splitlines()
        texts += page.locator(".main-svg text").all_text_contents()
        assert not bad_words(iter(texts), lang), sorted(bad_words(iter(texts), lang))
        assert not errors, errors
    finally:
        page.close()


def test_shared_link_restores_filters(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{server}/compare?province=%E7%A6%8F%E5%BB%BA%E7%9C%81&scope=jurisdiction",
                  wait_until="domcontentloaded")
        page.wait_for_function(DONE, timeout=180_000, polling=200)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sync_api.expect(sidebar.get_by_text("福建省").first).to_be_visible()  # the multiselect shows the choice
        sync_api.expect(sidebar).to_contain_text("筛选后 7 份")  # 福州市人民政府, jurisdiction-wide, 2019–2025
        page.screenshot(path=str(ROOT / "screenshots" / "shared_link.png"))
        assert "province=" in page.url and "scope=jurisdiction" in page.url
    finally:
        page.close()


def test_deep_link_as_a_fresh_servers_first_request(fixture_db: Path, browser) -> None:
    """Streamlit takes a folder named pages/ for its old multipage mode until a run has called
    st.navigation; the first request of a fresh server must still open inside app.py's frame."""
    with running_app(fixture_db) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            page.goto(f"{url}/compare?province=%E7%A6%8F%E5%BB%BA%E7%9C%81&scope=jurisdiction",
                      wait_until="domcontentloaded")
            page.wait_for_function(DONE, timeout=180_000, polling=200)
            sidebar = page.locator('[data-testid="stSidebar"]')
            sync_api.expect(sidebar).to_contain_text("筛选后 7 份")
            sync_api.expect(page.get_by_role("heading", name="部门对比")).to_be_visible()
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            page.close()


def test_screenshots_are_not_committed() -> None:
    ignored = subprocess.run(["git", "check-ignore", "screenshots/summary.png"], cwd=ROOT, capture_output=True)
    assert ignored.returncode == 0 or shutil.which("git") is None
