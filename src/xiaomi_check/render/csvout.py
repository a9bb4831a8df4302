"""CSV in long format, one file per kind of row so that a spreadsheet pivot works directly: figures (the default:
one row per figure, `used` marking the one per item, segment or region and period the report reads, money in
`value_millions` beside the printed value), metrics or checks; and the comparison's time series."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from typing import TextIO

from xiaomi_check.frames import (
    CHECK_COLUMNS,
    FIGURE_COLUMNS,
    METRIC_COLUMNS,
    Row,
    check_rows,
    figure_rows,
    line_name,
    metric_rows,
)
from xiaomi_check.models import Comparison, MetricResult, Report

ROWS = {"figures": (FIGURE_COLUMNS, figure_rows), "metrics": (METRIC_COLUMNS, metric_rows),
        "checks": (CHECK_COLUMNS, check_rows)}


def cell(value: object) -> str:
    """Exact decimals (`92506.518`, never `9.2506518E+4`), `true`/`false`, and nothing for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def write_rows(columns: Sequence[str], rows: Sequence[Row], stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in columns])


def write_csv(reports: Sequence[Report], stream: TextIO, rows: str = "figures") -> None:
    """`rows`: figures, metrics or checks (one kind per file: their columns differ)."""
    columns, build = ROWS[rows]
    write_rows(columns, [row for report in reports for row in build(report)], stream)


COMPARISON_COLUMNS = ("item", "segment", "region", "line", "period", "value", "unit", "file", "page", "raw_text",
                      "restated")


def comparison_rows(comparison: Comparison) -> list[Row]:
    """One row per line item and period; `restated` names the other filings' printed values."""
    restated = {(r.item, r.segment, r.region, r.period): r for r in comparison.restatements}
    rows: list[Row] = []
    for row in comparison.rows:
        where = row.segment or row.region
        for period in comparison.periods:
            found = row.cells.get(period)
            if found is None:
                continue
            other = restated.get((row.item, row.segment, row.region, period))
            rows.append({"item": row.item, "segment": row.segment, "region": row.region,
                         "line": f"{row.item} · {where}" if where else row.item, "period": period,
                         "value": found.value, "unit": found.unit, "file": found.file, "page": found.page,
                         "raw_text": found.raw_text,
                         "restated": "; ".join(f"{c.file} p{c.page} {c.raw_text}" for c in other.printed[1:])
                         if other else None})
    return rows


def write_comparison_csv(comparison: Comparison, stream: TextIO) -> None:
    write_rows(COMPARISON_COLUMNS, comparison_rows(comparison), stream)


def write_metrics_csv(metrics: Sequence[MetricResult], stream: TextIO, file: str | None = None) -> None:
    """`wvr`, `valuation`, `explain --list`: one row per metric result."""
    report = Report(file=file or "", document_type="", page_count=0, figures=(), metrics=tuple(metrics))
    write_rows(METRIC_COLUMNS, metric_rows(report), stream)


EXPLAIN_COLUMNS = ("metric", "period", "kind", "label", "value", "unit", "page", "raw_text", "row_label",
                   "column_header", "verification")


def write_explain_csv(metric: MetricResult, stream: TextIO) -> None:
    """`explain`: one row per input figure (with its page and the cell as printed), then one per line of the
    working."""
    rows: list[Row] = [{"metric": metric.id, "period": metric.period, "kind": "input", "label": line_name(f),
                        "value": f.value, "unit": f.unit.label, "page": f.source.page, "raw_text": f.source.raw_text,
                        "row_label": f.source.row_label, "column_header": f.source.column_header,
                        "verification": f.verification.status.value} for f in metric.inputs]
    rows += [{"metric": metric.id, "period": metric.period, "kind": "working", "label": w.label, "value": w.value,
              "unit": w.unit} for w in metric.working]
    rows.append({"metric": metric.id, "period": metric.period, "kind": "result", "label": metric.label,
                 "value": metric.value, "unit": metric.unit})
    write_rows(EXPLAIN_COLUMNS, rows, stream)
