"""The group's margins and growth for the headline period: year on year against the same period a year earlier,
quarter on quarter only against a printed prior quarter; and the cash resources the text prints."""

from __future__ import annotations

from collections.abc import Iterable

from xiaomi_check.financials import Financials
from xiaomi_check.metrics.base import UserInputs, growth, na, ratio
from xiaomi_check.models import Figure, MetricResult, Period, PeriodKind
from xiaomi_check.profile import Profile

MARGINS = (
    ("gross_margin", "Gross margin", "gross_profit"),
    ("operating_margin", "Operating margin", "operating_profit"),
    ("net_margin", "Net margin", "profit_for_period"),
    ("adjusted_net_margin", "Adjusted net margin", "adjusted_net_profit"),
)
HEADLINES = ("revenue", "gross_profit", "operating_profit", "profit_for_period", "adjusted_net_profit")


def group(fin: Financials, _profile: Profile, _user: UserInputs) -> Iterable[MetricResult]:
    period = fin.main_period
    if period is None:
        return []
    revenue = fin.get("revenue", period)
    out = [
        ratio(mid, label, period, f"{item} ÷ revenue", fin.get(item, period), revenue, f"no {item} printed",
              whole_missing="no revenue printed")
        for mid, label, item in MARGINS
    ]
    out += [
        ratio(f"segment_gross_margin:{name}", f"Gross margin, {name}", period, f"{name} gross profit ÷ {name} "
              "revenue", fin.get("gross_profit", period, segment=name), fin.get("revenue", period, segment=name),
              f"no {name} gross profit printed", whole_missing=f"no {name} revenue")
        for name in fin.segment_names("gross_profit", period)
    ]
    out += [growth(f"growth_yoy:{item}", f"{item} growth, year on year", fin, item, period,
                   fin.prior_year(period), "YoY") for item in HEADLINES]
    out += quarter_on_quarter(fin, period)
    cash = cash_resources(fin, period)
    if cash is not None:
        out.append(MetricResult(id="cash_resources", label="Cash resources", period=cash.period.label,
                                value=cash.value, unit=cash.unit.label,
                                formula=f"as printed: '{cash.source.raw_text}'", inputs=(cash,)))
    return out


def quarter_on_quarter(fin: Financials, period: Period) -> list[MetricResult]:
    """Growth against the quarter before, only when the filing prints it; one n/a line when it does not."""
    if period.kind is not PeriodKind.QUARTER:
        return []
    prior = fin.prior_quarter(period)
    if prior is None:
        return [na("growth_qoq", "Growth, quarter on quarter", period, "item this quarter ÷ item the quarter "
                   "before − 1", "the filing prints no figures for the quarter before: no quarter-on-quarter "
                   "growth (year on year is not a substitute)")]
    return [growth(f"growth_qoq:{item}", f"{item} growth, quarter on quarter", fin, item, period, prior, "QoQ")
            for item in HEADLINES]


def cash_resources(fin: Financials, period: Period) -> Figure | None:
    """Cash resources as the text prints them, at the end of the headline period (in the filing's own unit)."""
    return next((f for f in fin.figures if f.item == "cash_resources" and f.value is not None
                 and (f.period.year, f.period.month) == (period.year, period.month)), None)
