"""Word geometry → grids, on inline words (no files): each trap of HKEX layouts in isolation."""

from __future__ import annotations

from xiaomi_check.amounts import Amount, AmountKind, parse_amount
from xiaomi_check.models import ColumnKind, PageWords, Word
from xiaomi_check.tables import pages_to_grids


def line(y: float, *cells: tuple[str, float], size: float = 9.0) -> list[Word]:
    """Words on one baseline; a label is given by its left edge, a number by its right edge (x < 0)."""
    words = []
    for text, x in cells:
        width = 5.0 * len(text)
        x0, x1 = (x, x + width) if x >= 0 else (-x - width, -x)
        words.append(Word(text, x0, x1, y, y + size, size))
    return words


def page(index: int, *lines: list[Word], height: float = 800.0) -> PageWords:
    return PageWords(index=index, width=595.0, height=height, words=tuple(w for ln in lines for w in ln))


HEADER = [line(90, ("(RMB", 60), ("in", 90), ("millions,", 102), ("unless", 150), ("specified)", 185)),
          line(110, ("Year", 330), ("ended", 355), ("December", 387), ("31,", 432)),
          line(122, ("2016", -400), ("2017", -500))]


def test_rows_columns_periods_and_unit() -> None:
    grids = pages_to_grids([page(1, *HEADER, line(140, ("Revenue", 60), ("68,434.2", -400), ("114,624.7", -500)),
                                 line(152, ("Cost", 60), ("of", 82), ("sales", 94), ("(61,036.8)", -403),
                                      ("(99,470.5)", -503)))], [""])
    [grid] = grids
    assert [c.period.label for c in grid.columns if c.period] == ["FY2016", "FY2017"]
    assert grid.unit is not None and (grid.unit.currency, grid.unit.scale) == ("RMB", 1_000_000)
    assert [(r.label, [c.text for c in r.cells if c]) for r in grid.rows] == [
        ("Revenue", ["68,434.2", "114,624.7"]), ("Cost of sales", ["(61,036.8)", "(99,470.5)"])]


def test_footnote_marker_glued_to_a_number_is_not_a_digit() -> None:
    marker = Word("1", 500.5, 503.0, 138.0, 143.0, 5.0)
    rows = line(140, ("Adjusted", 60), ("net", 100), ("profit", 118), ("1,895.7", -400), ("1,196.5", -500))
    [grid] = pages_to_grids([page(1, *HEADER, [*rows, marker])], [""])
    assert [c.text for c in grid.rows[0].cells if c] == ["1,895.7", "1,196.5"]


def test_wrapped_labels_join_both_ways() -> None:
    grids = pages_to_grids([page(1, *HEADER,
                                 line(140, ("Fair", 60), ("value", 80), ("changes", 105), ("of", 145)),
                                 line(150, ("convertible", 70), ("preferred", 125), ("(2,523.1)", -403),
                                      ("(54,071.6)", -503)),
                                 line(162, ("Profit", 60), ("before", 90), ("(41,829.4)", -503), ("1,000.0", -400)),
                                 line(172, ("income", 70), ("tax", 105)))], [""])
    labels = [r.label for r in grids[0].rows]
    assert labels == ["Fair value changes of convertible preferred", "Profit before income tax"]


def test_note_column_is_not_a_value() -> None:
    header = [*HEADER[:2], line(122, ("Note", 300), ("2016", -400), ("2017", -500))]
    [grid] = pages_to_grids([page(1, *header, line(140, ("Revenue", 60), ("5", -310), ("68,434.2", -400),
                                                  ("114,624.7", -500)))], [""])
    assert grid.columns[0].kind is ColumnKind.NOTE
    assert [c.period.label for c in grid.columns[1:] if c.period] == ["FY2016", "FY2017"]


def test_table_continued_over_a_page_break_is_joined() -> None:
    first = page(1, *HEADER, line(700, ("Revenue", 60), ("68,434.2", -400), ("114,624.7", -500)),
                 line(780, ("–", 290), ("1", 297), ("–", 304)))
    second = page(2, line(60, ("Gross", 60), ("profit", 90), ("7,397.4", -400), ("15,154.2", -500)))
    [grid] = pages_to_grids([first, second], ["", ""])
    assert grid.pages == (1, 2)
    assert [(r.label, r.page) for r in grid.rows] == [("Revenue", 1), ("Gross profit", 2)]
    assert grid.columns[1].period is not None and grid.columns[1].period.label == "FY2017"


TITLE = (("CONSOLIDATED", 60), ("INCOME", 130), ("STATEMENT", 170))


