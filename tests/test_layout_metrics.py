"""Every metric of every layout variant and every fixture filing, against a hand computation from what the file
prints (issue 11, "Done when").

The truth is what the generators printed, never the engine's figures: each layout variant's `expected` cells
(fixtures/layouts.py) and each fixture filing's manifest (fixtures/expected/*.json). From it the test works out
what every metric must be, one small function per family, the arithmetic written out:
  * shares and margins: part ÷ whole × 100, to 0.01 (internet, overseas and EV shares, group and segment margins);
  * growth: current ÷ comparative − 1, year on year against the same period a year earlier; quarter on quarter
    only against a printed prior quarter (otherwise one `growth_qoq` line, n/a); n/a for a loss in either period;
  * the profit bridge: adjusted − reported net profit, and the non-cash part of the reported result;
  * the hardware net margin: allocation by revenue share, effective or statutory tax, the range across methods;
  * the internet-company test counts its checkable criteria; printed facts (deliveries, cash) as printed; WVR
    1 ÷ (k + 1); valuation and voting share not requested.
A metric whose inputs the file does not print is n/a (or not applicable) with exactly the reason that holds. The
report must compute exactly these metrics (none unchecked, none missing), each with the value, status, reason and
verdict worked out here, and no metric of any report may be ok (or breach) on a contradicted input.

Which copy of a figure printed twice is the figure: the statement before a summary (income statement, key
highlights, segment tables, geography, reconciliation), the first printing of a table printed twice. The headline
period: among the periods that end last, a full year before a half before a quarter, nine months last.

KNOWN_WRONG holds the files whose metrics today's engine gets wrong because of the table reader, each with a
one-line diagnosis; they run as strict xfails (delete the line when the reader is fixed).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, load_layouts, report_for, variant_report
from xiaomi_check.models import MetricResult, Report, Status, VerificationStatus
from xiaomi_check.profile import load_profile

D = Decimal
HUNDRED, CENT = D(100), D("0.01")
OK, BREACH, NA = Status.OK, Status.BREACH, Status.NOT_AVAILABLE
NOT_APPLICABLE, NOT_REQUESTED = Status.NOT_APPLICABLE, Status.NOT_REQUESTED
PROFILE = load_profile()
LIMITS = PROFILE.thresholds
HARDWARE, INTERNET, EV, EV_LINE = ("smartphones", "iot_lifestyle"), "internet_services", "smart_ev_new_initiatives", \
    "smart_ev"
DOMESTIC, INTERNATIONAL = "mainland_china", "international"
PROFILE_NAMES = {*HARDWARE, INTERNET, EV, EV_LINE, "others", "smartphone_x_aiot/others",
                 "smart_ev_new_initiatives/others", "smartphone_x_aiot", DOMESTIC, INTERNATIONAL}
OPEX = ("selling_and_marketing_expenses", "administrative_expenses", "research_and_development_expenses")
HEADLINES = ("revenue", "gross_profit", "operating_profit", "profit_for_period", "adjusted_net_profit")
MARGINS = (("gross_margin", "gross_profit"), ("operating_margin", "operating_profit"),
           ("net_margin", "profit_for_period"), ("adjusted_net_margin", "adjusted_net_profit"))
STATEMENTS = ("income_statement", "key_highlights", "segment_revenue", "segment_gross_profit", "geography",
              "non_gaap_reconciliation", "operating_data")  # which copy of a figure is the figure
IS, SEG, GP, GEO, REC = ("income_statement", "segment_revenue", "segment_gross_profit", "geography",
                         "non_gaap_reconciliation")
PREFERRED, INVESTMENTS = "fair_value_changes_preferred_shares", "fair_value_changes_on_investments"
LOSS = "a loss in either period: growth is not meaningful (the filing prints N/A or 無意義 here too)"
NO_PRIOR_QUARTER = ("the filing prints no figures for the quarter before: no quarter-on-quarter growth (year on "
                    "year is not a substitute)")

# ================================================================= the truth: what the file prints


@dataclass(frozen=True)
class Printed:
    """One printed cell: money in millions of its currency; a count or a sentence's amount as printed; a
    percentage as printed. None: printed as N/A (a dash is 0)."""

    statement: str
    item: str
    segment: str | None
    region: str | None
    period: str
    value: Decimal | None
    kind: str = "money"  # money | percent | count | balance


class Truth:
    def __init__(self, printed: Iterable[Printed]) -> None:
        self.printed = tuple(printed)

    def get(self, item: str, period: str | None, segment: str | None = None, region: str | None = None,
            statement: str | None = None) -> Decimal | None:
        """The value of the copy the metrics must read: the first statement (STATEMENTS) that prints it with a
        value, the first printing of that statement."""
        for kind in STATEMENTS:
            for p in self.printed:
                if (p.statement == kind and statement in (None, kind) and (p.item, p.segment, p.region, p.period)
                        == (item, segment, region, period) and p.value is not None):
                    return p.value
        return None

    def periods(self) -> set[str]:
        return {p.period for p in self.printed if p.kind == "money"}

    def names(self) -> set[str]:
        """Every segment and region printed."""
        return {n for p in self.printed for n in (p.segment, p.region) if n}

    def segments_with(self, item: str, period: str) -> set[str]:
        return {p.segment for p in self.printed if p.item == item and p.period == period and p.segment}

    def prior_year(self, period: str) -> str | None:
        kind, year = period[:-4], int(period[-4:])
        return _printed_period(self, f"{kind}{year - 1}")

    def prior_quarter(self, period: str) -> str | None:
        quarter, year = int(period[1]), int(period[-4:])
        return _printed_period(self, f"Q{quarter - 1} {year}" if quarter > 1 else f"Q4 {year - 1}")


def _printed_period(truth: Truth, label: str) -> str | None:
    return label if label in truth.periods() else None


_END_MONTH = {"FY": 12, "H1 ": 6, "9M ": 9, "Q1 ": 3, "Q2 ": 6, "Q3 ": 9, "Q4 ": 12}
_SPAN_ORDER = ("FY", "H", "Q", "9M")  # among periods that end together: a year, a half, a quarter, nine months


def headline(periods: Iterable[str]) -> str:
    def rank(label: str) -> tuple[int, int, int]:
        prefix = label[:-4]
        return (-int(label[-4:]), -_END_MONTH[prefix], next(i for i, s in enumerate(_SPAN_ORDER)
                                                             if prefix.startswith(s)))
    return min(periods, key=rank)


def is_quarter(period: str) -> bool:
    return period.startswith("Q")


def period_end(period: str) -> str:
    """Q3 2024 → 2024-09-30: the date a balance printed for the period carries."""
    month = _END_MONTH[period[:-4]]
    return f"{period[-4:]}-{month:02d}-{30 if month in (6, 9) else 31}"


# ---- variants: their `expected` cells


def _kind_of(item: str) -> str:
    percent = item == "gross_margin" or item.endswith(("_share", "_change_yoy", "_change_qoq", "_change"))
    return "percent" if percent else "money"


def variant_truth(variant: Any) -> Truth:
    layout = dict(load_layouts().SPECS[variant.kind])[variant.name]
    # the three-and-nine-months income statement is printed in RMB'000 (layouts.IS_Q9); every other table in millions
    scale = D(1000) if variant.kind == "income_statement" and layout.base == "q9" else D(1)
    return Truth(Printed(e.statement, e.item, e.segment, e.region, e.period,
                         None if e.value is None else e.value / scale if _kind_of(e.item) == "money" else e.value,
                         _kind_of(e.item)) for e in variant.expected)


# ---- fixture filings: their manifests

_DASHES, _NA_WORDS = {"—", "–", "-", "nil"}, {"n/a", "不適用", "無意義"}
_NUMBER = re.compile(r"(?:RMB|HK\$|US\$)?(\()?(-)?([\d,]+(?:\.\d+)?)\)?%?(?: ?(?:billion|million))?")


def printed_number(text: str) -> Decimal | None:
    """'(41,829.4)' → -41829.4, '—' → 0, 'N/A' → None, '５，３６１．９' → 5361.9, 'RMB151.6 billion' → 151.6."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if folded in _DASHES:
        return D(0)
    if folded.casefold() in _NA_WORDS:
        return None
    match = _NUMBER.fullmatch(folded)
    assert match, f"not a printed number: {text!r}"
    value = D(match[3].replace(",", ""))
    return -value if match[1] or match[2] else value


