"""Access control and concurrent app use: writes need an admin; without one nothing is written;
an optional viewer password closes the whole app; two sessions importing at once both land;
three first visitors get one demo build; report text reaches the page only as inert text."""

from __future__ import annotations

import shutil
import threading

import pytest
from streamlit.testing.v1 import AppTest

import nianbao.demo as demo
from nianbao.app.auth import hash_password, verify_password
from nianbao.app.safe import inert_figure, md_literal
from nianbao.pipeline import ingest
from tests.test_app_pages import run_app, sql
from tests.test_store import GOOD, write

HASH = hash_password("s3cret")


def _upload(at: AppTest, name: str, text: str) -> None:
    at.file_uploader(key="import_files").set_value([(name, text.encode(), "text/plain")]).run()


def test_password_hashes_verify_and_reject():
    assert verify_password("s3cret", HASH) and not verify_password("S3cret", HASH)
    assert HASH != hash_password("s3cret")  # salted
    assert not verify_password("s3cret", "plain-text") and not verify_password("x", "")


def test_import_without_an_admin_configured_writes_nothing(empty_db, tmp_path, monkeypatch):
    db = tmp_path / "n.duckdb"
    shutil.copyfile(empty_db, db)
    before = db.read_bytes()
    at = run_app(db, monkeypatch, "import_reports")
    assert not at.get("file_uploader")
    assert any("nianbao hash-password" in i.value for i in at.info)
    assert db.read_bytes() == before


def test_import_needs_the_admin_password(empty_db, tmp_path, monkeypatch):
    db = tmp_path / "n.duckdb"
    shutil.copyfile(empty_db, db)
    monkeypatch.setenv("NIANBAO_ADMIN_PASSWORD_HASH", HASH)
    at = run_app(db, monkeypatch, "import_reports")
    assert not at.get("file_uploader") and at.warning
    at.text_input(key="admin_login_pw").set_value("wrong")
    at.button[0].click().run()
    assert not at.get("file_uploader") and any("密码不正确" in e.value for e in at.error)
    at.text_input(key="admin_login_pw").set_value("s3cret")
    at.button[0].click().run()
    assert at.get("file_uploader")
    _upload(at, "a.txt", GOOD.format(n=3))
    at.button(key="import_confirm").click().run()
    at.run()  # the next run drops the app's connection to the replaced file (DuckDB caches it by path)
    assert not at.exception and sql(db, "SELECT source_name FROM reports") == [("a.txt",)], (
        [e.value for e in at.error], [e.value for e in at.success], [e.value for e in at.info])


def test_a_viewer_password_closes_the_whole_app(fixture_db, monkeypatch):
    monkeypatch.setenv("NIANBAO_VIEWER_PASSWORD_HASH", HASH)
    at = run_app(fixture_db, monkeypatch)
    assert at.title[0].value == "请输入查看密码"
    assert not at.dataframe and not at.get("plotly_chart") and not at.multiselect
    at.text_input(key="viewer_login_pw").set_value("s3cret")
    at.button[0].click().run()
    assert not at.exception and at.multiselect(key="f_provinces")


def test_two_sessions_importing_at_once_both_succeed(empty_db, tmp_path, monkeypatch):
    db = tmp_path / "n.duckdb"
    shutil.copyfile(empty_db, db)
    sessions = []
    for name in ("商务局", "财政局"):
        at = run_app(db, monkeypatch, "import_reports", timeout=240)
        at.session_state["_nianbao_admin"] = True
        at.run()
        _upload(at, f"{name}.txt", GOOD.format(n=3).replace("商务局", name))
        sessions.append(at)
    threads = [threading.Thread(target=lambda at=at: at.button(key="import_confirm").click().run()) for at in sessions]
    for th in threads:
        th.start()
    for th in threads:
        th.join(300)
    for at in sessions:
        assert not at.exception, [e.message for e in at.exception]
        assert any("导入完成" in s.value for s in at.success)
    sessions[0].run()  # drops the app's connection to the replaced file
    assert sorted(sql(db, "SELECT source_name FROM reports")) == [("商务局.txt",), ("财政局.txt",)]


def test_three_first_visitors_get_one_demo_build(tmp_path, monkeypatch):
    db = tmp_path / "first.duckdb"
    source = write(tmp_path / "a.txt", GOOD.format(n=3))
    builds = []

    def small_build(path, progress=None, workers=None):
        builds.append(threading.get_ident())
        return len(ingest([source], path))

    monkeypatch.setattr(demo, "build_demo", small_build)
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(demo.ensure_demo(db))) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert len(builds) == 1 and [r.reports for r in results] == [1, 1, 1]


HOSTILE = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[click](javascript:alert(1))',
           '![](https://evil.example/x.png)', '<a href="https://evil.example">x</a>', ':red[boom]']


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_literal_leaves_no_live_syntax(text):
    out = md_literal(text)
    for ch in "<>[]()!:":
        assert f"\\{ch}" in out or ch not in text  # every special character escaped
    assert out.replace("\\", "") == text


def test_plotly_figures_show_names_as_text():
    import plotly.graph_objects as go

    fig = inert_figure(go.Figure(go.Bar(x=[1], y=['<a href="https://evil.example">某局</a>'], name="<b>x</b>")))
    assert fig.data[0].y == ('&lt;a href="https://evil.example"&gt;某局&lt;/a&gt;',)
    assert fig.data[0].name == "&lt;b&gt;x&lt;/b&gt;"


def test_hostile_report_text_is_inert_on_the_report_page(empty_db, tmp_path, monkeypatch):
    db = tmp_path / "n.duckdb"
    shutil.copyfile(empty_db, db)
    title = "某县商务局[点我](javascript:alert(1))<img src=x onerror=alert(1)>2023年政府信息公开工作年度报告"
    ingest([write(tmp_path / "![x](https:evil.example).txt", GOOD.format(n=3).replace(
        "某县商务局2023年政府信息公开工作年度报告", title))], db)
    at = run_app(db, monkeypatch, "report")
    shown = [e.value for e in at.subheader] + [e.value for e in at.warning] + [e.label for e in at.expander]
    assert shown
    for value in shown:
        assert "](" not in value and "<img" not in value and "![" not in value


class _User(dict):
    """What ``st.user`` gives after ``st.login`` (OIDC): a mapping with is_logged_in and email."""


@pytest.mark.parametrize(("user", "admin"), [
    (_User(is_logged_in=False), False),
    (_User(is_logged_in=True, email="someone@example.org"), False),
    (_User(is_logged_in=True, email="admin@example.org"), True),
])
def test_oidc_login_makes_only_listed_emails_admins(empty_db, tmp_path, monkeypatch, user, admin):
    import streamlit

    db = tmp_path / "n.duckdb"
    shutil.copyfile(empty_db, db)
    monkeypatch.setenv("NIANBAO_ADMIN_EMAILS", "boss@example.org, admin@example.org")
    monkeypatch.setattr(streamlit, "user", user, raising=False)
    at = run_app(db, monkeypatch, "import_reports")
    assert bool(at.get("file_uploader")) is admin
    if not admin:  # the way in is offered: Streamlit's own login button
        assert at.warning and any(b.key == "oidc_login" for b in at.button)
