"""Streamlit glue shared by app.py and the pages: the context (database, filters, language),
the sidebar filters mirrored in the URL, and small layout helpers. No SQL here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from nianbao import vocab
from nianbao.app import datasets
from nianbao.app import queries as q
from nianbao.app.db import clear_results, db_path, has_schema, has_table
from nianbao.app.export import FORMATS, MIME, export_file, export_refusal, file_name
from nianbao.app.filters import SCOPES, Filters, from_query_params, to_query_params, url_keys
from nianbao.app.i18n import category_label, level_label, scope_label, t
from nianbao.app.metrics import metric, metric_keys
from nianbao.app.safe import inert_figure
from nianbao.demo import demo_built_message, demo_failure_message, ensure_demo
from nianbao.store.load import upgrade_store
from nianbao.store.presence import TABLE as REPORT_TABLES
from nianbao.store.wide import TABLE as CELL_NUMBERS

_CTX = "_nianbao_ctx"


@dataclass
class Ctx:
    db: Path
    lang: str = "zh"
    filters: Filters = field(default_factory=Filters)
    state: str = "ready"  # missing | empty | ready
    summary: dict = field(default_factory=dict)


# --- language and database ------------------------------------------------------------------

def choose_language() -> str:
    """Language radio (中文 default), seeded from ``?lang=`` and written back to the URL."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = "en" if st.query_params.get("lang") == "en" else "zh"
    lang = st.sidebar.radio(t("language"), ("zh", "en"), key="lang", horizontal=True,
                            format_func=lambda v: "中文" if v == "zh" else "English")
    if lang == "en":
        st.query_params["lang"] = "en"
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    return lang


def ensure_database(lang: str) -> tuple[Path, str]:
    """The database path and its state; builds the demo database on first start."""
    db = db_path()
    if not db.exists():
        with st.status(t("db_building", lang), expanded=True) as status:
            # a first text at once: generating the synthetic files takes a while before any is loaded
            bar = st.progress(0.02, text=t("db_generating", lang))
            try:
                counts = ensure_demo(db, lambda done, total: bar.progress(
                    done / total if total else 0.0, text=t("db_progress", lang, done=done, total=total)))
            except Exception as exc:  # first start: the cause in the user's language, never a traceback
                status.update(label=t("db_build_failed", lang), state="error", expanded=True)
                st.error(demo_failure_message(exc)[0 if lang == "zh" else 1])
                st.stop()
            built = demo_built_message(counts)[0 if lang == "zh" else 1]
            status.update(label=t("db_built", lang, what=built), state="complete", expanded=False)
        clear_results()
    if not has_schema(db):
        return db, "empty"
    if not (has_table(db, CELL_NUMBERS) and has_table(db, REPORT_TABLES)):
        _upgrade(db, lang)
    return db, "ready"


def _upgrade(db: Path, lang: str) -> None:
    """A database written by an older nianbao lacks the per-report tables the pages read (numbers,
    tables printed): build them once from the stored facts (a writer's atomic copy, like an ingest)."""
    with st.spinner(t("db_upgrading", lang)):
        try:
            upgrade_store(db, wait=60)
        except Exception as exc:  # the cause in the user's language, never a traceback
            st.error(t("db_upgrade_failed", lang, db=db, cause=str(exc) or type(exc).__name__))
            st.stop()
    clear_results()


# --- sidebar filters ------------------------------------------------------------------------

_KEYS = {"years": "f_years", "provinces": "f_provinces", "cities": "f_cities", "levels": "f_levels",
         "categories": "f_categories", "agencies": "f_agencies", "scope": "f_scope", "forms": "f_forms"}


def _defaults(years: list[int]) -> dict[str, object]:
    return {_KEYS["years"]: (years[0], years[-1]) if years else None, _KEYS["provinces"]: [],
            _KEYS["cities"]: [], _KEYS["levels"]: [], _KEYS["categories"]: [], _KEYS["agencies"]: [],
            _KEYS["scope"]: "agency", _KEYS["forms"]: []}


