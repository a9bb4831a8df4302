"""Hardware net margin against the cap: hardware = the profile's `hardware` segments; opex allocated by revenue
share (default) or gross-profit share; tax at the effective rate when meaningful, else the statutory rate."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from xiaomi_check.financials import Financials, millions, total
from xiaomi_check.metrics.base import CENT, HUNDRED, UserInputs, line, na, pct
from xiaomi_check.models import Figure, MetricResult, Period, StatementKind, Status
from xiaomi_check.profile import Profile

METRIC_ID, LABEL = "hardware_net_margin", "Hardware net margin"
OPEX = ("selling_and_marketing_expenses", "administrative_expenses", "research_and_development_expenses")
FORMULA = (
    "(hardware gross profit − hardware share of selling & marketing, administrative and R&D "
    "expenses) × (1 − tax rate) ÷ hardware revenue; hardware = {segments}"
)


def hardware_net_margin(fin: Financials, profile: Profile, _: UserInputs) -> Iterable[MetricResult]:
    names = profile.roles.hardware
    formula = FORMULA.format(segments=" + ".join(names))
    if not names:
        return [na(METRIC_ID, LABEL, None, formula, "the profile names no hardware segment", Status.NOT_APPLICABLE)]
    if not set(names) & fin.printed_segments():
        return [na(METRIC_ID, LABEL, None, formula, f"no hardware segment ({', '.join(names)}) in this filing",
                   Status.NOT_APPLICABLE)]
    periods = [p for p in fin.periods() if fin.segments("gross_profit", p, names)]
    if not periods:
        return [na(METRIC_ID, LABEL, fin.main_period, formula, "no segment gross profit table for the hardware "
                   "segments")]
    return [_margin(fin, profile, p, formula) for p in periods]


def _margin(fin: Financials, profile: Profile, period: Period, formula: str) -> MetricResult:
    names = profile.roles.hardware
    revenue, gross = fin.segments("revenue", period, names), fin.segments("gross_profit", period, names)
    group_revenue, group_gross = fin.get("revenue", period), fin.get("gross_profit", period)
    opex = [f for item in OPEX if (f := fin.get(item, period)) is not None]
    if len(revenue) < len(names) or len(gross) < len(names):
        return na(METRIC_ID, LABEL, period, formula, "a hardware segment's revenue or gross profit is missing")
    if group_revenue is None or group_gross is None or len(opex) < len(OPEX):
        return na(METRIC_ID, LABEL, period, formula,
                  "group revenue, gross profit or an operating expense line (S&M, admin, R&D) is missing")
    hw_revenue, hw_gross = total(revenue), total(gross)
    if not hw_revenue or not millions(group_revenue) or not millions(group_gross):
        return na(METRIC_ID, LABEL, period, formula, "hardware or group revenue or gross profit is printed as nil")
    expenses = sum((abs(millions(f)) for f in opex), Decimal(0))
    tax, tax_note, tax_inputs = tax_rate(fin, profile, period)
    shares = {"revenue share": hw_revenue / millions(group_revenue), "gross-profit share": hw_gross / millions(
        group_gross)}
    rates = {tax_note: tax}
    if tax_note == "effective":
        rates["statutory"] = profile.thresholds.statutory_tax_rate_pct / HUNDRED
    results = {
        (method, basis): _after_tax(hw_gross - expenses * share, rate) / hw_revenue * HUNDRED
        for method, share in shares.items()
        for basis, rate in rates.items()
    }
    value = results[("revenue share", tax_note)].quantize(CENT)
    low, high = min(results.values()).quantize(CENT), max(results.values()).quantize(CENT)
    cap = profile.thresholds.hardware_net_margin_cap_pct
    working = (
        line("hardware revenue", hw_revenue, "million"),
        line("hardware gross profit", hw_gross, "million"),
        line("S&M + administrative + R&D expenses (group)", expenses, "million"),
        line("hardware share of revenue", pct(hw_revenue, millions(group_revenue)), "%"),
        line("hardware share of gross profit", pct(hw_gross, millions(group_gross)), "%"),
        line(f"tax rate ({tax_note})", (tax * HUNDRED).quantize(CENT), "%"),
        *(line(f"by {m}, {b} tax", v.quantize(CENT), "%") for (m, b), v in results.items()),
    )
    verdict = f"{'above' if value > cap else 'within'} the {cap}% cap; range {low}% to {high}% across methods"
    if low <= cap < high:
        verdict += " (the cap lies inside the range: the verdict depends on the method)"
    return MetricResult(
        id=METRIC_ID,
        label=LABEL,
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


def tax_rate(fin: Financials, profile: Profile, period: Period) -> tuple[Decimal, str, tuple[Figure, ...]]:
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
