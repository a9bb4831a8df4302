"""CSV in long format: one row per figure, so a spreadsheet pivot works directly."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TextIO

from xiaomi_check.models import Report

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