def _seed_from_url(years: list[int]) -> None:
    """On a session's first run, put the URL's filters into the widget state (unknown values
    are dropped later by :func:`_keep_known`)."""
    if st.session_state.get("_seeded"):
        return
    st.session_state["_seeded"] = True
    f = from_query_params(st.query_params.to_dict())
    state = _defaults(years)
    if years:
        lo = f.year_from if f.year_from in years else years[0]
        hi = f.year_to if f.year_to in years else years[-1]
        state[_KEYS["years"]] = (min(lo, hi), max(lo, hi))
    state.update({_KEYS["provinces"]: list(f.provinces), _KEYS["cities"]: list(f.cities),
                  _KEYS["levels"]: list(f.levels), _KEYS["categories"]: list(f.categories),
                  _KEYS["agencies"]: list(f.agencies), _KEYS["scope"]: f.scope,
                  _KEYS["forms"]: list(f.form_versions)})
    st.session_state.update(state)


def _keep_known(key: str, options: list) -> list:
    """Drop remembered selections that are no longer options (a multiselect would raise)."""
    current = st.session_state.get(key) or []
    kept = [v for v in current if v in options]
    if kept != current:
        st.session_state[key] = kept
    return options


def _reset_filters() -> None:
    years = st.session_state.get("_years_options", [])
    st.session_state.update(_defaults(years))


def sidebar_filters(db: Path, lang: str) -> Filters:
    """The global filters; every page reads them from the context. Widget values live in
    session state (seeded from the URL once), so no widget also gets a default value."""
    opts = q.filter_options(db)
    years = [int(y) for y in opts["years"]["year"]]
    st.session_state["_years_options"] = years
    _seed_from_url(years)
    for key, value in _defaults(years).items():
        st.session_state.setdefault(key, value)
    sb = st.sidebar
    sb.subheader(t("filters", lang))
    year_from = year_to = None
    if len(years) > 1:
        chosen_years = st.session_state.get(_KEYS["years"])
        valid = isinstance(chosen_years, tuple | list) and len(chosen_years) == 2 and all(
            y in years for y in chosen_years)
        if not valid:
            st.session_state[_KEYS["years"]] = (years[0], years[-1])
        # value= makes it a range slider: without it Streamlit reads the two handles the user
        # moved back as one value and the range snaps back. Session state (URL seed) wins over it.
        year_from, year_to = sb.select_slider(t("years", lang), options=years, key=_KEYS["years"],
                                              value=(years[0], years[-1]))
    elif years:
        year_from = year_to = years[0]
    regions = opts["regions"]
    province_opts = _keep_known(_KEYS["provinces"], sorted(regions["province"].dropna().unique()))
    provinces = sb.multiselect(t("province", lang), province_opts, key=_KEYS["provinces"],
                               placeholder=t("choose", lang))
    city_rows = regions[regions["province"].isin(provinces)] if provinces else regions
    cities = sb.multiselect(t("city", lang), _keep_known(_KEYS["cities"], sorted(city_rows["city"].dropna().unique())),
                            key=_KEYS["cities"], placeholder=t("choose", lang))
    levels = sb.multiselect(t("level", lang), _keep_known(_KEYS["levels"], list(opts["levels"]["level"])),
                            key=_KEYS["levels"], format_func=lambda v: level_label(v, lang),
                            placeholder=t("choose", lang))
    categories = sb.multiselect(t("category", lang),
                                _keep_known(_KEYS["categories"], list(opts["categories"]["category"])),
                                key=_KEYS["categories"], format_func=lambda v: category_label(v, lang),
                                placeholder=t("choose", lang))
    search = sb.text_input(t("search_agency", lang), key="f_agency_search")
    agencies = q.agency_options(db, tuple(provinces), tuple(cities), search,
                                tuple(st.session_state.get(_KEYS["agencies"]) or ()))
    names = dict(zip(agencies["agency_id"], agencies["agency"], strict=True))
    chosen = sb.multiselect(t("agency", lang), _keep_known(_KEYS["agencies"], list(names)), key=_KEYS["agencies"],
                            help=t("agency_help", lang), format_func=lambda v: names.get(v, v),
                            placeholder=t("agency_help", lang))
    if st.session_state.get(_KEYS["scope"]) not in SCOPES:
        st.session_state[_KEYS["scope"]] = "agency"
    scope = sb.radio(t("scope", lang), SCOPES, key=_KEYS["scope"], format_func=lambda v: scope_label(v, lang))
    forms = sb.multiselect(t("form_version", lang), _keep_known(_KEYS["forms"], list(opts["forms"]["form_version"])),
                           key=_KEYS["forms"], placeholder=t("choose", lang),
                           format_func=lambda v: vocab.label("form_version", v, lang))
    sb.button(t("reset_filters", lang), on_click=_reset_filters)
    full_range = bool(years) and (year_from, year_to) == (years[0], years[-1])
    f = Filters(None if full_range else year_from, None if full_range else year_to, tuple(provinces), tuple(cities),
                tuple(levels), tuple(categories), tuple(chosen), scope, tuple(forms))
    _write_url(f)
    sb.caption(t("share_hint", lang))
    return f