def _manifest_row(row: dict[str, Any]) -> Printed:
    kind = _kind_of(row["item"])
    if row["table"] is None:  # a sentence: deliveries are a count, cash resources a balance in its own unit
        kind = "count" if row["unit"] == "units" else "balance"
    value = printed_number(row["value"])
    if kind == "money" and value is not None and "000" in row["unit"]:  # RMB'000, HK$'000
        value = value / 1000
    return Printed(row["statement"], row["item"], row["segment"], row["region"], row["period"], value, kind)


def manifest_truth(manifest: dict[str, Any]) -> Truth:
    rows = sorted(manifest["figures"], key=lambda r: r["page"])  # a table printed twice: its first printing first
    return Truth(_manifest_row(r) for r in rows)


# ================================================================= the hand computations


@dataclass(frozen=True)
class Want:
    value: Decimal | None
    status: Status = OK
    reason: str | None = None
    verdict: str | None = None  # how the verdict must begin, when the metric states one


Key = tuple[str, str | None]  # (metric id, period)


def no_value(reason: str, status: Status = NA) -> Want:
    return Want(None, status, reason)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * HUNDRED).quantize(CENT, ROUND_HALF_UP)


def growth_pct(current: Decimal, comparative: Decimal) -> Decimal:
    """current ÷ comparative − 1, in percent."""
    return ((current / comparative - 1) * HUNDRED).quantize(CENT, ROUND_HALF_UP)


