"""What every metric shares: the user's inputs, the result builders, growth, and the status that follows the
inputs' verification (a contradicted input makes a result a `conflict`, never `ok`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from xiaomi_check.financials import Financials, millions
from xiaomi_check.models import Figure, MetricLine, MetricResult, Period, Status, VerificationStatus
from xiaomi_check.profile import Profile

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
_COMPUTED = (Status.OK, Status.BREACH, Status.CONFLICT)


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
    return (part / whole * HUNDRED).quantize(CENT)


def line(label: str, value: Decimal | None, unit: str) -> MetricLine:
    return MetricLine(label=label, value=value, unit=unit)


def na(
    metric_id: str,
    label: str,
    period: Period | None,
    formula: str,
    reason: str,
    status: Status = Status.NOT_AVAILABLE,
) -> MetricResult:
    """A result without a value: n/a (the filing does not print what it needs), not requested or not
    applicable, always with the reason."""
    return MetricResult(
        id=metric_id,
        label=label,
        period=period.label if period else None,
        formula=formula,
        status=status,
        reason=reason,
    )


def is_nil(figure: Figure) -> bool:
    """A cell printed as a dash (or zero): the line did not exist in that period."""
    return figure.value is not None and figure.value == 0


def ratio(
    metric_id: str,
    label: str,
    period: Period,
    formula: str,
    part: Figure | None,
    whole: Figure | None,
    missing: str,
    refuse_nil: bool = False,
    whole_missing: str | None = None,
) -> MetricResult:
    """part ÷ whole as a percentage, or n/a naming what is missing: `missing` when the part is, `whole_missing`
    when only the whole is (a reason must name the input that is absent, not one the filing prints). With
    `refuse_nil`, a part printed as nil is n/a too: a 0% share of a line that did not exist is a misread nil,
    never a result."""
    if part is None:
        return na(metric_id, label, period, formula, missing)
    if whole is None:
        return na(metric_id, label, period, formula, whole_missing or missing)
    if not millions(whole):
        return na(metric_id, label, period, formula, f"{whole.item} is printed as nil: a share of it is not defined")
    if refuse_nil and is_nil(part):
        return na(metric_id, label, period, formula, f"{describe(part)} is printed as nil: 0% is not a result")
    return MetricResult(
        id=metric_id,
        label=label,
        period=period.label,
        value=pct(millions(part), millions(whole)),
        unit="%",
        formula=formula,
        inputs=(part, whole),
    )


def growth(
    metric_id: str,
    label: str,
    fin: Financials,
    item: str,
    period: Period,
    earlier: Period | None,
    basis: str,
    segment: str | None = None,
    region: str | None = None,
) -> MetricResult:
    """item in `period` ÷ item in `earlier` − 1; `earlier` is the comparative the basis names, never another."""
    where = f" ({segment or region})" if segment or region else ""
    formula = f"{item}{where} {period.label} ÷ {item}{where} {earlier.label if earlier else '(none printed)'} − 1"
    now = fin.get(item, period, segment, region)
    then = fin.get(item, earlier, segment, region) if earlier else None
    if now is None or then is None:
        return na(metric_id, label, period, formula, _missing(item + where, period, earlier, basis, now is None))
    if is_nil(then):
        return na(metric_id, label, period, formula, f"{item}{where} {then.period.label} is printed as nil: "
                  "growth from nothing is not defined")
    if millions(then) < 0 or millions(now) < 0:
        return na(metric_id, label, period, formula,
                  "a loss in either period: growth is not meaningful (the filing prints N/A or 無意義 here too)")
    return MetricResult(
        id=metric_id,
        label=label,
        period=period.label,
        value=pct(millions(now) - millions(then), millions(then)),
        unit="%",
        formula=f"{formula} ({basis})",
        inputs=(now, then),
    )


def _missing(name: str, period: Period, earlier: Period | None, basis: str, current_missing: bool) -> str:
    if current_missing:
        return f"{name} {period.label} not printed"
    if earlier is None:
        return f"no {basis} comparative period printed"
    return f"no {basis} comparative: {name} {earlier.label} not printed"


def describe(figure: Figure) -> str:
    """`revenue · smartphones Q3 2024 (p4)`: enough to find the figure in the filing."""
    where = figure.segment or figure.region
    return f"{figure.item}{f' · {where}' if where else ''} {figure.period.label} (p{figure.source.page})"


def _disagreement(figure: Figure) -> str:
    said = "; ".join(figure.verification.contradictions) or "contradicted by its table's arithmetic"
    return f"{describe(figure)} printed '{figure.source.raw_text}': {said}"


def judge(result: MetricResult) -> MetricResult:
    """The status the inputs allow: a computed result with a contradicted input, or whose inputs disagree with
    each other (`conflicts` set by the metric), is a `conflict`, its value still shown with what disagrees;
    unverified inputs are named either way."""
    if result.status not in _COMPUTED:
        return result
    unverified = tuple(dict.fromkeys(
        describe(f) for f in result.inputs if f.verification.status is VerificationStatus.UNVERIFIED))
    contradicted = [f for f in result.inputs if f.verification.status is VerificationStatus.CONTRADICTED]
    conflicts = tuple(dict.fromkeys((*result.conflicts, *(_disagreement(f) for f in contradicted))))
    if not conflicts:
        return result.model_copy(update={"unverified": unverified})
    return result.model_copy(update={"status": Status.CONFLICT, "unverified": unverified, "conflicts": conflicts})


def printed_name(figure: Figure | None, default: str) -> str:
    """A segment as the filing names it ("Smart EV and other new initiatives"), without a leading dash."""
    if figure is None:
        return default
    name = figure.source.row_label.strip().lstrip("-–—•· ").strip()
    return name or default
