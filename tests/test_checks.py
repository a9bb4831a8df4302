"""Every cross-check on a consistent filing (all pass) and on deliberately inconsistent copies of it (the
check fails, names the figures and pages, and the figures go to the review list)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from conftest import FIXTURES, REAL_FILINGS, report_for
from metric_helpers import REC, SEG, fig, q
from xiaomi_check.checks import CHECKS, review_list, run_checks
from xiaomi_check.financials import Financials
from xiaomi_check.models import CheckResult, CheckStatus, Figure, Report
from xiaomi_check.profile import load_profile

PROFILE = load_profile()
CONSISTENT = [
    FIXTURES / "prospectus_2018.pdf",
    FIXTURES / "results_q3_2024.pdf",
    FIXTURES / "results_q3_2024.html",
    FIXTURES / "results_fy2018_zh_hant.pdf",
    *sorted(REAL_FILINGS.glob("*.pdf")),
]


@pytest.mark.parametrize("path", CONSISTENT, ids=[p.name for p in CONSISTENT])
def test_consistent_filings_pass_every_check(path: object) -> None:
    report = report_for(path)  # type: ignore[arg-type]
    statuses = Counter(c.status for c in report.checks)
    assert statuses[CheckStatus.FAIL] == 0, [c.detail for c in report.checks if c.status is CheckStatus.FAIL]
    assert statuses[CheckStatus.PASS] >= 5
    assert report.review == ()


def test_every_check_runs_on_the_q3_announcement() -> None:
    ids = {c.id.split(":")[0] for c in report_for(FIXTURES / "results_q3_2024.pdf").checks}
    assert ids == {
        "gross_profit",
        "operating_profit",
        "profit_for_period",
        "non_gaap_bridge",
        "segments_sum",
        "group_sum",
        "geography_sum",
        "printed_pct",
        "printed_growth",
        "same_figure",
    }
    assert len(CHECKS) == 10


def _tampered(
    report: Report,
    item: str,
    period: str,
    statement: str,
    delta: str,
    segment: str | None = None,
    region: str | None = None,
) -> list[CheckResult]:
    """The report's figures with one value changed, run through the checks again."""

    def change(f: Figure) -> Figure:
        hit = (f.item, f.period.label, f.statement.value, f.segment, f.region) == (
            item,
            period,
            statement,
            segment,
            region,
        )
        return f.model_copy(update={"value": f.value + Decimal(delta)}) if hit and f.value is not None else f

    return run_checks(Financials(tuple(change(f) for f in report.figures)), PROFILE)


def _failed(checks: list[CheckResult]) -> set[str]:
    return {c.id for c in checks if c.status is CheckStatus.FAIL}


@pytest.mark.parametrize(
    ("item", "period", "statement", "delta", "segment", "region", "expected"),
    [
        ("cost_of_sales", "FY2017", "income_statement", "-10", None, None, "gross_profit"),
        ("other_income", "FY2017", "income_statement", "5", None, None, "operating_profit"),
        ("income_tax", "FY2017", "income_statement", "1", None, None, "profit_for_period"),
        ("share_based_compensation", "FY2017", "non_gaap_reconciliation", "2", None, None, "non_gaap_bridge"),
        ("revenue", "FY2017", "segment_revenue", "3", "others", None, "segments_sum:revenue"),
        ("gross_profit", "FY2017", "segment_gross_profit", "3", "others", None, "segments_sum:gross_profit"),
        ("revenue", "FY2017", "geography", "50", None, "international", "geography_sum"),
        ("revenue_share", "FY2017", "segment_revenue", "1", "smartphones", None, "printed_pct:revenue_share"),
        ("gross_margin", "FY2017", "segment_gross_profit", "0.5", "smartphones", None, "printed_pct:gross_margin"),
    ],
)
def test_each_check_fails_on_an_inconsistent_prospectus(
    item: str, period: str, statement: str, delta: str, segment: str | None, region: str | None, expected: str
) -> None:
    checks = _tampered(report_for(FIXTURES / "prospectus_2018.pdf"), item, period, statement, delta, segment, region)
    assert expected in _failed(checks)
    failed = next(c for c in checks if c.id == expected and c.status is CheckStatus.FAIL)
    assert failed.period == period and failed.figures and "off by" in failed.detail
    assert any(item in line and period in line for line in review_list(checks))


