"""CSV in long format: one row per figure, so a spreadsheet pivot works directly."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TextIO

from xiaomi_check.models import Comparison, Report

COLUMNS = ("file", "statement", "item", "segment", "region", "period", "value", "unit", "value_millions", "page",
           "printed_page", "table", "row_label", "column_header", "raw_text", "note", "status", "formula")


def write_csv(reports: Sequence[Report], stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for report in reports:
        for f in report.figures:
            writer.writerow((report.file, f.statement.value, f.item, f.segment or "", f.region or "", f.period.label,
                             "" if f.value is None else str(f.value), f.unit.label,
                             "" if f.value_millions is None else f"{f.value_millions.normalize():f}",
                             f.source.page, f.source.printed_page or "", f.source.table, f.source.row_label,
                             f.source.column_header, f.source.raw_text, f.note or "", "", ""))
        for m in report.metrics:
            pages = ";".join(str(p) for p in sorted({f.source.page for f in m.inputs}))
            value = "" if m.value is None else str(m.value)
            writer.writerow((report.file, "metric", m.id, "", "", m.period or "", value, m.unit, "", pages, "", "",
                             m.label, "", "", m.verdict or m.reason or "", m.status.value, m.formula))


COMPARISON_COLUMNS = ("item", "segment", "region", "period", "value", "unit", "file", "page", "raw_text", "restated")


def write_comparison_csv(comparison: Comparison, stream: TextIO) -> None:
    """Long format, one row per line item and period; `restated` names the other filings' printed values."""
    restated = {(r.item, r.segment, r.region, r.period): r for r in comparison.restatements}
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COMPARISON_COLUMNS)
    for row in comparison.rows:
        for period in comparison.periods:
            cell = row.cells.get(period)
            if cell is None:
                continue
            other = restated.get((row.item, row.segment, row.region, period))
            note = "; ".join(f"{c.file} p{c.page} {c.raw_text}" for c in other.printed[1:]) if other else ""
            writer.writerow((row.item, row.segment or "", row.region or "", period,
                             "" if cell.value is None else str(cell.value), cell.unit, cell.file, cell.page,
                             cell.raw_text, note))
