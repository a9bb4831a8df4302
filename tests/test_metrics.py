"""Every metric on inline `Financials` (no PDF), against a hand computation written out beside it.

The figures are those the Xiaomi filings print (FY2017 from the prospectus, FY2018 from the annual results
announcement, Q3 2024 from the quarterly announcement), in RMB million; the arithmetic can be redone with a
calculator. tests/test_metric_statuses.py covers statuses and the headline period.
"""

from __future__ import annotations

from decimal import Decimal as D

from metric_helpers import (
    GEO,
    GP,
    IS,
    KH,
    OPS,
    REC,
    SEG,
    fig,
    fy,
    money,
    one,
    q,
    results,
)
from xiaomi_check.financials import Financials
from xiaomi_check.metrics import UserInputs, compute_metrics, voting_share
from xiaomi_check.models import COUNT, Figure, Status
from xiaomi_check.profile import load_profile

PROFILE = load_profile()
CENT = D("0.01")


def fy2017() -> list[Figure]:
    """The prospectus's FY2017 (and the FY2016 comparatives the growth rates need)."""
    y, p = fy(2017), fy(2016)
    return [
        fig("revenue", y, "114624.7"), fig("cost_of_sales", y, "-99470.5"), fig("gross_profit", y, "15154.2"),
        fig("selling_and_marketing_expenses", y, "-5231.6"), fig("administrative_expenses", y, "-1216.1"),
        fig("research_and_development_expenses", y, "-3151.2"), fig("operating_profit", y, "12215.5"),
        fig("fair_value_changes_preferred_shares", y, "-54071.0"), fig("profit_before_tax", y, "-41829.4"),
        fig("income_tax", y, "-2059.7"), fig("profit_for_period", y, "-43889.1"),
        fig("revenue", p, "68434.2"), fig("gross_profit", p, "7249.3"), fig("profit_for_period", p, "491.6"),
        fig("revenue", y, "80563.6", SEG, segment="smartphones"),
        fig("revenue", y, "23447.8", SEG, segment="iot_lifestyle"),
        fig("revenue", y, "9896.4", SEG, segment="internet_services"),
        fig("revenue", y, "716.9", SEG, segment="others"),
        fig("revenue", p, "6537.7", SEG, segment="internet_services"),
        fig("gross_profit", y, "7054.6", GP, segment="smartphones"),
        fig("gross_profit", y, "1951.4", GP, segment="iot_lifestyle"),
        fig("gross_profit", y, "5884.5", GP, segment="internet_services"),
        fig("gross_profit", y, "263.7", GP, segment="others"),
        fig("revenue", y, "82530.1", GEO, region="mainland_china"),
        fig("revenue", y, "32094.6", GEO, region="international"),
        fig("revenue", p, "9170.0", GEO, region="international"),
        fig("profit_for_period", y, "-43889.1", REC), fig("share_based_compensation", y, "909.0", REC),
        fig("net_fair_value_gains_on_investments", y, "-5729.0", REC),
        fig("fair_value_changes_preferred_shares", y, "54071.0", REC),
        fig("adjusted_net_profit", y, "5361.9", REC),
    ]


