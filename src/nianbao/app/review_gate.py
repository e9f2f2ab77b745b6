"""The admin gate for writing reviewer decisions: the same admin as the import page
(:mod:`nianbao.app.auth`: scrypt hash in ``[nianbao] admin_password_hash``, or ``st.login`` with
``admin_emails``), but it does not stop the page — a reviewer reads the findings first.

The name recorded with a decision is the OIDC email, or ``[nianbao] admin_name`` (default
"admin")."""

from __future__ import annotations

import streamlit as st

from nianbao.app import auth
from nianbao.app.i18n import t


def _name() -> str:
    user = getattr(st, "user", None)
    if user is not None and user.get("is_logged_in") and user.get("email"):
        return str(user.get("email"))
    return str(auth._setting("admin_name") or "admin")


def require_admin(lang: str = "zh") -> str | None:
    """The reviewer's name when this session is an admin; otherwise a login form and None."""
    if auth.is_admin():
        name = _name()
        st.caption(t("logged_in_as", lang, user=name))
        return name
    stored = auth._setting("admin_password_hash")
    st.info(t("login_needed", lang))
    if not stored:
        st.caption(t("auth_not_configured", lang))
        return None
    password = st.text_input(t("login_password", lang), type="password", key="review_password")
    if st.button(t("login_button", lang), key="review_login"):
        if auth.verify_password(password, stored):
            st.session_state[auth._ADMIN] = True
            st.rerun()
        st.error(t("login_wrong", lang))
    return None