def share(part: Decimal | None, whole: Decimal | None, part_missing: str, whole_missing: str,
          nil_part: str | None = None) -> Want:
    """part ÷ whole (a share or a margin); `nil_part`: the reason when a part printed as a dash is refused."""
    if part is None:
        return no_value(part_missing)
    if whole is None:
        return no_value(whole_missing)
    if nil_part is not None and part == 0:
        return no_value(nil_part)
    return Want(percent(part, whole))


def growth(truth: Truth, item: str, period: str, comparative: str | None, basis: str, segment: str | None = None,
           region: str | None = None) -> Want:
    name = item + (f" ({segment or region})" if segment or region else "")
    now = truth.get(item, period, segment, region)
    then = truth.get(item, comparative, segment, region) if comparative else None
    if now is None:
        return no_value(f"{name} {period} not printed")
    if comparative is None:
        return no_value(f"no {basis} comparative period printed")
    if then is None:
        return no_value(f"no {basis} comparative: {name} {comparative} not printed")
    if then == 0:
        return no_value(f"{name} {comparative} is printed as nil: growth from nothing is not defined")
    if now < 0 or then < 0:
        return no_value(LOSS)
    return Want(growth_pct(now, then))


# ---- hardware net margin


def tax_rate(truth: Truth, period: str) -> tuple[Decimal, bool]:
    """|income tax| ÷ profit before tax when meaningful (positive profit, rate in range, fair-value changes at
    most the dominance share of it), else the statutory rate; and whether it is the effective rate."""
    statutory = LIMITS.statutory_tax_rate_pct / HUNDRED
    tax, before = truth.get("income_tax", period), truth.get("profit_before_tax", period)
    if tax is None or before is None or before <= 0:
        return statutory, False
    rate = abs(tax) / before
    fair_value = sum(abs(v) for item in (PREFERRED, INVESTMENTS) if (v := truth.get(item, period, statement=IS))
                     is not None)
    if fair_value > LIMITS.fair_value_dominance_pct / HUNDRED * before or not (
            LIMITS.effective_tax_min_pct / HUNDRED <= rate <= LIMITS.effective_tax_max_pct / HUNDRED):
        return statutory, False
    return rate, True