def _write_url(f: Filters) -> None:
    """Mirror the filters in the URL, leaving other keys (``lang``, ``report`` …) alone."""
    wanted = to_query_params(f)
    for key in url_keys():
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


# --- the context pages use ------------------------------------------------------------------

def set_context(ctx: Ctx) -> None:
    st.session_state[_CTX] = ctx


def leave_pages_folder_mode() -> None:
    """Until some run has called st.navigation, Streamlit treats a folder named pages/ as its old
    multipage mode: a fresh server's first request — a shared deep link such as /compare?… —
    would run that page alone, without app.py's frame and filters. Switch the mode off for the
    process and rerun. It only happens on a session's first run, which carries no widget input."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def route_default_page(known: set[str], default: str, lang: str) -> None:
    """Serve ``/summary`` (the name the README gives) and unknown paths with the default page
    instead of Streamlit's English "Page not found": the default page lives at "/", so its own
    name would not resolve. Call before st.navigation."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    run = get_script_run_ctx()
    pm = getattr(run, "pages_manager", None)
    if pm is None or pm.intended_page_script_hash or not pm.intended_page_name:
        return
    name = pm.intended_page_name
    if name == default or name not in known:
        if name != default:
            st.toast(t("page_unknown", lang, name=name), icon=":material/info:")
        pm.set_script_intent("", "")


def context() -> Ctx:
    """The context app.py set up for this run (or a default one when a page runs on its own)."""
    leave_pages_folder_mode()
    ctx = st.session_state.get(_CTX)
    if ctx is None:
        db = db_path()
        lang = "en" if st.query_params.get("lang") == "en" else "zh"
        state = "ready" if has_schema(db) else ("missing" if not db.exists() else "empty")
        ctx = Ctx(db, lang, from_query_params(st.query_params.to_dict()), state)
        if state == "ready":
            ctx.summary = q.database_summary(db, ctx.filters)
            ctx.state = "ready" if ctx.summary["total"] else "empty"
    return ctx


def scope_notice(ctx: Ctx, failed_shown: bool = False) -> None:
    """Say how many loaded reports the current scope and filters leave out, and where they are —
    a whole-district report must not vanish silently under the default 本机关 scope."""
    if ctx.state != "ready":
        return
    out = q.left_out(ctx.db, ctx.filters)
    shown = ctx.summary.get("matched", 0)
    if failed_shown:  # the quality and report pages list failed reports too
        shown += out.pop("failed", 0)
    if not out:
        return
    parts = []
    for key, n in out.items():
        if key.startswith("scope_"):
            scope = vocab.label("scope", key.removeprefix("scope_"), ctx.lang)
            parts.append(t("left_out_scope", ctx.lang, n=n, scope=scope))
        else:
            parts.append(t(f"left_out_{key}", ctx.lang, n=n))
    sep = "；" if ctx.lang == "zh" else "; "
    st.caption(":material/filter_alt: " + t("left_out", ctx.lang, shown=shown,
                                            n=sum(out.values()), parts=sep.join(parts)))


