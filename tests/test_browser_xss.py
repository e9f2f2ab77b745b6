"""Hostile report text in a real browser: agency names, titles and narrative carrying
``<script>``, ``<img onerror>``, ``javascript:`` links and Markdown link/image syntax, ingested
from reports and from a manifest, are shown as text on every page — no script runs, no element
of the payload exists in the page, and the browser asks no other host for anything."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import duckdb
import pytest
from test_browser import CHROMIUM, DONE, PAGES, headless_chromium, running_app

from nianbao.pipeline import ingest
from nianbao.synth.corpus import write_corpus

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

# Each payload, if it ran, would set window.__xss or fetch from evil.example.
AGENCY = '水务局<img src=x onerror="window.__xss=1">[点我](javascript:window.__xss=2)'
NARRATIVE = ('<script>window.__xss=3</script>公开工作![图](http://evil.example/x.png)'
             '见[通知](javascript:window.__xss=4)与<a href="http://evil.example/">链接</a>。')
TITLE_TAIL = '<svg onload="window.__xss=5"></svg>'
PAYLOAD_SELECTOR = ('img[src="x"], img[src*="evil.example"], a[href^="javascript:"], a[href*="evil.example"], '
                    '[onerror], [onload], svg[onload]')


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("xss")
    write_corpus(tmp / "in", seed=3, limit=3)
    reports = sorted((tmp / "in").glob("*.txt"))
    for f in reports:  # hostile text in the title line and in the narrative
        lines = f.read_text(encoding="utf-8").splitlines()
        lines[0] += TITLE_TAIL
        at = next(i for i, line in enumerate(lines) if line.startswith("一、"))
        lines.insert(at + 1, NARRATIVE)
        f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = tmp / "manifest.csv"
    with open(manifest, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["file", "agency", "province", "city", "county"])
        for f in reports:  # a manifest value is shown like a parsed one
            w.writerow([f.name, AGENCY, "山东省", "威海市", "文登区"])
    db = tmp / "xss.duckdb"
    outcomes = ingest(reports, db, manifest=manifest)
    assert all(o.status != "failed" for o in outcomes), outcomes
    return db


@pytest.fixture(scope="module")
def server(hostile_db: Path) -> Iterator[str]:
    with running_app(hostile_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with headless_chromium() as b:
        yield b


def _report_id(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT report_id FROM reports ORDER BY report_year DESC LIMIT 1").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("page_name", PAGES)
def test_hostile_text_is_inert_in_the_browser(server: str, browser, hostile_db: Path, page_name: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 2000}, locale="zh-CN")
    dialogs: list[str] = []
    foreign: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    def guard(route) -> None:  # any request to another host is a payload at work
        if urlparse(route.request.url).hostname not in ("127.0.0.1", "localhost"):
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    try:
        query = f"?report={quote(_report_id(hostile_db))}" if page_name == "report" else ""
        page.goto(f"{server}/{page_name}{query}", wait_until="domcontentloaded")
        page.wait_for_function(DONE, timeout=180_000, polling=200)
        page.wait_for_load_state("networkidle")
        page.wait_for_function(DONE, timeout=180_000, polling=200)
        assert page.evaluate("() => window.__xss") is None
        assert not dialogs and not foreign, (dialogs, foreign)
        live = page.evaluate(f"() => [...document.querySelectorAll({PAYLOAD_SELECTOR!r})].map(e => (e.closest('[data-testid^=\"st\"]') || {{}}).outerHTML?.slice(0, 300))")
        assert not live, live
        assert page.locator(".main-svg a").count() == 0  # plotly renders <a> in labels as links
        if page_name == "report":  # the payloads were shown, as the text they are
            text = page.locator('[data-testid="stApp"]').inner_text()
            assert "javascript:window.__xss=4" in text, text[:3000]
    finally:
        page.close()
