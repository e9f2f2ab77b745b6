"""Plausible figures for one agency, year by year, with every 勾稽关系 holding by construction.

An agency has a latent size and habits (who applies, how it answers). Each year draws the
year's activity around those, with a common trend and noise. Applications still open at the
end of a year are next year's 上年结转, column by column (rule X-1). Table 三 is built from its
leaf cells, so (七)总计 and the 总计 column are sums by definition (T3-1, T3-2, T3-3), and so is
each 总计 of table 四 (T4-1).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from nianbao.form import FORMS
from nianbao.synth.agencies import CITY, COUNTY, PROVINCIAL, TOWNSHIP, Agency

_APPS_2021 = FORMS["2021"].table("applications")
APPLICANT_COLS: tuple[str, ...] = tuple(c.key for c in _APPS_2021.columns if c.key != "total")
_FLOW_ROWS = ("new_received", "carried_over", "total", "carried_forward")
# The 2021 leaf outcome rows: (一) … (六)3. The 2019 form folds the three (六) rows into one.
OUTCOME_ROWS: tuple[str, ...] = tuple(r.key for r in _APPS_2021.rows if r.key not in _FLOW_ROWS)
OTHER_2021_ROWS: tuple[str, ...] = tuple(r for r in OUTCOME_ROWS if r.startswith("other_"))
REVIEW_ROWS: tuple[str, ...] = tuple(r.key for r in FORMS["2021"].table("review_litigation").rows)
REVIEW_PARTS: tuple[str, ...] = ("upheld", "corrected", "other", "pending")

# How applications are answered, as shares of the handled total (2021 leaf rows).
_OUTCOME_WEIGHTS = {
    "granted": 40, "partially_granted": 5, "denied_state_secret": 0.3, "denied_prohibited_by_law": 0.5,
    "denied_three_safeties": 0.3, "denied_third_party": 1.0, "denied_internal_affairs": 1.0,
    "denied_process_info": 1.5, "denied_enforcement_files": 0.5, "denied_admin_query": 2.0,
    "unable_no_info": 25, "unable_needs_creation": 5, "unable_unclear": 3, "rejected_petition": 2,
    "rejected_repeat": 3, "rejected_publication": 0.5, "rejected_mass_repeat": 1.0,
    "rejected_confirm_reissue": 1.0, "other_no_correction": 5, "other_unpaid_fee": 0.3, "other_other": 3,
}
_APPLICANT_WEIGHTS = (85.0, 9.0, 0.5, 0.5, 2.0, 3.0)

# Activity at county level: new applications, licensing decisions, penalties, coercive
# measures, fees collected (万元), normative documents issued, items published on its own.
_PROFILES: dict[str, tuple[float, float, float, float, float, float, float]] = {
    "government_office": (40, 0, 0, 0, 0, 8, 900),
    "development_reform": (8, 150, 3, 0, 0, 3, 180),
    "education": (6, 40, 1, 0, 0, 4, 220),
    "public_security": (12, 3000, 2000, 300, 60, 2, 260),
    "civil_affairs": (5, 50, 1, 0, 0, 2, 160),
    "justice": (3, 20, 1, 0, 0, 1, 140),
    "finance": (6, 0, 1, 0, 0, 4, 200),
    "hr_social_security": (8, 100, 10, 0, 0, 3, 230),
    "natural_resources": (60, 800, 50, 5, 300, 3, 260),
    "ecology_environment": (15, 100, 60, 10, 0, 2, 190),
    "housing_construction": (40, 600, 30, 3, 100, 3, 210),
    "transport": (6, 1500, 400, 50, 20, 2, 170),
    "water": (3, 60, 10, 1, 30, 1, 120),
    "agriculture": (4, 200, 20, 2, 5, 2, 200),
    "commerce": (2, 20, 2, 0, 0, 1, 110),
    "culture_tourism": (2, 150, 20, 1, 0, 1, 160),
    "health": (6, 1200, 80, 1, 10, 2, 240),
    "emergency": (3, 60, 50, 5, 0, 2, 150),
    "audit": (1, 0, 2, 0, 0, 1, 80),
    "market_regulation": (20, 4000, 300, 30, 0, 2, 320),
    "statistics": (1, 0, 3, 0, 0, 1, 90),
    "medical_security": (3, 10, 15, 0, 0, 2, 130),
    "urban_management": (5, 800, 500, 50, 20, 1, 150),
    "township": (1.5, 10, 5, 0, 0, 0.5, 80),
    "government": (250, 15000, 4000, 450, 600, 25, 6000),  # a whole county's report (辖区汇总)
}
_LEVEL_FACTOR = {PROVINCIAL: 5.0, CITY: 2.2, COUNTY: 1.0, TOWNSHIP: 1.0}
# Application numbers rose after the 2019 条例 and levelled off.
_YEAR_TREND = {2019: 0.85, 2020: 0.95, 2021: 1.0, 2022: 1.1, 2023: 1.15, 2024: 1.1, 2025: 1.05}


@dataclass
class AgencyState:
    """What an agency carries from one year to the next."""

    size: float
    applicant_weights: list[float]
    outcome_weights: list[float]
    carried: list[int]  # open applications at the end of last year, per applicant column
    regs_in_force: int
    norm_in_force: int
    regs_published: int
    norm_published: int
    items: dict[str, int]  # 2019 form: 上一年项目数量 per row
    makes_regulations: bool


@dataclass
class YearFigures:
    """One year's true figures, before they are fitted to a form and printed."""

    year: int
    applications: dict[str, list[int]]  # row -> 6 applicant columns (leaf and flow rows, no totals)
    review: dict[str, list[int]]  # row -> upheld, corrected, other, pending
    active: dict[str, int | Decimal]  # "row.col" -> value, both forms' cells
    published_total: int
    published_website: int
    published_new_media: int
    fee_notices: int
    fee_collected_yuan: int
    notes: dict[str, str] = field(default_factory=dict)


