"""statements.classify on inline grids: which statement a table holds, or why it is not used."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xiaomi_check.concepts import INCOME_ITEMS
from xiaomi_check.models import Cell, Column, Grid, Period, PeriodKind, Row, StatementKind, Unit, UnitKind
from xiaomi_check.statements import classify, grids_to_figures, headed, match

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


def test_a_statement_without_cost_or_tax_lines_is_known_by_its_arithmetic() -> None:
    """A REIT's statement has neither cost of sales nor a tax line: revenue less its total expenses is its operating
    income, and net income follows. The same rows whose arithmetic does not hold are not a statement."""
    reit = [("Base rent", "1,964"), ("Total revenue", "2,490"), ("Rental", "872"), ("Depreciation", "639"),
            ("Total expenses", "1,641"), ("Operating income", "849"), ("Interest expense", "(432)"),
            ("Net income", "417")]
    found, reason = classify(grid(reit))
    assert found is StatementKind.INCOME_STATEMENT and "operating_profit" in reason, reason
    broken = [(name, "1,600" if name == "Total expenses" else value) for name, value in reit]
    assert classify(grid(broken))[0] is None
    negative = [(name, f"({value})" if name == "Total expenses" else value) for name, value in reit]
    assert classify(grid(negative))[0] is StatementKind.INCOME_STATEMENT  # costs printed in brackets


def test_a_bank_s_statement_revenue_net_of_interest_expense() -> None:
    """A card issuer's statement: revenues net of interest expense, provisions, expenses, pretax income."""
    bank = [("Total non-interest revenues", "42,967"), ("Net interest income", "9,895"),
            ("Total revenues net of interest expense", "52,862"), ("Total provisions for credit losses", "2,182"),
            ("Total expenses", "41,095"), ("Pretax income", "9,585"), ("Income tax provision", "2,071"),
            ("Net income", "7,514")]
    assert match(INCOME_ITEMS, "Pretax income") == "profit_before_tax"
    assert match(INCOME_ITEMS, "Income tax provision") == "income_tax"
    found, reason = classify(grid(bank, context="CONSOLIDATED STATEMENTS OF INCOME"))
    assert found is StatementKind.INCOME_STATEMENT, reason


@pytest.mark.parametrize(("text", "heading"), [
    ("CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS (Unaudited) (Amounts in millions)", True),
    ("ACTIVISION BLIZZARD, INC. AND SUBSIDIARIES CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS", True),
    ("Summary Consolidated Income Statement", True),
    ("I. HISTORICAL FINANCIAL INFORMATION Consolidated Income Statements", True),
    ("Unaudited condensed consolidated statement of profit or loss", True),
    ("綜合損益表", True),
    ("The following table sets forth condensed consolidated statements of operations data for the periods "
     "indicated (amounts in millions):", False),
    ("The following table sets forth our Consolidated Statements of Income data:", False),
])
def test_a_title_is_a_heading_not_a_phrase_in_a_sentence(text: str, heading: bool) -> None:
    assert headed(text) is heading


def test_the_statement_headed_as_one_wins_over_a_summary_whose_prose_names_it() -> None:
    """A 10-Q prints its statement (the title merged into the header lines) and, 40 pages on, the same lines in
    its MD&A under "The following table sets forth condensed consolidated statements of operations data": the
    figures come from the statement, whichever has more lines."""
    statement = grid([row for row in INCOME if row[0] != "Gross profit"], headers=(
        "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS (Amounts in millions) For the year ended 2024",))
    summary = grid(INCOME, headers=("For the year ended 2024",)).model_copy(update={
        "id": "p44-t1", "pages": (44,), "preamble": "The following table sets forth condensed consolidated "
                                                    "statements of operations data for the periods indicated:"})
    figures, _, _ = grids_to_figures([summary, statement.model_copy(update={"id": "p5-t1", "pages": (5,)})], None)
    assert {f.source.table for f in figures if f.item != "gross_profit"} == {"p5-t1"}  # the summary adds only that


