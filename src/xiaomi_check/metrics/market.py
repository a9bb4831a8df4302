"""Control under weighted voting rights, and valuation multiples: both need numbers the user supplies, and are
"not requested" without them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from xiaomi_check.financials import Financials, millions
from xiaomi_check.metrics.base import UserInputs, line, na, pct
from xiaomi_check.models import MetricResult, PeriodKind, Status
from xiaomi_check.profile import Profile

ANNUALISE = {
    PeriodKind.QUARTER: Decimal(4),
    PeriodKind.HALF: Decimal(2),
    PeriodKind.NINE_MONTHS: Decimal(4) / 3,
    PeriodKind.YEAR: Decimal(1),
}
MULTIPLES = (
    ("pe_reported", "P/E (reported profit)", "profit_for_period"),
    ("pe_adjusted", "P/E (adjusted net profit)", "adjusted_net_profit"),
    ("ps", "P/S", "revenue"),
)


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
    formula = "(k·A_held + B_held) ÷ (k·A_total + B_total)"
    needed = (user.class_a_held, user.class_b_held, user.class_a_total, user.class_b_total)
    if any(v is None for v in needed):
        return na("wvr_voting_share", "Holder's share of the votes", None, formula,
                  "share counts not given (xiaomi-check wvr --class-a-held ...)",
                  Status.NOT_REQUESTED)
    a_held, b_held, a_total, b_total = (v or Decimal(0) for v in needed)
    stake = pct(a_held + b_held, a_total + b_total)
    value = pct(k * a_held + b_held, k * a_total + b_total)
    return MetricResult(
        id="wvr_voting_share",
        label="Holder's share of the votes",
        value=value,
        unit="%",
        formula=formula,
        working=(line("economic stake", stake, "%"),),
        verdict=f"{_control_word(value)} with {stake}% of the shares",
    )


def _control_word(votes_pct: Decimal) -> str:
    if votes_pct > 50:
        return "controls a majority of the votes"
    return "holds exactly half the votes" if votes_pct == 50 else "does not control a majority"


def valuation(fin: Financials, _profile: Profile, user: UserInputs) -> Iterable[MetricResult]:
    period = fin.main_period
    if period is None:
        return []
    if user.market_cap_millions is None or user.fx_to_report is None:
        missing = "no market value given (--market-cap)" if user.market_cap_millions is None else \
            "no FX rate given (--fx)"
        return [na(mid, label, period, f"market value ÷ annualised {item}", missing, Status.NOT_REQUESTED)
                for mid, label, item in MULTIPLES]
    value = user.market_cap_millions * user.fx_to_report
    factor = ANNUALISE[period.kind]
    out = []
    for mid, label, item in MULTIPLES:
        figure = fin.get(item, period)
        formula = f"market value ÷ ({item} × {factor:.4g} to annualise {period.label})"
        if figure is None or millions(figure) <= 0:
            out.append(na(mid, label, period, formula,
                          f"{item} is missing or not positive: the multiple is not meaningful"))
            continue
        out.append(MetricResult(
            id=mid,
            label=label,
            period=period.label,
            value=(value / (millions(figure) * factor)).quantize(Decimal("0.1")),
            unit="x",
            formula=formula,
            inputs=(figure,),
            working=(line(f"market value in {figure.unit.currency}", value, "million"),),
        ))
    return out