def hardware_margin(truth: Truth, period: str) -> Want:
    revenue = [truth.get("revenue", period, segment=s) for s in HARDWARE]
    gross = [truth.get("gross_profit", period, segment=s) for s in HARDWARE]
    group_revenue, group_gross = truth.get("revenue", period), truth.get("gross_profit", period)
    opex = [truth.get(item, period) for item in OPEX]
    if None in revenue or None in gross:
        return no_value("a hardware segment's revenue or gross profit is missing")
    if group_revenue is None or group_gross is None or None in opex:
        return no_value("group revenue, gross profit or an operating expense line (S&M, admin, R&D) is missing")
    hw_revenue, hw_gross = sum(v for v in revenue if v is not None), sum(v for v in gross if v is not None)
    expenses = sum(abs(v) for v in opex if v is not None)
    rate, effective = tax_rate(truth, period)

    def net_margin(allocation: Decimal, tax: Decimal) -> Decimal:
        profit = hw_gross - expenses * allocation
        return (profit * (1 - tax) if profit > 0 else profit) / hw_revenue * HUNDRED

    by_revenue, by_gross_profit = hw_revenue / group_revenue, hw_gross / group_gross
    rates = [rate, LIMITS.statutory_tax_rate_pct / HUNDRED] if effective else [rate]
    every = [net_margin(a, t).quantize(CENT, ROUND_HALF_UP) for a in (by_revenue, by_gross_profit) for t in rates]
    value, cap = net_margin(by_revenue, rate).quantize(CENT, ROUND_HALF_UP), LIMITS.hardware_net_margin_cap_pct
    verdict = (f"{'above' if value > cap else 'within'} the {cap}% cap; range {min(every)}% to {max(every)}% "
               "across methods")
    return Want(value, BREACH if value > cap else OK, verdict=verdict)


def hardware(truth: Truth, main: str) -> dict[Key, Want]:
    if not set(HARDWARE) & truth.names():
        return {("hardware_net_margin", None): no_value(
            f"no hardware segment ({', '.join(HARDWARE)}) in this filing", NOT_APPLICABLE)}
    periods = [p for p in truth.periods() if any(truth.get("gross_profit", p, segment=s) is not None
                                                 for s in HARDWARE)]
    if not periods:
        return {("hardware_net_margin", main): no_value("no segment gross profit table for the hardware segments")}
    return {("hardware_net_margin", p): hardware_margin(truth, p) for p in periods}


# ---- profit bridge


def non_cash(reported: Decimal, effect: Decimal | None) -> str:
    """How the bridge's verdict begins: the reported result, and the part of it that fair-value changes of
    preferred shares make (effect < 0: a loss), "mainly" at or above the dominance share."""
    result = f"reported {'profit' if reported >= 0 else 'loss'} of {abs(reported):,} million"
    if not effect:
        return result + ";"
    kind = "gain" if effect > 0 else "loss"
    if (reported >= 0) != (effect > 0):
        return f"{result} despite a non-cash {kind} of {abs(effect):,} million"
    mainly = abs(effect) * HUNDRED >= LIMITS.fair_value_dominance_pct * abs(reported)
    return f"{result} is {'mainly' if mainly else 'partly'} non-cash: a {kind} of {abs(effect):,} million"


def bridge(truth: Truth, period: str) -> Want:
    reported = truth.get("profit_for_period", period, statement=REC)
    if reported is None:
        reported = truth.get("profit_for_period", period)
    adjusted = truth.get("adjusted_net_profit", period)
    assert reported is not None and adjusted is not None
    added_back = truth.get(PREFERRED, period, statement=REC)  # a reconciliation adds the change back
    effect = -added_back if added_back is not None else truth.get(PREFERRED, period, statement=IS)
    return Want(adjusted - reported, verdict=non_cash(reported, effect))