def test_a_summary_whose_sentence_wraps_just_before_the_statement_s_name_is_not_headed() -> None:
    """The summary's last line starts with the name ("condensed consolidated statements of operations data:"):
    read on from the line before ("... for the periods indicated, our"), it is still prose, and the statement
    headed as one wins though the summary comes first."""
    statement = grid(INCOME, headers=("For the year ended 2024",)).model_copy(update={
        "id": "p5-t1", "pages": (5,), "context": "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS"})
    summary = grid(INCOME, headers=("For the year ended 2024",)).model_copy(update={
        "id": "p4-t1", "pages": (4,), "context": "condensed consolidated statements of operations data:",
        "title": "condensed consolidated statements of operations data:",
        "preamble": "The following table sets forth, for the periods indicated, our"})
    figures, _, _ = grids_to_figures([summary, statement], None)
    assert {f.source.table for f in figures} == {"p5-t1"}


def _figures(labels: list[tuple[str, str]]) -> dict[str, list[str]]:
    figures, _, _ = grids_to_figures([grid(labels, context="Consolidated statements of operations")], None)
    found: dict[str, list[str]] = {}
    for figure in figures:
        found.setdefault(figure.item, []).append(figure.source.row_label)
    return found


@pytest.mark.parametrize(("bottom", "value", "also"), [
    ("Net income including noncontrolling interests", "1,302", None),  # Costco: the NCI lines follow
    ("Net income attributable to common shareholders", "1,302", "profit_attributable_to_owners"),  # no NCI at all
    ("Net earnings to the group", "1,302", None),  # a name the vocabulary has never seen
])
def test_profit_for_the_period_is_the_line_that_equals_profit_before_tax_less_tax(
        bottom: str, value: str, also: str | None) -> None:
    labels = [("Total revenue", "53,648"), ("Operating income", "1,679"), ("Income before income taxes", "1,771"),
              ("Provision for income taxes", "469"), (bottom, value),
              ("Net income attributable to noncontrolling interests", "—")]
    found = _figures(labels)
    assert found["profit_for_period"] == [bottom]
    if also:
        assert found[also] == [bottom]


def test_no_line_is_taken_for_profit_when_none_equals_profit_before_tax_less_tax() -> None:
    labels = [("Total revenue", "53,648"), ("Income before income taxes", "1,771"),
              ("Provision for income taxes", "469"), ("Net income attributable to common shareholders", "1,290")]
    assert "profit_for_period" not in _figures(labels)


@pytest.mark.parametrize("cost", ["(8,430)", "8,430"])
def test_gross_profit_under_a_name_of_its_own_is_revenue_less_cost_of_sales(cost: str) -> None:
    """AES prints revenue less cost of sales as "Operating margin": it is the gross profit by its arithmetic."""
    labels = [("Total revenue", "11,141"), ("Total cost of sales", cost), ("Operating margin", "2,711"),
              ("General and administrative expenses", "(166)"), ("Income before taxes", "(1,064)"),
              ("Income tax benefit (expense)", "133"), ("Net income (loss)", "(951)")]
    found = _figures(labels)
    assert found["gross_profit"] == ["Operating margin"]
    assert found["profit_for_period"] == ["Net income (loss)"]


def test_a_ligature_the_pdf_maps_to_no_character_still_names_the_line() -> None:
    """eBay's "Gross pro\ufffdt": the fi ligature has no character in the PDF."""
    assert match(INCOME_ITEMS, "Gross pro\ufffdt") == "gross_profit"
    assert match(INCOME_ITEMS, "Cost of net revenues (1)") == "cost_of_sales"
    assert match(INCOME_ITEMS, "Interest expense") == "finance_costs"
    assert match(INCOME_ITEMS, "Income tax benefit (expense)") == "income_tax"


