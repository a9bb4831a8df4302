"""Inline figures for the metric tests: no PDF, every value typed where the test can show its arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from xiaomi_check.financials import Financials
from xiaomi_check.metrics import UserInputs, compute_metrics
from xiaomi_check.models import (
    Figure,
    MetricResult,
    Period,
    PeriodKind,
    Source,
    StatementKind,
    Unit,
    UnitKind,
    Verification,
    VerificationStatus,
)
from xiaomi_check.profile import load_profile

IS = StatementKind.INCOME_STATEMENT
KH = StatementKind.KEY_HIGHLIGHTS
SEG = StatementKind.SEGMENT_REVENUE
GP = StatementKind.SEGMENT_GROSS_PROFIT
GEO = StatementKind.GEOGRAPHY
REC = StatementKind.NON_GAAP
OPS = StatementKind.OPERATING_DATA
PROFILE = load_profile()


def money(scale: int, currency: str = "RMB") -> Unit:
    return Unit(kind=UnitKind.MONEY, currency=currency, scale=scale, caption=f"{currency} x{scale}")


RMB_MILLION = money(1_000_000)


def fy(year: int, day: int | None = None) -> Period:
    return Period(kind=PeriodKind.YEAR, year=year, day=day)


def q(quarter: int, year: int) -> Period:
    return Period(kind=PeriodKind.QUARTER, year=year, month=3 * quarter)


def half(year: int) -> Period:
    return Period(kind=PeriodKind.HALF, year=year, month=6)


def fig(item: str, period: Period, value: str, statement: StatementKind = IS, *, segment: str | None = None,
        region: str | None = None, unit: Unit = RMB_MILLION, page: int = 1, label: str | None = None,
        note: str | None = None, status: VerificationStatus = VerificationStatus.UNVERIFIED,
        contradictions: tuple[str, ...] = ()) -> Figure:
    source = Source(page=page, table=f"p{page}-t1", row_label=label or item, column_header=period.label,
                    raw_text=value)
    return Figure(item=item, segment=segment, region=region, period=period, value=Decimal(value), note=note,
                  unit=unit, statement=statement, source=source,
                  verification=Verification(status=status, contradictions=contradictions))


def results(figures: Sequence[Figure], user: UserInputs = UserInputs(), kind: str | None = None  # noqa: B008
            ) -> list[MetricResult]:
    return compute_metrics(Financials(tuple(figures), document_kind=kind), PROFILE, user)


def one(found: Sequence[MetricResult], metric_id: str, period: str | None) -> MetricResult:
    [result] = [m for m in found if m.id == metric_id and m.period == period]
    return result