def _statement_to_the_foot(*title: tuple[str, float]) -> PageWords:
    """An income statement whose last row is the last line of its page (then only the page number)."""
    return page(1, line(75, *(title or TITLE)), *HEADER,
                line(140, ("Revenue", 60), ("68,434.2", -400), ("114,624.7", -500)),
                line(700, ("Gross", 60), ("profit", 90), ("7,397.4", -400), ("15,154.2", -500)),
                line(780, ("–", 290), ("1", 297), ("–", 304)))


YEARS = [*line(86, ("Year", 330), ("ended", 355), ("December", 387), ("31,", 432)),
         *line(97, ("2016", -400), ("2017", -500))]
ROWS = line(110, ("Revenue", 60), ("48,764.8", -400), ("80,563.6", -500)), \
    line(122, ("Smartphones", 60), ("48,764.8", -400), ("80,563.6", -500))


def _next_page(*over: list[Word]) -> PageWords:
    """The next page: the given lines, then the years and two rows whose first is labelled "Revenue" again."""
    return page(2, *over, YEARS, *ROWS)


def _pages_of(second: PageWords, before: str = "", first: PageWords | None = None) -> list[tuple[int, ...]]:
    return [grid.pages for grid in pages_to_grids([first or _statement_to_the_foot(), second], [before, ""])]


def test_table_under_a_title_of_its_own_at_the_top_of_the_next_page_is_not_joined() -> None:
    """Same years over as many columns, but "Segment information" (a heading the statement does not print): a table of
    its own, its "Revenue" not the statement's."""
    for title in ([("Segment", 60), ("information", 100)], [("OPERATING", 60), ("EXPENSES", 110), ("BY", 160),
                                                            ("NATURE", 175)], [("收入分析", 60)]):
        assert _pages_of(_next_page(line(70, *title))) == [(1,), (2,)], title
    caption = line(82, ("(RMB", 60), ("in", 90), ("millions)", 102))
    assert _pages_of(_next_page(line(70, ("Selected", 60), ("operating", 100)), line(76, ("data", 60)), caption)) == [
        (1,), (2,)]  # a title over two lines, a caption under it
    assert _pages_of(_next_page(line(82, ("Segment", 250), ("information", 290)))) == [(1,), (2,)]  # centred over
    # the columns


def test_statement_going_on_at_the_top_of_the_next_page_is_joined() -> None:
    """Its title again (with or without "(continued)"), its years alone, its rows alone under a section of its own,
    or a heading the page before prints too (a running header): the same table."""
    for over in ([line(70, *TITLE, ("(continued)", 230))], [line(70, *TITLE)], []):
        assert _pages_of(_next_page(*over)) == [(1, 2)], over
    chinese = _statement_to_the_foot(("綜合收益表", 60))
    assert _pages_of(_next_page(line(70, ("綜合收益表(續)", 60))), first=chinese) == [(1, 2)]
    assert _pages_of(_next_page(line(70, ("收入分析", 60))), first=chinese) == [(1,), (2,)]
    rows_alone = page(2, line(70, ("Operating", 60), ("expenses", 110)), *ROWS)
    assert _pages_of(rows_alone) == [(1, 2)]
    running = line(70, ("Management", 60), ("Discussion", 120), ("and", 170), ("Analysis", 190))
    assert _pages_of(_next_page(running), before="Management Discussion and Analysis\nRevenue 68,434.2") == [(1, 2)]
    assert _pages_of(_next_page(running)) == [(1,), (2,)]


def test_statement_title_continued_is_joined_and_another_statement_is_not() -> None:
    us = [("Consolidated", 60), ("Statements", 120), ("of", 175), ("Operations", 188)]
    first = page(1, line(75, *us), *HEADER, line(140, ("Revenue", 60), ("68,434.2", -400), ("114,624.7", -500)),
                 line(700, ("Net", 60), ("income", 80), ("7,397.4", -400), ("15,154.2", -500)))
    going_on = page(2, line(70, *us, ("(Continued)", 250)), YEARS, *ROWS)
    another = page(2, line(70, ("Consolidated", 60), ("Statements", 120), ("of", 175), ("Cash", 188), ("Flows", 215)),
                   YEARS, *ROWS)
    assert [g.pages for g in pages_to_grids([first, going_on], ["", ""])] == [(1, 2)]
    assert [g.pages for g in pages_to_grids([first, another], ["", ""])] == [(1,), (2,)]


def test_rows_of_the_next_page_go_to_the_columns_of_their_periods() -> None:
    """A facing page sets its columns further right: each cell goes to the column of its period, not to the
    nearest right edge."""
    first = _statement_to_the_foot()
    shifted = page(2, line(70, *TITLE, ("(continued)", 230)),
                   line(86, ("Year", 395), ("ended", 420), ("December", 452), ("31,", 497)),
                   line(97, ("Note", 380), ("2016", -465), ("2017", -535)),
                   line(110, ("Operating", 60), ("profit", 100), ("5", -385), ("1,373.0", -465), ("3,785.1", -535)))
    [grid] = pages_to_grids([first, shifted], ["", ""])
    assert [c.text if c else None for c in grid.rows[-1].cells] == ["1,373.0", "3,785.1"]


