"""The company's own segment questions, for the headline period: is it an internet company, how much comes from
overseas, and the smart EV business (segment and line both, as the filing names them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from xiaomi_check.financials import Financials, millions
from xiaomi_check.metrics.base import UserInputs, growth, is_nil, na, printed_name, ratio
from xiaomi_check.models import Figure, MetricResult, Period, StatementKind, Status
from xiaomi_check.profile import Profile

NOT_APPLICABLE = Status.NOT_APPLICABLE


def _absent(fin: Financials, names: Sequence[str]) -> bool:
    return not set(names) & fin.printed_segments()


def _first(fin: Financials, item: str, period: Period, names: Sequence[str],
           statement: StatementKind | None = None) -> Figure | None:
    return next((f for n in names if (f := fin.get(item, period, segment=n, statement=statement)) is not None), None)


# ----------------------------------------------------------------- is it an internet company?


def internet_services(fin: Financials, profile: Profile, _: UserInputs) -> Iterable[MetricResult]:
    period, names = fin.main_period, profile.roles.internet
    if not names or period is None or _absent(fin, names):
        why = "the profile names no internet segment" if not names else f"no {', '.join(names)} segment in " \
            "this filing"
        return [na("internet_checks", "Internet services checks", period, "internet-company test", why,
                   NOT_APPLICABLE)]
    revenue, gross = _first(fin, "revenue", period, names), _first(fin, "gross_profit", period, names)
    segment = revenue.segment if revenue is not None else names[0]
    results = [
        ratio("internet_revenue_share", "Internet services share of revenue", period,
              "internet services revenue ÷ group revenue", revenue, fin.get("revenue", period),
              "no internet services segment revenue", whole_missing="no group revenue printed"),
        ratio("internet_gross_profit_share", "Internet services share of gross profit", period,
              "internet services gross profit ÷ group gross profit", gross, fin.get("gross_profit", period),
              "no internet services segment gross profit", whole_missing="no group gross profit printed"),
        ratio("internet_gross_margin", "Internet services gross margin", period,
              "internet services gross profit ÷ internet services revenue", gross, revenue,
              "no internet services segment gross profit or revenue"),
        growth("internet_revenue_growth", "Internet services revenue growth (YoY)", fin, "revenue", period,
               fin.prior_year(period), "YoY", segment=segment),
        growth("group_revenue_growth", "Group revenue growth (YoY)", fin, "revenue", period,
               fin.prior_year(period), "YoY"),
    ]
    return [*results, *_internet_test(results, profile, period)]


def _criterion(metric_id: str, label: str, basis: MetricResult, met: Callable[[Decimal], bool],
               inputs: Sequence[Figure] = ()) -> MetricResult:
    if basis.value is None:  # n/a already, with the basis's reason
        return basis.model_copy(update={"id": metric_id, "label": label})
    return basis.model_copy(update={"id": metric_id, "label": label, "verdict": "met" if met(basis.value)
                                    else "not met", "inputs": (*basis.inputs, *inputs)})


def _internet_test(results: Sequence[MetricResult], profile: Profile, period: Period) -> list[MetricResult]:
    share, profit, _, internet, group = results
    limits = profile.thresholds
    if group.value is None:  # faster than the group cannot be judged without the group's growth
        internet = internet.model_copy(update={"value": None, "status": Status.NOT_AVAILABLE,
                                               "reason": f"group revenue growth is n/a: {group.reason}"})
    criteria = [
        _criterion("internet_test_scale", f"At scale: internet services ≥ {limits.internet_scale_share_pct}% of "
                   "revenue", share, lambda v: v >= limits.internet_scale_share_pct),
        _criterion("internet_test_profit", f"Main source of profit: ≥ {limits.internet_profit_share_pct}% of "
                   "gross profit", profit, lambda v: v >= limits.internet_profit_share_pct),
        _criterion("internet_test_growth", "Grows faster than the group (YoY revenue growth)", internet,
                   lambda v: group.value is not None and v > group.value, group.inputs),
    ]
    checkable = [r for r in criteria if r.value is not None]
    label, formula = "Internet company test", "count of the three criteria met"
    if not checkable:
        reason = "no criterion is checkable: " + "; ".join(dict.fromkeys(r.reason or "" for r in criteria))
        return [*criteria, na("internet_company", label, period, formula, reason)]
    met = sum(1 for r in checkable if r.verdict == "met")
    verdict = f"{met} of {len(checkable)} checkable criteria met"
    test = MetricResult(
        id="internet_company", label=label, period=period.label, value=Decimal(met), unit="criteria met",
        formula=formula, inputs=tuple(dict.fromkeys(f for r in checkable for f in r.inputs)),
        verdict=verdict + ("" if len(checkable) == len(criteria) else
                           f" ({len(criteria) - len(checkable)} not checkable)"),
    )
    return [*criteria, test]


# ----------------------------------------------------------------- overseas mix


def overseas_mix(fin: Financials, profile: Profile, _user: UserInputs) -> Iterable[MetricResult]:
    period = fin.main_period
    if period is None:
        return []
    whole = fin.get("revenue", period, statement=StatementKind.GEOGRAPHY) or fin.get("revenue", period)
    abroad = _region(fin, period, profile.roles.international)
    home = _region(fin, period, profile.roles.domestic)
    abroad_name = (abroad.region if abroad else None) or " / ".join(profile.roles.international) or "international"
    home_name = (home.region if home else None) or " / ".join(profile.roles.domestic) or "domestic"
    formula = "{region} revenue ÷ group revenue"
    return [
        ratio("international_revenue_share", "International share of revenue", period,
              formula.format(region=abroad_name), abroad, whole, f"no revenue by geography ({abroad_name}) printed",
              whole_missing="no group revenue printed"),
        ratio("mainland_china_revenue_share", f"{printed_name(home, _title(home_name))} share of revenue", period,
              formula.format(region=home_name), home, whole, f"no revenue by geography ({home_name}) printed",
              whole_missing="no group revenue printed"),
        growth("international_revenue_growth", "International revenue growth (YoY)", fin, "revenue", period,
               fin.prior_year(period), "YoY", region=abroad_name),
    ]


def _region(fin: Financials, period: Period, names: Sequence[str]) -> Figure | None:
    return next((f for n in names if (f := fin.get("revenue", period, region=n)) is not None), None)


def _title(region: str) -> str:
    text = region.replace("_", " ")
    return text[:1].upper() + text[1:]


# ----------------------------------------------------------------- smart EV


def smart_ev(fin: Financials, profile: Profile, _: UserInputs) -> Iterable[MetricResult]:
    period, names, lines = fin.main_period, profile.roles.ev, profile.roles.ev_subline
    if not names or period is None or _absent(fin, (*names, *lines)):
        why = "the profile names no EV segment" if not names else f"no {', '.join(names)} segment in this filing"
        return [na("ev_checks", "Smart EV checks", period, "smart EV segment and line", why, NOT_APPLICABLE)]
    segment = _first(fin, "revenue", period, names, StatementKind.SEGMENT_REVENUE) or _first(
        fin, "revenue", period, names)
    sub = _first(fin, "revenue", period, lines, StatementKind.SEGMENT_REVENUE) or _first(fin, "revenue", period, lines)
    gross = _first(fin, "gross_profit", period, names, StatementKind.SEGMENT_GROSS_PROFIT)
    group = fin.get("revenue", period)
    seg_name, line_name = printed_name(segment, "Smart EV segment"), printed_name(sub, "Smart EV")
    deliveries = fin.get("ev_deliveries", period)
    results = [
        ratio("ev_segment_revenue_share", f"{seg_name}: share of revenue", period,
              "EV segment revenue ÷ group revenue", segment, group, "no smart EV segment revenue printed",
              refuse_nil=True, whole_missing="no group revenue printed"),
        ratio("ev_line_revenue_share", f"{line_name}: share of revenue", period, "smart EV line revenue ÷ group "
              "revenue", sub, group, "no smart EV line printed inside the segment", refuse_nil=True,
              whole_missing="no group revenue printed"),
        ratio("ev_segment_gross_margin", f"{seg_name}: gross margin", period,
              "EV segment gross profit (segment gross-profit table) ÷ EV segment revenue", gross, segment,
              "no segment gross-profit table with the EV segment", refuse_nil=True,
              whole_missing="no smart EV segment revenue printed"),
        per_delivery(period, sub, deliveries, line_name),
    ]
    if deliveries is not None:
        results.append(_as_printed("ev_deliveries", f"{line_name}: deliveries", period, deliveries, "vehicles"))
    loss = _first(fin, "adjusted_net_loss", period, names)
    if loss is not None:
        results.append(_as_printed("ev_adjusted_net_loss", f"{seg_name}: adjusted net loss", period, loss,
                                   loss.unit.label))
    return results


def per_delivery(period: Period, revenue: Figure | None, deliveries: Figure | None, name: str) -> MetricResult:
    currency = (revenue.unit.currency if revenue is not None else None) or "revenue"
    label = f"{name}: revenue per vehicle delivered"
    formula = f"smart EV line revenue ÷ vehicles delivered ({currency} per vehicle)"
    metric_id = "ev_revenue_per_delivery"
    if revenue is None or deliveries is None or deliveries.value is None:
        return na(metric_id, label, period, formula, "no smart EV line revenue or no deliveries printed")
    if is_nil(revenue) or is_nil(deliveries):
        return na(metric_id, label, period, formula, "revenue or deliveries printed as nil: 0 per vehicle is "
                  "not a result")
    return MetricResult(
        id=metric_id, label=label, period=period.label,
        value=(millions(revenue) * 1_000_000 / deliveries.value).quantize(Decimal(1)),
        unit=f"{currency} per vehicle", formula=formula, inputs=(revenue, deliveries),
    )


def _as_printed(metric_id: str, label: str, period: Period, figure: Figure, unit: str) -> MetricResult:
    return MetricResult(id=metric_id, label=label, period=period.label, value=figure.value, unit=unit,
                        formula=f"as printed: '{figure.source.raw_text}'", inputs=(figure,))
