"""statements.classify on inline grids: which statement a table holds, or why it is not used."""

from __future__ import annotations

import pytest

from xiaomi_check.models import Cell, Column, Grid, Period, PeriodKind, Row, StatementKind
from xiaomi_check.statements import classify

FY = Period(kind=PeriodKind.YEAR, year=2024)


def grid(labels: list[tuple[str, str]], *, context: str = "", sections: dict[int, str] | None = None,
         headers: tuple[str, ...] = ("2024",)) -> Grid:
    columns = tuple(Column(index=i, header=h, period=FY, x0=300 + 70 * i, x1=340 + 70 * i)
                    for i, h in enumerate(headers))
    rows = tuple(Row(label=name, section=(sections or {}).get(n),
                     cells=tuple(Cell(text=value, bbox=(0, 0, 1, 1), page=1) for _ in headers), page=1, top=10.0 * n)
                 for n, (name, value) in enumerate(labels))
    return Grid(id="p1-t1", pages=(1,), context=context, columns=columns, rows=rows)


INCOME = [("Revenue", "1,000"), ("Cost of sales", "(800)"), ("Gross profit", "200"), ("Operating profit", "50"),
          ("Profit before income tax", "60"), ("Income tax expense", "(10)"), ("Profit for the year", "50")]
A_SHARE = [("营业总收入", "1,000.00"), ("营业总成本", "900.00"), ("营业利润", "100.00"), ("利润总额", "98.00"),
           ("所得税费用", "20.00"), ("净利润", "78.00")]


@pytest.mark.parametrize(("labels", "context", "kind"), [
    (INCOME, "Consolidated income statement", StatementKind.INCOME_STATEMENT),
    ([*INCOME[:3], ("Operating profit", "50")], "Key highlights", StatementKind.KEY_HIGHLIGHTS),
    ([("Smartphones", "600"), ("IoT and lifestyle products", "300"), ("Internet services", "100"),
      ("Total", "1,000")], "Revenue by segment", StatementKind.SEGMENT_REVENUE),
    ([("Mainland China", "600"), ("Overseas markets", "400"), ("Total revenue", "1,000")], "",
     StatementKind.GEOGRAPHY),
    ([("Profit for the period", "50"), ("Share-based compensation", "10"), ("Income tax effects", "(2)"),
      ("Adjusted net profit", "58")], "Non-IFRS measures", StatementKind.NON_GAAP),
])
def test_statement_kinds(labels: list[tuple[str, str]], context: str, kind: StatementKind) -> None:
    found, reason = classify(grid(labels, context=context))
    assert found is kind, reason


def test_rows_named_for_places_that_add_up_make_a_geography_table() -> None:
    labels = [("Americas", "60"), ("Europe", "25"), ("Greater China", "15"), ("Total", "100")]
    assert classify(grid(labels))[0] is StatementKind.GEOGRAPHY


def test_a_subsidiary_s_results_are_not_the_group_s() -> None:
    found, reason = classify(grid(INCOME, context="Summarised financial information of a principal subsidiary"))
    assert found is None and "subsidiar" in reason


def test_a_table_with_no_statement_vocabulary_says_why() -> None:
    assert classify(grid([("Headcount", "30,000"), ("Stores", "1,200")])) == (
        None, "no statement recognised in its row labels")


def test_a_share_statement_without_gross_profit() -> None:
    """A mainland A-share 合并利润表: 营业总收入 → 营业利润 → 利润总额 → 净利润, no gross-profit line."""
    found, reason = classify(grid(A_SHARE, context="合并利润表 单位：元"))
    assert found is StatementKind.INCOME_STATEMENT, reason