def q3_2024() -> list[Figure]:
    """The Q3 2024 announcement: Q3 2024, Q3 2023 and the printed prior quarter Q2 2024."""
    now, then, before = q(3, 2024), q(3, 2023), q(2, 2024)
    return [
        fig("revenue", now, "92506.5"), fig("gross_profit", now, "18880.3"),
        fig("selling_and_marketing_expenses", now, "-5254.7"), fig("administrative_expenses", now, "-1312.6"),
        fig("research_and_development_expenses", now, "-6046.5"), fig("operating_profit", now, "6041.2"),
        fig("fair_value_changes_on_investments", now, "-228.1"), fig("profit_before_tax", now, "6093.9"),
        fig("income_tax", now, "-753.6"), fig("profit_for_period", now, "5340.3"),
        fig("adjusted_net_profit", now, "6252.0", KH),
        fig("revenue", then, "70894.1"), fig("gross_profit", then, "16097.2"),
        fig("operating_profit", then, "4992.0"), fig("profit_for_period", then, "4871.5"),
        fig("adjusted_net_profit", then, "5988.5", KH),
        fig("revenue", before, "88887.8", KH), fig("gross_profit", before, "18394.2", KH),
        fig("operating_profit", before, "5888.7", KH), fig("profit_for_period", before, "5069.7", KH),
        fig("adjusted_net_profit", before, "6175.4", KH),
        fig("revenue", now, "47452.3", SEG, segment="smartphones"),
        fig("revenue", now, "26090.4", SEG, segment="iot_lifestyle"),
        fig("revenue", now, "8450.6", SEG, segment="internet_services"),
        fig("revenue", now, "9688.2", SEG, segment="smart_ev_new_initiatives",
            label="Smart EV and other new initiatives"),
        fig("revenue", now, "9497.5", SEG, segment="smart_ev", label="– Smart EV"),
        fig("gross_profit", now, "5551.9", GP, segment="smartphones"),
        fig("gross_profit", now, "5426.8", GP, segment="iot_lifestyle"),
        fig("gross_profit", now, "6250.5", GP, segment="internet_services"),
        fig("gross_profit", now, "1656.7", GP, segment="smart_ev_new_initiatives"),
        fig("revenue", now, "40159.6", GEO, region="international"),
        fig("revenue", now, "52346.9", GEO, region="mainland_china"),
        fig("ev_deliveries", now, "39790", OPS, unit=COUNT),
        fig("adjusted_net_loss", now, "1.5", OPS, segment="smart_ev_new_initiatives", unit=money(1_000_000_000)),
    ]


# ----------------------------------------------------------------- hardware net margin


def test_hardware_net_margin_statutory_tax_on_a_loss_year() -> None:
    hw_revenue = D("80563.6") + D("23447.8")  # smartphones + IoT
    hw_gross = D("7054.6") + D("1951.4")
    opex = D("5231.6") + D("1216.1") + D("3151.2")  # S&M + admin + R&D
    # profit before tax is a loss (41,829.4): the effective rate is not meaningful -> statutory 25%
    by_revenue = (hw_gross - opex * hw_revenue / D("114624.7")) * D("0.75") / hw_revenue * 100
    by_gross = (hw_gross - opex * hw_gross / D("15154.2")) * D("0.75") / hw_revenue * 100
    result = one(results(fy2017()), "hardware_net_margin", "FY2017")
    assert result.value == by_revenue.quantize(CENT) == D("0.21")
    assert result.status is Status.OK and result.verdict.startswith("within the 5.0% cap")
    assert f"range {by_revenue.quantize(CENT)}% to {by_gross.quantize(CENT)}%" in result.verdict
    assert "statutory (no positive profit before tax)" in result.formula


def test_hardware_net_margin_effective_tax() -> None:
    hw_revenue, hw_gross = D("47452.3") + D("26090.4"), D("5551.9") + D("5426.8")
    opex = D("5254.7") + D("1312.6") + D("6046.5")
    rate = D("753.6") / D("6093.9")  # effective: 12.37%, fair-value items (228.1) far below half of 6,093.9
    expected = (hw_gross - opex * hw_revenue / D("92506.5")) * (1 - rate) / hw_revenue * 100
    result = one(results(q3_2024()), "hardware_net_margin", "Q3 2024")
    assert result.value == expected.quantize(CENT) == D("1.13")
    assert result.formula.endswith("effective tax")


def test_hardware_margin_breach_when_above_cap() -> None:
    strict = PROFILE.model_copy(update={"thresholds": PROFILE.thresholds.model_copy(
        update={"hardware_net_margin_cap_pct": D("0.1")})})
    result = one(compute_metrics(Financials(tuple(fy2017())), strict), "hardware_net_margin", "FY2017")
    assert result.status is Status.BREACH and result.verdict.startswith("above the 0.1% cap")  # 0.21% > 0.1%


# ----------------------------------------------------------------- profit bridge


