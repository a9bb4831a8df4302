"""Every metric against a hand computation from the fixture figures, and every n/a path.

The FY2017 figures of the prospectus fixture (pages 297-301) are published where fixtures/README.md says so;
the arithmetic below is written out so a reader can redo it with a calculator.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from conftest import FIXTURES, report_for
from xiaomi_check.financials import Financials
from xiaomi_check.metrics import UserInputs, compute_metrics, voting_share
from xiaomi_check.models import MetricResult, Report, Status
from xiaomi_check.profile import load_profile

PROFILE = load_profile()


def metric(report: Report, metric_id: str, period: str | None) -> MetricResult:
    [found] = [m for m in report.metrics if m.id == metric_id and m.period == period]
    return found


@pytest.fixture(scope="module")
def prospectus() -> Report:
    return report_for(FIXTURES / "prospectus_2018.pdf")


@pytest.fixture(scope="module")
def q3() -> Report:
    return report_for(FIXTURES / "results_q3_2024.pdf")


def test_hardware_net_margin_fy2017(prospectus: Report) -> None:
    hw_revenue = D("80563.6") + D("23447.8")  # smartphones + IoT, p299
    hw_gross = D("7054.6") + D("1951.4")  # p299
    opex = D("5231.6") + D("1216.1") + D("3151.2")  # S&M + admin + R&D, p297
    # profit before tax is a loss (41,829.4): the effective rate is not meaningful -> statutory 25%
    by_revenue = (hw_gross - opex * hw_revenue / D("114624.7")) * D("0.75") / hw_revenue * 100
    by_gross = (hw_gross - opex * hw_gross / D("15154.2")) * D("0.75") / hw_revenue * 100
    result = metric(prospectus, "hardware_net_margin", "FY2017")
    assert result.value == by_revenue.quantize(D("0.01")) == D("0.21")
    assert result.status is Status.OK and "within the 5.0% cap" in result.verdict
    assert f"to {by_gross.quantize(D('0.01'))}%" in result.verdict
    assert {f.source.page for f in result.inputs} == {297, 298, 299}


def test_hardware_margin_breach_when_above_cap(prospectus: Report) -> None:
    strict = PROFILE.model_copy(
        update={"thresholds": PROFILE.thresholds.model_copy(update={"hardware_net_margin_cap_pct": D("0.1")})}
    )
    [fy2017] = [
        m
        for m in compute_metrics(Financials(prospectus.figures), strict)
        if m.id == "hardware_net_margin" and m.period == "FY2017"
    ]
    assert fy2017.status is Status.BREACH and fy2017.verdict.startswith("above the 0.1% cap")


def test_profit_bridge_fy2017_flags_a_non_cash_loss(prospectus: Report) -> None:
    result = metric(prospectus, "profit_bridge", "FY2017")
    assert result.value == D("5361.9") - D("-43889.1") == D("49251.0")
    assert "mainly non-cash" in result.verdict and "54,071.0" in result.verdict
    share = next(line for line in result.working if "share of the gap" in line.label)
    assert share.value == (D("54071.0") / D("49251.0") * 100).quantize(D("0.01"))
    working = {line.label: line.value for line in result.working}
    assert working["operating_profit"] == D("12215.5") and working["reported profit"] == D("-43889.1")


def test_internet_company_test_fy2017(prospectus: Report) -> None:
    assert metric(prospectus, "internet_revenue_share", "FY2017").value == (D("9896.4") / D("114624.7") * 100).quantize(
        D("0.01")
    )
    assert metric(prospectus, "internet_gross_profit_share", "FY2017").value == (
        D("5884.5") / D("15154.2") * 100
    ).quantize(D("0.01"))
    assert metric(prospectus, "internet_gross_margin", "FY2017").value == D("59.46")
    assert metric(prospectus, "internet_test_scale", "FY2017").verdict == "not met"  # 8.63% < 10%
    assert metric(prospectus, "internet_company", "FY2017").verdict == "0 of 3 checkable criteria met"


def test_overseas_mix_fy2017(prospectus: Report) -> None:
    assert metric(prospectus, "international_revenue_share", "FY2017").value == D("28.00")  # 32,094.6 / 114,624.7
    assert metric(prospectus, "mainland_china_revenue_share", "FY2017").value == D("72.00")


def test_group_margins_and_growth_fy2017(prospectus: Report) -> None:
    assert metric(prospectus, "gross_margin", "FY2017").value == (D("15154.2") / D("114624.7") * 100).quantize(
        D("0.01")
    )
    assert metric(prospectus, "operating_margin", "FY2017").value == D("10.66")
    assert (
        metric(prospectus, "growth_yoy:revenue", "FY2017").value
        == ((D("114624.7") / D("68434.2") - 1) * 100).quantize(D("0.01"))
        == D("67.50")
    )  # published: 67.5%
    loss = metric(prospectus, "growth_yoy:profit_for_period", "FY2017")
    assert loss.status is Status.NOT_AVAILABLE and "loss" in (loss.reason or "")


def test_smart_ev_q3_2024(q3: Report) -> None:
    assert metric(q3, "ev_revenue_share", "Q3 2024").value == (D("9688.2") / D("92506.5") * 100).quantize(D("0.01"))
    assert metric(q3, "ev_revenue_per_delivery", "Q3 2024").value == (D("9497.5") * 1_000_000 / 39790).quantize(D(1))
    assert metric(q3, "ev_deliveries", "Q3 2024").value == 39790
    assert metric(q3, "ev_adjusted_net_loss", "Q3 2024").status is Status.NOT_AVAILABLE


def test_smart_ev_is_n_a_without_the_segment(prospectus: Report) -> None:
    result = metric(prospectus, "ev_revenue_share", "FY2017")
    assert result.status is Status.NOT_AVAILABLE and result.reason == "no smart EV segment in this filing"


def test_qoq_growth_q3_2024(q3: Report) -> None:
    assert metric(q3, "growth_qoq:revenue", "Q3 2024").value == ((D("92506.5") / D("88887.8") - 1) * 100).quantize(
        D("0.01")
    )  # published 4.1%


def test_wvr_arithmetic() -> None:
    [threshold] = [m for m in compute_metrics(Financials(()), PROFILE) if m.id == "wvr_majority_stake"]
    assert threshold.value == D("9.09")  # 1 / (10 + 1)
    # a holder of exactly 1/11 of the shares, all Class A, has half the votes
    held = voting_share(
        D(10), UserInputs(class_a_held=D(1), class_b_held=D(0), class_a_total=D(1), class_b_total=D(10))
    )
    assert held.value == D("50.00") and held.verdict == "holds exactly half the votes with 9.09% of the shares"
    # Lei Jun after the offering (post-hearing pack): 4,295,187,720 A + 2,283,106,380 B
    lei = voting_share(
        D(10),
        UserInputs(
            class_a_held=D(4295187720),
            class_b_held=D(2283106380),
            class_a_total=D(6695187720),
            class_b_total=D(17205959127),
        ),
    )
    assert lei.value == ((10 * D(4295187720) + D(2283106380)) / (10 * D(6695187720) + D(17205959127)) * 100).quantize(
        D("0.01")
    )


def test_valuation_needs_a_market_value(q3: Report) -> None:
    assert metric(q3, "pe_reported", "Q3 2024").status is Status.NOT_AVAILABLE
    user = UserInputs(market_cap_millions=D(700000), fx_to_report=D("0.92"))
    results = {m.id: m for m in compute_metrics(Financials(q3.figures), PROFILE, user)}
    # Q3 profit 5,340.3 (key highlights, RMB million) annualised x4; market value 700,000 HKD m x 0.92
    assert results["pe_reported"].value == (D(700000) * D("0.92") / (D("5340.292") * 4)).quantize(D("0.1"))
    assert results["ps"].value == (D(700000) * D("0.92") / (D("92506.518") * 4)).quantize(D("0.1"))


def test_every_metric_is_n_a_with_a_reason_on_an_empty_filing() -> None:
    results = compute_metrics(Financials(()), PROFILE)
    unavailable = [m for m in results if m.status is Status.NOT_AVAILABLE]
    assert unavailable and all(m.reason for m in unavailable)


def test_a_profile_without_segments_says_so() -> None:
    bare = PROFILE.model_copy(
        update={"roles": PROFILE.roles.model_copy(update={"hardware": (), "internet": (), "ev": ()})}
    )
    report = report_for(FIXTURES / "results_q3_2024.pdf")
    results = {m.id: m for m in compute_metrics(Financials(report.figures), bare)}
    assert results["hardware_net_margin"].reason == "the profile names no hardware segment"
    assert results["internet_revenue_share"].reason == "no internet segment in the profile"
    assert results["ev_revenue_share"].reason == "no EV segment in the profile"
