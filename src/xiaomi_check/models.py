"""Frozen pydantic models shared by every layer: the vocabulary of the pipeline.

Money is `Decimal` in the document's printed unit; JSON writes it as a number (see `JsonDecimal`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, NamedTuple

from pydantic import BaseModel, ConfigDict, PlainSerializer, computed_field, model_validator

if TYPE_CHECKING:  # pandas stays out of this module: the frames are built in `xiaomi_check.frames`
    import pandas as pd

SCHEMA_VERSION = "1.0"

JsonDecimal = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
BBox = tuple[float, float, float, float]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _drop_computed(names: tuple[str, ...]) -> Callable[[object], object]:
    """JSON written by the tool parses back: computed (output-only) fields are dropped on input."""

    def drop(data: object) -> object:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if key not in names}
        return data

    return drop


class UnitKind(StrEnum):
    MONEY = "money"
    PERCENT = "percent"
    COUNT = "count"
    PER_SHARE = "per_share"  # money per share (EPS): never in the table's scale, never summed with money


_SCALE_WORDS = {1: "", 1_000: "thousand", 1_000_000: "million", 100_000_000: "hundred million (億)",
                1_000_000_000: "billion"}


class Unit(Frozen):
    kind: UnitKind = UnitKind.MONEY
    currency: str | None = None
    scale: int = 1
    caption: str = ""

    @property
    def label(self) -> str:
        if self.kind is UnitKind.PERCENT:
            return "%"
        if self.kind is UnitKind.COUNT:
            return "count"
        if self.kind is UnitKind.PER_SHARE:
            return f"{self.currency or ''} per share".strip()
        words = " ".join(w for w in (self.currency or "", _SCALE_WORDS.get(self.scale, f"x{self.scale}")) if w)
        return words or "units"


PERCENT = Unit(kind=UnitKind.PERCENT, caption="%")
COUNT = Unit(kind=UnitKind.COUNT, caption="")
AMOUNT_CHANGE = "amount_change"  # a change column's measure when it prints money (779.1), not a percentage
UNMAPPED = "\ufffd"  # a glyph the PDF maps to no character, mostly a ligature ("Gross pro\ufffdt"): kept as such


class PeriodKind(StrEnum):
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    NINE_MONTHS = "nine_months"
    INSTANT = "instant"


class Period(Frozen):
    _inputs = model_validator(mode="before")(_drop_computed(("label",)))
    kind: PeriodKind
    year: int
    month: int = 12
    day: int | None = None

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def label(self) -> str:  # cached: figures are grouped and matched by it, thousands of times per filing
        if self.kind is PeriodKind.YEAR:
            return f"FY{self.year}"
        if self.kind is PeriodKind.INSTANT:
            return f"{self.year}-{self.month:02d}-{self.day or 0:02d}"
        prefix = {PeriodKind.QUARTER: "Q", PeriodKind.HALF: "H", PeriodKind.NINE_MONTHS: "9M"}[self.kind]
        months = {PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.NINE_MONTHS: 9}[self.kind]
        if self.kind is PeriodKind.NINE_MONTHS:
            return f"9M {self.year}" if self.month == 9 else f"9M to {self.year}-{self.month:02d}"
        if self.month % months == 0:
            return f"{prefix}{self.month // months} {self.year}"
        return f"{months}M to {self.year}-{self.month:02d}"


class ColumnKind(StrEnum):
    VALUE = "value"
    SHARE = "share_of_total"
    YOY = "yoy_change"
    QOQ = "qoq_change"
    CHANGE = "change"
    NOTE = "note"


PERIOD_SPAN = {PeriodKind.QUARTER: 0, PeriodKind.HALF: 1, PeriodKind.NINE_MONTHS: 2, PeriodKind.YEAR: 3,
               PeriodKind.INSTANT: 4}  # shortest first: ties between periods ending together go to the shorter


class Source(Frozen):
    page: int
    printed_page: str | None = None
    table: str
    row_label: str
    column_header: str
    raw_text: str
    bbox: BBox | None = None


class Cell(Frozen):
    text: str
    bbox: BBox
    page: int


class Column(Frozen):
    index: int
    header: str
    kind: ColumnKind = ColumnKind.VALUE
    period: Period | None = None
    measure: str | None = None
    group: int | None = None  # columns under one period header ("Amount | % of total revenue") share a group
    label: str = ""  # its own words without the period over it ("Share-based compensation", "% of total")
    x0: float
    x1: float


class Row(Frozen):
    label: str
    section: str | None = None
    parent: str | None = None  # the row this one is a part of (by indentation, or because it sums with siblings)
    indent: float = 0.0  # where its label starts (PDF points): the hierarchy is re-read when a table is joined
    cells: tuple[Cell | None, ...]
    page: int
    top: float


class Grid(Frozen):
    id: str
    pages: tuple[int, ...]
    printed_pages: tuple[str | None, ...] = ()
    title: str = ""
    context: str = ""
    preamble: str = ""
    unit: Unit | None = None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


class StatementKind(StrEnum):
    KEY_HIGHLIGHTS = "key_highlights"
    INCOME_STATEMENT = "income_statement"
    SEGMENT_REVENUE = "segment_revenue"
    SEGMENT_GROSS_PROFIT = "segment_gross_profit"
    GEOGRAPHY = "geography"
    NON_GAAP = "non_gaap_reconciliation"
    OPERATING_DATA = "operating_data"


class VerificationStatus(StrEnum):
    VERIFIED = "verified"  # at least one identity of its own table (or a sibling table) holds with it
    UNVERIFIED = "unverified"  # no identity could be checked: nothing contradicts it, nothing confirms it
    CONTRADICTED = "contradicted"  # the best reading of its table still fails an identity that involves it


class Verification(Frozen):
    """What the arithmetic says about a figure: the identities that hold with it, and those that fail."""

    status: VerificationStatus = VerificationStatus.UNVERIFIED
    identities: tuple[str, ...] = ()  # e.g. "revenue - cost_of_sales = gross_profit (Q3 2024)"
    contradictions: tuple[str, ...] = ()  # each with the printed and the computed value


class Figure(Frozen):
    _inputs = model_validator(mode="before")(_drop_computed(("value_millions",)))
    item: str
    segment: str | None = None
    region: str | None = None
    period: Period
    value: JsonDecimal | None
    note: str | None = None
    unit: Unit
    statement: StatementKind
    source: Source
    verification: Verification = Verification()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def value_millions(self) -> JsonDecimal | None:
        """The value in millions of its currency (money only), beside the printed value."""
        if self.value is None or self.unit.kind is not UnitKind.MONEY:
            return None
        return self.value * self.unit.scale / Decimal(1_000_000)

    @property
    def key(self) -> tuple[str, str | None, str | None, str]:
        return (self.item, self.segment, self.region, self.period.label)


STATEMENT_PREFERENCE = (  # which copy of one figure is the figure: the statement first, a summary after
    StatementKind.INCOME_STATEMENT,
    StatementKind.KEY_HIGHLIGHTS,
    StatementKind.SEGMENT_REVENUE,
    StatementKind.SEGMENT_GROSS_PROFIT,
    StatementKind.GEOGRAPHY,
    StatementKind.NON_GAAP,
    StatementKind.OPERATING_DATA,
)


def figure_rank(figure: Figure) -> tuple[int, int]:
    """The look-up order among copies of one figure (`Financials.get`, the `used` mark of the outputs): a
    contradicted copy last, then by statement."""
    contradicted = figure.verification.status is VerificationStatus.CONTRADICTED
    return int(contradicted), STATEMENT_PREFERENCE.index(figure.statement)


class TableChoice(Frozen):
    table: str
    pages: tuple[int, ...]
    kind: StatementKind | None
    used: bool
    reason: str
    title: str = ""


class Status(StrEnum):
    """What a metric's value may be trusted for (docs/metrics.md, "Statuses")."""

    OK = "ok"  # computed, and no input is contradicted
    BREACH = "breach"  # computed, no input contradicted, and beyond its threshold (the hardware margin cap)
    CONFLICT = "conflict"  # computed, but an input is contradicted by the filing's own arithmetic
    NOT_AVAILABLE = "n/a"  # the filing does not print what it needs (the reason says what)
    NOT_REQUESTED = "not requested"  # needs an input the user did not give (market value, share counts)
    NOT_APPLICABLE = "not applicable"  # cannot apply to this filing (the company has no such segment)