def test_a_breakdown_whose_total_is_not_the_group_s_revenue_is_not_used() -> None:
    """McDonald's franchisees' sales by market (109,473) add up to a total of their own, not to revenue."""
    statement = grid(INCOME, context="Consolidated income statement")
    markets = [("U.S.", "45,898"), ("International Operated Markets", "34,537"), ("Total", "80,435")]
    sales = grid(markets).model_copy(update={"id": "p2-t1", "pages": (2,)})
    figures, choices, _ = grids_to_figures([statement, sales], None)
    [choice] = [c for c in choices if c.table == "p2-t1"]
    assert not choice.used and "not the group's revenue 1,000" in choice.reason
    assert not [f for f in figures if f.region is not None]
    revenue = [("U.S.", "600"), ("International Operated Markets", "400"), ("Total", "1,000")]
    used = grid(revenue).model_copy(update={"id": "p2-t1", "pages": (2,)})
    figures, choices, _ = grids_to_figures([statement, used], None)
    assert {f.region for f in figures if f.region} == {"u_s", "international_operated_markets"}


def test_the_same_markets_again_under_another_measure_are_not_revenue() -> None:
    """A segment note prints revenues by market, then operating income and assets by the same markets."""
    rows = [("U.S.", "600"), ("Europe", "400"), ("Total revenues", "1,000"),
            ("U.S.", "90"), ("Europe", "30"), ("Total operating income", "120")]
    figures, _, _ = grids_to_figures([grid(rows)], None)
    assert sorted(f.source.raw_text for f in figures) == ["1,000", "400", "600"]


def test_a_table_that_prints_no_currency_agrees_with_one_that_does() -> None:
    """The statement prints no "$", the segment note does: its total is still the group's revenue."""
    from xiaomi_check.models import Unit
    from xiaomi_check.statements import figures_agree

    statement = grid(INCOME, context="Consolidated income statement")
    markets = grid([("U.S.", "600"), ("Europe", "400"), ("Total revenues", "1,000")]).model_copy(
        update={"id": "p2-t1", "pages": (2,), "unit": Unit(currency="USD", scale=1_000_000)})
    figures, choices, _ = grids_to_figures([statement.model_copy(update={"unit": Unit(scale=1_000_000)}), markets],
                                           None)
    assert [c.used for c in choices] == [True, True]
    [group] = [f for f in figures if f.item == "revenue" and f.statement is StatementKind.INCOME_STATEMENT]
    rmb = group.model_copy(update={"unit": Unit(currency="RMB", scale=1_000_000)})
    assert not figures_agree(rmb, group.model_copy(update={"unit": Unit(currency="USD", scale=1_000_000)}))


@pytest.mark.parametrize(("label", "item"), [
    ("Basic net income per share", "earnings_per_share"),
    ("Net income (loss) per share – basic", "earnings_per_share"),
    ("Basic and diluted (loss)/earnings per share (HK cents)", "earnings_per_share"),
    ("（一）基本每股收益", "earnings_per_share"),
    ("Diluted net income per share", "earnings_per_share_diluted"),
    ("EARNINGS PER SHARE-DILUTED", "earnings_per_share_diluted"),
    ("DILUTED EARNINGS PER COMMON SHARE", "earnings_per_share_diluted"),
    ("（二）稀释每股收益", "earnings_per_share_diluted"),
    ("Non-GAAP diluted net income per share", "adjusted_earnings_per_share"),
    ("Adjusted net profit per share (RMB)", "adjusted_earnings_per_share"),
    ("Shares used in computing basic net income per share", "weighted_average_shares"),
    ("Weighted-average basic shares", "weighted_average_shares"),
    ("Shares used in computing diluted net income per share", "weighted_average_shares_diluted"),
    ("Weighted average diluted shares outstanding", "weighted_average_shares_diluted"),
    ("Shares used in non-GAAP diluted net income per share calculation", "adjusted_weighted_average_shares"),
    ("Cash dividends declared per share", "dividends_per_share"),
    ("Tangible book value per share", "book_value_per_share"),
])
def test_per_share_lines_and_counts_of_shares_are_told_apart(label: str, item: str) -> None:
    """A count of shares ("Shares used in computing basic net income per share": 975) is not earnings per
    share, nor is a dividend or a book value per share; basic and diluted earnings are two figures, not one
    figure printed twice."""
    assert match(INCOME_ITEMS, label) == item