def profit_bridge(truth: Truth, main: str) -> dict[Key, Want]:
    periods = [p for p in truth.periods() if truth.get("adjusted_net_profit", p) is not None
               and truth.get("profit_for_period", p) is not None]
    if periods:
        return {("profit_bridge", p): bridge(truth, p) for p in periods}
    adjusted = any(truth.get("adjusted_net_profit", p) is not None for p in truth.periods())
    return {("profit_bridge", main): no_value("no reported profit printed beside the adjusted net profit" if adjusted
                                              else "no adjusted (non-IFRS / non-GAAP) net profit printed")}


# ---- internet services


def criterion(basis: Want, met: Callable[[Decimal], bool]) -> Want:
    if basis.value is None:
        return basis
    return Want(basis.value, verdict="met" if met(basis.value) else "not met")


def internet(truth: Truth, main: str) -> dict[Key, Want]:
    if INTERNET not in truth.names():
        return {("internet_checks", main): no_value(f"no {INTERNET} segment in this filing", NOT_APPLICABLE)}
    revenue, gross = truth.get("revenue", main, segment=INTERNET), truth.get("gross_profit", main, segment=INTERNET)
    prior = truth.prior_year(main)
    own, group = growth(truth, "revenue", main, prior, "YoY", segment=INTERNET), growth(truth, "revenue", main,
                                                                                         prior, "YoY")
    out = {
        "internet_revenue_share": share(revenue, truth.get("revenue", main), "no internet services segment revenue",
                                        "no group revenue printed"),
        "internet_gross_profit_share": share(gross, truth.get("gross_profit", main),
                                             "no internet services segment gross profit",
                                             "no group gross profit printed"),
        "internet_gross_margin": share(gross, revenue, "no internet services segment gross profit or revenue",
                                       "no internet services segment gross profit or revenue"),
        "internet_revenue_growth": own,
        "group_revenue_growth": group,
    }
    faster = no_value(f"group revenue growth is n/a: {group.reason}") if group.value is None else criterion(
        own, lambda v: group.value is not None and v > group.value)
    out |= {
        "internet_test_scale": criterion(out["internet_revenue_share"], lambda v: v >= LIMITS.internet_scale_share_pct),
        "internet_test_profit": criterion(out["internet_gross_profit_share"],
                                          lambda v: v >= LIMITS.internet_profit_share_pct),
        "internet_test_growth": faster,
    }
    criteria = [out["internet_test_scale"], out["internet_test_profit"], out["internet_test_growth"]]
    checkable = [c for c in criteria if c.value is not None]
    met = sum(1 for c in checkable if c.verdict == "met")
    out["internet_company"] = no_value("no criterion is checkable: " + "; ".join(
        dict.fromkeys(c.reason or "" for c in criteria))) if not checkable else Want(
        D(met), verdict=f"{met} of {len(checkable)} checkable criteria met"
        + ("" if len(checkable) == 3 else f" ({3 - len(checkable)} not checkable)"))
    return {(k, main): v for k, v in out.items()}


# ---- overseas mix


def overseas(truth: Truth, main: str) -> dict[Key, Want]:
    whole = truth.get("revenue", main, statement=GEO)
    if whole is None:
        whole = truth.get("revenue", main)
    return {
        ("international_revenue_share", main): share(truth.get("revenue", main, region=INTERNATIONAL), whole,
                                                     "no revenue by geography (international) printed",
                                                     "no group revenue printed"),
        ("mainland_china_revenue_share", main): share(truth.get("revenue", main, region=DOMESTIC), whole,
                                                      "no revenue by geography (mainland_china) printed",
                                                      "no group revenue printed"),
        ("international_revenue_growth", main): growth(truth, "revenue", main, truth.prior_year(main), "YoY",
                                                       region=INTERNATIONAL),
    }


# ---- smart EV


def per_vehicle(revenue: Decimal | None, deliveries: Decimal | None) -> Want:
    """The smart-EV line's revenue (millions) × 10⁶ ÷ vehicles delivered."""
    if revenue is None or deliveries is None:
        return no_value("no smart EV line revenue or no deliveries printed")
    if revenue == 0 or deliveries == 0:
        return no_value("revenue or deliveries printed as nil: 0 per vehicle is not a result")
    return Want((revenue * 1_000_000 / deliveries).quantize(D(1), ROUND_HALF_UP))


