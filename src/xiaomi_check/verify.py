"""The arithmetic a financial table carries, checked: each figure verified, unverified or contradicted.

Identities inside a table: parts add up to their parent and to the total row; a "% of total" equals the amount
over the total of its own column group; a printed change equals (current − comparative) ÷ |comparative|;
revenue − cost of sales = gross profit; profit before tax + income tax = profit. Across tables: the same
figure printed twice agrees (highlights and income statement, segment total and group revenue), and a
segment's gross margin equals its gross profit over its revenue. A figure is contradicted when an identity
that involves it fails, verified when one holds and none fails, unverified when none could be checked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xiaomi_check.concepts import TOTAL_LABEL
from xiaomi_check.models import (
    AMOUNT_CHANGE,
    Column,
    ColumnKind,
    Figure,
    Grid,
    Period,
    PeriodKind,
    Row,
    StatementKind,
    UnitKind,
    Verification,
    VerificationStatus,
)

_HUNDRED = Decimal(100)
_TOTAL = re.compile(TOTAL_LABEL)
_BULLETS = re.compile(r"^[\-–—•·*\s]+")
_CellKey = tuple[str, int, tuple[float, float, float, float] | None]


@dataclass(frozen=True, slots=True)
class Identity:
    """One identity checked: its name, the figures it involves, whether it holds, and the working."""

    name: str
    figures: tuple[int, ...]
    holds: bool
    working: str
    blame: tuple[int, ...] | None = None  # the figures a failure puts in doubt (default: all it involves)


def half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last printed digit: the rounding a printed figure may carry."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Decimal(5) * Decimal(10) ** -(places + 1)


def _fmt(value: Decimal) -> str:
    return f"{value:,f}"


def _key(figure: Figure) -> _CellKey:
    return figure.source.table, figure.source.page, figure.source.bbox


# ----------------------------------------------------------------- identities inside a table


@dataclass(frozen=True, slots=True)
class _Table:
    grid: Grid
    cells: dict[tuple[int, int], int]  # (row, column) → figure index
    figures: Sequence[Figure]

    def value(self, row: int, column: int) -> tuple[int, Decimal] | None:
        index = self.cells.get((row, column))
        if index is None:
            return None
        value = self.figures[index].value  # a nil ("—") is 0 and still a part; "N/A" has no value
        return (index, value) if value is not None else None


def _table_identities(table: _Table) -> Iterable[Identity]:
    columns = table.grid.columns
    for column in columns:
        if column.kind is ColumnKind.VALUE and column.measure != "gross_margin" and not _percent_column(table, column):
            yield from _parts_sum(table, column)
        if column.kind is ColumnKind.SHARE and not _margin_column(table, column):
            yield from _shares(table, column)
        if column.kind in (ColumnKind.YOY, ColumnKind.QOQ, ColumnKind.CHANGE):
            yield from _changes(table, column)


def _margin_column(table: _Table, column: Column) -> bool:
    """A % column the statement reads as margins (the "%" beside each gross profit, "RMB | %"), not as shares of
    the total: the "% of total" identity does not apply to it."""
    items = {table.figures[i].item for (_r, c), i in table.cells.items() if c == column.index}
    return items == {"gross_margin"}


def _percent_column(table: _Table, column: Column) -> bool:
    units = {table.figures[i].unit.kind for (r, c), i in table.cells.items() if c == column.index}
    return units == {UnitKind.PERCENT}


def _total_row(rows: Sequence[Row]) -> int | None:
    found = [i for i, row in enumerate(rows) if _TOTAL.search(_fold(row.label))]
    return found[-1] if found else None


def _fold(label: str) -> str:
    return _BULLETS.sub("", label.casefold()).strip(" :：")


def _parts_sum(table: _Table, column: Column) -> Iterable[Identity]:
    """Children add up to their parent; top-level rows above the total row add up to it."""
    rows = table.grid.rows
    statement = table.figures[next(iter(table.cells.values()))].statement if table.cells else None
    total = _total_row(rows) if statement is not StatementKind.INCOME_STATEMENT else None  # this table's statement
    children: dict[str, list[int]] = defaultdict(list)
    top: list[int] = []
    for i, row in enumerate(rows[: total if total is not None else len(rows)]):
        (children[row.parent] if row.parent else top).append(i)
    labels: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        labels[row.label].append(i)
    for parent, kids in children.items():  # the last row of the parent's label that prints a value here (a label
        # printed again without one, as a statement's next page repeats its profit, is not the parent)
        valued = [i for i in labels.get(parent, ()) if table.value(i, column.index) is not None]
        if valued and len(kids) >= 2:  # a parent by indentation may have parts not printed:
            yield from (i for i in _sum_identity(table, column, valued[-1], kids) if i.holds)  # only verifies
    if total is not None and len(top) >= 2:
        yield from _sum_identity(table, column, total, top)


def _sum_identity(table: _Table, column: Column, whole: int, parts: Sequence[int]) -> Iterable[Identity]:
    target = table.value(whole, column.index)
    values = [table.value(i, column.index) for i in parts]
    found = [v for v in values if v is not None]
    if target is None or len(found) < 2 or len(found) != sum(table.cells.get((i, column.index)) is not None
                                                             for i in parts):
        return
    computed = sum((v for _, v in found), Decimal(0))
    tolerance = sum((half_unit(v) for _, v in found), half_unit(target[1]))
    holds = abs(computed - target[1]) <= tolerance
    names = " + ".join(table.grid.rows[i].label for i in parts if table.value(i, column.index) is not None)
    yield Identity(f"parts sum to {table.grid.rows[whole].label} ({column.header or column.index})",
                   (target[0], *(i for i, _ in found)), holds,
                   f"{names} = {_fmt(computed)}; printed {_fmt(target[1])}")


def _amount_column(table: _Table, column: Column) -> Column | None:
    return next((c for c in table.grid.columns if c.group == column.group and c.kind is ColumnKind.VALUE
                 and c.index != column.index), None)


def _shares(table: _Table, column: Column) -> Iterable[Identity]:
    """A "% of total" equals the amount over the total of its own group: the check that the % column and
    the amount column belong to the same period."""
    amount = _amount_column(table, column)
    total = _total_row(table.grid.rows)
    if amount is None or total is None:
        return
    base = table.value(total, amount.index)
    if base is None or base[1] == 0:
        return
    for i in range(len(table.grid.rows)):
        share, value = table.value(i, column.index), table.value(i, amount.index)
        if share is None or value is None:
            continue
        computed = value[1] / base[1] * _HUNDRED
        tolerance = half_unit(share[1]) + (half_unit(value[1]) + half_unit(base[1])) / abs(base[1]) * _HUNDRED
        yield Identity(f"% of total = amount ÷ total ({table.grid.rows[i].label}, {column.header})",
                       (share[0], value[0], base[0]), abs(computed - share[1]) <= tolerance,
                       f"{_fmt(value[1])} ÷ {_fmt(base[1])} = {computed:.2f}%; printed {_fmt(share[1])}%")


def _prior(period: Period, kind: ColumnKind) -> list[Period]:
    year_ago = Period(kind=period.kind, year=period.year - 1, month=period.month, day=period.day)
    if period.kind is not PeriodKind.QUARTER:
        return [year_ago]
    month, year = (period.month - 3, period.year) if period.month > 3 else (period.month + 9, period.year - 1)
    quarter_ago = Period(kind=period.kind, year=year, month=month)
    return {ColumnKind.YOY: [year_ago], ColumnKind.QOQ: [quarter_ago]}.get(kind, [year_ago, quarter_ago])


def _same(a: Period | None, b: Period) -> bool:
    return a is not None and a.kind is b.kind and a.year == b.year and a.month == b.month


def _changes(table: _Table, column: Column) -> Iterable[Identity]:
    """A printed change equals (current − comparative) ÷ |comparative|, for the comparative its kind names."""
    if column.period is None:
        return
    values = [c for c in table.grid.columns if c.kind is ColumnKind.VALUE and c.period is not None
              and c.measure != "gross_margin"]
    current = next((c for c in values if _same(c.period, column.period)), None)
    priors = [c for p in _prior(column.period, column.kind) for c in values if _same(c.period, p)]
    if current is None or len(priors) != 1:
        return
    prior = priors[0]
    for i in range(len(table.grid.rows)):
        change, now, then = (table.value(i, c.index) for c in (column, current, prior))
        if change is None or now is None or then is None or then[1] == 0:
            continue
        if column.measure == AMOUNT_CHANGE:  # "Inc/(Dec)" in money beside the one in per cent
            difference, slack = now[1] - then[1], half_unit(change[1]) + half_unit(now[1]) + half_unit(then[1])
            yield Identity(f"change = current − comparative ({table.grid.rows[i].label}, {column.header})",
                           (change[0], now[0], then[0]), abs(difference - change[1]) <= slack,
                           f"{_fmt(now[1])} − {_fmt(then[1])} = {_fmt(difference)}; printed {_fmt(change[1])}")
            continue
        computed = (now[1] - then[1]) / abs(then[1]) * _HUNDRED
        tolerance = half_unit(change[1]) + (half_unit(now[1]) + half_unit(then[1])) / abs(then[1]) * _HUNDRED
        if now[1] < 0 and then[1] < 0 and abs(-computed - change[1]) <= tolerance:
            computed = -computed  # an expense printed negative: its change is the change of its size
        yield Identity(f"change = (current − comparative) ÷ comparative ({table.grid.rows[i].label}, "
                       f"{column.header})", (change[0], now[0], then[0]), abs(computed - change[1]) <= tolerance,
                       f"({_fmt(now[1])} − {_fmt(then[1])}) ÷ {_fmt(abs(then[1]))} = {computed:.2f}%; "
                       f"printed {_fmt(change[1])}%")


# ----------------------------------------------------------------- identities across a statement and tables


def _money(figures: Sequence[Figure], indices: Iterable[int]) -> dict[tuple[str, str | None, str | None, str], int]:
    out: dict[tuple[str, str | None, str | None, str], int] = {}
    for i in indices:
        f = figures[i]
        if f.value is not None and f.note is None and f.unit.kind is UnitKind.MONEY:
            out.setdefault(f.key, i)
    return out


def _scaled(figure: Figure) -> tuple[Decimal, Decimal]:
    assert figure.value is not None
    return figure.value * figure.unit.scale, half_unit(figure.value) * figure.unit.scale


_STATEMENT_SUMS = (  # (name, first, second, result, binding): a non-binding identity only verifies, because
    # lines may stand between its terms (discontinued operations, equity-method income after tax)
    ("revenue − cost of sales = gross profit", "revenue", "cost_of_sales", "gross_profit", True),
    ("profit before tax − income tax = profit", "profit_before_tax", "income_tax", "profit_for_period", False),
)


def _statement_identities(figures: Sequence[Figure], indices: Sequence[int]) -> Iterable[Identity]:
    """Inside one income statement, for each period: the two subtotals every statement prints. A cost or a tax
    may be printed negative (IFRS) or positive (US GAAP): either sign convention verifies."""
    found = _money(figures, indices)
    periods = {figures[i].period.label for i in found.values()}
    for name, first, second, result, binding in _STATEMENT_SUMS:
        for period in sorted(periods):
            keys = [(item, None, None, period) for item in (first, second, result)]
            if not all(k in found for k in keys):
                continue
            (a, ta), (b, tb), (c, tc) = (_scaled(figures[found[k]]) for k in keys)
            tolerance = ta + tb + tc
            holds = abs(a + b - c) <= tolerance or abs(a - b - c) <= tolerance  # either sign convention
            if not holds and not binding:
                continue
            yield Identity(f"{name} ({period})", tuple(found[k] for k in keys), holds,
                           f"{_fmt(a)} and {_fmt(b)}: {_fmt(a + b)} or {_fmt(a - b)}; printed {_fmt(c)}")


_ADJUSTMENT_ITEMS = ("share_based_compensation", "net_fair_value_gains_on_investments",
                     "amortization_of_intangibles_from_acquisitions", "income_tax_effects",
                     "fair_value_changes_preferred_shares")


def _reconciliation_identities(figures: Sequence[Figure], indices: Sequence[int]) -> Iterable[Identity]:
    """Reported profit plus the adjustments as printed gives the adjusted profit. Only verifies: a line the
    reader did not name may stand in the bridge, so a sum that falls short proves nothing."""
    found = _money(figures, indices)
    for period in sorted({figures[i].period.label for i in found.values()}):
        for reported, adjusted in (("profit_for_period", "adjusted_net_profit"),
                                   ("operating_profit", "adjusted_operating_profit")):
            start, end = found.get((reported, None, None, period)), found.get((adjusted, None, None, period))
            steps = [found[k] for item in _ADJUSTMENT_ITEMS if (k := (item, None, None, period)) in found]
            if start is None or end is None or not steps:
                continue
            values = [_scaled(figures[i]) for i in (start, *steps)]
            total = sum((v for v, _ in values), Decimal(0))
            target, half = _scaled(figures[end])
            if abs(total - target) <= sum((h for _, h in values), half):
                yield Identity(f"reported + adjustments = adjusted ({reported}, {period})", (start, *steps, end), True,
                               f"{_fmt(total)}; printed {_fmt(target)}")


def _across_tables(figures: Sequence[Figure]) -> Iterable[Identity]:
    """The same figure printed in two tables agrees (within the coarser rounding)."""
    by_key: dict[tuple[str, str | None, str | None, str], list[int]] = defaultdict(list)
    for i, f in enumerate(figures):
        if f.value is not None and f.note is None and f.unit.kind is UnitKind.MONEY:
            by_key[f.key].append(i)
    for key, found in by_key.items():
        tables = {figures[i].source.table for i in found}
        if len(tables) < 2:
            continue
        first = figures[found[0]]
        for other in found[1:]:
            if figures[other].source.table == first.source.table:
                continue
            (a, ta), (b, tb) = _scaled(first), _scaled(figures[other])
            if StatementKind.NON_GAAP in (first.statement, figures[other].statement):
                a, b = abs(a), abs(b)  # a reconciliation prints an adjustment as the amount added back
            yield Identity(f"same figure in tables {first.source.table} and {figures[other].source.table} "
                           f"({key[0]} {key[3]})", (found[0], other), abs(a - b) <= max(ta, tb),
                           f"{first.source.raw_text} (page {first.source.page}) vs {figures[other].source.raw_text} "
                           f"(page {figures[other].source.page})")


def _segment_totals(figures: Sequence[Figure]) -> Iterable[Identity]:
    """A segment or geography table's total equals the group's revenue for the same period."""
    group = {f.period.label: i for i, f in enumerate(figures) if f.item == "revenue" and f.segment is None
             and f.region is None and f.statement in (StatementKind.INCOME_STATEMENT, StatementKind.KEY_HIGHLIGHTS)
             and f.value is not None and f.note is None}
    for i, f in enumerate(figures):
        if f.statement in (StatementKind.SEGMENT_REVENUE, StatementKind.GEOGRAPHY) and f.item == "revenue" \
                and f.segment is None and f.region is None and f.value is not None and f.period.label in group:
            other = figures[group[f.period.label]]
            (a, ta), (b, tb) = _scaled(f), _scaled(other)
            yield Identity(f"breakdown total = group revenue ({f.period.label})", (i, group[f.period.label]),
                           abs(a - b) <= max(ta, tb), f"{f.source.raw_text} vs {other.source.raw_text}",
                           blame=(i,))  # the group's own statement is not put in doubt by a breakdown


def _margins(figures: Sequence[Figure]) -> Iterable[Identity]:
    """A printed gross margin equals gross profit ÷ revenue of the same segment and period."""
    money = {(f.item, f.segment, f.period.label): i for i, f in enumerate(figures)
             if f.unit.kind is UnitKind.MONEY and f.value is not None and f.note is None}
    for i, f in enumerate(figures):
        if f.item != "gross_margin" or f.value is None or f.unit.kind is not UnitKind.PERCENT:
            continue
        profit, revenue = money.get(("gross_profit", f.segment, f.period.label)), money.get(
            ("revenue", f.segment, f.period.label))
        if profit is None or revenue is None or not figures[revenue].value:
            continue
        (p, tp), (r, tr) = _scaled(figures[profit]), _scaled(figures[revenue])
        computed = p / r * _HUNDRED
        tolerance = half_unit(f.value) + (tp + tr) / abs(r) * _HUNDRED
        yield Identity(f"gross margin = gross profit ÷ revenue ({f.segment or 'group'} {f.period.label})",
                       (i, profit, revenue), abs(computed - f.value) <= tolerance,
                       f"{_fmt(p)} ÷ {_fmt(r)} = {computed:.2f}%; printed {_fmt(f.value)}%")


# ----------------------------------------------------------------- marks


def identities(grids: Sequence[Grid], figures: Sequence[Figure]) -> list[Identity]:
    """Every identity that could be checked among these figures (from these grids)."""
    where: dict[_CellKey, int] = {_key(f): i for i, f in enumerate(figures)}
    found: list[Identity] = []
    by_table: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(figures):
        by_table[f.source.table].append(i)
    for grid in grids:
        indices = by_table.get(grid.id)
        if not indices:
            continue
        cells: dict[tuple[int, int], int] = {}
        for r, row in enumerate(grid.rows):
            for c, cell in enumerate(row.cells):
                if cell is not None and (index := where.get((grid.id, cell.page, cell.bbox))) is not None:
                    cells[(r, c)] = index
        found += _table_identities(_Table(grid, cells, figures))
        if figures[indices[0]].statement is StatementKind.INCOME_STATEMENT:
            found += _statement_identities(figures, indices)
        if figures[indices[0]].statement is StatementKind.NON_GAAP:
            found += _reconciliation_identities(figures, indices)
    return [*found, *_across_tables(figures), *_segment_totals(figures), *_margins(figures)]


def mark(figures: Sequence[Figure], checked: Sequence[Identity]) -> list[Figure]:
    """Each figure with its verification: contradicted by any failed identity, verified by a held one."""
    held: dict[int, list[str]] = defaultdict(list)
    failed: dict[int, list[str]] = defaultdict(list)
    for identity in checked:
        involved = identity.figures if identity.holds or identity.blame is None else identity.blame
        for i in involved:
            (held if identity.holds else failed)[i].append(f"{identity.name}: {identity.working}")
    out: list[Figure] = []
    for i, figure in enumerate(figures):
        if i in failed:
            status = VerificationStatus.CONTRADICTED
        elif i in held:
            status = VerificationStatus.VERIFIED
        else:
            status = VerificationStatus.UNVERIFIED
        verification = Verification(status=status, identities=tuple(dict.fromkeys(held.get(i, ()))),
                                    contradictions=tuple(dict.fromkeys(failed.get(i, ()))))
        out.append(figure.model_copy(update={"verification": verification}))
    return out


def verify(grids: Sequence[Grid], figures: Sequence[Figure]) -> tuple[list[Figure], list[str]]:
    """Figures marked by the identities their tables carry, and one warning per failed identity."""
    checked = identities(grids, figures)
    failed = [i for i in checked if not i.holds]
    warnings = [f"arithmetic does not hold: {i.name}: {i.working}" for i in failed[:20]]
    if len(failed) > 20:
        warnings.append(f"... and {len(failed) - 20} more identities that do not hold")
    return mark(figures, checked), warnings


__all__ = ["Identity", "half_unit", "identities", "mark", "verify"]
