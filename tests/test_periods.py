"""Column headers → periods and column kinds, in English and Chinese."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiaomi_check.models import ColumnKind
from xiaomi_check.periods import column_kind, column_measure, parse_period


@pytest.mark.parametrize(("header", "context", "label"), [
    ("2017", "Year ended December 31,", "FY2017"),
    ("Year ended December 31, 2017", "", "FY2017"),
    ("Three months ended September 30, 2024", "", "Q3 2024"),
    ("Six months ended June 30, 2024", "", "H1 2024"),
    ("2023", "Nine months ended September 30", "9M 2023"),
    ("截至2018年12月31日止年度", "", "FY2018"),
    ("2018年", "截至12月31日止年度", "FY2018"),
    ("2024年第三季度", "", "Q3 2024"),
    ("2021", "For the year ended 30 September 2021", "FY2021"),
    ("Three Months Ended Dec 31, 2022", "", "Q4 2022"),
    ("Three Months Ended January 28, 2023", "", "3M to 2023-01"),
    ("Three Months Ended July 1, 2023", "", "Q2 2023"),
    ("Twelve Months Ended Dec 25, 2021", "", "FY2021"),
])
def test_periods(header: str, context: str, label: str) -> None:
    period = parse_period(header, context)
    assert period is not None
    assert period.label == label


@pytest.mark.parametrize("header", ["Note", "Year-over-year change", "", "2017 2018"])
def test_headers_without_one_period(header: str) -> None:
    assert parse_period(header) is None


@pytest.mark.parametrize(("header", "kind"), [
    ("Year-over-year change", ColumnKind.YOY), ("YoY", ColumnKind.YOY), ("同比變動", ColumnKind.YOY),
    ("Quarter-over-quarter change", ColumnKind.QOQ), ("環比變動", ColumnKind.QOQ),
    ("% of total revenue", ColumnKind.SHARE), ("佔總收入百分比", ColumnKind.SHARE), ("%", ColumnKind.SHARE),
    ("Note", ColumnKind.NOTE), ("附註", ColumnKind.NOTE), ("2024 RMB", ColumnKind.VALUE),
])
def test_column_kinds(header: str, kind: ColumnKind) -> None:
    assert column_kind(header) is kind


def test_column_measures() -> None:
    assert column_measure("Gross margin") == "gross_margin"
    assert column_measure("毛利率") == "gross_margin"
    assert column_measure("Gross profit") == "gross_profit"
    assert column_measure("2024") is None


@given(st.text(), st.text())
def test_parse_period_never_raises(header: str, context: str) -> None:
    parse_period(header, context)
    column_kind(header)