def test_profit_bridge_flags_a_non_cash_loss() -> None:
    result = one(results(fy2017()), "profit_bridge", "FY2017")
    assert result.value == D("5361.9") - D("-43889.1") == D("49251.0")
    # the reconciliation adds back 54,071.0: without that loss the year shows a profit of 10,181.9
    assert result.verdict.startswith("reported loss of 43,889.1 million is mainly non-cash: a loss of 54,071.0")
    assert "without them, a profit of 10,181.9 million" in result.verdict
    working = {line.label: line.value for line in result.working}
    assert working["fair-value changes of preferred shares, share of the gap"] == (
        D("54071.0") / D("49251.0") * 100).quantize(CENT)
    assert working["operating_profit"] == D("12215.5") and working["reported profit"] == D("-43889.1")


def test_profit_bridge_reads_the_preferred_shares_from_the_income_statement() -> None:
    """Without a reconciliation for the year, the income statement's fair-value loss still explains it."""
    y = fy(2017)
    figures = [fig("profit_for_period", y, "-43889.1"), fig("fair_value_changes_preferred_shares", y, "-54071.0"),
               fig("adjusted_net_profit", y, "5361.9", KH)]
    result = one(results(figures), "profit_bridge", "FY2017")
    assert "mainly non-cash: a loss of 54,071.0 million" in result.verdict
    working = {line.label: line.value for line in result.working}
    assert working["reported profit without them"] == D("-43889.1") + D("54071.0") == D("10181.9")
    assert any(f.item == "fair_value_changes_preferred_shares" and f.statement is IS for f in result.inputs)


def test_profit_bridge_explains_a_profit_lifted_by_a_non_cash_gain() -> None:
    y = fy(2018)
    figures = [fig("profit_for_period", y, "13477.6"), fig("fair_value_changes_preferred_shares", y, "12514.1"),
               fig("adjusted_net_profit", y, "8554.6", KH)]
    result = one(results(figures), "profit_bridge", "FY2018")
    assert result.value == D("8554.6") - D("13477.6") == D("-4923.0")
    # 12,514.1 is 92.9% of 13,477.6 (>= 50%): mainly; without it, 13,477.6 - 12,514.1 = 963.5
    assert result.verdict == (
        "reported profit of 13,477.6 million is mainly non-cash: a gain of 12,514.1 million from fair-value "
        "changes of convertible redeemable preferred shares; without them, a profit of 963.5 million; "
        "adjusted profit 8,554.6 million")


def test_profit_despite_a_non_cash_loss() -> None:
    y = fy(2016)
    figures = [fig("profit_for_period", y, "491.6"), fig("fair_value_changes_preferred_shares", y, "-2523.2"),
               fig("adjusted_net_profit", y, "1895.7", KH)]
    verdict = one(results(figures), "profit_bridge", "FY2016").verdict
    assert verdict.startswith("reported profit of 491.6 million despite a non-cash loss of 2,523.2 million")


def test_a_bridge_whose_adjustments_do_not_add_up_is_a_conflict() -> None:
    """Intel's "Non-GAAP net revenue" (63,054) read as adjusted net profit: 8,017 + 660 − 200 = 8,477, not 63,054."""
    y = fy(2022)
    figures = [fig("profit_for_period", y, "8017"), fig("share_based_compensation", y, "660", REC),
               fig("income_tax_effects", y, "-200", REC), fig("adjusted_net_profit", y, "63054", REC, page=15)]
    result = one(results(figures), "profit_bridge", "FY2022")
    assert result.status is Status.CONFLICT and result.value == D(63054) - D(8017)  # still shown
    assert result.conflicts == ("reported profit 8,017 + the adjustments as read (460) = 8,477, but adjusted net "
                                "profit is printed as 63,054 (p15 '63054')",)


def test_a_wide_reconciliation_bridges_over_its_adjustments_only() -> None:
    """Adjustments as columns: the operating-profit rows (as reported 6,041.2, adjusted 6,945.7) are measures
    printed beside the profit row, not adjustments: 5,340.3 + 652.4 + 228.1 + 24.0 + 7.2 = 6,252.0, no conflict."""
    y = q(3, 2024)
    figures = [fig("operating_profit", y, "6041.2", REC), fig("share_based_compensation", y, "652.4", REC),
               fig("net_fair_value_gains_on_investments", y, "228.1", REC),
               fig("amortization_of_intangibles_from_acquisitions", y, "24.0", REC),
               fig("adjusted_operating_profit", y, "6945.7", REC), fig("profit_for_period", y, "5340.3", REC),
               fig("income_tax_effects", y, "7.2", REC), fig("adjusted_net_profit", y, "6252.0", REC)]
    result = one(results(figures), "profit_bridge", "Q3 2024")
    assert (result.status, result.value, result.conflicts) == (Status.OK, D("6252.0") - D("5340.3"), ())


