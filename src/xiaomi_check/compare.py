"""Several filings aligned by period into one time series; a figure two filings print differently for the same
period (a restatement, or a misread) is flagged with both values and their pages."""

from __future__ import annotations

from collections.abc import Sequence

from xiaomi_check.models import (
    PERIOD_SPAN,
    Comparison,
    Figure,
    Report,
    Restatement,
    SeriesCell,
    SeriesRow,
    UnitKind,
)
from xiaomi_check.statements import figures_agree


def _cell(figure: Figure, file: str) -> SeriesCell:
    money = figure.unit.kind is UnitKind.MONEY
    unit = f"{figure.unit.currency or ''} million".strip() if money else figure.unit.label
    return SeriesCell(
        value=figure.value_millions if money else figure.value,
        unit=unit,
        file=file,
        page=figure.source.page,
        raw_text=figure.source.raw_text,
    )


def compare_reports(reports: Sequence[Report]) -> Comparison:
    """Rows per line item, columns per period (oldest first); money in millions; the first filing given wins a
    cell, and any other filing that prints a different value for it is listed as a restatement."""
    rows: dict[tuple[str, str | None, str | None], dict[str, tuple[Figure, SeriesCell]]] = {}
    restated: dict[tuple[str, str | None, str | None, str], list[SeriesCell]] = {}
    periods = {}
    for report in reports:
        for figure in report.figures:
            if figure.value is None or figure.item.startswith("line:"):
                continue
            key, label = (figure.item, figure.segment, figure.region), figure.period.label
            periods[label] = figure.period
            cell = _cell(figure, report.file)
            held = rows.setdefault(key, {}).get(label)
            if held is None:
                rows[key][label] = (figure, cell)
            elif held[1].file != report.file and not figures_agree(held[0], figure):
                restated.setdefault((*key, label), [held[1]]).append(cell)
    order = sorted(periods, key=lambda p: (periods[p].year, periods[p].month, -PERIOD_SPAN[periods[p].kind]))
    return Comparison(
        files=tuple(r.file for r in reports),
        periods=tuple(order),
        rows=tuple(
            SeriesRow(item=k[0], segment=k[1], region=k[2], cells={p: c for p, (_, c) in v.items()})
            for k, v in rows.items()
        ),
        restatements=tuple(
            Restatement(item=k[0], segment=k[1], region=k[2], period=k[3], printed=tuple(v))
            for k, v in restated.items()
        ),
    )
