"""compare: filings aligned by period, oldest first, money in millions; a restated figure is flagged."""

from __future__ import annotations

from decimal import Decimal

from conftest import FIXTURES, report_for
from xiaomi_check.compare import compare_reports


def test_prospectus_and_fy2018_results_form_one_series() -> None:
    prospectus = report_for(FIXTURES / "prospectus_2018.pdf")
    results = report_for(FIXTURES / "results_fy2018_zh_hant.pdf")
    comparison = compare_reports([prospectus, results])
    assert comparison.periods == ("FY2015", "FY2016", "FY2017", "FY2018")
    revenue = next(r for r in comparison.rows if (r.item, r.segment, r.region) == ("revenue", None, None))
    assert {p: c.value for p, c in revenue.cells.items()} == {
        "FY2015": Decimal("66811.3"), "FY2016": Decimal("68434.2"), "FY2017": Decimal("114624.7"),
        "FY2018": Decimal("174915.4")}
    assert revenue.cells["FY2018"].file == "results_fy2018_zh_hant.pdf" and revenue.cells["FY2018"].page == 3
    assert comparison.restatements == ()  # both filings print FY2017 alike


def test_a_restated_figure_is_flagged_with_both_values() -> None:
    prospectus = report_for(FIXTURES / "prospectus_2018.pdf")
    results = report_for(FIXTURES / "results_fy2018_zh_hant.pdf")
    restated = results.model_copy(update={"figures": tuple(
        f.model_copy(update={"value": Decimal("114700.0")}) if (f.item, f.period.label, f.segment) == (
            "revenue", "FY2017", None) and f.value is not None else f for f in results.figures)})
    [flag] = compare_reports([prospectus, restated]).restatements
    assert (flag.item, flag.period) == ("revenue", "FY2017")
    assert (flag.printed[0].file, flag.printed[0].raw_text) == ("prospectus_2018.pdf", "114,624.7")
    assert flag.printed[1].value == Decimal("114700.0")