@pytest.mark.parametrize(
    ("item", "statement", "delta", "segment", "expected"),
    [
        ("revenue_change_yoy", "key_highlights", "2", None, "printed_growth:revenue_change_yoy"),
        ("revenue_change_qoq", "key_highlights", "1", None, "printed_growth:revenue_change_qoq"),
        ("revenue", "key_highlights", "100", None, "same_figure:revenue"),
        ("revenue", "segment_revenue", "7", "smartphones", "group_sum:smartphone_x_aiot:revenue"),
    ],
)
def test_each_check_fails_on_an_inconsistent_announcement(
    item: str, statement: str, delta: str, segment: str | None, expected: str
) -> None:
    checks = _tampered(report_for(FIXTURES / "results_q3_2024.pdf"), item, "Q3 2024", statement, delta, segment)
    assert expected in _failed(checks)


def test_tolerance_follows_the_printed_rounding() -> None:
    # a 0.05 change in a figure printed to one decimal is inside rounding; gross profit still checks
    checks = _tampered(
        report_for(FIXTURES / "prospectus_2018.pdf"), "cost_of_sales", "FY2017", "income_statement", "-0.05"
    )
    assert "gross_profit" not in _failed(checks)


def test_us_filings_say_what_they_cannot_check() -> None:
    report = report_for(REAL_FILINGS / "us_intel_2022q4_earnings.pdf")
    [skipped, *_] = [c for c in report.checks if c.status is CheckStatus.NOT_CHECKABLE]
    assert skipped.id == "operating_profit" and "positive numbers" in skipped.detail


def test_nothing_to_check_is_said() -> None:
    [result] = run_checks(Financials(()), PROFILE)
    assert result.status is CheckStatus.NOT_CHECKABLE and "no two figures" in result.detail


def test_a_grouping_adds_its_own_others_row() -> None:
    """Smartphone × AIoT = smartphones + IoT + internet + its own "Others" (`smartphone_x_aiot/others`):
    47,452.3 + 26,090.4 + 8,450.6 + 825.0 = 82,818.3; the total takes the grouping and the EV segment,
    82,818.3 + 9,688.2 = 92,506.5, never a sub-line (the smart EV line, the EV segment's own "Others")."""
    now = q(3, 2024)
    rows = [("smartphone_x_aiot", "82818.3"), ("smartphones", "47452.3"), ("iot_lifestyle", "26090.4"),
            ("internet_services", "8450.6"), ("smartphone_x_aiot/others", "825.0"),
            ("smart_ev_new_initiatives", "9688.2"), ("smart_ev", "9497.5"),
            ("smart_ev_new_initiatives/others", "190.7")]
    figures = [fig("revenue", now, value, SEG, segment=name) for name, value in rows]
    checks = run_checks(Financials((*figures, fig("revenue", now, "92506.5", SEG))), PROFILE)
    by_id = {c.id: c for c in checks}
    group = by_id["group_sum:smartphone_x_aiot:revenue"]
    assert (group.status, group.expected) == (CheckStatus.PASS, Decimal("82818.3"))
    assert [f.segment for f in group.figures][:4] == ["smartphones", "iot_lifestyle", "internet_services",
                                                      "smartphone_x_aiot/others"]
    top = by_id["segments_sum:revenue"]
    assert (top.status, top.expected) == (CheckStatus.PASS, Decimal("92506.5"))
    assert {f.segment for f in top.figures} == {"smartphone_x_aiot", "smart_ev_new_initiatives", None}


def test_the_bridge_check_of_a_wide_reconciliation_adds_the_adjustments_only() -> None:
    """Adjustments as columns: operating profit as reported and adjusted are rows beside the profit row, not
    adjustments: 5,340.3 + 652.4 + 228.1 + 24.0 + 7.2 = 6,252.0."""
    y = q(3, 2024)
    figures = (fig("operating_profit", y, "6041.2", REC), fig("share_based_compensation", y, "652.4", REC),
               fig("net_fair_value_gains_on_investments", y, "228.1", REC),
               fig("amortization_of_intangibles_from_acquisitions", y, "24.0", REC),
               fig("adjusted_operating_profit", y, "6945.7", REC), fig("profit_for_period", y, "5340.3", REC),
               fig("income_tax_effects", y, "7.2", REC), fig("adjusted_net_profit", y, "6252.0", REC))
    [check] = [c for c in run_checks(Financials(figures), PROFILE) if c.id == "non_gaap_bridge"]
    assert check.status is CheckStatus.PASS, check.detail
