"""The minimal administrator gate for writing reviewer decisions.

``require_admin() -> str | None`` returns the logged-in reviewer's name, or None after showing a
login form (or a message that no password is configured). It is the whole interface: the
project's admin login (``nianbao.app.auth``, built in parallel) can replace this module by
providing the same function.

Configuration, in ``.streamlit/secrets.toml`` (never committed)::

    [admin]
    user = "审核员"                     # optional, the name recorded with decisions
    password_sha256 = "<hex digest>"   # python -c "import hashlib;print(hashlib.sha256(b'PW').hexdigest())"
"""

from __future__ import annotations

import hashlib
import hmac

import streamlit as st

from nianbao.app.i18n import t

_SESSION = "_review_admin"


def _configured() -> tuple[str, str] | None:
    try:
        admin = st.secrets.get("admin")
    except FileNotFoundError:  # no secrets file at all
        return None
    except Exception:  # noqa: BLE001 - a malformed secrets file must not break the page
        return None
    if not admin or not admin.get("password_sha256"):
        return None
    return str(admin.get("user") or "admin"), str(admin["password_sha256"]).lower()


def require_admin(lang: str = "zh") -> str | None:
    """The reviewer's name when logged in; otherwise a login form and None."""
    if st.session_state.get(_SESSION):
        st.caption(t("logged_in_as", lang, user=st.session_state[_SESSION]))
        return st.session_state[_SESSION]
    config = _configured()
    st.info(t("login_needed", lang))
    if config is None:
        st.caption(t("login_unconfigured", lang))
        return None
    user, digest = config
    password = st.text_input(t("login_password", lang), type="password", key="review_password")
    clicked = st.button(t("login_button", lang), key="review_login")
    if clicked:
        if hmac.compare_digest(hashlib.sha256(password.encode()).hexdigest(), digest):
            st.session_state[_SESSION] = user
            st.rerun()
        st.error(t("login_wrong", lang))
    return None
