"""One number format for every renderer: thousands separators, negatives in parentheses, and one number of
decimal places down a row or column (the most any of its values was printed with)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from xiaomi_check.models import Figure, MetricResult, Status, UnitKind

NIL = "–"
NOT_APPLICABLE = "n/a"


def places(value: Decimal | None) -> int:
    """Decimal places the value carries (as printed: `92,506.5` → 1)."""
    if value is None:
        return 0
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def common_places(values: Iterable[Decimal | None]) -> int:
    return max((places(v) for v in values), default=0)


def number(value: Decimal, decimals: int | None = None, suffix: str = "") -> str:
    """`1,234.5`, `(1,234.5)` for a negative; `suffix` (`%`) inside the parentheses."""
    decimals = places(value) if decimals is None else decimals
    text = f"{abs(value):,.{decimals}f}{suffix}"
    return f"({text})" if value < 0 and text.strip("0.,%") else text


def figure_text(figure: Figure, decimals: int | None = None) -> str:
    """A figure as shown in a statement: nil as `–`, not applicable as `n/a`, percentages with `%`."""
    if figure.value is None:
        return NOT_APPLICABLE
    if figure.note and figure.note.startswith("nil"):
        return NIL
    return number(figure.value, decimals, "%" if figure.unit.kind is UnitKind.PERCENT else "")


def figure_places(figures: Iterable[Figure]) -> int:
    return common_places(f.value for f in figures)


def metric_text(metric: MetricResult) -> str:
    """A metric's value with its unit: `1.13%`, `911.7 million`, `238,691 RMB per vehicle`; blank when none."""
    if metric.value is None:
        return NOT_APPLICABLE if metric.status is Status.NOT_AVAILABLE else ""
    return quantity(metric.value, metric.unit)


def quantity(value: Decimal | None, unit: str, decimals: int | None = None) -> str:
    if value is None:
        return NOT_APPLICABLE
    if unit == "%":
        return number(value, 2 if decimals is None else decimals, "%")
    return f"{number(value, decimals)} {unit}".strip()
