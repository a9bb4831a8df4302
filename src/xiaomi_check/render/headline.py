"""The headline: five or six lines that answer what the press asks of a filing, each with a verdict in words, a
tone for its colour, and the pages it rests on. Built from the report's metrics (the headline period's result of
each is the first one printed); shared by the terminal and Markdown renderers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from xiaomi_check.models import MetricResult, Report, Status
from xiaomi_check.render.numbers import metric_text, number, places, quantity

Tone = Literal["good", "bad", "warn", "info", "muted"]
TONE_STYLE: dict[Tone, str] = {"good": "bold green", "bad": "bold red", "warn": "bold yellow", "info": "bold",
                               "muted": "dim"}


_REPEATED_TAIL = re.compile(r"; adjusted (profit|loss) [\d,.]+ million$")


@dataclass(frozen=True, slots=True)
class Line:
    topic: str
    verdict: str
    tone: Tone
    answer: str
    pages: tuple[int, ...] = ()


class _Metrics:
    """The first result of each metric id: the headline period's."""

    def __init__(self, metrics: Sequence[MetricResult]) -> None:
        self.first: dict[str, MetricResult] = {}
        for m in metrics:
            self.first.setdefault(m.id, m)

    def get(self, *ids: str) -> MetricResult | None:
        return next((self.first[i] for i in ids if i in self.first), None)

    def value(self, metric_id: str) -> MetricResult | None:
        found = self.first.get(metric_id)
        return found if found is not None and found.value is not None else None


def _pages(*metrics: MetricResult | None) -> tuple[int, ...]:
    return tuple(sorted({f.source.page for m in metrics if m is not None for f in m.inputs}))


def _without_value(topic: str, metric: MetricResult | None, missing: str) -> Line:
    """A line whose metric has no value: not applicable, not requested, n/a, each with its reason."""
    if metric is None:
        return Line(topic, "not found", "warn", missing)
    if metric.status in (Status.NOT_APPLICABLE, Status.NOT_REQUESTED):
        return Line(topic, metric.status.value, "muted", metric.reason or "")
    return Line(topic, "n/a", "warn", metric.reason or missing, _pages(metric))


def _conflict(topic: str, metric: MetricResult, answer: str) -> Line:
    said = "; ".join(metric.conflicts) or "an input is contradicted by the filing's own arithmetic"
    return Line(topic, "conflict", "bad", f"{answer} — not ok: {said}", _pages(metric))


def hardware(found: _Metrics) -> Line:
    topic = "Hardware net margin"
    m = found.get("hardware_net_margin")
    if m is None or m.value is None:
        return _without_value(topic, m, "no hardware net margin: no segment gross profit table")
    answer = f"{metric_text(m)} in {m.period}: {m.verdict}"
    if m.status is Status.CONFLICT:
        return _conflict(topic, m, answer)
    if m.status is Status.BREACH:
        return Line(topic, "above the cap", "bad", answer, _pages(m))
    if "depends on the method" in m.verdict:
        return Line(topic, "within, by method", "warn", answer, _pages(m))
    return Line(topic, "within the cap", "good", answer, _pages(m))


def _working(metric: MetricResult, label: str) -> Decimal | None:
    return next((w.value for w in metric.working if w.label == label), None)


def profit(found: _Metrics) -> Line:
    topic = "Profit bridge"
    m = found.get("profit_bridge")
    if m is None or m.value is None:
        line = _without_value(topic, m, "no adjusted (non-IFRS / non-GAAP) profit printed")
        margins = [found.value(i) for i in ("operating_margin", "net_margin")]
        shown = "; ".join(f"{x.label.lower()} {metric_text(x)}" for x in margins if x is not None)
        return Line(topic, line.verdict, line.tone, f"{line.answer}{'; ' + shown if shown else ''}",
                    _pages(m, *margins))
    currency = next((f.unit.currency for f in m.inputs if f.unit.currency), None)
    decimals = places(m.value)
    chain = [(name, _working(m, label)) for name, label in (("operating", "operating_profit"),
                                                            ("reported", "reported profit"),
                                                            ("adjusted", "adjusted net profit"))]
    path = " → ".join(f"{name} {number(value, decimals)}" for name, value in chain if value is not None)
    steps = [w for w in m.working if w.label.startswith("+ ") and w.value is not None]
    answer = f"{path} {currency + ' ' if currency else ''}million in {m.period}; adjusted − reported " \
             f"{number(m.value, decimals)}"
    if "non-cash" in m.verdict:  # the bridge's own words name the non-cash part; its tail repeats the path
        answer += ". " + _sentence(_REPEATED_TAIL.sub("", m.verdict))
    elif steps:
        largest = max(steps, key=lambda w: abs(w.value or Decimal(0)))
        answer += f" over {len(steps)} adjustment(s), the largest {largest.label.removeprefix('+ ')} " \
                  f"{number(largest.value or Decimal(0), decimals)}"
    if m.status is Status.CONFLICT:
        return _conflict(topic, m, answer)
    verdict, tone = "gap = adjustments", "info"
    for words, said, shade in (("mainly non-cash", "mainly non-cash", "warn"), ("partly non-cash", "partly non-cash",
                               "info"), ("despite a non-cash", "despite non-cash", "info")):
        if words in m.verdict:
            verdict, tone = said, shade
            break
    return Line(topic, verdict, tone, answer, _pages(m))  # type: ignore[arg-type]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") or not text else ".")


