"""Analyst metrics: a registry of small pure functions `(Financials, Profile, UserInputs) -> [MetricResult]`.

Every result carries its formula, the figures it used (with their pages), its working, and a reason when it
cannot be computed. Money is compared in millions of the reporting currency; percentages to 0.01.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xiaomi_check.financials import Financials, millions, total
from xiaomi_check.models import Figure, MetricLine, MetricResult, Period, PeriodKind, StatementKind, Status
from xiaomi_check.profile import Profile

HUNDRED = Decimal(100)
_ANNUALISE = {
    PeriodKind.QUARTER: Decimal(4),
    PeriodKind.HALF: Decimal(2),
    PeriodKind.NINE_MONTHS: Decimal(4) / 3,
    PeriodKind.YEAR: Decimal(1),
}
_OPEX = ("selling_and_marketing_expenses", "administrative_expenses", "research_and_development_expenses")


@dataclass(frozen=True, slots=True)
class UserInputs:
    """What the filing does not print and the user supplies (CLI options)."""

    market_cap_millions: Decimal | None = None
    market_currency: str = "HKD"
    fx_to_report: Decimal | None = None
    class_a_held: Decimal | None = None
    class_b_held: Decimal | None = None
    class_a_total: Decimal | None = None
    class_b_total: Decimal | None = None


Metric = Callable[[Financials, Profile, UserInputs], Iterable[MetricResult]]


def pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * HUNDRED).quantize(Decimal("0.01"))


def _line(label: str, value: Decimal | None, unit: str) -> MetricLine:
    return MetricLine(label=label, value=value, unit=unit)


def _na(metric_id: str, label: str, period: Period | None, formula: str, reason: str) -> MetricResult:
    return MetricResult(
        id=metric_id,
        label=label,
        period=period.label if period else None,
        formula=formula,
        status=Status.NOT_AVAILABLE,
        reason=reason,
    )


def _ratio(
    metric_id: str, label: str, period: Period, formula: str, part: Figure | None, whole: Figure | None, missing: str
) -> MetricResult:
    """part ÷ whole as a percentage, or n/a naming what is missing."""
    if part is None or whole is None or not millions(whole):
        return _na(metric_id, label, period, formula, missing)
    return MetricResult(
        id=metric_id,
        label=label,
        period=period.label,
        value=pct(millions(part), millions(whole)),
        unit="%",
        formula=formula,
        inputs=(part, whole),
    )


# ----------------------------------------------------------------- 1. hardware net margin vs the cap

HARDWARE_FORMULA = (
    "(hardware gross profit − hardware share of selling & marketing, administrative and R&D "
    "expenses) × (1 − tax rate) ÷ hardware revenue; hardware = {segments}"
)


def hardware_net_margin(fin: Financials, profile: Profile, _: UserInputs) -> Iterable[MetricResult]:
    formula = HARDWARE_FORMULA.format(segments=" + ".join(profile.roles.hardware))
    periods = [p for p in fin.periods() if fin.segments("gross_profit", p, profile.roles.hardware)]
    if not profile.roles.hardware:
        return [
            _na("hardware_net_margin", "Hardware net margin", None, formula, "the profile names no hardware segment")
        ]
    if not periods:
        return [
            _na(
                "hardware_net_margin",
                "Hardware net margin",
                fin.main_period,
                formula,
                "no segment gross profit table for the hardware segments",
            )
        ]
    return [_hardware_margin(fin, profile, p, formula) for p in periods]


def _hardware_margin(fin: Financials, profile: Profile, period: Period, formula: str) -> MetricResult:
    label = "Hardware net margin"
    revenue = fin.segments("revenue", period, profile.roles.hardware)
    gross = fin.segments("gross_profit", period, profile.roles.hardware)
    group_revenue, group_gross = fin.get("revenue", period), fin.get("gross_profit", period)
    opex = [f for item in _OPEX if (f := fin.get(item, period)) is not None]
    if len(revenue) < len(profile.roles.hardware) or len(gross) < len(profile.roles.hardware):
        return _na(
            "hardware_net_margin", label, period, formula, "a hardware segment's revenue or gross profit is missing"
        )
    if group_revenue is None or group_gross is None or len(opex) < len(_OPEX):
        return _na(
            "hardware_net_margin",
            label,
            period,
            formula,
            "group revenue, gross profit or an operating expense line (S&M, admin, R&D) is missing",
        )
    hw_revenue, hw_gross, expenses = total(revenue), total(gross), sum((abs(millions(f)) for f in opex), Decimal(0))
    tax, tax_note, tax_inputs = _tax_rate(fin, profile, period)
    shares = {
        "revenue share": hw_revenue / millions(group_revenue),
        "gross-profit share": hw_gross / millions(group_gross),
    }
    rates = {tax_note: tax}
    if tax_note == "effective":
        rates["statutory"] = profile.thresholds.statutory_tax_rate_pct / HUNDRED
    results = {
        (method, basis): _after_tax(hw_gross - expenses * share, rate) / hw_revenue * HUNDRED
        for method, share in shares.items()
        for basis, rate in rates.items()
    }
    value = results[("revenue share", tax_note)].quantize(Decimal("0.01"))
    low, high = min(results.values()).quantize(Decimal("0.01")), max(results.values()).quantize(Decimal("0.01"))
    cap = profile.thresholds.hardware_net_margin_cap_pct
    working = (
        _line("hardware revenue", hw_revenue, "million"),
        _line("hardware gross profit", hw_gross, "million"),
        _line("S&M + administrative + R&D expenses (group)", expenses, "million"),
        _line("hardware share of revenue", pct(hw_revenue, millions(group_revenue)), "%"),
        _line("hardware share of gross profit", pct(hw_gross, millions(group_gross)), "%"),
        _line(f"tax rate ({tax_note})", (tax * HUNDRED).quantize(Decimal("0.01")), "%"),
        *(_line(f"by {m}, {b} tax", v.quantize(Decimal("0.01")), "%") for (m, b), v in results.items()),
    )
    verdict = f"{'above' if value > cap else 'within'} the {cap}% cap; range {low}% to {high}% across methods"
    if low <= cap < high:
        verdict += " (the cap lies inside the range: the verdict depends on the method)"
    return MetricResult(
        id="hardware_net_margin",
        label=label,
        period=period.label,
        value=value,
        unit="%",
        formula=formula + "; default: allocation by revenue share, " + tax_note + " tax",
        inputs=(*revenue, *gross, group_revenue, group_gross, *opex, *tax_inputs),
        working=working,
        status=Status.BREACH if value > cap else Status.OK,
        verdict=verdict,
    )


def _after_tax(profit: Decimal, rate: Decimal) -> Decimal:
    return profit * (1 - rate) if profit > 0 else profit


def _tax_rate(fin: Financials, profile: Profile, period: Period) -> tuple[Decimal, str, tuple[Figure, ...]]:
    """The effective rate when it is meaningful, else the statutory rate; with the reason in its name."""
    statutory = profile.thresholds.statutory_tax_rate_pct / HUNDRED
    tax, before = fin.get("income_tax", period), fin.get("profit_before_tax", period)
    if tax is None or before is None or millions(before) <= 0:
        return statutory, "statutory (no positive profit before tax)", tuple(f for f in (before,) if f is not None)
    rate = abs(millions(tax)) / millions(before)
    fair_value = [
        f
        for item in ("fair_value_changes_preferred_shares", "fair_value_changes_on_investments")
        if (f := fin.get(item, period, statement=StatementKind.INCOME_STATEMENT)) is not None
    ]
    dominated = sum((abs(millions(f)) for f in fair_value), Decimal(0)) > (
        profile.thresholds.fair_value_dominance_pct / HUNDRED * millions(before)
    )
    low, high = profile.thresholds.effective_tax_min_pct / HUNDRED, profile.thresholds.effective_tax_max_pct / HUNDRED
    if dominated or not low <= rate <= high:
        why = "fair-value items dominate profit before tax" if dominated else "effective rate out of range"
        return statutory, f"statutory ({why})", (tax, before, *fair_value)
    return rate, "effective", (tax, before)


# ----------------------------------------------------------------- 2. adjusted vs operating vs reported profit

BRIDGE_FORMULA = "adjusted net profit − reported profit = Σ non-IFRS adjustments (each as printed)"


def profit_bridge(fin: Financials, _profile: Profile, _user: UserInputs) -> Iterable[MetricResult]:
    periods = [p for p in fin.periods() if fin.get("adjusted_net_profit", p) and fin.get("profit_for_period", p)]
    if not periods:
        return [
            _na(
                "profit_bridge",
                "Profit bridge",
                fin.main_period,
                BRIDGE_FORMULA,
                "no adjusted (non-IFRS / non-GAAP) net profit printed",
            )
        ]
    return [_bridge(fin, p) for p in periods]


def _bridge(fin: Financials, period: Period) -> MetricResult:
    reported = fin.get("profit_for_period", period, statement=StatementKind.NON_GAAP) or fin.get(
        "profit_for_period", period
    )
    adjusted = fin.get("adjusted_net_profit", period)
    assert reported is not None and adjusted is not None
    steps = [
        f
        for f in fin.figures
        if f.period == period
        and f.statement is StatementKind.NON_GAAP
        and f.item not in ("profit_for_period", "adjusted_net_profit")
        and f.value is not None
    ]
    context = [f for item in ("operating_profit", "profit_before_tax") if (f := fin.get(item, period))]
    gap = millions(adjusted) - millions(reported)
    preferred = next((f for f in steps if f.item == "fair_value_changes_preferred_shares"), None)
    working = (
        *(_line(f.item, millions(f), "million") for f in context),
        _line("reported profit", millions(reported), "million"),
        *(_line(f"+ {f.source.row_label}", millions(f), "million") for f in steps),
        _line("adjusted net profit", millions(adjusted), "million"),
    )
    share = pct(millions(preferred), gap) if preferred is not None and gap else None
    verdict = _bridge_verdict(millions(reported), millions(adjusted), preferred, share)
    return MetricResult(
        id="profit_bridge",
        label="Adjusted − reported profit",
        period=period.label,
        value=gap,
        unit="million",
        formula=BRIDGE_FORMULA,
        inputs=(*context, reported, *steps, adjusted),
        working=(*working, _line("fair-value changes of preferred shares, share of the gap", share, "%")),
        verdict=verdict,
    )


def _bridge_verdict(reported: Decimal, adjusted: Decimal, preferred: Figure | None, share: Decimal | None) -> str:
    if reported >= 0:
        return "reported profit" + (f"; preferred-share fair-value changes are {share}% of the gap" if share else "")
    if preferred is not None and reported + millions(preferred) >= 0:
        return (
            f"reported loss of {-reported:,} million is mainly non-cash: fair-value changes of convertible "
            f"redeemable preferred shares ({millions(preferred):,} million) exceed it; adjusted "
            f"{'profit' if adjusted >= 0 else 'loss'} {abs(adjusted):,} million"
        )
    return "reported loss" + (" with an adjusted profit" if adjusted > 0 else ", adjusted loss too")


# ----------------------------------------------------------------- 3. is it an internet company?


def internet_services(fin: Financials, profile: Profile, _: UserInputs) -> Iterable[MetricResult]:
    period = fin.main_period
    names = profile.roles.internet
    formula_rev, formula_gp = (
        "internet services revenue ÷ group revenue",
        "internet services gross profit ÷ group gross profit",
    )
    if period is None or not names:
        return [
            _na(
                "internet_revenue_share",
                "Internet services share of revenue",
                period,
                formula_rev,
                "no internet segment in the profile" if not names else "no figures",
            )
        ]
    revenue = next(iter(fin.segments("revenue", period, names)), None)
    gross = next(iter(fin.segments("gross_profit", period, names)), None)
    results = [
        _ratio(
            "internet_revenue_share",
            "Internet services share of revenue",
            period,
            formula_rev,
            revenue,
            fin.get("revenue", period),
            "no internet services segment revenue",
        ),
        _ratio(
            "internet_gross_profit_share",
            "Internet services share of gross profit",
            period,
            formula_gp,
            gross,
            fin.get("gross_profit", period),
            "no internet services segment gross profit",
        ),
        _ratio(
            "internet_gross_margin",
            "Internet services gross margin",
            period,
            "internet services gross profit ÷ internet services revenue",
            gross,
            revenue,
            "no internet services segment gross profit or revenue",
        ),
        _growth(
            "internet_revenue_growth",
            "Internet services revenue growth (YoY)",
            fin,
            "revenue",
            period,
            segment=names[0],
        ),
        _growth("group_revenue_growth", "Group revenue growth (YoY)", fin, "revenue", period),
    ]
    return [*results, *_internet_test(results, profile, period)]


def _internet_test(results: Sequence[MetricResult], profile: Profile, period: Period) -> list[MetricResult]:
    share, profit, _, growth, group = results
    limits = profile.thresholds
    criteria: list[tuple[str, str, MetricResult, Callable[[Decimal], bool]]] = [
        (
            "internet_test_scale",
            f"At scale: internet services ≥ {limits.internet_scale_share_pct}% of revenue",
            share,
            lambda v: v >= limits.internet_scale_share_pct,
        ),
        (
            "internet_test_profit",
            f"Main source of profit: ≥ {limits.internet_profit_share_pct}% of gross profit",
            profit,
            lambda v: v >= limits.internet_profit_share_pct,
        ),
        (
            "internet_test_growth",
            "Grows faster than the group (YoY revenue growth)",
            growth,
            lambda v: group.value is not None and v > group.value,
        ),
    ]
    out = []
    for metric_id, label, basis, test in criteria:
        if basis.value is None:
            out.append(_na(metric_id, label, period, basis.formula, basis.reason or "input missing"))
            continue
        verdict = "met" if test(basis.value) else "not met"
        out.append(basis.model_copy(update={"id": metric_id, "label": label, "verdict": verdict}))
    met = sum(1 for r in out if r.verdict == "met")
    known = sum(1 for r in out if r.status is not Status.NOT_AVAILABLE)
    out.append(
        MetricResult(
            id="internet_company",
            label="Internet company test",
            period=period.label,
            value=Decimal(met),
            unit="criteria met",
            formula="count of the three criteria met",
            verdict=f"{met} of {known} checkable criteria met"
            + ("" if known == 3 else f" ({3 - known} not checkable)"),
        )
    )
    return out


def _growth(
    metric_id: str,
    label: str,
    fin: Financials,
    item: str,
    period: Period,
    segment: str | None = None,
    region: str | None = None,
    prior: Period | None = None,
    basis: str = "YoY",
) -> MetricResult:
    earlier = prior if prior is not None else fin.prior_year(period)
    formula = f"{item} {period.label} ÷ {item} {earlier.label if earlier else 'prior period'} − 1 ({basis})"
    now = fin.get(item, period, segment, region)
    then = fin.get(item, earlier, segment, region) if earlier else None
    if now is None or then is None:
        return _na(metric_id, label, period, formula, f"no {basis} comparative for {item}")
    if millions(then) <= 0 or millions(now) < 0:
        return _na(
            metric_id,
            label,
            period,
            formula,
            "a loss in either period: growth is not meaningful (the filing prints N/A or 無意義 here too)",
        )
    return MetricResult(
        id=metric_id,
        label=label,
        period=period.label,
        value=pct(millions(now) - millions(then), millions(then)),
        unit="%",
        formula=formula,
        inputs=(now, then),
    )


# ----------------------------------------------------------------- 4. overseas mix, 5. smart EV


def overseas_mix(fin: Financials, _profile: Profile, _user: UserInputs) -> Iterable[MetricResult]:
    period = fin.main_period
    formula = "{region} revenue ÷ group revenue"
    if period is None:
        return []
    whole = fin.get("revenue", period, region=None) or fin.get("revenue", period)
    return [
        _ratio(
            "international_revenue_share",
            "International share of revenue",
            period,
            formula.format(region="international"),
            fin.get("revenue", period, region="international"),
            whole,
            "no revenue by geography (international) printed",
        ),
        _ratio(
            "mainland_china_revenue_share",
            "Mainland China share of revenue",
            period,
            formula.format(region="mainland China"),
            fin.get("revenue", period, region="mainland_china"),
            whole,
            "no revenue by geography (mainland China) printed",
        ),
        _growth(
            "international_revenue_growth",
            "International revenue growth (YoY)",
            fin,
            "revenue",
            period,
            region="international",
        ),
    ]


def smart_ev(fin: Financials, profile: Profile, _: UserInputs) -> Iterable[MetricResult]:
    period = fin.main_period
    if period is None or not profile.roles.ev:
        return [
            _na(
                "ev_revenue_share",
                "Smart EV share of revenue",
                period,
                "EV segment revenue ÷ group revenue",
                "no EV segment in the profile" if period else "no figures",
            )
        ]
    segment = next(iter(fin.segments("revenue", period, profile.roles.ev)), None)
    sub = next(iter(fin.segments("revenue", period, profile.roles.ev_subline)), None)
    gross = next(iter(fin.segments("gross_profit", period, profile.roles.ev)), None)
    deliveries = fin.get("ev_deliveries", period)
    missing = "no smart EV segment in this filing"
    results = [
        _ratio(
            "ev_revenue_share",
            "Smart EV segment share of revenue",
            period,
            "EV segment revenue ÷ group revenue",
            segment,
            fin.get("revenue", period),
            missing,
        ),
        _ratio(
            "ev_gross_margin",
            "Smart EV segment gross margin",
            period,
            "EV segment gross profit ÷ EV segment revenue",
            gross,
            segment,
            missing + " (gross profit)",
        ),
        _per_delivery(period, sub or segment, deliveries),
    ]
    if deliveries is not None:
        results.append(
            MetricResult(
                id="ev_deliveries",
                label="Smart EV deliveries",
                period=period.label,
                value=deliveries.value,
                unit="vehicles",
                formula="as printed",
                inputs=(deliveries,),
            )
        )
    results.append(
        _na(
            "ev_adjusted_net_loss",
            "Smart EV segment adjusted net loss",
            period,
            "as printed",
            "not printed in a table this tool reads",
        )
    )
    return results


def _per_delivery(period: Period, revenue: Figure | None, deliveries: Figure | None) -> MetricResult:
    formula = "smart EV revenue ÷ vehicles delivered (RMB per vehicle)"
    if revenue is None or deliveries is None or not deliveries.value:
        return _na(
            "ev_revenue_per_delivery",
            "Smart EV revenue per vehicle delivered",
            period,
            formula,
            "no smart EV revenue or no deliveries printed",
        )
    value = (millions(revenue) * 1_000_000 / deliveries.value).quantize(Decimal(1))
    return MetricResult(
        id="ev_revenue_per_delivery",
        label="Smart EV revenue per vehicle delivered",
        period=period.label,
        value=value,
        unit=f"{revenue.unit.currency or ''} per vehicle".strip(),
        formula=formula,
        inputs=(revenue, deliveries),
    )


# ----------------------------------------------------------------- 6. group margins and growth

_MARGINS = (
    ("gross_margin", "Gross margin", "gross_profit"),
    ("operating_margin", "Operating margin", "operating_profit"),
    ("net_margin", "Net margin", "profit_for_period"),
    ("adjusted_net_margin", "Adjusted net margin", "adjusted_net_profit"),
)
HEADLINES = ("revenue", "gross_profit", "operating_profit", "profit_for_period", "adjusted_net_profit")


def group(fin: Financials, _profile: Profile, _user: UserInputs) -> Iterable[MetricResult]:
    period = fin.main_period
    if period is None:
        return []
    revenue = fin.get("revenue", period)
    out = [
        _ratio(mid, label, period, f"{item} ÷ revenue", fin.get(item, period), revenue, f"no {item} printed")
        for mid, label, item in _MARGINS
    ]
    for name in fin.segment_names("gross_profit", period):
        out.append(
            _ratio(
                f"segment_gross_margin:{name}",
                f"Gross margin, {name}",
                period,
                f"{name} gross profit ÷ {name} revenue",
                fin.get("gross_profit", period, segment=name),
                fin.get("revenue", period, segment=name),
                f"no {name} revenue",
            )
        )
    for item in HEADLINES:
        out.append(_growth(f"growth_yoy:{item}", f"{item} growth, year on year", fin, item, period))
        if period.kind is PeriodKind.QUARTER:
            out.append(
                _growth(
                    f"growth_qoq:{item}",
                    f"{item} growth, quarter on quarter",
                    fin,
                    item,
                    period,
                    prior=fin.prior_quarter(period),
                    basis="QoQ",
                )
            )
    return out


# ----------------------------------------------------------------- 7. control, 8. valuation


def control(_fin: Financials, profile: Profile, user: UserInputs) -> Iterable[MetricResult]:
    k = Decimal(profile.thresholds.votes_per_class_a_share)
    threshold = MetricResult(
        id="wvr_majority_stake",
        label="Smallest economic stake with a voting majority",
        value=pct(Decimal(1), k + 1),
        unit="%",
        formula=f"1 ÷ (k + 1), k = {k} votes per Class A share",
        verdict="held entirely in Class A shares",
    )
    return [threshold, voting_share(k, user)]


def voting_share(k: Decimal, user: UserInputs) -> MetricResult:
    formula = "k·A_held + B_held ÷ (k·A_total + B_total)"
    needed = (user.class_a_held, user.class_b_held, user.class_a_total, user.class_b_total)
    if any(v is None for v in needed):
        return _na(
            "wvr_voting_share",
            "Holder's share of the votes",
            None,
            formula,
            "share counts not supplied (wvr options: class A/B held and outstanding)",
        )
    a_held, b_held, a_total, b_total = (v or Decimal(0) for v in needed)
    votes = k * a_held + b_held
    all_votes = k * a_total + b_total
    stake = pct(a_held + b_held, a_total + b_total)
    value = pct(votes, all_votes)
    return MetricResult(
        id="wvr_voting_share",
        label="Holder's share of the votes",
        value=value,
        unit="%",
        formula=formula,
        working=(_line("economic stake", stake, "%"),),
        verdict=f"{_control_word(value)} with {stake}% of the shares",
    )


def _control_word(votes_pct: Decimal) -> str:
    if votes_pct > 50:
        return "controls a majority of the votes"
    return "holds exactly half the votes" if votes_pct == 50 else "does not control a majority"


def valuation(fin: Financials, _profile: Profile, user: UserInputs) -> Iterable[MetricResult]:
    period = fin.main_period
    rows = (
        ("pe_reported", "P/E (reported profit)", "profit_for_period"),
        ("pe_adjusted", "P/E (adjusted net profit)", "adjusted_net_profit"),
        ("ps", "P/S", "revenue"),
    )
    if period is None:
        return []
    if user.market_cap_millions is None or user.fx_to_report is None:
        return [
            _na(
                mid,
                label,
                period,
                f"market value ÷ annualised {item}",
                "no market value and FX rate supplied (valuation options)",
            )
            for mid, label, item in rows
        ]
    value = user.market_cap_millions * user.fx_to_report
    factor = _ANNUALISE[period.kind]
    out = []
    for mid, label, item in rows:
        figure = fin.get(item, period)
        formula = f"market value ÷ ({item} × {factor:.4g} to annualise {period.label})"
        if figure is None or millions(figure) <= 0:
            out.append(
                _na(mid, label, period, formula, f"{item} is missing or not positive: the multiple is not meaningful")
            )
            continue
        out.append(
            MetricResult(
                id=mid,
                label=label,
                period=period.label,
                value=(value / (millions(figure) * factor)).quantize(Decimal("0.1")),
                unit="x",
                formula=formula,
                inputs=(figure,),
                working=(_line(f"market value in {figure.unit.currency}", value, "million"),),
            )
        )
    return out


METRICS: tuple[Metric, ...] = (
    hardware_net_margin,
    profit_bridge,
    internet_services,
    overseas_mix,
    smart_ev,
    group,
    control,
    valuation,
)


def compute_metrics(fin: Financials, profile: Profile, user: UserInputs = UserInputs()) -> list[MetricResult]:
    return [result for metric in METRICS for result in metric(fin, profile, user)]
