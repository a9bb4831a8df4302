"""verify: the identities a table carries mark each figure verified, unverified or contradicted."""

from __future__ import annotations

from decimal import Decimal

from test_reader import KEY_EDGES, KEY_HEADER, grid_of, label, line, segment_table
from xiaomi_check.models import Grid, StatementKind, Unit, VerificationStatus
from xiaomi_check.statements import grid_to_figures
from xiaomi_check.verify import half_unit, verify

MILLIONS = Unit(currency="RMB", scale=1_000_000)
V, U, X = VerificationStatus.VERIFIED, VerificationStatus.UNVERIFIED, VerificationStatus.CONTRADICTED


def statuses(grid: Grid, kind: StatementKind) -> dict[tuple[str, str | None, str], VerificationStatus]:
    figures, _ = verify([grid], list(grid_to_figures(grid, kind, MILLIONS)))
    return {(f.item, f.segment, f.period.label): f.verification.status for f in figures}


def test_half_unit_is_the_rounding_of_the_last_printed_digit() -> None:
    assert half_unit(Decimal("92506.5")) == Decimal("0.05")
    assert half_unit(Decimal("1000")) == Decimal("0.5")


def test_shares_that_match_their_own_group_verify_amounts_and_shares() -> None:
    found = statuses(segment_table("share"), StatementKind.SEGMENT_REVENUE)
    assert found[("revenue_share", "smartphones", "Q3 2023")] is V  # 41,660.0 / 70,894.1 = 58.76%
    assert found[("revenue", "smartphones", "Q3 2024")] is V
    assert set(found.values()) == {V}


def test_shares_read_against_the_wrong_group_are_contradicted() -> None:
    """Swap the two % columns (as a reader that paired each % with the other period's amounts would)."""
    grid = segment_table("share")
    rows = tuple(r.model_copy(update={"cells": (r.cells[0], r.cells[3], r.cells[2], r.cells[1])}) for r in grid.rows)
    found = statuses(grid.model_copy(update={"rows": rows}), StatementKind.SEGMENT_REVENUE)
    assert found[("revenue_share", "smartphones", "Q3 2024")] is X  # printed 58.8%, 47,452.3 / 92,506.5 = 51.30%
    assert found[("revenue_share", None, "Q3 2024")] is V  # 100.0% of the total holds whichever way


def key_row(change: str) -> Grid:
    cells = ("92,506.5", "70,894.1", change, "88,887.8", "4.1%")
    return grid_of(*KEY_HEADER, label("Revenue", 140) + line(140, *zip(cells, KEY_EDGES, strict=True)))


def test_printed_changes_check_which_column_is_current() -> None:
    found = statuses(key_row("30.5%"), StatementKind.KEY_HIGHLIGHTS)
    # (92,506.5 − 70,894.1) ÷ 70,894.1 = 30.49%; (92,506.5 − 88,887.8) ÷ 88,887.8 = 4.07%
    assert found[("revenue_change_yoy", None, "Q3 2024")] is V
    assert found[("revenue_change_qoq", None, "Q3 2024")] is V
    assert found[("revenue", None, "Q2 2024")] is V


def test_a_printed_change_that_does_not_hold_contradicts_its_inputs() -> None:
    found = statuses(key_row("25.0%"), StatementKind.KEY_HIGHLIGHTS)
    assert found[("revenue_change_yoy", None, "Q3 2024")] is X
    assert found[("revenue", None, "Q3 2023")] is X
    assert found[("revenue", None, "Q2 2024")] is V  # its own quarter-on-quarter change still holds


def income_statement(cost: str, gross: str) -> Grid:
    header = [line(100, ("2024", 300.0), ("2023", 370.0))]
    rows = [("Revenue", "1,000", "900"), ("Cost of sales", cost, "(700)"), ("Gross profit", gross, "200"),
            ("Operating profit", "55", "41"), ("Profit before income tax", "60", "45"),
            ("Income tax expense", "(10)", "(5)"), ("Profit for the year", "50", "40")]
    lines = [label(name, 130 + 12 * n) + line(130 + 12 * n, (a, 300.0), (b, 370.0))
             for n, (name, a, b) in enumerate(rows)]
    return grid_of(*header, *lines)


def test_gross_profit_identity_in_either_sign_convention() -> None:
    assert statuses(income_statement("(800)", "200"), StatementKind.INCOME_STATEMENT)[
        ("gross_profit", None, "FY2024")] is V  # 1,000 + (800) = 200
    assert statuses(income_statement("800", "200"), StatementKind.INCOME_STATEMENT)[
        ("gross_profit", None, "FY2024")] is V  # 1,000 − 800 = 200 (costs printed positive)


def test_a_gross_profit_that_does_not_add_up_is_contradicted() -> None:
    found = statuses(income_statement("(800)", "250"), StatementKind.INCOME_STATEMENT)
    assert found[("gross_profit", None, "FY2024")] is X
    assert found[("gross_profit", None, "FY2023")] is V  # 900 + (700) = 200
    assert found[("operating_profit", None, "FY2024")] is U  # no identity reaches it