def test_a_bridge_without_reported_profit_says_so() -> None:
    y, p = fy(2018), fy(2017)
    figures = [fig("revenue", y, "174915.4", KH), fig("adjusted_net_profit", y, "8554.6", KH),
               fig("revenue", p, "114624.7", KH), fig("adjusted_net_profit", p, "5361.9", KH)]
    found = results(figures)
    assert one(found, "profit_bridge", "FY2018").reason == "no reported profit printed beside the adjusted net profit"
    # the reason names the input that is missing, not the one printed
    assert one(found, "adjusted_net_margin", "FY2018").value == (D("8554.6") / D("174915.4") * 100).quantize(CENT)
    assert one(found, "net_margin", "FY2018").reason == "no profit_for_period printed"


def test_a_margin_without_revenue_names_the_revenue() -> None:
    y = fy(2017)
    found = results([fig("profit_for_period", y, "-43889.1", REC), fig("adjusted_net_profit", y, "5361.9", REC),
                     fig("gross_profit", y, "5884.5", GP, segment="internet_services")])
    assert one(found, "net_margin", "FY2017").reason == "no revenue printed"
    assert one(found, "adjusted_net_margin", "FY2017").reason == "no revenue printed"
    assert one(found, "segment_gross_margin:internet_services", "FY2017").reason == "no internet_services revenue"
    assert one(found, "internet_gross_profit_share", "FY2017").reason == "no group gross profit printed"


# ----------------------------------------------------------------- internet services


def test_internet_company_test() -> None:
    found = results(fy2017())
    share = (D("9896.4") / D("114624.7") * 100).quantize(CENT)  # 8.63 < 10: not at scale
    profit = (D("5884.5") / D("15154.2") * 100).quantize(CENT)  # 38.83 < 50: not the main source of profit
    internet = ((D("9896.4") / D("6537.7") - 1) * 100).quantize(CENT)  # 51.37
    group = ((D("114624.7") / D("68434.2") - 1) * 100).quantize(CENT)  # 67.50: the group grew faster
    assert one(found, "internet_revenue_share", "FY2017").value == share == D("8.63")
    assert one(found, "internet_gross_profit_share", "FY2017").value == profit == D("38.83")
    assert one(found, "internet_gross_margin", "FY2017").value == (D("5884.5") / D("9896.4") * 100).quantize(CENT)
    assert one(found, "internet_revenue_growth", "FY2017").value == internet == D("51.37")
    assert one(found, "group_revenue_growth", "FY2017").value == group == D("67.50")
    assert [one(found, f"internet_test_{c}", "FY2017").verdict for c in ("scale", "profit", "growth")] == [
        "not met"] * 3
    test = one(found, "internet_company", "FY2017")
    assert (test.value, test.verdict, test.status) == (D(0), "0 of 3 checkable criteria met", Status.OK)


def test_internet_growth_criterion_needs_the_group_growth() -> None:
    """Group revenue FY2017 not printed: 'faster than the group' is not checkable, never 'not met'."""
    y, p = fy(2018), fy(2017)
    figures = [fig("revenue", y, "174915.4"), fig("revenue", y, "15955.6", SEG, segment="internet_services"),
               fig("revenue", p, "9896.4", SEG, segment="internet_services")]
    found = results(figures)
    growth = one(found, "internet_test_growth", "FY2018")
    assert growth.status is Status.NOT_AVAILABLE and "group revenue growth is n/a" in (growth.reason or "")
    test = one(found, "internet_company", "FY2018")
    assert test.verdict == "0 of 1 checkable criteria met (2 not checkable)"  # scale only: 9.12% < 10%


