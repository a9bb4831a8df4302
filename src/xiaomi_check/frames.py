"""A report as rows and pandas DataFrames, for spreadsheets and notebooks (`Report.figures_frame()` and friends).

The only module that imports pandas. Rows are plain dicts (exact `Decimal`s) for the CSV writer; frames hold
floats so that `pivot_table` and arithmetic work. Every money figure has `value_millions` and `currency`, and
`used` marks the one figure per (item, segment, region, period) the metrics read, so that
`frame[frame.used].pivot(index="line", columns="period", values="value_millions")` gives one value a cell
(`line` is the item with its segment or region).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from xiaomi_check.models import (
    Figure,
    Period,
    PeriodKind,
    Report,
    StatementKind,
    figure_rank,
)

if TYPE_CHECKING:
    import pandas as pd

Row = dict[str, object]

FIGURE_COLUMNS = ("file", "id", "statement", "item", "segment", "region", "line", "period", "period_kind", "period_end",
                  "value", "unit", "currency", "scale", "value_millions", "used", "verification", "page",
                  "printed_page", "table", "row_label", "column_header", "raw_text", "note")
METRIC_COLUMNS = ("file", "id", "label", "period", "value", "unit", "status", "verdict", "reason", "unverified",
                  "conflicts", "inputs", "pages", "formula")
CHECK_COLUMNS = ("file", "id", "label", "period", "status", "expected", "actual", "tolerance", "detail", "figures",
                 "pages")
_DECIMALS = ("value", "value_millions", "expected", "actual", "tolerance")



def figure_ids(figures: Sequence[Figure]) -> dict[Figure, str]:
    """`f1`, `f2`, ... in report order: the ids JSON, CSV and the frames refer to figures by (the first of two
    equal figures keeps its id)."""
    ids: dict[Figure, str] = {}
    for number, figure in enumerate(figures, start=1):
        ids.setdefault(figure, f"f{number}")
    return ids


def used_figures(figures: Sequence[Figure]) -> set[int]:
    """Positions of the figures the metrics use: per (item, segment, region, period label), the first with a
    value in the order of `Financials.get` (uncontradicted first, then by statement, then as printed)."""
    best: dict[tuple[str, str | None, str | None, str], tuple[tuple[int, int, int], int]] = {}
    for position, figure in enumerate(figures):
        if figure.value is None:
            continue
        rank = (*figure_rank(figure), position)
        if figure.key not in best or rank < best[figure.key][0]:
            best[figure.key] = (rank, position)
    return {position for _, position in best.values()}


def line_name(figure: Figure) -> str:
    """One key per row of a statement: the item, and its segment or region (`revenue · smartphones`)."""
    where = figure.segment or figure.region
    return f"{figure.item} · {where}" if where else figure.item


def period_end(period: Period) -> date:
    """The period's last day: its printed day for a balance, else the last day of its closing month."""
    day = period.day if period.kind is PeriodKind.INSTANT and period.day else calendar.monthrange(
        period.year, period.month)[1]
    return date(period.year, period.month, day)


def figure_rows(report: Report) -> list[Row]:
    used = used_figures(report.figures)
    rows: list[Row] = []
    for position, (figure, figure_id) in enumerate(zip(report.figures, _ids(report.figures), strict=True)):
        source = figure.source
        rows.append({
            "file": report.file, "id": figure_id, "statement": figure.statement.value, "item": figure.item,
            "segment": figure.segment, "region": figure.region, "line": line_name(figure),
            "period": figure.period.label,
            "period_kind": figure.period.kind.value, "period_end": period_end(figure.period).isoformat(),
            "value": figure.value, "unit": figure.unit.label, "currency": figure.unit.currency,
            "scale": figure.unit.scale, "value_millions": figure.value_millions, "used": position in used,
            "verification": figure.verification.status.value, "page": source.page,
            "printed_page": source.printed_page, "table": source.table, "row_label": source.row_label,
            "column_header": source.column_header, "raw_text": source.raw_text, "note": figure.note,
        })
    return rows


def _ids(figures: Sequence[Figure]) -> list[str]:
    return [f"f{number}" for number in range(1, len(figures) + 1)]


def _pages(figures: Sequence[Figure]) -> str:
    return ";".join(str(p) for p in sorted({f.source.page for f in figures}))