def test_share_and_change_columns_are_recognised() -> None:
    header = [line(110, ("2024", -400), ("%", -450), ("YoY", -520))]
    [grid] = pages_to_grids([page(1, *header, line(140, ("Smartphones", 60), ("47,452.3", -400), ("51.3%", -450),
                                                  ("13.9%", -520)))], [""])
    assert [c.kind for c in grid.columns] == [ColumnKind.VALUE, ColumnKind.SHARE, ColumnKind.YOY]


def test_a_forecast_range_is_one_cell_with_no_value_not_two_amounts_and_a_nil() -> None:
    """Salesforce's guidance: "$1.02 - $1.03" under Q3, "$3.50 - $3.52" under FY24, the dash a word space from
    each amount. Read as amount, nil, amount it gave an EPS of 0; it is one range, which has no single value.
    A nil standing in a column of its own ("—" a column gap away) stays a nil."""
    def spaced(y: float, label: str, *amounts: tuple[str, float]) -> list[Word]:
        words, x = [Word(label, 60, 60 + 5 * len(label), y, y + 9, 9)], 0.0
        for text, x0 in amounts:
            x = x0 if x0 else x + 2.7
            words.append(Word(text, x, x + 5 * len(text), y, y + 9, 9))
            x += 5 * len(text)
        return words
    header = [line(110, ("2024", -480), ("2025", -580))]
    rows = [spaced(140, "EPS", ("$1.02", 400), ("-", 0), ("$1.03", 0), ("$3.50", 500), ("-", 0), ("$3.52", 0)),
            spaced(152, "Other", ("0.47", 455), ("—", 545))]
    [grid] = pages_to_grids([page(1, *header, *rows)], [""])
    assert [[c.text for c in r.cells if c] for r in grid.rows] == [["$1.02 - $1.03", "$3.50 - $3.52"], ["0.47", "—"]]
    assert parse_amount("$1.02 - $1.03") == Amount(AmountKind.RANGE, None, "$1.02 - $1.03")
    assert parse_amount("2022-23") is None  # a fiscal year, not a range


def words_from(y: float, x: float, text: str) -> list[Word]:
    """A run of text from x, one space (5 pt) between words."""
    cells = []
    for word in text.split():
        cells.append((word, x))
        x += 5.0 * len(word) + 5.0
    return line(y, *cells)


YEAR_LINES = [line(110, ("Year", 330), ("ended", 355), ("December", 387), ("31,", 432)),
         line(122, ("2016", -400), ("2017", -500))]
SALES = [line(152, ("Products", 70), ("1,200", -400), ("1,350", -500)),
         line(164, ("Services", 70), ("300", -400), ("410", -500)),
         line(176, ("Total", 60), ("net", 87), ("sales", 107), ("1,500", -400), ("1,760", -500))]


def test_a_unit_caption_under_the_header_is_no_section_heading() -> None:
    """"(in millions, except per share data)" between the years and "Net sales:" is the table's unit, not the
    section its rows belong to (the page's text, where a caption is looked for last, is left empty)."""
    caption = words_from(134, 60, "(in millions, except per share data)")
    [grid] = pages_to_grids([page(1, *YEAR_LINES, caption, line(143, ("Net", 60), ("sales:", 80)), *SALES)], [""])
    assert grid.unit is not None and grid.unit.scale == 1_000_000
    assert [c.period.label for c in grid.columns if c.period] == ["FY2016", "FY2017"]
    assert [(r.label, r.section) for r in grid.rows][:2] == [("Products", "Net sales"), ("Services", "Net sales")]


def test_a_long_unit_caption_under_the_header_keeps_the_header() -> None:
    """Apple's caption reaches over the columns and reads like running text; the years above it still date them."""
    caption = words_from(134, 60, "(In millions, except number of shares, which are reflected in thousands, and "
                                  "per-share amounts)")
    assert caption[-1].x1 - caption[0].x0 > 0.55 * 595.0  # as wide as running text
    [grid] = pages_to_grids([page(1, *YEAR_LINES, caption, line(143, ("Net", 60), ("sales:", 80)), *SALES)], [""])
    assert [c.period.label for c in grid.columns if c.period] == ["FY2016", "FY2017"]
    assert grid.unit is not None and grid.unit.scale == 1_000_000 and "thousands" in grid.unit.caption