def test_internet_test_without_a_checkable_criterion_is_n_a() -> None:
    """The segment is printed, but only for the prior year: nothing to test this year."""
    figures = [fig("revenue", fy(2018), "174915.4"), fig("revenue", fy(2017), "9896.4", SEG,
                                                           segment="internet_services")]
    test = one(results(figures), "internet_company", "FY2018")
    assert test.status is Status.NOT_AVAILABLE and test.value is None
    assert (test.reason or "").startswith("no criterion is checkable")


# ----------------------------------------------------------------- overseas mix


def test_overseas_mix() -> None:
    found = results(fy2017())
    assert one(found, "international_revenue_share", "FY2017").value == (
        D("32094.6") / D("114624.7") * 100).quantize(CENT) == D("28.00")
    mainland = one(found, "mainland_china_revenue_share", "FY2017")
    assert mainland.value == (D("82530.1") / D("114624.7") * 100).quantize(CENT) == D("72.00")
    assert one(found, "international_revenue_growth", "FY2017").value == (
        (D("32094.6") - D("9170.0")) / D("9170.0") * 100).quantize(CENT)


# ----------------------------------------------------------------- smart EV


def test_smart_ev_segment_and_line_both_as_the_filing_names_them() -> None:
    found = results(q3_2024())
    segment = one(found, "ev_segment_revenue_share", "Q3 2024")
    line = one(found, "ev_line_revenue_share", "Q3 2024")
    assert segment.value == (D("9688.2") / D("92506.5") * 100).quantize(CENT) == D("10.47")  # the press's 10.5%
    assert line.value == (D("9497.5") / D("92506.5") * 100).quantize(CENT) == D("10.27")  # the press's 10.3%
    assert segment.label == "Smart EV and other new initiatives: share of revenue"
    assert line.label == "Smart EV: share of revenue"
    margin = one(found, "ev_segment_gross_margin", "Q3 2024")
    assert margin.value == (D("1656.7") / D("9688.2") * 100).quantize(CENT) == D("17.10")
    assert {f.statement for f in margin.inputs} == {GP, SEG}
    per_vehicle = one(found, "ev_revenue_per_delivery", "Q3 2024")
    assert per_vehicle.value == (D("9497.5") * 1_000_000 / 39790).quantize(D(1)) == D(238691)  # the line, not 9,688.2
    assert (per_vehicle.unit, per_vehicle.formula) == (
        "RMB per vehicle", "smart EV line revenue ÷ vehicles delivered (RMB per vehicle)")
    loss = one(found, "ev_adjusted_net_loss", "Q3 2024")
    assert (loss.value, loss.unit, loss.label) == (
        D("1.5"), "RMB billion", "Smart EV and other new initiatives: adjusted net loss")


def test_a_nil_ev_cell_is_never_a_result() -> None:
    """The segment prints "—" for the quarter: no 0% share and no 0 per vehicle."""
    now = q(3, 2024)
    figures = [fig("revenue", now, "92506.5"),
               fig("revenue", now, "0", SEG, segment="smart_ev_new_initiatives", note="nil as printed ('—')"),
               fig("revenue", now, "0", SEG, segment="smart_ev", note="nil as printed ('—')"),
               fig("ev_deliveries", now, "39790", OPS, unit=COUNT)]
    found = results(figures)
    for metric_id in ("ev_segment_revenue_share", "ev_line_revenue_share", "ev_revenue_per_delivery"):
        result = one(found, metric_id, "Q3 2024")
        assert result.value is None and result.status is Status.NOT_AVAILABLE, metric_id
        assert "nil" in (result.reason or "")


def test_revenue_per_vehicle_in_the_filing_currency() -> None:
    now = q(3, 2024)
    hkd = money(1_000_000, "HKD")
    figures = [fig("revenue", now, "100", unit=hkd), fig("revenue", now, "50", SEG, segment="smart_ev", unit=hkd),
               fig("revenue", now, "60", SEG, segment="smart_ev_new_initiatives", unit=hkd),
               fig("ev_deliveries", now, "200", OPS, unit=COUNT)]
    result = one(results(figures), "ev_revenue_per_delivery", "Q3 2024")
    assert (result.value, result.unit) == (D(50) * 1_000_000 / 200, "HKD per vehicle")  # 250,000


