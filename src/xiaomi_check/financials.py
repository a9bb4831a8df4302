"""A read-only view over extracted figures for metrics and checks: look-ups by item, period, segment, region,
in millions of the reporting currency, and the periods a filing compares."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xiaomi_check.models import PERIOD_SPAN, Figure, Period, PeriodKind, StatementKind, UnitKind

_PREFERENCE = (
    StatementKind.INCOME_STATEMENT,
    StatementKind.KEY_HIGHLIGHTS,
    StatementKind.SEGMENT_REVENUE,
    StatementKind.SEGMENT_GROSS_PROFIT,
    StatementKind.GEOGRAPHY,
    StatementKind.NON_GAAP,
    StatementKind.OPERATING_DATA,
)

Key = tuple[str, str | None, str | None, str]


@dataclass(frozen=True)
class Financials:
    figures: tuple[Figure, ...]
    _index: dict[Key, list[Figure]] = field(init=False, repr=False, compare=False)
    _periods: list[Period] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[Key, list[Figure]] = {}
        for figure in sorted(self.figures, key=lambda f: _PREFERENCE.index(f.statement)):
            index.setdefault(figure.key, []).append(figure)
        object.__setattr__(self, "_index", index)
        found = {
            f.period for f in self.figures if f.unit.kind is UnitKind.MONEY and f.period.kind is not PeriodKind.INSTANT
        }
        object.__setattr__(self, "_periods", sorted(found, key=lambda p: (-p.year, -p.month, PERIOD_SPAN[p.kind])))

    def get(
        self,
        item: str,
        period: Period,
        segment: str | None = None,
        region: str | None = None,
        statement: StatementKind | None = None,
    ) -> Figure | None:
        """The figure for this key, from the most authoritative statement that prints it."""
        found = self._index.get((item, segment, region, period.label), [])
        found = [f for f in found if statement is None or f.statement is statement]
        return next((f for f in found if f.value is not None), None)

    def all(self, item: str, period: Period, segment: str | None = None, region: str | None = None) -> list[Figure]:
        return list(self._index.get((item, segment, region, period.label), []))

    def periods(self) -> list[Period]:
        """Periods with money figures, the one the filing reports on first (latest end, shortest span)."""
        return list(self._periods)

    @property
    def main_period(self) -> Period | None:
        periods = self.periods()
        return periods[0] if periods else None

    def prior_year(self, period: Period) -> Period | None:
        return self._find(period.kind, period.year - 1, period.month)

    def prior_quarter(self, period: Period) -> Period | None:
        if period.kind is not PeriodKind.QUARTER:
            return None
        year, month = (period.year, period.month - 3) if period.month > 3 else (period.year - 1, period.month + 9)
        return self._find(PeriodKind.QUARTER, year, month)

    def _find(self, kind: PeriodKind, year: int, month: int) -> Period | None:
        return next((p for p in self.periods() if p.kind is kind and p.year == year and p.month == month), None)

    def segments(self, item: str, period: Period, names: Iterable[str]) -> list[Figure]:
        return [f for name in names if (f := self.get(item, period, segment=name)) is not None]

    def segment_names(self, item: str, period: Period) -> list[str]:
        return list(
            dict.fromkeys(f.segment for f in self.figures if f.item == item and f.segment and f.period == period)
        )


def millions(figure: Figure) -> Decimal:
    """A money figure in millions of its currency (percentages and counts as printed)."""
    if figure.value is None:
        raise ValueError(f"{figure.item} {figure.period.label} has no value")
    return figure.value_millions if figure.value_millions is not None else figure.value


def total(figures: Sequence[Figure]) -> Decimal:
    return sum((millions(f) for f in figures), Decimal(0))