def test_profit_after_tax_only_verifies() -> None:
    """Lines may stand between profit before tax and profit (discontinued operations): never a contradiction."""
    found = statuses(income_statement("(800)", "200"), StatementKind.INCOME_STATEMENT)
    assert found[("profit_for_period", None, "FY2024")] is V  # 60 + (10) = 50
    assert found[("profit_for_period", None, "FY2023")] is V  # 45 + (5) = 40


def test_a_reading_the_arithmetic_contradicts_gives_way_to_one_it_supports() -> None:
    """Years printed over the wrong columns: (92,506.5 − 70,894.1) ÷ 70,894.1 = 30.49% holds only when the
    first column is the current quarter, so the swapped reading is taken, and the table says why."""
    from xiaomi_check.readings import choose_readings

    header = [label("Three months ended", 100, 200),
              line(112, *zip(("September 30,", "September 30,", "Year-on-"), KEY_EDGES[:3], strict=True)),
              line(124, *zip(("2023", "2024", "year change"), KEY_EDGES[:3], strict=True))]
    rows = [label(name, 140 + 12 * n) + line(140 + 12 * n, *zip(cells, KEY_EDGES[:3], strict=True))
            for n, (name, cells) in enumerate([("Revenue", ("92,506.5", "70,894.1", "30.5%")),
                                               ("Gross profit", ("18,880.3", "16,097.2", "17.3%"))])]
    grid = grid_of(*header, *rows)
    assert [c.period.label if c.period else None for c in grid.columns] == ["Q3 2023", "Q3 2024", "Q3 2024"]
    [chosen], notes = choose_readings([grid], MILLIONS)
    assert [c.period.label if c.period else None for c in chosen.columns] == ["Q3 2024", "Q3 2023", "Q3 2024"]
    assert notes[grid.id].startswith("reading chosen by arithmetic: periods of column groups 1 (Q3 2023) and 2 "
                                     "(Q3 2024) swapped (2 identities hold, 0 fail")


def test_a_reading_the_arithmetic_supports_is_kept() -> None:
    from xiaomi_check.readings import choose_readings

    grid = key_row("30.5%")
    [chosen], notes = choose_readings([grid], MILLIONS)
    assert chosen == grid and notes == {}


def test_a_change_column_is_dated_with_the_period_its_printed_changes_fit() -> None:
    """McDonald's "2022 Amount | Increase/(decrease) | 2021 Amount | Increase/(decrease) | 2020 Amount": the
    second change column is 2021 over 2020 (22% = 13,085 ÷ 10,726 − 1), whatever period the geometry gave it."""
    from xiaomi_check.readings import choose_readings

    edges = (260.0, 330.0, 400.0, 470.0, 540.0)
    header = [line(100, ("2022", 250.0), ("2021", 390.0), ("2020", 530.0)),
              line(112, ("Amount", 260.0), ("Change", 330.0), ("Amount", 400.0), ("Change", 470.0),
                   ("Amount", 540.0))]
    rows = [label(name, 130 + 12 * n) + line(130 + 12 * n, *zip(cells, edges, strict=True))
            for n, (name, cells) in enumerate([
                ("Total revenues", ("14,106", "8%", "13,085", "22%", "10,726")),
                ("Operating income", ("329", "(6)%", "351", "2%", "343"))])]
    grid = grid_of(*header, *rows)
    [chosen], notes = choose_readings([grid], MILLIONS)
    assert [c.period.label if c.period else None for c in chosen.columns] == [
        "FY2022", "FY2022", "FY2021", "FY2021", "FY2020"]
    assert "dated FY2021" in notes[grid.id]


def test_a_breakdown_read_after_the_income_statement_adds_up_to_its_own_total() -> None:
    """Each table's identities follow its own statement kind, not that of the first figure read in the file: the
    markets of a segment note read after the income statement still add up to their total."""
    statement = income_statement("(800)", "200")
    rows = [("U.S.", "600", "500"), ("Europe", "400", "400"), ("Total revenues", "1,000", "900")]
    markets = grid_of(line(100, ("2024", 300.0), ("2023", 370.0)),
                      *[label(name, 130 + 12 * n) + line(130 + 12 * n, (a, 300.0), (b, 370.0))
                        for n, (name, a, b) in enumerate(rows)]).model_copy(update={"id": "p2-t1"})
    figures = [*grid_to_figures(statement, StatementKind.INCOME_STATEMENT, MILLIONS),
               *grid_to_figures(markets, StatementKind.GEOGRAPHY, MILLIONS)]
    marked, _ = verify([statement, markets], figures)
    assert {f.verification.status for f in marked if f.statement is StatementKind.GEOGRAPHY} == {V}


