"""The profit bridge: reported profit → each non-IFRS adjustment → adjusted net profit, beside operating profit;
and whether the reported result comes mainly from non-cash fair-value changes of preferred shares, read from
the reconciliation or, where it does not cover the period, from the income statement."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from xiaomi_check.financials import Financials, millions, rounding
from xiaomi_check.metrics.base import HUNDRED, UserInputs, line, na, pct
from xiaomi_check.models import Figure, MetricResult, Period, StatementKind, Status
from xiaomi_check.profile import Profile

FORMULA = "adjusted net profit − reported profit = Σ non-IFRS adjustments (each as printed)"
PREFERRED = "fair_value_changes_preferred_shares"
_NAME = "fair-value changes of convertible redeemable preferred shares"


def profit_bridge(fin: Financials, profile: Profile, _user: UserInputs) -> Iterable[MetricResult]:
    periods = [p for p in fin.periods() if fin.get("adjusted_net_profit", p) and fin.get("profit_for_period", p)]
    if not periods:
        adjusted = any(fin.get("adjusted_net_profit", p) for p in fin.periods())
        return [na("profit_bridge", "Profit bridge", fin.main_period, FORMULA,
                   "no reported profit printed beside the adjusted net profit" if adjusted else
                   "no adjusted (non-IFRS / non-GAAP) net profit printed")]
    return [_bridge(fin, profile, p) for p in periods]


def preferred_effect(fin: Financials, period: Period, steps: list[Figure]) -> tuple[Figure, Decimal] | None:
    """The fair-value change of preferred shares and its effect on reported profit (negative: a loss). A
    reconciliation adds the change back, so its sign is the opposite of the income statement's."""
    step = next((f for f in steps if f.item == PREFERRED), None)
    if step is not None:
        return step, -millions(step)
    printed = fin.get(PREFERRED, period, statement=StatementKind.INCOME_STATEMENT)
    return (printed, millions(printed)) if printed is not None else None


def _bridge(fin: Financials, profile: Profile, period: Period) -> MetricResult:
    reported = fin.get("profit_for_period", period, statement=StatementKind.NON_GAAP) or fin.get(
        "profit_for_period", period)
    adjusted = fin.get("adjusted_net_profit", period)
    assert reported is not None and adjusted is not None
    steps = fin.adjustments(period)
    context = [f for item in ("operating_profit", "profit_before_tax") if (f := fin.get(item, period))]
    gap = millions(adjusted) - millions(reported)
    found = preferred_effect(fin, period, steps)
    effect = found[1] if found else None
    working = [
        *(line(f.item, millions(f), "million") for f in context),
        line("reported profit", millions(reported), "million"),
        *(line(f"+ {f.source.row_label}", millions(f), "million") for f in steps),
        line("adjusted net profit", millions(adjusted), "million"),
    ]
    if found is not None and found[0] not in steps:
        working.append(line(f"{_NAME} (income statement)", found[1], "million"))
    if effect is not None:
        working.append(line("reported profit without them", millions(reported) - effect, "million"))
    share = pct(-effect, gap) if effect is not None and gap else None
    working.append(line("fair-value changes of preferred shares, share of the gap", share, "%"))
    extra = (found[0],) if found is not None and found[0] not in steps else ()
    disagree = _unbalanced(reported, steps, adjusted, gap)
    return MetricResult(
        id="profit_bridge",
        label="Adjusted − reported profit",
        period=period.label,
        value=gap,
        unit="million",
        formula=FORMULA,
        inputs=(*context, reported, *steps, adjusted, *extra),
        working=tuple(working),
        status=Status.CONFLICT if disagree else Status.OK,
        conflicts=disagree,
        verdict=bridge_verdict(millions(reported), millions(adjusted), effect,
                               profile.thresholds.fair_value_dominance_pct),
    )


def _unbalanced(reported: Figure, steps: list[Figure], adjusted: Figure, gap: Decimal) -> tuple[str, ...]:
    """The printed adjustments must add up to the gap, within the rounding of every figure involved: when they do
    not, the reconciliation was not read whole (or a line was misread), and the figures disagree."""
    if not steps:
        return ()
    added = sum((millions(f) for f in steps), Decimal(0))
    slack = sum((rounding(f) for f in (reported, *steps, adjusted)), Decimal(0))
    if abs(added - gap) <= slack:
        return ()
    return (f"reported profit {millions(reported):,} + the adjustments as read ({added:,}) = "
            f"{millions(reported) + added:,}, but adjusted net profit is printed as {millions(adjusted):,} "
            f"(p{adjusted.source.page} '{adjusted.source.raw_text}')",)


def bridge_verdict(reported: Decimal, adjusted: Decimal, effect: Decimal | None, dominance_pct: Decimal) -> str:
    """Names the non-cash part of a reported result: a loss deepened or a profit lifted by fair-value changes
    of preferred shares; "mainly" when they are at least `dominance_pct` of the reported result."""
    result = f"reported {'profit' if reported >= 0 else 'loss'} of {abs(reported):,} million"
    tail = f"adjusted {'profit' if adjusted >= 0 else 'loss'} {abs(adjusted):,} million"
    if not effect:
        return f"{result}; {tail}"
    without = reported - effect
    rest = f"without them, {'a profit' if without >= 0 else 'a loss'} of {abs(without):,} million; {tail}"
    kind = "gain" if effect > 0 else "loss"
    if (reported >= 0) != (effect > 0):  # the change works against the result: a profit despite a loss
        return f"{result} despite a non-cash {kind} of {abs(effect):,} million ({_NAME}); {tail}"
    mainly = abs(effect) * HUNDRED >= dominance_pct * abs(reported)
    return (f"{result} is {'mainly' if mainly else 'partly'} non-cash: a {kind} of {abs(effect):,} million "
            f"from {_NAME}; {rest}")