def internet(found: _Metrics) -> Line:
    topic = "Internet services"
    test = found.get("internet_company", "internet_checks")
    share, gross = found.value("internet_revenue_share"), found.value("internet_gross_profit_share")
    parts = [f"{metric_text(share)} of revenue" if share else "", f"{metric_text(gross)} of gross profit" if gross
             else ""]
    said = ", ".join(p for p in parts if p)
    if test is None or test.value is None:
        line = _without_value(topic, test, "no internet services segment")
        return Line(topic, line.verdict, line.tone, "; ".join(p for p in (said, line.answer) if p),
                    _pages(test, share, gross))
    answer = f"{said} in {test.period}; internet-company test: {test.verdict}"
    if test.status is Status.CONFLICT:
        return _conflict(topic, test, answer)
    criteria = [found.get(i) for i in ("internet_test_scale", "internet_test_profit", "internet_test_growth")]
    met = sum(1 for c in criteria if c is not None and c.verdict == "met")
    if met == len(criteria):
        return Line(topic, "internet company", "good", answer, _pages(test, share, gross))
    if met:
        return Line(topic, f"{met} of {len(criteria)} criteria", "warn", answer, _pages(test, share, gross))
    return Line(topic, "not an internet company", "bad", answer, _pages(test, share, gross))


def overseas(found: _Metrics) -> Line:
    topic = "Overseas"
    share = found.get("international_revenue_share")
    if share is None or share.value is None:
        return _without_value(topic, share, "no revenue by geography printed")
    growth = found.value("international_revenue_growth")
    group = found.value("group_revenue_growth") or found.value("growth_yoy:revenue")
    answer = f"{metric_text(share)} of revenue in {share.period}"
    if growth is not None:
        answer += f", growing {metric_text(growth)} year on year"
        if group is not None:
            answer += f" against {metric_text(group)} for the group"
    if share.status is Status.CONFLICT:
        return _conflict(topic, share, answer)
    if growth is None or group is None or growth.value is None or group.value is None:
        return Line(topic, "share", "info", answer, _pages(share, growth))
    rising = growth.value > group.value
    return Line(topic, "share rising" if rising else "share falling", "good" if rising else "warn", answer,
                _pages(share, growth, group))


def smart_ev(found: _Metrics) -> Line:
    topic = "Smart EV"
    share = found.get("ev_line_revenue_share", "ev_segment_revenue_share", "ev_checks")
    if share is None or share.value is None:
        return _without_value(topic, share, "no smart EV segment")
    margin = found.value("ev_segment_gross_margin")
    per = found.value("ev_revenue_per_delivery")
    deliveries = found.value("ev_deliveries")
    parts = [f"{metric_text(share)} of revenue in {share.period}"]
    if margin is not None:
        parts.append(f"{margin.label} {metric_text(margin)}")
    if per is not None:
        delivered = f" ({number(deliveries.value)} delivered)" if deliveries and deliveries.value else ""
        parts.append(f"{metric_text(per)}{delivered}")
    answer = "; ".join(parts)
    used = (share, margin, per, deliveries)
    if any(m is not None and m.status is Status.CONFLICT for m in used):
        return _conflict(topic, next(m for m in used if m is not None and m.status is Status.CONFLICT), answer)
    if margin is None or margin.value is None:
        return Line(topic, "no margin", "warn", answer, _pages(*used))
    positive = margin.value > 0
    return Line(topic, "gross profit" if positive else "gross loss", "good" if positive else "bad", answer,
                _pages(*used))


def cash(found: _Metrics) -> Line:
    topic = "Cash"
    m = found.get("cash_resources")
    if m is None or m.value is None:
        return Line(topic, "not found", "warn", "no cash resources printed in the text")
    words = m.unit.split(" ", 1)
    shown = f"{words[0]} {quantity(m.value, words[1])}" if len(words) == 2 else metric_text(m)
    answer = f"{shown} at {m.period} (cash resources, as printed)"
    if m.status is Status.CONFLICT:
        return _conflict(topic, m, answer)
    return Line(topic, "as printed", "info", answer, _pages(m))


LINES: tuple[Callable[[_Metrics], Line], ...] = (hardware, profit, internet, overseas, smart_ev, cash)


def headline(report: Report) -> tuple[str | None, list[Line]]:
    """The headline period and its lines (none when the report has no metrics)."""
    if not report.metrics:
        return None, []
    found = _Metrics(report.metrics)
    period = next((m.period for m in report.metrics if m.period and m.id == "gross_margin"),
                  next((m.period for m in report.metrics if m.period), None))
    company = found.get("segment_checks")
    if company is not None:  # another company's filing: its segment questions collapse into one line
        return period, [profit(found), Line(company.label, company.status.value, "muted", company.reason or ""),
                        cash(found)]
    return period, [build(found) for build in LINES]