def smart_ev(truth: Truth, main: str) -> dict[Key, Want]:
    if not {EV, EV_LINE} & truth.names():
        return {("ev_checks", main): no_value(f"no {EV} segment in this filing", NOT_APPLICABLE)}
    segment = truth.get("revenue", main, segment=EV, statement=SEG)
    segment = segment if segment is not None else truth.get("revenue", main, segment=EV)
    line = truth.get("revenue", main, segment=EV_LINE, statement=SEG)
    line = line if line is not None else truth.get("revenue", main, segment=EV_LINE)
    group, deliveries = truth.get("revenue", main), truth.get("ev_deliveries", main)
    out = {
        "ev_segment_revenue_share": share(segment, group, "no smart EV segment revenue printed",
                                          "no group revenue printed",
                                          f"revenue · {EV} {main} is printed as nil: 0% is not a result"),
        "ev_line_revenue_share": share(line, group, "no smart EV line printed inside the segment",
                                       "no group revenue printed",
                                       f"revenue · {EV_LINE} {main} is printed as nil: 0% is not a result"),
        "ev_segment_gross_margin": share(truth.get("gross_profit", main, segment=EV, statement=GP), segment,
                                         "no segment gross-profit table with the EV segment",
                                         "no smart EV segment revenue printed",
                                         f"gross_profit · {EV} {main} is printed as nil: 0% is not a result"),
        "ev_revenue_per_delivery": per_vehicle(line, deliveries),
    }
    if deliveries is not None:
        out["ev_deliveries"] = Want(deliveries)
    loss = truth.get("adjusted_net_loss", main, segment=EV)
    if loss is not None:
        out["ev_adjusted_net_loss"] = Want(loss)
    return {(k, main): v for k, v in out.items()}


# ---- the group: margins, growth, cash


def group(truth: Truth, main: str) -> dict[Key, Want]:
    revenue = truth.get("revenue", main)
    out: dict[Key, Want] = {(mid, main): share(truth.get(item, main), revenue, f"no {item} printed",
                                               "no revenue printed") for mid, item in MARGINS}
    out |= {(f"segment_gross_margin:{s}", main): share(
        truth.get("gross_profit", main, segment=s), truth.get("revenue", main, segment=s),
        f"no {s} gross profit printed", f"no {s} revenue") for s in truth.segments_with("gross_profit", main)}
    out |= {(f"growth_yoy:{item}", main): growth(truth, item, main, truth.prior_year(main), "YoY")
            for item in HEADLINES}
    if is_quarter(main):
        before = truth.prior_quarter(main)
        out |= {(f"growth_qoq:{item}", main): growth(truth, item, main, before, "QoQ") for item in HEADLINES} \
            if before else {("growth_qoq", main): no_value(NO_PRIOR_QUARTER)}
    cash = truth.get("cash_resources", main, statement="operating_data")
    if cash is not None:
        out[("cash_resources", period_end(main))] = Want(cash)
    return out


def control_and_valuation(main: str, company: bool) -> dict[Key, Want]:
    k = D(LIMITS.votes_per_class_a_share)
    out: dict[Key, Want] = {(mid, main): no_value("no market value given (--market-cap)", NOT_REQUESTED)
           for mid in ("pe_reported", "pe_adjusted", "ps")}
    if company:  # 1 ÷ (k + 1): a holder of that share, all in Class A, has half the votes
        out[("wvr_majority_stake", None)] = Want(percent(D(1), k + 1))
        out[("wvr_voting_share", None)] = no_value("share counts not given (xiaomi-check wvr --class-a-held ...)",
                                                   NOT_REQUESTED)
    return out