def report_link(ctx: Ctx, report_id: str, label_key: str = "open_report") -> None:
    """A link to the report page that keeps the language and the filters of this view."""
    params = {**to_query_params(ctx.filters), "report": report_id}
    if ctx.lang == "en":
        params["lang"] = "en"
    st.page_link("pages/report.py", label=t(label_key, ctx.lang), icon=":material/open_in_new:",
                 query_params=params)


def report_href(ctx: Ctx, report_id: str) -> str:
    """The same link as a relative URL, for a LinkColumn."""
    from urllib.parse import urlencode

    params = {**to_query_params(ctx.filters), "report": report_id}
    if ctx.lang == "en":
        params["lang"] = "en"
    return f"report?{urlencode(params)}"


def require_data(ctx: Ctx) -> None:
    """Stop the page with a friendly message when there is nothing to show."""
    scope_notice(ctx)
    if ctx.state == "missing":
        st.info(t("db_missing_how", ctx.lang, path=ctx.db))
        st.stop()
    if ctx.state == "empty":
        st.info(t("db_empty", ctx.lang))
        st.stop()
    if not ctx.summary.get("matched"):
        st.info(t("no_data", ctx.lang))
        st.stop()


def no_data(lang: str) -> None:
    st.info(t("no_data", lang))


def plot(fig, key: str | None = None) -> None:
    """Every chart goes through here: report text in it is made inert (no live <a href>)."""
    shown = fig if getattr(fig, "_nianbao_inert", False) else inert_figure(fig)  # shared figures are inert already
    st.plotly_chart(shown, key=key, config={"displaylogo": False})


def metric_select(lang: str, key: str, tables: tuple[str, ...] = (), default: str | None = None,
                  label: str | None = None) -> str:
    keys = metric_keys(tables)
    index = keys.index(default) if default in keys else 0
    return st.selectbox(label or t("metric", lang), keys, index=index, key=key,
                        format_func=lambda k: metric(k).label(lang))


def year_select(years: list[int], lang: str, key: str) -> int:
    """A year picker defaulting to the latest year."""
    return st.selectbox(t("year", lang), years, index=len(years) - 1, key=key)


def download_buttons(ctx: Ctx, dataset: str, key: str) -> None:
    """CSV, XLSX and Parquet of the whole filtered dataset, written to a file by DuckDB only when
    clicked; a format the table is too large for is disabled and says why."""
    fields = dict(ctx.filters.__dict__)
    rows = datasets.count_rows(ctx.db, ctx.filters, dataset)
    for col, fmt in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
        refusal = export_refusal(fmt, rows)
        col.download_button(
            t(f"download_{fmt}", ctx.lang),
            data=lambda fmt=fmt: export_file(ctx.db, dataset, ctx.lang, fmt, **fields).read_bytes(),
            file_name=file_name(dataset, fmt), mime=MIME[fmt], on_click="ignore", key=f"{key}_{fmt}",
            width="stretch", disabled=refusal is not None,
            help=t(refusal[0], ctx.lang, n=rows, limit=refusal[1]) if refusal else None)


def footer(ctx: Ctx) -> None:
    """Where the data come from and how many reports are loaded — at the foot of the sidebar,
    so it shows even when a page stops early (no data, nothing uploaded yet)."""
    if ctx.state != "ready":
        return
    sb = st.sidebar
    sb.divider()
    if ctx.summary.get("demo"):
        sb.caption(f"**{t('footer_demo', ctx.lang)}** · "
                   f"{t('footer_count', ctx.lang, n=ctx.summary['total'], m=ctx.summary['matched'])}")
    else:
        sb.caption(f"{t('footer_user', ctx.lang, path=ctx.db)} · "
                   f"{t('footer_count', ctx.lang, n=ctx.summary['total'], m=ctx.summary['matched'])}")