def count(rng: random.Random, mean: float) -> int:
    """A Poisson-like count: exact for small means, normal approximation for large ones."""
    if mean <= 0:
        return 0
    if mean < 30:
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, int(rng.gauss(mean, math.sqrt(mean) * 1.5) + 0.5))


def split(rng: random.Random, n: int, weights: list[float]) -> list[int]:
    """Share ``n`` out over categories with the given weights (multinomial-like)."""
    out = [0] * len(weights)
    if n <= 0:
        return out
    if n <= 60:
        for i in rng.choices(range(len(weights)), weights=weights, k=n):
            out[i] += 1
        return out
    noisy = [w * rng.uniform(0.75, 1.25) for w in weights]
    total = sum(noisy)
    exact = [n * w / total for w in noisy]
    out = [int(x) for x in exact]
    rest = sorted(range(len(exact)), key=lambda i: out[i] - exact[i])[: n - sum(out)]
    for i in rest:
        out[i] += 1
    return out


def new_state(agency: Agency, rng: random.Random) -> AgencyState:
    size = math.exp(rng.gauss(0, 0.45))
    makes_regs = agency.category == "government_office" and agency.level in (PROVINCIAL, CITY)
    apps, lic, pen, coe, fee, norm, _ = _PROFILES[agency.category]
    scale = _LEVEL_FACTOR[agency.level] * size
    items = {
        "licensing": int(10 + 3 * math.sqrt(lic * scale)) if lic else 0,
        "other_admin_services": int(rng.uniform(0, 40) * min(scale, 3)) if lic else rng.randint(0, 5),
        "penalty": int(50 + 4 * math.sqrt(pen * scale * 50)) if pen else 0,
        "coercion": int(3 + 2 * math.sqrt(coe * scale * 10)) if coe else 0,
        "admin_fees": rng.randint(1, 8) if fee else 0,
    }
    return AgencyState(
        size=size,
        applicant_weights=[w * rng.uniform(0.5, 1.5) for w in _APPLICANT_WEIGHTS],
        outcome_weights=[_OUTCOME_WEIGHTS[r] * rng.uniform(0.4, 1.6) for r in OUTCOME_ROWS],
        carried=split(rng, count(rng, apps * scale * 0.05), list(_APPLICANT_WEIGHTS)),
        regs_in_force=rng.randint(40, 200) if makes_regs else 0,
        norm_in_force=int(norm * scale * rng.uniform(4, 10)),
        regs_published=rng.randint(200, 600) if makes_regs else 0,
        norm_published=int(norm * scale * rng.uniform(8, 20)),
        items=items,
        makes_regulations=makes_regs,
    )


