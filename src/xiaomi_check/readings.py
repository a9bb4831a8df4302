"""Where geometry leaves a doubt, the table's own arithmetic picks the reading.

The reader dates each column group from the header's geometry. When a table's identities fail under that
reading (a "% of total" that is not amount over total, a printed change that is not current over
comparative), the other plausible readings are tried: the periods of two column groups swapped. A reading is
taken over the geometric one only when it makes strictly more identities hold and strictly fewer fail; the
table's choice then says so. Otherwise the geometric reading stays, and `verify` marks what fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from xiaomi_check.models import ColumnKind, Grid, Period, StatementKind, Unit
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
        if kind is None or not others:
            chosen.append(grid)
            continue
        base = score(grid, kind, grid.unit or unit)
        best = base
        if base.failed:
            for how, candidate in others:
                reading = score(candidate, kind, grid.unit or unit, how)
                if reading.held > best.held and reading.failed < best.failed:
                    best = reading
        if best is not base:
            notes[grid.id] = (f"reading chosen by arithmetic: {best.how} ({best.held} identities hold, "
                              f"{best.failed} fail; as laid out {base.held} hold, {base.failed} fail)")
        chosen.append(best.grid)
    return chosen, notes