class MetricLine(Frozen):
    """One line of a metric's working: an input, an intermediate result or an alternative method."""

    label: str
    value: JsonDecimal | None
    unit: str


class MetricResult(Frozen):
    id: str
    label: str
    period: str | None = None
    value: JsonDecimal | None = None
    unit: str = ""
    formula: str
    inputs: tuple[Figure, ...] = ()
    working: tuple[MetricLine, ...] = ()
    status: Status = Status.OK
    verdict: str = ""
    reason: str | None = None
    unverified: tuple[str, ...] = ()  # inputs no identity confirmed yet, each named "item · segment period (pN)"
    conflicts: tuple[str, ...] = ()  # contradicted inputs, each with what disagrees with it


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_CHECKABLE = "not-checkable"


class CheckResult(Frozen):
    id: str
    label: str
    period: str | None = None
    status: CheckStatus
    expected: JsonDecimal | None = None
    actual: JsonDecimal | None = None
    tolerance: JsonDecimal | None = None
    detail: str
    figures: tuple[Figure, ...] = ()


class Answer(Frozen):
    """One of the prospectus questions, answered from the filing (with pages) or marked not found."""

    question: str
    answer: str
    found: bool
    pages: tuple[int, ...] = ()
    metrics: tuple[str, ...] = ()