def test_a_change_in_money_and_an_undated_change_in_per_cent_are_read_by_their_arithmetic() -> None:
    """McDonald's quarterly statement: "Inc/(Dec)" over the money change only (779.1), the percentages beside it
    (14) under no header. The money change is money, not 779.1%; the percentages are the year-on-year change."""
    from xiaomi_check.readings import choose_readings

    edges = (300.0, 370.0, 440.0, 500.0)
    header = [label("Quarters Ended June 30,", 100, 60) + line(100, ("2023", 300.0), ("2022", 370.0)),
              line(100, ("Inc/", 440.0)), line(112, ("(Dec)", 440.0))]
    rows = [label(name, 130 + 12 * n) + line(130 + 12 * n, *zip(cells, edges, strict=True))
            for n, (name, cells) in enumerate([("TOTAL REVENUES", ("6,497.5", "5,718.4", "779.1", "14")),
                                               ("OPERATING INCOME", ("3,104.1", "1,711.8", "1,392.3", "81")),
                                               ("NET INCOME", ("2,310.4", "1,188.0", "1,122.4", "94"))])]
    grid = grid_of(*header, *rows)
    assert grid.columns[3].period is None  # the header dates the money change only
    [chosen], notes = choose_readings([grid], MILLIONS)
    figures, _ = verify([chosen], list(grid_to_figures(chosen, StatementKind.INCOME_STATEMENT, MILLIONS)))
    found = {(f.item, f.period.label): (f.value, f.unit.kind.value, f.verification.status) for f in figures}
    assert found[("revenue_change_yoy_amount", "Q2 2023")] == (Decimal("779.1"), "money", V)
    assert found[("revenue_change_yoy", "Q2 2023")] == (Decimal("14"), "percent", V)
    assert "a change in money" in notes[grid.id] and "undated column 4" in notes[grid.id]


def _mcd_grid(header: list[list[object]], cells: tuple[tuple[str, ...], ...]) -> Grid:
    edges = (300.0, 370.0, 440.0, 500.0)
    names = ("TOTAL REVENUES", "OPERATING INCOME", "NET INCOME")
    rows = [label(name, 130 + 12 * n) + line(130 + 12 * n, *zip(row, edges, strict=True))
            for n, (name, row) in enumerate(zip(names, cells, strict=True))]
    return grid_of(*header, *rows)  # type: ignore[arg-type]


def _read(grid: Grid) -> tuple[dict[tuple[str, str], tuple[Decimal | None, str, VerificationStatus]], str]:
    from xiaomi_check.readings import choose_readings

    [chosen], notes = choose_readings([grid], MILLIONS)
    figures, _ = verify([chosen], list(grid_to_figures(chosen, StatementKind.INCOME_STATEMENT, MILLIONS)))
    found = {(f.item, f.period.label): (f.value, f.unit.kind.value, f.verification.status) for f in figures}
    return found, notes.get(grid.id, "")


def test_an_undated_change_in_money_is_read_by_its_arithmetic_even_when_nothing_fails() -> None:
    """"Change" over the percentages only: the money change beside them stands under nothing, and as laid out
    no identity fails (it gives no figures). Its values are current − comparative: the year-on-year change in
    money."""
    header = [label("Quarters Ended June 30,", 100, 60) + line(100, ("2023", 300.0), ("2022", 370.0),
                                                             ("Change", 500.0))]
    grid = _mcd_grid(header, (("6,497.5", "5,718.4", "779.1", "14%"), ("3,104.1", "1,711.8", "1,392.3", "81%"),
                              ("2,310.4", "1,188.0", "1,122.4", "94%")))
    assert grid.columns[2].period is None
    found, note = _read(grid)
    assert found[("revenue_change_yoy_amount", "Q2 2023")] == (Decimal("779.1"), "money", V)
    assert found[("revenue_change_yoy", "Q2 2023")] == (Decimal("14"), "percent", V)
    assert "undated column 3 read as the yoy change to Q2 2023 in money" in note


def test_a_per_cent_change_under_a_bare_percent_sign_is_read_as_the_change() -> None:
    """"Increase/(decrease)" over "$ | %" reaches the money column only: the "%" column reads as a share of no
    period (no figures). Its values are the year-on-year changes."""
    header = [line(88, ("Increase/(decrease)", 470.0)),
              label("Quarters Ended June 30,", 100, 60) + line(100, ("2023", 300.0), ("2022", 370.0), ("$", 440.0),
                                                               ("%", 500.0))]
    grid = _mcd_grid(header, (("6,497.5", "5,718.4", "779.1", "14"), ("3,104.1", "1,711.8", "1,392.3", "81"),
                              ("2,310.4", "1,188.0", "1,122.4", "94")))
    assert grid.columns[3].period is None
    found, note = _read(grid)
    assert found[("revenue_change_yoy_amount", "Q2 2023")] == (Decimal("779.1"), "money", V)
    assert found[("revenue_change_yoy", "Q2 2023")] == (Decimal("14"), "percent", V)
    assert "undated column 4 read as the yoy change" in note