def test_basic_and_diluted_under_a_heading_of_shares_are_counts_in_the_caption_s_scale() -> None:
    """Apple: "Earnings per share:" over "Basic" and "Diluted", then "Shares used in computing earnings per
    share:" over "Basic" and "Diluted" again; the caption puts the shares in thousands, the money in millions."""
    caption = "(In millions, except number of shares which are reflected in thousands and per share amounts)"
    labels = [*INCOME, ("Basic", "1.27"), ("Diluted", "1.26"), ("Basic", "15,697,614"), ("Diluted", "15,775,021")]
    sections = {7: "Earnings per share:", 8: "Earnings per share:", 9: "Shares used in computing earnings per share:",
                10: "Shares used in computing earnings per share:"}
    table = grid(labels, sections=sections).model_copy(update={"unit": Unit(currency="USD", scale=1_000_000,
                                                                            caption=caption)})
    figures, _, _ = grids_to_figures([table], table.unit)
    found = {f.item: f for f in figures}
    assert (found["earnings_per_share"].value, found["earnings_per_share"].unit.kind) == (Decimal("1.27"),
                                                                                          UnitKind.PER_SHARE)
    assert found["earnings_per_share_diluted"].value == Decimal("1.26")
    shares = found["weighted_average_shares"]
    assert (shares.value, shares.unit.kind, shares.unit.scale) == (Decimal("15697614"), UnitKind.COUNT, 1_000)
    assert found["weighted_average_shares_diluted"].value == Decimal("15775021")


def test_the_adjustments_of_a_reconciliation_of_earnings_per_share_are_not_money() -> None:
    """Salesforce's release reconciles diluted EPS 1.28 to non-GAAP EPS 2.12 through "Stock-based compensation
    expense 0.73": that is 0.73 a share, not 0.73 million, so no money figure comes of it; the same adjustment in
    the reconciliation of net income above it is money."""
    labels = [("GAAP net income", "1,267"), ("Stock-based compensation expense", "728"),
              ("Non-GAAP net income", "2,089"), ("GAAP diluted net income per share", "1.28"),
              ("Stock-based compensation expense", "0.73"), ("Income tax effects and adjustments", "(0.42)"),
              ("Non-GAAP diluted net income per share", "2.12")]
    table = grid(labels).model_copy(update={"unit": Unit(currency="USD", scale=1_000_000)})
    figures = [f for f in grids_to_figures([table], table.unit)[0] if f.statement is StatementKind.NON_GAAP]
    assert [(f.item, f.value, f.unit.kind) for f in figures if f.item == "share_based_compensation"] == [
        ("share_based_compensation", Decimal("728"), UnitKind.MONEY)]
    assert not [f for f in figures if f.item == "income_tax_effects"]
    assert {(f.item, f.value) for f in figures if f.unit.kind is UnitKind.PER_SHARE} == {
        ("earnings_per_share_diluted", Decimal("1.28")), ("adjusted_earnings_per_share", Decimal("2.12"))}


def test_a_table_that_prints_ranges_is_a_forecast_not_a_statement() -> None:
    """An outlook laid out as a statement ("Revenue $34.5 - $34.7", ..., "Diluted earnings per share $3.50 -
    $3.52") is a forecast: none of its lines is a figure of the period its column names."""
    labels = [*INCOME[:-1], ("Profit for the year", "48 - 52"), ("Diluted earnings per share", "$3.50 - $3.52")]
    assert classify(grid(INCOME))[0] is StatementKind.INCOME_STATEMENT
    kind, reason = classify(grid(labels))
    assert kind is None
    assert reason == "it prints ranges ('48 - 52'): a forecast or an estimate, not reported figures"