def test_no_ev_segment_is_one_not_applicable_line() -> None:
    found = results(fy2017())
    ev = [m for m in found if m.id.startswith("ev_")]
    assert ev == [one(found, "ev_checks", "FY2017")] and ev[0].status is Status.NOT_APPLICABLE
    assert ev[0].reason == "no smart_ev_new_initiatives segment in this filing"


# ----------------------------------------------------------------- group margins and growth


def test_group_margins_and_year_on_year_growth() -> None:
    found = results(q3_2024())
    assert one(found, "gross_margin", "Q3 2024").value == (D("18880.3") / D("92506.5") * 100).quantize(CENT)
    assert one(found, "net_margin", "Q3 2024").value == (D("5340.3") / D("92506.5") * 100).quantize(CENT)
    assert one(found, "growth_yoy:revenue", "Q3 2024").value == (
        (D("92506.5") / D("70894.1") - 1) * 100).quantize(CENT) == D("30.49")  # published 30.5%


def test_quarter_on_quarter_against_the_printed_prior_quarter() -> None:
    found = results(q3_2024())
    qoq = one(found, "growth_qoq:revenue", "Q3 2024")
    assert qoq.value == ((D("92506.5") / D("88887.8") - 1) * 100).quantize(CENT) == D("4.07")  # published 4.1%
    assert qoq.value != one(found, "growth_yoy:revenue", "Q3 2024").value
    assert {f.period.label for f in qoq.inputs} == {"Q3 2024", "Q2 2024"}


def test_quarter_on_quarter_without_a_prior_quarter_is_n_a() -> None:
    """Q2 2024 not printed: one n/a line, never the year-on-year figure in its place."""
    figures = [f for f in q3_2024() if f.period.label != "Q2 2024"]
    found = results(figures)
    assert not [m for m in found if m.id.startswith("growth_qoq:")]
    qoq = one(found, "growth_qoq", "Q3 2024")
    assert qoq.status is Status.NOT_AVAILABLE and qoq.value is None
    assert "no figures for the quarter before" in (qoq.reason or "")


def test_growth_of_a_loss_is_n_a() -> None:
    loss = one(results(fy2017()), "growth_yoy:profit_for_period", "FY2017")  # 491.6 -> (43,889.1)
    assert loss.status is Status.NOT_AVAILABLE and "loss" in (loss.reason or "")


# ----------------------------------------------------------------- control and valuation


def test_wvr_arithmetic() -> None:
    threshold = one(compute_metrics(Financials(tuple(fy2017())), PROFILE), "wvr_majority_stake", None)
    assert threshold.value == (D(1) / (10 + 1) * 100).quantize(CENT) == D("9.09")
    # a holder of exactly 1/11 of the shares, all Class A, has half the votes: 10·1 ÷ (10·1 + 10)
    held = voting_share(D(10), UserInputs(class_a_held=D(1), class_b_held=D(0), class_a_total=D(1),
                                          class_b_total=D(10)))
    assert held.value == D("50.00") and held.verdict == "holds exactly half the votes with 9.09% of the shares"
    # Lei Jun after the offering (post-hearing pack): 4,295,187,720 A + 2,283,106,380 B
    a, b, a_total, b_total = D(4295187720), D(2283106380), D(6695187720), D(17205959127)
    lei = voting_share(D(10), UserInputs(class_a_held=a, class_b_held=b, class_a_total=a_total,
                                         class_b_total=b_total))
    assert lei.value == ((10 * a + b) / (10 * a_total + b_total) * 100).quantize(CENT)


def test_valuation_with_a_market_value() -> None:
    user = UserInputs(market_cap_millions=D(700000), fx_to_report=D("0.92"))
    found = results(q3_2024(), user)
    # Q3 profit 5,340.3 annualised x4; market value 700,000 HKD m x 0.92 RMB per HKD
    assert one(found, "pe_reported", "Q3 2024").value == (D(700000) * D("0.92") / (D("5340.3") * 4)).quantize(
        D("0.1"))
    assert one(found, "ps", "Q3 2024").value == (D(700000) * D("0.92") / (D("92506.5") * 4)).quantize(D("0.1"))
