"""Who may write, and optionally who may look.

Reading needs nothing by default. Writing (the import page, anything that changes the
database) needs an admin, configured in Streamlit's secrets (``.streamlit/secrets.toml``)::

    [nianbao]
    admin_password_hash = "scrypt$16384$8$1$…"   # from: nianbao hash-password
    viewer_password_hash = "scrypt$…"            # optional: the whole app needs this password
    admin_emails = ["a@example.org"]             # optional: admins by st.login (OIDC, [auth] section)

The hashes are the standard library's scrypt (hashlib.scrypt, random salt, constant-time
compare); the environment variables ``NIANBAO_ADMIN_PASSWORD_HASH``,
``NIANBAO_VIEWER_PASSWORD_HASH`` and ``NIANBAO_ADMIN_EMAILS`` (comma-separated) work too.
With no admin configured, write pages say how to enable them and write nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

import streamlit as st

from nianbao.app.i18n import t

_N, _R, _P = 2**14, 8, 1
_ADMIN, _VIEWER = "_nianbao_admin", "_nianbao_viewer"


def hash_password(password: str) -> str:
    """A self-describing scrypt hash: ``scrypt$N$r$p$salt$hash`` (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join(["scrypt", str(_N), str(_R), str(_P), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(want), maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def _setting(key: str):
    env = os.environ.get(f"NIANBAO_{key.upper()}")
    if env:
        return env
    try:
        section = st.secrets.get("nianbao", {})
    except Exception:  # noqa: BLE001 - no secrets file at all: nothing configured
        return None
    return section.get(key) if hasattr(section, "get") else None


def _oidc_admin() -> bool | None:
    """True/False for a logged-in OIDC user when admin_emails is configured, else None."""
    emails = _setting("admin_emails")
    if isinstance(emails, str):  # NIANBAO_ADMIN_EMAILS="a@x.org,b@y.org"
        emails = [e.strip() for e in emails.split(",")]
    emails = [e for e in emails or () if e]
    if not emails:
        return None
    user = getattr(st, "user", None)
    if user is None or not user.get("is_logged_in"):
        return False
    return user.get("email") in emails


def _password_form(stored: str, flag: str, lang: str, key: str) -> None:
    with st.form(key):
        password = st.text_input(t("auth_password", lang), type="password", key=f"{key}_pw")
        if st.form_submit_button(t("auth_login", lang)):
            if verify_password(password, stored):
                st.session_state[flag] = True
                st.rerun()
            st.error(t("auth_wrong", lang))


def require_viewer(lang: str) -> None:
    """Stop the app for visitors without the viewer password, when one is configured."""
    stored = _setting("viewer_password_hash")
    if not stored or st.session_state.get(_VIEWER) or st.session_state.get(_ADMIN):
        return
    st.title(t("auth_viewer_title", lang))
    _password_form(stored, _VIEWER, lang, "viewer_login")
    st.stop()


def is_admin() -> bool:
    return bool(st.session_state.get(_ADMIN)) or bool(_oidc_admin())


def require_admin(lang: str) -> None:
    """Stop a write page unless this session is an admin; say how to become one."""
    if is_admin():
        return
    stored = _setting("admin_password_hash")
    oidc = _oidc_admin()
    if not stored and oidc is None:
        st.info(t("auth_not_configured", lang))
        st.stop()
    st.warning(t("auth_admin_needed", lang))
    if oidc is False and hasattr(st, "login"):
        st.button(t("auth_oidc_login", lang), on_click=st.login, key="oidc_login")
    if stored:
        _password_form(stored, _ADMIN, lang, "admin_login")
    st.stop()


def admin_user(lang: str) -> str | None:
    """For pages that write one thing (a reviewer's decision) beside what they show: the admin's
    name when this session is one, else a login form (or how to configure one) and None; the
    page goes on. The name is the OIDC email, or ``[nianbao] admin_name`` (default "admin")."""
    if is_admin():
        user = getattr(st, "user", None)
        email = user.get("email") if user is not None and user.get("is_logged_in") else None
        name = str(email or _setting("admin_name") or "admin")
        st.caption(t("logged_in_as", lang, user=name))
        return name
    stored = _setting("admin_password_hash")
    st.info(t("login_needed", lang))
    if not stored:
        st.caption(t("auth_not_configured", lang))
        return None
    password = st.text_input(t("login_password", lang), type="password", key="review_password")
    if st.button(t("login_button", lang), key="review_login"):
        if verify_password(password, stored):
            st.session_state[_ADMIN] = True
            st.rerun()
        st.error(t("login_wrong", lang))
    return None

