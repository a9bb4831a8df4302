"""The table reader on inline word geometry (no PDF): column groups, roles, nils, hierarchy, settings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from xiaomi_check.models import ColumnKind, Grid, PageWords, Word
from xiaomi_check.statements import normalise_label
from xiaomi_check.tables import pages_to_grids
from xiaomi_check.tables.settings import DEFAULT, TableSettings

CHAR = 4.5  # width of one character at 9 pt
FIXTURE_Q3 = Path(__file__).resolve().parent.parent / "fixtures" / "results_q3_2024.pdf"


def word(text: str, x1: float, top: float, *, left: bool = False) -> Word:
    """A word ending at x1 (numbers are right-aligned), or starting at x1 when `left`."""
    width = CHAR * len(text)
    x0, x1 = (x1, x1 + width) if left else (x1 - width, x1)
    return Word(text, x0, x1, top, top + 9, 9.0)


def line(top: float, *items: tuple[str, float], left: bool = False) -> list[Word]:
    return [word(text, x, top, left=left) for text, x in items]


def label(text: str, top: float, x0: float = 50.0) -> list[Word]:
    words, x = [], x0
    for part in text.split():
        words.append(word(part, x, top, left=True))
        x += CHAR * (len(part) + 1)
    return words


def grid_of(*lines: list[Word]) -> Grid:
    page = PageWords(index=1, width=600, height=800, words=tuple(w for ln in lines for w in ln))
    [grid] = pages_to_grids([page], [""])
    return grid


def by_period(grid: Grid) -> list[tuple[str, str | None]]:
    return [(c.kind.value, c.period.label if c.period else None) for c in grid.columns]


SEGMENT_ROWS = [
    ("Smartphones", ("47,452.3", "51.3%", "41,660.0", "58.8%")),
    ("Internet services", ("45,054.2", "48.7%", "29,234.1", "41.2%")),
    ("Total", ("92,506.5", "100.0%", "70,894.1", "100.0%")),
]
RIGHT_EDGES = (250.0, 300.0, 370.0, 420.0)


def segment_table(year_over: str, nil_in_prior: bool = False) -> Grid:
    """Two groups "Amount | %" under "Three months ended September 30,", the year over either column."""
    years = {"share": (300.0, 420.0), "amount": (250.0, 370.0), "centre": (275.0 + 9, 395.0 + 9)}[year_over]
    header = [
        label("Three months ended September 30,", 100, 230),
        line(112, ("2024", years[0]), ("2023", years[1])),
        line(124, ("Amount", 250.0), ("%", 300.0), ("Amount", 370.0), ("%", 420.0)),
    ]
    body = []
    for n, (name, cells) in enumerate(SEGMENT_ROWS):
        top = 140 + 12 * n
        values = cells
        if nil_in_prior and name == "Smartphones":
            values = (cells[0], cells[1], "—", "—")
        row = label(name, top)
        for text, x1 in zip(values, RIGHT_EDGES, strict=True):
            row.append(word(text, x1 - 12 if text == "—" else x1, top))  # a nil centred, not right-aligned
        body.append(row)
    return grid_of(*header, *body)


@pytest.mark.parametrize("year_over", ["share", "amount", "centre"])
def test_year_over_either_column_of_its_pair_dates_the_whole_group(year_over: str) -> None:
    grid = segment_table(year_over)
    assert by_period(grid) == [("value", "Q3 2024"), ("share_of_total", "Q3 2024"),
                               ("value", "Q3 2023"), ("share_of_total", "Q3 2023")]


def test_a_centred_nil_stays_in_its_own_column() -> None:
    grid = segment_table("share", nil_in_prior=True)
    assert len(grid.columns) == 4
    smartphones = grid.rows[0]
    assert [c.text if c else None for c in smartphones.cells] == ["47,452.3", "51.3%", "—", "—"]


KEY_EDGES = (250.0, 330.0, 410.0, 490.0, 570.0)
KEY_HEADER = [
    label("Three months ended", 100, 200),
    line(112, *zip(("September 30,", "September 30,", "Year-on-", "June 30,", "Quarter-on-"), KEY_EDGES, strict=True)),
    line(124, *zip(("2024", "2023", "year change", "2024", "quarter change"), KEY_EDGES, strict=True)),
]


def test_interleaved_change_and_prior_quarter_columns() -> None:
    """Q3 2024 | Q3 2023 | YoY | Q2 2024 | QoQ: the prior-quarter column is a period, not a change."""
    row = label("Revenue", 140) + line(140, *zip(("92,506.5", "70,894.1", "30.5%", "88,887.8", "4.1%"), KEY_EDGES,
                                                 strict=True))
    grid = grid_of(*KEY_HEADER, row)
    assert by_period(grid) == [("value", "Q3 2024"), ("value", "Q3 2023"), ("yoy_change", "Q3 2024"),
                               ("value", "Q2 2024"), ("qoq_change", "Q3 2024")]


def test_hierarchy_by_indentation_and_by_sum() -> None:
    header = [line(100, ("2024", 300.0), ("2023", 370.0))]
    rows = [("Smart EV and other new initiatives", 50, ("9,688.2", "—")), ("Smart EV", 62, ("9,497.5", "—")),
            ("Others", 62, ("190.7", "—")), ("Internet services", 50, ("8,450.6", "7,745.7")),
            ("Advertising", 50, ("5,000.0", "4,000.0")), ("Games", 50, ("3,450.6", "3,745.7"))]
    lines = [label(name, 130 + 12 * n, x0) + line(130 + 12 * n, (a, 300.0), (b, 370.0))
             for n, (name, x0, (a, b)) in enumerate(rows)]
    grid = grid_of(*header, *lines)
    parents = {row.label: row.parent for row in grid.rows}
    assert parents["Smart EV"] == "Smart EV and other new initiatives"  # indented under it
    assert parents["Others"] == "Smart EV and other new initiatives"  # its indented sibling
    assert parents["Advertising"] == parents["Games"] == "Internet services"  # not indented, but they add up to it
    assert parents["Internet services"] is None


def test_note_column_is_not_a_period() -> None:
    header = [line(100, ("Note", 220.0), ("2024", 300.0), ("2023", 370.0))]
    body = [label("Revenue", 120) + line(120, ("6", 220.0), ("1,000", 300.0), ("900", 370.0))]
    grid = grid_of(*header, *body)
    assert [c.kind for c in grid.columns] == [ColumnKind.NOTE, ColumnKind.VALUE, ColumnKind.VALUE]
    assert [c.period.label if c.period else None for c in grid.columns] == [None, "FY2024", "FY2023"]


@pytest.mark.parametrize("amortization", [("24.0", "24.0"), ("24", "23")])
def test_small_adjustment_column_of_a_wide_reconciliation_is_not_notes(amortization: tuple[str, str]) -> None:
    """Adjustments as columns, the period phrase over the left ones only: a column of small whole amounts
    ("24.0", or "24" printed bare) after the amount columns is an adjustment, dated and named like the others."""
    header = [label("Three months ended September 30, 2024", 100, 200),
              line(112, ("Reported", 260.0), ("Compensation", 340.0), ("Amortization", 460.0), ("Adjusted", 540.0))]
    body = [label(name, top) + line(top, (reported, 260.0), ("652.4", 340.0), (small, 460.0), (adjusted, 540.0))
            for name, top, reported, small, adjusted in (
                ("Operating profit", 130, "6,041.2", amortization[0], "6,717.6"),
                ("Profit for the period", 142, "5,340.3", amortization[1], "6,016.7"))]
    grid = grid_of(*header, *body)
    assert [c.kind for c in grid.columns] == [ColumnKind.VALUE] * 4
    assert [c.period.label if c.period else None for c in grid.columns] == ["Q3 2024"] * 4
    assert grid.columns[2].label == "Amortization"


def test_dot_leaders_are_not_part_of_the_label() -> None:
    header = [line(100, ("2024", 300.0), ("2023", 370.0))]
    body = [label("Revenue ..........", 120) + line(120, ("1,000", 300.0), ("900", 370.0))]
    grid = grid_of(*header, *body)
    assert grid.rows[0].label == "Revenue"
    assert Decimal(grid.rows[0].cells[0].text.replace(",", "")) == 1000  # type: ignore[union-attr]


def test_every_threshold_has_a_reason() -> None:
    reasons = TableSettings.reasons()
    assert len(reasons) >= 30
    assert [name for name, reason in reasons.items() if len(reason) < 15] == []
    with pytest.raises(AttributeError):
        DEFAULT.column_tolerance = 1.0  # type: ignore[misc]


def test_undated_years_end_on_the_fiscal_year_end_the_cover_states() -> None:
    """'2022 | 2021' under a cover that says 'For the fiscal year ended January 28, 2023': the columns end in
    January (2023 and 2022), not on a 31 December the filing never prints."""
    header = [line(100, ("2022", 300.0), ("2021", 370.0))]
    body = [label("Net sales", 120) + line(120, ("8,759", 300.0), ("8,958", 370.0))]
    page = PageWords(index=2, width=600, height=800, words=tuple(w for ln in (*header, *body) for w in ln))
    cover = "FORM 10-K\nFor the fiscal year ended January 28, 2023\nFOOT LOCKER, INC."
    [grid] = pages_to_grids([page], [cover, ""])
    assert [(c.period.year, c.period.month) if c.period else None for c in grid.columns] == [(2023, 1), (2022, 1)]
    [plain] = pages_to_grids([page], ["Annual report", ""])
    assert [c.period.label if c.period else None for c in plain.columns] == ["FY2022", "FY2021"]


def test_the_library_takes_a_path_as_str() -> None:
    from xiaomi_check.analysis import analyse

    assert analyse(str(FIXTURE_Q3)).file == "results_q3_2024.pdf"


def test_nested_section_headings_under_the_header_do_not_hide_it() -> None:
    """A bank's statement: the year line, then "Revenues" over "Non-interest revenues" before the first amount.
    The years still date the columns, the headings are sections, and the title stays the title."""
    lines = [label("CONSOLIDATED STATEMENTS OF INCOME", 80, 150),
             label("Year Ended December 31 (Millions)", 100) + line(100, ("2022", 300.0), ("2021", 370.0)),
             label("Revenues", 112), label("Non-interest revenues", 124),
             label("Discount revenue", 136, 56) + line(136, ("30,739", 300.0), ("24,563", 370.0)),
             label("Net card fees", 148, 56) + line(148, ("6,070", 300.0), ("5,195", 370.0))]
    grid = grid_of(*lines)
    assert by_period(grid) == [("value", "FY2022"), ("value", "FY2021")]
    assert grid.title == "CONSOLIDATED STATEMENTS OF INCOME"
    assert [(row.label, row.section) for row in grid.rows if any(row.cells)] == [
        ("Discount revenue", "Non-interest revenues"), ("Net card fees", "Non-interest revenues")]


def test_a_list_of_the_years_beside_the_columns_dates_none_of_them_alone() -> None:
    """AES: "Years ended December 31, 2021, 2020, and 2019" printed left of the columns, nearest the first one,
    over "2021 2020 2019": every column takes its own year (the first was left undated)."""
    header = [label("Years ended December 31, 2021, 2020, and 2019", 100, 150),
              line(112, ("2021", 400.0), ("2020", 470.0), ("2019", 540.0))]
    body = [label("Total revenue", 130) + line(130, ("11,141", 400.0), ("9,660", 470.0), ("10,189", 540.0))]
    assert by_period(grid_of(*header, *body)) == [("value", "FY2021"), ("value", "FY2020"), ("value", "FY2019")]


def test_a_change_column_is_dated_by_the_later_year_its_header_names() -> None:
    """AES: "% Change 2021 vs. 2020" and "% Change 2020 vs. 2019" after three years: 2021's and 2020's."""
    header = [label("% Change 2021 vs.", 100, 385) + label("% Change 2020 vs.", 100, 478),
              line(112, ("2021", 260.0), ("2020", 320.0), ("2019", 380.0), ("2020", 450.0), ("2019", 540.0))]
    body = [label("Total revenue", 130) + line(130, ("11,141", 260.0), ("9,660", 320.0), ("10,189", 380.0),
                                                ("15%", 450.0), ("-5%", 540.0))]
    grid = grid_of(*header, *body)
    assert [c.period.label if c.period else None for c in grid.columns] == [
        "FY2021", "FY2020", "FY2019", "FY2021", "FY2020"]
    assert [c.kind for c in grid.columns][3:] == [ColumnKind.YOY, ColumnKind.YOY]


def test_a_label_whose_bracket_is_open_goes_on_over_the_next_line() -> None:
    """A-share: "三、营业利润（亏损以“－”号填" with its values, then "列）" alone on the next line."""
    header = [line(100, ("2020年度", 400.0), ("2019年度", 480.0))]
    body = [label("三、营业利润（亏损以“－”号填", 120)
            + line(120, ("298,468,526.26", 400.0), ("323,878,744.81", 480.0)),
            label("列）", 132),
            label("四、利润总额", 144) + line(144, ("293,848,585.18", 400.0), ("320,508,168.19", 480.0))]
    grid = grid_of(*header, *body)
    assert [row.label for row in grid.rows] == ["三、营业利润（亏损以“－”号填列）", "四、利润总额"]


def test_a_percent_sign_set_apart_hangs_right_of_its_column() -> None:
    """"(11 %)" and "20 %" printed with a space: the digits align with the column, the sign hangs outside it."""
    header = [line(100, ("2022", 300.0), ("Change", 360.0), ("2021", 440.0))]
    body = [label("Sales", 120) + line(120, ("8,748", 300.0), ("(11", 360.0), ("9,787", 440.0))
            + [word("%)", 362.3, 120, left=True)],
            label("Other", 132) + line(132, ("329", 300.0), ("8", 360.0), ("351", 440.0))]
    grid = grid_of(*header, *body)
    assert [row.label for row in grid.rows] == ["Sales", "Other"]
    assert [cell.text if cell else None for cell in grid.rows[0].cells] == ["8,748", "(11%)", "9,787"]


def test_a_total_that_names_its_section_ends_it() -> None:
    """AES: "Cost of Sales:" over two lines and "Total cost of sales"; "Operating margin" and the lines below it
    are no longer costs of sales. A heading with no total of its own ("Americas:") goes on."""
    header = [line(100, ("2021", 400.0), ("2020", 470.0))]
    body = [label("Cost of Sales:", 112),
            label("Regulated", 124, 60) + line(124, ("(2,448)", 400.0), ("(2,235)", 470.0)),
            label("Total cost of sales", 136) + line(136, ("(8,430)", 400.0), ("(6,967)", 470.0)),
            label("Operating margin", 148) + line(148, ("2,711", 400.0), ("2,693", 470.0)),
            label("Americas:", 160),
            label("Net sales", 172) + line(172, ("169,658", 400.0), ("162,560", 470.0)),
            label("Total net sales", 184) + line(184, ("383,285", 400.0), ("394,328", 470.0))]
    grid = grid_of(*header, *body)
    assert [row.section for row in grid.rows] == ["Cost of Sales", "Cost of Sales", None, "Americas", "Americas"]


def test_a_section_named_with_its_footnote_references_is_ended_by_its_total() -> None:
    """Salesforce: "Operating expenses (1)(2):" ends at "Total operating expenses"; the line after it ("Gains on
    strategic investments, net") is not an operating expense, and its item names no "1"."""
    header = [line(100, ("2023", 400.0), ("2022", 470.0))]
    body = [label("Operating expenses (1)(2):", 112),
            label("Marketing and sales", 124, 60) + line(124, ("3,113", 400.0), ("3,424", 470.0)),
            label("Total operating expenses", 136) + line(136, ("5,014", 400.0), ("5,400", 470.0)),
            label("Gains (losses) on strategic investments, net", 148) + line(148, ("(29)", 400.0), ("45", 470.0))]
    grid = grid_of(*header, *body)
    assert [row.section for row in grid.rows] == ["Operating expenses (1)(2)", "Operating expenses (1)(2)", None]
    assert normalise_label("Cost of revenues (1)(2):") == "cost of revenues"


def test_a_list_of_the_years_centred_over_the_first_column_dates_none_of_them_alone() -> None:
    """The list centred under the title reaches over the first column, each column under its own year: it spans
    them all (as beside them), and the first column keeps its year."""
    header = [label("Years ended December 31, 2021, 2020, and 2019", 100, 200),
              line(112, ("2021", 400.0), ("2020", 470.0), ("2019", 540.0))]
    body = [label("Total revenue", 130) + line(130, ("11,141", 400.0), ("9,660", 470.0), ("10,189", 540.0))]
    assert by_period(grid_of(*header, *body)) == [("value", "FY2021"), ("value", "FY2020"), ("value", "FY2019")]


def test_a_change_column_before_its_comparative_is_year_on_year() -> None:
    """McDonald's "2022 | Increase/(decrease) | 2021": the year it is compared with is printed after it."""
    header = [line(100, ("2022", 300.0), ("2021", 440.0)),
              line(112, ("Amount", 300.0), ("Change", 360.0), ("Amount", 440.0))]
    body = [label("Total revenues", 130) + line(130, ("23,183", 300.0), ("(11%)", 360.0), ("23,223", 440.0))]
    assert by_period(grid_of(*header, *body)) == [("value", "FY2022"), ("yoy_change", "FY2022"), ("value", "FY2021")]


def test_a_numbered_line_does_not_continue_the_heading_above_it() -> None:
    """A-share: "（二）按所有权归属分类" over "1.归属于母公司股东的净利润（" (its amounts) and "净亏损以“－”号填列）";
    a label wrapped between "－" and "”" joins without a space."""
    header = [line(100, ("2020年度", 400.0), ("2019年度", 480.0))]
    body = [label("（二）按所有权归属分类", 120),
            label("1.归属于母公司股东的净利润（", 132)
            + line(132, ("219,689,297.19", 400.0), ("240,280,588.57", 480.0)),
            label("净亏损以“－”号填列）", 144),
            label("2.少数股东损益（净亏损以“－", 156) + line(156, ("2,959,413.45", 400.0), ("3,775,338.07", 480.0)),
            label("”号填列）", 168)]
    grid = grid_of(*header, *body)
    assert [row.label for row in grid.rows if any(row.cells)] == [
        "1.归属于母公司股东的净利润（净亏损以“－”号填列）", "2.少数股东损益（净亏损以“－”号填列）"]


def test_a_note_header_beside_the_first_amounts_does_not_make_them_notes() -> None:
    """A-share: "附注" on the years' line just left of the first amounts, the references printed in the labels
    ("七、61"): no note is 100 or more, so the column stays an amount column with its year."""
    header = [label("项目", 100) + label("附注", 100, 330) + line(100, ("2020年度", 420.0), ("2019年度", 500.0))]
    body = [label("营业收入 七、61", 120) + line(120, ("875,930,307.77", 420.0), ("925,324,579.65", 500.0)),
            label("营业成本 七、61", 132) + line(132, ("455,190,355.73", 420.0), ("503,783,579.55", 500.0))]
    assert by_period(grid_of(*header, *body)) == [("value", "FY2020"), ("value", "FY2019")]
