"""Token → number and caption → unit: examples from real filings, and properties over any string."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiaomi_check.amounts import AmountKind, parse_amount, parse_prose_amount, parse_unit_caption


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("(1,234.5)", AmountKind.NUMBER, Decimal("-1234.5")),
    ("1,895.7", AmountKind.NUMBER, Decimal("1895.7")),
    ("-3.2%", AmountKind.PERCENT, Decimal("-3.2")),
    ("(3.2)%", AmountKind.PERCENT, Decimal("-3.2")),
    ("(9.6%)", AmountKind.PERCENT, Decimal("-9.6")),
    ("80.4%", AmountKind.PERCENT, Decimal("80.4")),
    ("18 %", AmountKind.PERCENT, Decimal("18")),  # McDonald's: the sign set apart in the same cell
    ("(2 %)", AmountKind.PERCENT, Decimal("-2")),
    ("(1) %", AmountKind.PERCENT, Decimal("-1")),
    ("15﹒4%", AmountKind.PERCENT, Decimal("15.4")),
    ("１２３.４", AmountKind.NUMBER, Decimal("123.4")),
    ("３０．５％", AmountKind.PERCENT, Decimal("30.5")),
    ("$14,735", AmountKind.NUMBER, Decimal("14735")),
    ("−42", AmountKind.NUMBER, Decimal("-42")),
    ("—", AmountKind.NIL, Decimal(0)),
    ("–", AmountKind.NIL, Decimal(0)),
    ("-", AmountKind.NIL, Decimal(0)),
    ("nil", AmountKind.NIL, Decimal(0)),
    ("N/A", AmountKind.NOT_APPLICABLE, None),
    ("不適用", AmountKind.NOT_APPLICABLE, None),
    ("無意義", AmountKind.NOT_APPLICABLE, None),
])
def test_amounts_as_printed(text: str, kind: AmountKind, value: Decimal | None) -> None:
    parsed = parse_amount(text)
    assert parsed is not None
    assert (parsed.kind, parsed.value) == (kind, value)


@pytest.mark.parametrize("text", ["Revenue", "(12", "12)", "1,2,3.4.5", "", "   ", "RMB", "18  %", "% 18"])
def test_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(("text", "currency", "scale"), [
    ("(RMB in millions, unless specified)", "RMB", 1_000_000),
    ('(Renminbi ("RMB") in millions, unless specified)', "RMB", 1_000_000),
    ("RMB'000", "RMB", 1_000),
    ("RMB’000", "RMB", 1_000),
    ("(人民幣百萬元,除非另有說明)", "RMB", 1_000_000),
    ("人民币百万元", "RMB", 1_000_000),
    ("人民幣千元", "RMB", 1_000),
    ("HK$'000", "HKD", 1_000),
    ("千港元", "HKD", 1_000),
    ("S$’000", "SGD", 1_000),
    ("US$ million", "USD", 1_000_000),
    ("$ in millions", "USD", 1_000_000),
    ("(In millions, except number of shares which are reflected in thousands)", None, 1_000_000),
])
def test_unit_captions(text: str, currency: str | None, scale: int) -> None:
    unit = parse_unit_caption(text)
    assert unit is not None
    assert (unit.currency, unit.scale) == (currency, scale)


@pytest.mark.parametrize("text", ["our cash resources were RMB151.6 billion", "RMB 151.6 billion", "Revenue"])
def test_amounts_in_prose_are_not_captions(text: str) -> None:
    assert parse_unit_caption(text) is None


@pytest.mark.parametrize(("text", "value"), [
    ("536.6億", Decimal("53660000000")), ("人民币97亿元", Decimal("9700000000")),
    ("RMB151.6 billion", Decimal("151600000000")), ("9141萬部", Decimal("91410000")),
])
def test_prose_amounts(text: str, value: Decimal) -> None:
    assert parse_prose_amount(text) == value


@given(st.text())
def test_parse_amount_never_raises(text: str) -> None:
    parse_amount(text)
    parse_unit_caption(text)
    parse_prose_amount(text)


@given(st.decimals(min_value=-10**12, max_value=10**12, places=1, allow_nan=False, allow_infinity=False))
def test_printed_numbers_round_trip(value: Decimal) -> None:
    printed = f"{abs(value):,.1f}"
    text = f"({printed})" if value < 0 else printed
    parsed = parse_amount(text)
    assert parsed is not None
    assert parsed.value == value.quantize(Decimal("0.1"))