def expected_metrics(truth: Truth) -> dict[Key, Want]:
    main = headline(truth.periods())
    company = bool(PROFILE_NAMES & truth.names())
    if company:
        out = hardware(truth, main) | internet(truth, main) | overseas(truth, main) | smart_ev(truth, main)
    else:
        out = {("segment_checks", main): no_value(
            "not applicable, no such segments: the filing prints none of the segments or regions of the "
            f"{PROFILE.name} profile", NOT_APPLICABLE)}
    return out | profit_bridge(truth, main) | group(truth, main) | control_and_valuation(main, company)


# ================================================================= the comparison


def _shown(m: MetricResult) -> str:
    return f"{m.value} {m.status.value}" + (f" ({m.reason})" if m.reason else "") + (
        f" [{m.verdict}]" if m.verdict else "")


def _differences(m: MetricResult, want: Want) -> list[str]:
    problems = []
    if m.value != want.value or m.status is not want.status:
        problems.append(f"value {want.value} {want.status.value}")
    reason = re.sub(r" \(p\d+\)", "", m.reason) if m.reason else None  # a figure's page is no part of the truth
    if reason != want.reason:
        problems.append(f"reason {want.reason!r}")
    if want.verdict is not None and not m.verdict.startswith(want.verdict):
        problems.append(f"verdict beginning {want.verdict!r}")
    return problems


def metric_problems(report: Report, wants: dict[Key, Want]) -> list[str]:
    """Every way the report's metrics differ from the hand computation, one line each."""
    got: dict[Key, MetricResult] = {}
    problems = []
    for m in report.metrics:
        if (m.id, m.period) in got:
            problems.append(f"twice    {m.id} {m.period}")
        got[(m.id, m.period)] = m
        contradicted = [f for f in m.inputs if f.verification.status is VerificationStatus.CONTRADICTED]
        if contradicted and m.status in (OK, BREACH):
            problems.append(f"{m.status.value} on a contradicted input: {m.id} {m.period}")
    for key in sorted(wants.keys() - got.keys(), key=str):
        problems.append(f"missing  {key[0]} {key[1]}: expected {wants[key]}")
    for key in sorted(got.keys() - wants.keys(), key=str):
        problems.append(f"unchecked {key[0]} {key[1]} = {_shown(got[key])}: no such metric in the hand computation")
    for key in sorted(got.keys() & wants.keys(), key=str):
        if found := _differences(got[key], wants[key]):
            problems.append(f"wrong    {key[0]} {key[1]} = {_shown(got[key])}; expected " + ", ".join(found))
    return problems


# ================================================================= the cases

layouts = load_layouts()
VARIANTS = layouts.all_variants()
# Variant or fixture -> what the table reader does wrong that makes a metric wrong (delete a line when it passes).
KNOWN_WRONG: dict[str, str] = {}


def _marks(name: str) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[name])] if name in KNOWN_WRONG else []


def _assert_metrics(name: str, report: Report, truth: Truth) -> None:
    problems = metric_problems(report, expected_metrics(truth))
    assert not problems, f"{name}: {len(problems)} problem(s)\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("variant", [pytest.param(v, id=v.name, marks=_marks(v.name)) for v in VARIANTS])
def test_every_metric_of_a_layout_variant_is_the_hand_computation(variant: Any) -> None:
    _assert_metrics(variant.name, variant_report(variant.name), variant_truth(variant))


MANIFESTS = [m for m in sorted((FIXTURES / "expected").glob("*.json"))
             if json.loads(m.read_text(encoding="utf-8"))["figures"]]  # the scanned and table-less traps print none


@pytest.mark.parametrize("manifest", [pytest.param(m, id=m.stem, marks=_marks(m.stem)) for m in MANIFESTS])
def test_every_metric_of_a_fixture_filing_is_the_hand_computation(manifest: Path) -> None:
    truth = json.loads(manifest.read_text(encoding="utf-8"))
    _assert_metrics(manifest.stem, report_for(FIXTURES / truth["file"]), manifest_truth(truth))


def test_known_wrong_names_are_cases() -> None:
    assert set(KNOWN_WRONG) <= {v.name for v in VARIANTS} | {m.stem for m in MANIFESTS}

