"""A read-only view over extracted figures for metrics and checks: one figure per (item, segment, region,
period), looked up in millions of the reporting currency, and the periods a filing compares with the
document's own (headline) period first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xiaomi_check.models import (
    PERIOD_SPAN,
    Figure,
    Period,
    PeriodKind,
    StatementKind,
    UnitKind,
    figure_rank,
)

Key = tuple[str, str | None, str | None, str]

# Rows of a non-IFRS reconciliation that are measures, not adjustments: its two ends (reported and adjusted net
# profit) and the other measures a wide reconciliation prints as rows beside them (operating profit as reported
# and adjusted). Any other item starting "adjusted_" is an adjusted measure too.
RECONCILIATION_MEASURES = frozenset({"profit_for_period", "adjusted_net_profit", "operating_profit",
                                     "adjusted_operating_profit", "profit_before_tax", "revenue", "gross_profit"})

# The document's own period, by the kind of document (`prose.document_facts`): the first word found in the kind
# names the period kinds it reports on, in order of preference. Among the periods that end last, the first of
# those kinds; failing that, the latest period of the first kind (a prospectus's last full year, not its stub
# quarter). A kind not listed is inferred: among the periods ending last, a full year before the quarter that ends
# with it (an annual announcement prints Q4 too), a half before its second quarter, nine months never (a third-
# quarter announcement's year to date).
_INFERRED = (PeriodKind.YEAR, PeriodKind.HALF, PeriodKind.QUARTER, PeriodKind.NINE_MONTHS)
_BY_DOCUMENT: tuple[tuple[str, tuple[PeriodKind, ...]], ...] = (
    ("prospectus", (PeriodKind.YEAR,)),
    ("annual", (PeriodKind.YEAR,)),
    ("10-k", (PeriodKind.YEAR,)),
    ("interim", (PeriodKind.HALF,)),
    ("quarterly", (PeriodKind.QUARTER,)),
    ("10-q", (PeriodKind.QUARTER,)),
    ("earnings release", (PeriodKind.YEAR, PeriodKind.QUARTER)),  # a fourth-quarter release is the year's
)


def headline_period(periods: Iterable[Period], document_kind: str | None = None) -> Period | None:
    """The period the document reports on: by its kind (full year for annual results and annual reports, half
    year for interims, the quarter for quarterly announcements), else inferred from the periods it prints."""
    found = [p for p in periods if p.kind is not PeriodKind.INSTANT]
    if not found:
        return None
    folded = (document_kind or "").casefold()
    prefer = next((kinds for word, kinds in _BY_DOCUMENT if word in folded), _INFERRED)
    latest = max((p.year, p.month) for p in found)
    ending = [p for p in found if (p.year, p.month) == latest]
    for kind in prefer:
        if chosen := [p for p in ending if p.kind is kind]:
            return chosen[0]
    for kind in prefer:
        if chosen := [p for p in found if p.kind is kind]:
            return max(chosen, key=lambda p: (p.year, p.month))
    return min(ending, key=lambda p: _INFERRED.index(p.kind))


@dataclass(frozen=True)
class Financials:
    figures: tuple[Figure, ...]
    document_kind: str | None = None
    _index: dict[Key, list[Figure]] = field(init=False, repr=False, compare=False)
    _periods: list[Period] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[Key, list[Figure]] = {}
        for figure in sorted(self.figures, key=figure_rank):
            index.setdefault(figure.key, []).append(figure)
        object.__setattr__(self, "_index", index)
        by_label: dict[str, Period] = {}
        for f in self.figures:  # one period per label: "December 31, 2017" and "FY2017" are one year
            if f.unit.kind is UnitKind.MONEY and f.period.kind is not PeriodKind.INSTANT:
                by_label.setdefault(f.period.label, f.period)
        ordered = sorted(by_label.values(), key=lambda p: (-p.year, -p.month, PERIOD_SPAN[p.kind]))
        headline = headline_period(ordered, self.document_kind)
        object.__setattr__(self, "_periods", [p for p in ordered if p == headline] + [
            p for p in ordered if p != headline])

    def get(
        self,
        item: str,
        period: Period,
        segment: str | None = None,
        region: str | None = None,
        statement: StatementKind | None = None,
    ) -> Figure | None:
        """The figure for this key with a value, from the most authoritative statement that prints it."""
        found = self._index.get((item, segment, region, period.label), [])
        return next((f for f in found if f.value is not None and statement in (None, f.statement)), None)

    def all(self, item: str, period: Period, segment: str | None = None, region: str | None = None) -> list[Figure]:
        return list(self._index.get((item, segment, region, period.label), []))

    def rows(self, period: Period, statement: StatementKind) -> list[Figure]:
        """One statement's figures for one period with a value, in print order, a repeated row taken once."""
        seen: dict[Key, Figure] = {}
        label = period.label  # computed on each read
        for f in self.figures:
            if f.statement is statement and f.value is not None and f.period.label == label:
                seen.setdefault(f.key, f)
        return list(seen.values())

    def adjustments(self, period: Period) -> list[Figure]:
        """The adjustments of the non-IFRS reconciliation for one period, in print order: its money rows that
        are not measures (RECONCILIATION_MEASURES)."""
        return [f for f in self.rows(period, StatementKind.NON_GAAP) if f.unit.kind is UnitKind.MONEY
                and f.item not in RECONCILIATION_MEASURES and not f.item.startswith("adjusted_")]

    def periods(self) -> list[Period]:
        """Periods with money figures, one per label: the headline period first, then the latest end and the
        shortest span first."""
        return list(self._periods)

    @property
    def main_period(self) -> Period | None:
        """The headline period: the document's own (see `headline_period`)."""
        return self._periods[0] if self._periods else None

    def prior_year(self, period: Period) -> Period | None:
        return self._find(period.kind, period.year - 1, period.month)

    def prior_quarter(self, period: Period) -> Period | None:
        """The quarter before, only when the filing prints it: never a substitute."""
        if period.kind is not PeriodKind.QUARTER:
            return None
        year, month = (period.year, period.month - 3) if period.month > 3 else (period.year - 1, period.month + 9)
        return self._find(PeriodKind.QUARTER, year, month)

    def _find(self, kind: PeriodKind, year: int, month: int) -> Period | None:
        return next((p for p in self._periods if p.kind is kind and p.year == year and p.month == month), None)

    def segments(self, item: str, period: Period, names: Iterable[str]) -> list[Figure]:
        return [f for name in names if (f := self.get(item, period, segment=name)) is not None]

    def segment_names(self, item: str, period: Period) -> list[str]:
        return list(
            dict.fromkeys(
                f.segment for f in self.figures if f.item == item and f.segment and f.period.label == period.label
            )
        )

    def printed_segments(self) -> set[str]:
        """Every segment and region the filing prints a figure for, in any period."""
        return {name for f in self.figures for name in (f.segment, f.region) if name}


def millions(figure: Figure) -> Decimal:
    """A money figure in millions of its currency (percentages and counts as printed)."""
    if figure.value is None:
        raise ValueError(f"{figure.item} {figure.period.label} has no value")
    return figure.value_millions if figure.value_millions is not None else figure.value


def rounding(figure: Figure) -> Decimal:
    """Half a unit of the figure's last printed digit, in millions (or percentage points)."""
    exponent = figure.value.as_tuple().exponent if figure.value is not None else 0
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    scale = Decimal(figure.unit.scale) / 1_000_000 if figure.unit.kind is UnitKind.MONEY else Decimal(1)
    return Decimal("0.5") * Decimal(10) ** -places * scale


def total(figures: Sequence[Figure]) -> Decimal:
    return sum((millions(f) for f in figures), Decimal(0))
