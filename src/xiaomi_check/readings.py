"""Where geometry leaves a doubt, the table's own arithmetic picks the reading.

The reader dates each column group from the header's geometry. When a table's identities fail under that
reading (a "% of total" that is not amount over total, a printed change that is not current over
comparative), the other plausible readings are tried: the periods of two column groups swapped, then each
change column dated with another of the table's periods or read as a change in money. A reading is
taken over the geometric one only when it makes strictly more identities hold and strictly fewer fail; the
table's choice then says so. Otherwise the geometric reading stays, and `verify` marks what fails. A column the
header leaves undated is read as a change column (in per cent or in money) whenever its values are changes, even
in a table where nothing fails: as laid out it gives no figures, so none of them can fail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from xiaomi_check.models import AMOUNT_CHANGE, ColumnKind, Grid, Period, StatementKind, Unit
from xiaomi_check.statements import classify, grid_to_figures
from xiaomi_check.verify import identities

_CHANGE = (ColumnKind.YOY, ColumnKind.QOQ, ColumnKind.CHANGE)
MAX_ALTERNATIVES = 6  # swaps among at most four dated groups: enough for Q3 | Q3 prior | Q2 | 9M layouts


@dataclass(frozen=True, slots=True)
class Reading:
    grid: Grid
    held: int
    failed: int
    how: str = "as laid out"


def _dated(grid: Grid) -> dict[int, Period]:
    found: dict[int, Period] = {}
    for column in grid.columns:
        if column.group is not None and column.period is not None and column.kind not in _CHANGE:
            found.setdefault(column.group, column.period)
    return found


def alternatives(grid: Grid) -> list[tuple[str, Grid]]:
    """The grid with the periods of two column groups swapped, for each pair that differ."""
    dated = _dated(grid)
    out: list[tuple[str, Grid]] = []
    for a, b in combinations(sorted(dated), 2):
        if dated[a] == dated[b]:
            continue
        swap = {a: dated[b], b: dated[a]}
        columns = tuple(c.model_copy(update={"period": swap[c.group]})
                        if c.group in swap and c.kind not in _CHANGE else c for c in grid.columns)
        how = f"periods of column groups {a + 1} ({dated[a].label}) and {b + 1} ({dated[b].label}) swapped"
        out.append((how, grid.model_copy(update={"columns": columns})))
    return out[:MAX_ALTERNATIVES]


def _redated_changes(reading: Reading, kind: StatementKind, unit: Unit) -> Reading:
    """Each change column read as the changes its printed values fit: dated with another of the table's periods
    ("2022 | change | 2021 | change | 2020" prints 2021 over 2020 beside 2021, where the geometry may have dated
    it with the latest period), or as a change in money ("Inc/(Dec)" printed as 779.1 beside 14%). Column by
    column, a reading is taken only when strictly more identities hold and strictly fewer fail."""
    best = reading
    periods = list(dict.fromkeys(_dated(reading.grid).values()))
    for column in reading.grid.columns:
        if column.kind not in _CHANGE or not best.failed:
            continue
        tries = [(p, column.measure) for p in periods if p != column.period]
        tries += [(p, AMOUNT_CHANGE) for p in dict.fromkeys([column.period, *periods]) if p is not None]
        for period, measure in tries:
            columns = tuple(c.model_copy(update={"period": period, "measure": measure}) if c.index == column.index
                            else c for c in best.grid.columns)
            how = f"column {column.index + 1} ({column.header}) " + (
                f"dated {period.label}" if measure != AMOUNT_CHANGE else f"a change in money to {period.label}")
            candidate = score(best.grid.model_copy(update={"columns": columns}), kind, unit,
                              how if best.how == "as laid out" else f"{best.how}; {how}")
            if candidate.held > best.held and candidate.failed < best.failed:
                best = candidate
    return best


def _undated_changes(reading: Reading, kind: StatementKind, unit: Unit) -> Reading:
    """A column the header left undated gives no figures: "Inc/(Dec)" printed over the money change only, the
    percentages beside it under nothing (or under a "%" of their own, read as a share); "Change" over the
    percentages only, the money change beside it under nothing. It is read as a change column, in per cent or in
    money, when every printed value is one: more identities hold and none more fail."""
    best = reading
    periods = list(dict.fromkeys(_dated(reading.grid).values()))
    for column in reading.grid.columns:
        if column.kind not in (ColumnKind.VALUE, ColumnKind.SHARE) or column.period is not None:
            continue
        tries = [(p, r, m) for p in periods for r in (ColumnKind.YOY, ColumnKind.QOQ)
                 for m in dict.fromkeys([column.measure, AMOUNT_CHANGE])]
        for period, role, measure in tries:
            columns = tuple(c.model_copy(update={"period": period, "kind": role, "measure": measure})
                            if c.index == column.index else c for c in best.grid.columns)
            how = f"undated column {column.index + 1} read as the {role.value.replace('_', ' ')} to {period.label}" + (
                " in money" if measure == AMOUNT_CHANGE else "")
            candidate = score(best.grid.model_copy(update={"columns": columns}), kind, unit,
                              how if best.how == "as laid out" else f"{best.how}; {how}")
            if candidate.held > best.held and candidate.failed <= best.failed:
                best = candidate
                break
    return best


def score(grid: Grid, kind: StatementKind, unit: Unit, how: str = "as laid out") -> Reading:
    figures = list(grid_to_figures(grid, kind, unit))
    checked = identities([grid], figures)
    return Reading(grid, sum(i.holds for i in checked), sum(not i.holds for i in checked), how)


def choose_readings(grids: Sequence[Grid], default_unit: Unit | None) -> tuple[list[Grid], dict[str, str]]:
    """Each grid in the reading its arithmetic supports best, and a note for each grid read otherwise."""
    chosen: list[Grid] = []
    notes: dict[str, str] = {}
    unit = default_unit or Unit(caption="unit not printed")
    for grid in grids:
        kind, _ = classify(grid)
        others = alternatives(grid) if kind is not None else []
        changes = any(c.kind in _CHANGE for c in grid.columns) and len(set(_dated(grid).values())) > 1
        if kind is None or not (others or changes):
            chosen.append(grid)
            continue
        base = score(grid, kind, grid.unit or unit)
        best = base
        if base.failed:
            for how, candidate in others:
                reading = score(candidate, kind, grid.unit or unit, how)
                if reading.held > best.held and reading.failed < best.failed:
                    best = reading
            best = _redated_changes(best, kind, grid.unit or unit) if changes else best
        best = _undated_changes(best, kind, grid.unit or unit) if changes else best  # even when nothing fails
        if best is not base:
            notes[grid.id] = (f"reading chosen by arithmetic: {best.how} ({best.held} identities hold, "
                              f"{best.failed} fail; as laid out {base.held} hold, {base.failed} fail)")
        chosen.append(best.grid)
    return chosen, notes