class Report(Frozen):
    schema_version: str = SCHEMA_VERSION
    file: str
    company: str | None = None
    document_kind: str | None = None
    document_type: str
    page_count: int
    pages_examined: tuple[int, ...] = ()
    figures: tuple[Figure, ...]
    tables: tuple[TableChoice, ...] = ()
    metrics: tuple[MetricResult, ...] = ()
    checks: tuple[CheckResult, ...] = ()
    answers: tuple[Answer, ...] = ()
    review: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def figures_frame(self) -> pd.DataFrame:
        """One row per figure (pandas): `value_millions`, `currency`, `period_end`, `period_kind`, and `used` for
        the one figure per (item, segment, region, period) the metrics read (`xiaomi_check.frames`)."""
        from xiaomi_check.frames import figures_frame

        return figures_frame(self)

    def metrics_frame(self) -> pd.DataFrame:
        """One row per metric result (pandas), with the ids of the figures it used."""
        from xiaomi_check.frames import metrics_frame

        return metrics_frame(self)

    def checks_frame(self) -> pd.DataFrame:
        """One row per cross-check (pandas), with the ids of the figures it compared."""
        from xiaomi_check.frames import checks_frame

        return checks_frame(self)


class Word(NamedTuple):
    """A word as placed on the page (PDF points, top-down), or a synthetic position for an HTML cell. A named
    tuple: a page has thousands, and a tuple is made in half the time of a frozen dataclass."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 10.0


@dataclass(frozen=True, slots=True)
class PageWords:
    index: int
    width: float
    height: float
    words: tuple[Word, ...]
    printed_page: str | None = None
    synthetic: bool = False  # HTML cells laid out on a grid: no page margins, no running headers


@dataclass(frozen=True, slots=True)
class Document:
    name: str
    kind: str
    page_count: int
    texts: tuple[str, ...]
    pages: tuple[PageWords, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())


class SeriesCell(Frozen):
    value: JsonDecimal | None
    unit: str
    file: str
    page: int
    raw_text: str


class SeriesRow(Frozen):
    item: str
    segment: str | None = None
    region: str | None = None
    cells: dict[str, SeriesCell]


class Restatement(Frozen):
    """The same figure for the same period printed differently by two filings."""

    item: str
    segment: str | None = None
    region: str | None = None
    period: str
    printed: tuple[SeriesCell, ...]


class Comparison(Frozen):
    schema_version: str = SCHEMA_VERSION
    files: tuple[str, ...]
    periods: tuple[str, ...]
    rows: tuple[SeriesRow, ...]
    restatements: tuple[Restatement, ...] = ()
