"""An Excel workbook (openpyxl): one sheet per statement with periods as columns, then metrics, checks and
sources (every figure with its page, table, row and column as printed). Values are numbers in the printed unit,
formatted with separators and negatives in parentheses; percentages stay 30.5 for 30.5%, as in the JSON."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from xiaomi_check.frames import (
    CHECK_COLUMNS,
    FIGURE_COLUMNS,
    METRIC_COLUMNS,
    Row,
    check_rows,
    figure_rows,
    metric_rows,
    statement_rows,
    statements,
)
from xiaomi_check.models import Report, StatementKind
from xiaomi_check.render.numbers import places

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

_WIDEST = 60


def _number_format(values: Sequence[object], percent: bool) -> str:
    decimals = max((places(v) for v in values if isinstance(v, Decimal)), default=0)
    body = "#,##0" + ("." + "0" * decimals if decimals else "")
    suffix = '"%"' if percent else ""
    return f"{body}{suffix};({body}{suffix})"


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _fit(sheet: Worksheet, header_row: int = 1) -> None:
    """Freeze the header, and make each column as wide as its longest cell (up to a limit)."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = f"A{header_row + 1}"
    for number, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        longest = max((len(str(v)) for v in column if v is not None), default=4)
        sheet.column_dimensions[get_column_letter(number)].width = min(_WIDEST, longest + 2)


def _statement_sheet(sheet: Worksheet, reports: Sequence[Report], statement: StatementKind) -> None:
    from openpyxl.styles import Font

    per_report = [(r, *statement_rows(r, statement)) for r in reports if statement in statements(r)]
    periods = list(dict.fromkeys(p for _, labels, _ in per_report for p in labels))
    several = len(reports) > 1
    head = [*(["file"] if several else []), "item", "segment", "region", "unit", *periods, "pages"]
    sheet.append(head)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for report, _, rows in per_report:
        for row in rows:
            values = [row.get(p) for p in periods]
            sheet.append([*([report.file] if several else []), row["item"], row["segment"], row["region"],
                          row["unit"], *(_plain(v) for v in values), row["pages"]])
            number_format = _number_format(values, row["unit"] == "%")
            first = len(head) - len(periods)
            for cell in sheet[sheet.max_row][first - 1:first - 1 + len(periods)]:
                cell.number_format = number_format
    _fit(sheet)


def _long_sheet(sheet: Worksheet, columns: Sequence[str], rows: Sequence[Row]) -> None:
    from openpyxl.styles import Font

    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_plain(row.get(name)) for name in columns])
    _fit(sheet)


def workbook_bytes(reports: Sequence[Report]) -> bytes:
    """The workbook as bytes (for a file: `--format xlsx -o report.xlsx`)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    kinds = list(dict.fromkeys(kind for r in reports for kind in statements(r)))
    for kind in kinds:
        _statement_sheet(book.create_sheet(kind.value[:31]), reports, kind)
    _long_sheet(book.create_sheet("metrics"), METRIC_COLUMNS, [row for r in reports for row in metric_rows(r)])
    _long_sheet(book.create_sheet("checks"), CHECK_COLUMNS, [row for r in reports for row in check_rows(r)])
    _long_sheet(book.create_sheet("sources"), FIGURE_COLUMNS, [row for r in reports for row in figure_rows(r)])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