def generate_year(agency: Agency, state: AgencyState, year: int, rng: random.Random) -> YearFigures:
    """The agency's figures for ``year``; advances ``state`` to the year's end."""
    apps, lic, pen, coe, fee, norm, published = _PROFILES[agency.category]
    state.size *= math.exp(rng.gauss(0, 0.08))
    scale = _LEVEL_FACTOR[agency.level] * state.size
    trend = _YEAR_TREND.get(year, 1.0) * math.exp(rng.gauss(0, 0.25))

    new = split(rng, count(rng, apps * scale * trend), state.applicant_weights)
    carried = list(state.carried)
    forward, handled_by_col = [], []
    for c in range(len(APPLICANT_COLS)):
        open_ = new[c] + carried[c]
        fwd = sum(1 for _ in range(open_) if rng.random() < 0.06) if open_ < 200 else int(
            open_ * rng.uniform(0.02, 0.10))
        forward.append(fwd)
        handled_by_col.append(open_ - fwd)
    table3: dict[str, list[int]] = {r: [0] * len(APPLICANT_COLS) for r in OUTCOME_ROWS}
    for c, n in enumerate(handled_by_col):
        for r, v in zip(OUTCOME_ROWS, split(rng, n, state.outcome_weights), strict=True):
            table3[r][c] = v
    table3["new_received"], table3["carried_over"], table3["carried_forward"] = new, carried, forward
    state.carried = forward

    total_new = sum(new)
    review = {
        "review": count(rng, total_new * 0.05 + 0.05),
        "litigation_direct": count(rng, total_new * 0.02 + 0.02),
    }
    review["litigation_after_review"] = count(rng, review["review"] * 0.25)
    outcomes = {r: split(rng, n, [60, 10, 15, 15]) for r, n in review.items()}

    active = _active(state, rng, scale, lic, pen, coe, fee, norm)
    pub_total = count(rng, published * scale * trend)
    unpaid = sum(table3["other_unpaid_fee"])
    notices = unpaid + (count(rng, 0.3) if year >= 2021 and total_new > 20 else 0)
    collected = sum(rng.choice((100, 200, 300, 500)) for _ in range(max(0, notices - unpaid)))
    # Channels mostly split the total; now and then they overlap (the same item on both), as in real reports.
    website = int(pub_total * rng.uniform(0.3, 0.75))
    return YearFigures(
        year=year, applications=table3, review=outcomes, active=active,
        published_total=pub_total,
        published_website=website,
        published_new_media=int((pub_total - website) * rng.uniform(0.5, 1.08)),
        fee_notices=notices, fee_collected_yuan=collected,
    )


def _active(state: AgencyState, rng: random.Random, scale: float, lic: float, pen: float, coe: float,
            fee: float, norm: float) -> dict[str, int | Decimal]:
    """Table 二 cells of both forms; the stock figures roll forward in ``state``."""
    out: dict[str, int | Decimal] = {}
    regs_issued = count(rng, 3 * scale / 2.2) if state.makes_regulations else 0
    regs_repealed = min(state.regs_in_force, count(rng, 1.0)) if state.makes_regulations else 0
    norm_issued = count(rng, norm * scale)
    norm_repealed = min(state.norm_in_force, count(rng, norm * scale * 0.3))
    state.regs_in_force += regs_issued - regs_repealed
    state.norm_in_force += norm_issued - norm_repealed
    state.regs_published += regs_issued
    state.norm_published += norm_issued
    out.update({
        "regulations.issued": regs_issued, "regulations.repealed": regs_repealed,
        "regulations.in_force": state.regs_in_force,
        "normative_documents.issued": norm_issued, "normative_documents.repealed": norm_repealed,
        "normative_documents.in_force": state.norm_in_force,
        "regulations.new_made": regs_issued, "regulations.new_published": regs_issued,
        "regulations.total_published": state.regs_published,
        "normative_documents.new_made": norm_issued,
        "normative_documents.new_published": norm_issued - (1 if norm_issued and rng.random() < 0.1 else 0),
        "normative_documents.total_published": state.norm_published,
    })
    decisions = {"licensing": count(rng, lic * scale), "penalty": count(rng, pen * scale),
                 "coercion": count(rng, coe * scale),
                 "other_admin_services": count(rng, lic * scale * 0.2)}
    for row, value in decisions.items():
        out[f"{row}.decisions"] = value
    for row in ("licensing", "other_admin_services", "penalty", "coercion", "admin_fees"):
        prev = state.items[row]
        change = 0 if rng.random() < 0.6 else rng.randint(-min(prev, 5), 6)
        out[f"{row}.prev_items"] = prev
        out[f"{row}.change"] = change
        state.items[row] = prev + change
    cents = int(fee * scale * rng.uniform(0.5, 1.5) * 100) if fee else 0
    out["admin_fees.amount_10k_yuan"] = Decimal(cents) / 100
    projects = count(rng, 4 * scale)
    out["gov_procurement.projects"] = projects
    out["gov_procurement.amount"] = Decimal(int(projects * rng.uniform(3, 60) * 100)) / 100
    return out


def break_carry_over(figures: YearFigures, rng: random.Random) -> dict:
    """Plant an X-1 error: this year's 上年结转 no longer equals last year's 结转下年度.

    The handled applications absorb the difference, so the year itself still balances
    (T3-1/T3-2/T3-3 hold) and only the cross-year rule is broken.
    """
    t3 = figures.applications
    c = rng.randrange(2) if sum(t3["granted"]) else 0
    delta = rng.randint(1, 6)
    if t3["carried_over"][c] >= delta and t3["granted"][c] >= delta and rng.random() < 0.5:
        delta = -delta
    t3["carried_over"][c] += delta
    t3["granted"][c] += delta
    return {"kind": "carry_over_break", "rules": ["X-1"],
            "cell": f"applications.carried_over.{APPLICANT_COLS[c]}", "delta": delta}