def metric_rows(report: Report) -> list[Row]:
    ids = figure_ids(report.figures)
    return [{
        "file": report.file, "id": m.id, "label": m.label, "period": m.period, "value": m.value, "unit": m.unit,
        "status": m.status.value, "verdict": m.verdict or None, "reason": m.reason,
        "unverified": "; ".join(m.unverified) or None, "conflicts": "; ".join(m.conflicts) or None,
        "inputs": ";".join(ids.get(f, "") for f in m.inputs) or None, "pages": _pages(m.inputs) or None,
        "formula": m.formula,
    } for m in report.metrics]


def check_rows(report: Report) -> list[Row]:
    ids = figure_ids(report.figures)
    return [{
        "file": report.file, "id": c.id, "label": c.label, "period": c.period, "status": c.status.value,
        "expected": c.expected, "actual": c.actual, "tolerance": c.tolerance, "detail": c.detail,
        "figures": ";".join(ids.get(f, "") for f in c.figures) or None, "pages": _pages(c.figures) or None,
    } for c in report.checks]


def statement_rows(report: Report, statement: StatementKind) -> tuple[list[str], list[Row]]:
    """One statement pivoted as printed: a row per line item (and segment or region), a column per period in
    print order, values in the printed unit; where a statement prints a figure twice, the copy the report uses
    (else the first)."""
    used = used_figures(report.figures)
    cells: dict[tuple[str, str | None, str | None], dict[str, tuple[bool, Figure]]] = {}
    periods: dict[str, Period] = {}
    for position, figure in enumerate(report.figures):
        if figure.statement is not statement:
            continue
        periods.setdefault(figure.period.label, figure.period)
        line = cells.setdefault((figure.item, figure.segment, figure.region), {})
        held = line.get(figure.period.label)
        if held is None or (position in used and not held[0]):
            line[figure.period.label] = (position in used, figure)
    labels = list(periods)
    rows: list[Row] = []
    for (item, segment, region), by_period in cells.items():
        first = next(iter(by_period.values()))[1]
        row: Row = {"item": item, "segment": segment, "region": region, "unit": first.unit.label}
        row.update({p: by_period[p][1].value if p in by_period else None for p in labels})
        row["pages"] = ";".join(str(p) for p in sorted({f.source.page for _, f in by_period.values()}))
        rows.append(row)
    return labels, rows


def statements(report: Report) -> list[StatementKind]:
    """The statements the report holds, in the order they first appear."""
    return list(dict.fromkeys(f.statement for f in report.figures))


def _frame(rows: list[Row], columns: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame([{k: _plain(k, v) for k, v in row.items()} for row in rows], columns=list(columns))
    for name in _DECIMALS:
        if name in frame.columns:
            frame[name] = frame[name].astype("float64")
    return frame


def _plain(name: str, value: object) -> object:
    return float(value) if isinstance(value, Decimal) and name in _DECIMALS else value


def figures_frame(report: Report) -> pd.DataFrame:
    """One row per figure, in report order; `value` and `value_millions` as floats, `page` an integer,
    `period_end` a date-like string that sorts, `used` a bool."""
    frame = _frame(figure_rows(report), FIGURE_COLUMNS)
    frame["page"] = frame["page"].astype("int64")
    frame["used"] = frame["used"].astype(bool)
    return frame


def metrics_frame(report: Report) -> pd.DataFrame:
    """One row per metric result; `inputs` lists the figure ids (`figures_frame().id`) it used."""
    return _frame(metric_rows(report), METRIC_COLUMNS)


def checks_frame(report: Report) -> pd.DataFrame:
    """One row per cross-check; `figures` lists the figure ids it compared."""
    return _frame(check_rows(report), CHECK_COLUMNS)


def statement_frame(report: Report, statement: StatementKind) -> pd.DataFrame:
    """One statement with periods as columns (as printed, in the printed unit)."""
    import pandas as pd

    labels, rows = statement_rows(report, statement)
    frame = pd.DataFrame(rows, columns=["item", "segment", "region", "unit", *labels, "pages"])
    for label in labels:
        frame[label] = frame[label].map(lambda v: None if v is None else float(v)).astype("float64")
    return frame

