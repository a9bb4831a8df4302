"""Cross-checks: the filing checked against itself. Each check passes, fails or is not checkable, with the
figures and pages involved. Tolerances follow the printed rounding: half a unit of the last printed digit
of every figure involved (a percentage, 0.05 points for each printed decimal place, plus the rounding of
the amounts it is compared with)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from xiaomi_check.financials import Financials, millions, rounding
from xiaomi_check.models import CheckResult, CheckStatus, Figure, Period, StatementKind, UnitKind
from xiaomi_check.profile import Profile
from xiaomi_check.statements import figures_agree

Check = Callable[[Financials, Profile], Iterable[CheckResult]]


def _compare(
    check_id: str,
    label: str,
    period: Period,
    expected: Decimal,
    actual: Figure,
    parts: Sequence[Figure],
    detail: str,
    extra: Decimal = Decimal(0),
) -> CheckResult:
    tolerance = sum((rounding(f) for f in (*parts, actual)), extra).quantize(Decimal("0.0001"))
    difference = abs(expected - millions(actual))
    status = CheckStatus.PASS if difference <= tolerance else CheckStatus.FAIL
    return CheckResult(
        id=check_id,
        label=label,
        period=period.label,
        status=status,
        expected=expected,
        actual=millions(actual),
        tolerance=tolerance,
        figures=(*parts, actual),
        detail=f"{detail}: computed {expected:,}, printed {millions(actual):,}"
        f"{'' if status is CheckStatus.PASS else f' (off by {difference:,})'}",
    )


def _not_checkable(check_id: str, label: str, period: Period | None, why: str) -> CheckResult:
    return CheckResult(
        id=check_id, label=label, period=period.label if period else None, status=CheckStatus.NOT_CHECKABLE, detail=why
    )


def _sum(figures: Sequence[Figure]) -> Decimal:
    return sum((millions(f) for f in figures), Decimal(0))


def expenses_positive(fin: Financials, period: Period) -> bool:
    """US GAAP releases print costs as positive numbers; HKEX statements put them in parentheses."""
    lines = [
        fin.get(item, period, statement=StatementKind.INCOME_STATEMENT)
        for item in (
            "cost_of_sales",
            "selling_and_marketing_expenses",
            "administrative_expenses",
            "research_and_development_expenses",
            "selling_general_and_administrative_expenses",
        )
    ]
    return any(f is not None and f.value is not None and f.value > 0 for f in lines)


def gross_profit_arithmetic(fin: Financials, _: Profile) -> Iterable[CheckResult]:
    label = "revenue − cost of sales = gross profit"
    for period in fin.periods():
        revenue, cost, gross = (
            fin.get(i, period, statement=StatementKind.INCOME_STATEMENT)
            for i in ("revenue", "cost_of_sales", "gross_profit")
        )
        if revenue and cost and gross:
            yield _compare(
                "gross_profit", label, period, millions(revenue) - abs(millions(cost)), gross, (revenue, cost), label
            )


def _statement_rows(fin: Financials, period: Period) -> list[Figure]:
    return [
        f
        for f in fin.rows(period, StatementKind.INCOME_STATEMENT)
        if f.segment is None and f.region is None and f.unit.kind is UnitKind.MONEY
    ]


def _between(rows: list[Figure], first: str, last: str) -> tuple[Figure, list[Figure], Figure] | None:
    items = [f.item for f in rows]
    if first not in items or last not in items or items.index(last) <= items.index(first):
        return None
    start, end = items.index(first), items.index(last)
    return rows[start], rows[start + 1 : end], rows[end]


def operating_profit_arithmetic(fin: Financials, _: Profile) -> Iterable[CheckResult]:
    """Gross profit plus every line printed between it and operating profit equals operating profit."""
    label = "gross profit + the lines down to operating profit = operating profit"
    for period in fin.periods():
        span = _between(_statement_rows(fin, period), "gross_profit", "operating_profit")
        if span is None or not span[1]:
            continue
        if expenses_positive(fin, period):
            yield _not_checkable(
                "operating_profit",
                label,
                period,
                "expenses are printed as positive numbers and "
                "subtotals are not marked: the lines cannot be summed with certainty",
            )
            continue
        start, lines, end = span
        yield _compare("operating_profit", label, period, millions(start) + _sum(lines), end, (start, *lines), label)


def profit_arithmetic(fin: Financials, _: Profile) -> Iterable[CheckResult]:
    """Profit before tax plus income tax (and any line printed after it) equals profit for the period;
    where expenses are printed as positive numbers (US GAAP), the tax line is subtracted."""
    label = "profit before tax + income tax = profit for the period"
    for period in fin.periods():
        span = _between(_statement_rows(fin, period), "profit_before_tax", "profit_for_period")
        if span is None or not any(f.item == "income_tax" for f in span[1]):
            continue
        start, lines, end = span
        flip = expenses_positive(fin, period)
        signed = sum((-millions(f) if flip and f.item == "income_tax" else millions(f) for f in lines), Decimal(0))
        yield _compare("profit_for_period", label, period, millions(start) + signed, end, (start, *lines), label)


def non_gaap_bridge(fin: Financials, _: Profile) -> Iterable[CheckResult]:
    label = "reported profit + non-IFRS adjustments = adjusted net profit"
    for period in fin.periods():
        rows = fin.rows(period, StatementKind.NON_GAAP)
        start = next((f for f in rows if f.item == "profit_for_period"), None)
        end = next((f for f in rows if f.item == "adjusted_net_profit"), None)
        if start is None or end is None:
            continue
        steps = fin.adjustments(period)
        yield _compare("non_gaap_bridge", label, period, millions(start) + _sum(steps), end, (start, *steps), label)


def _top_level(fin: Financials, profile: Profile, item: str, period: Period) -> list[Figure]:
    """The segments that add up to the total: groupings (Smartphone × AIoT) replace their members, and
    sub-lines (the smart EV line inside its segment, a `<parent>/others` row) are left out."""
    names = fin.segment_names(item, period)
    skip = set(profile.roles.ev_subline) | {n for n in names if "/" in n}
    groups = [g for g in profile.roles.groups if g in names]
    if groups:
        members = set(profile.roles.hardware) | set(profile.roles.internet) | set(profile.roles.other)
        skip |= members
    return [f for n in names if n not in skip and (f := fin.get(item, period, segment=n)) is not None]


def _group_members(fin: Financials, profile: Profile, name: str, item: str, period: Period) -> list[Figure] | None:
    """A grouping's members as printed: every hardware and internet segment, and its own "Others" row (named
    `<group>/others`, or `others` by a reader that does not nest) when one is printed; None when one is missing."""
    required = fin.segments(item, period, (*profile.roles.hardware, *profile.roles.internet))
    if len(required) < len(profile.roles.hardware) + len(profile.roles.internet):
        return None
    own = [o for o in profile.roles.other if o in (f"{name}/others", "others")]
    other = next(iter(fin.segments(item, period, sorted(own, key=lambda o: "/" not in o))), None)
    return [*required, *([other] if other is not None else [])]


def segments_sum(fin: Financials, profile: Profile) -> Iterable[CheckResult]:
    for item, statement in (
        ("revenue", StatementKind.SEGMENT_REVENUE),
        ("gross_profit", StatementKind.SEGMENT_GROSS_PROFIT),
    ):
        label = f"segment {item.replace('_', ' ')} adds up to the total"
        for period in fin.periods():
            parts = _top_level(fin, profile, item, period)
            whole = fin.get(item, period, statement=statement) or fin.get(item, period)
            if len(parts) >= 2 and whole is not None:
                yield _compare(f"segments_sum:{item}", label, period, _sum(parts), whole, parts, label)


def groups_sum(fin: Financials, profile: Profile) -> Iterable[CheckResult]:
    """A grouping (Smartphone × AIoT) equals the sum of its members."""
    for name in profile.roles.groups:
        for item in ("revenue", "gross_profit"):
            for period in fin.periods():
                whole, parts = fin.get(item, period, segment=name), _group_members(fin, profile, name, item, period)
                if whole is not None and parts is not None:
                    yield _compare(
                        f"group_sum:{name}:{item}",
                        f"{name} {item} = sum of its segments",
                        period,
                        _sum(parts),
                        whole,
                        parts,
                        " + ".join(str(f.segment) for f in parts),
                    )


def geography_sum(fin: Financials, _: Profile) -> Iterable[CheckResult]:
    label = "revenue by region adds up to total revenue"
    for period in fin.periods():
        parts = [f for f in fin.rows(period, StatementKind.GEOGRAPHY) if f.item == "revenue" and f.region]
        whole = fin.get("revenue", period, statement=StatementKind.GEOGRAPHY) or fin.get("revenue", period)
        if len(parts) >= 2 and whole is not None:
            yield _compare("geography_sum", label, period, _sum(parts), whole, parts, label)


def printed_percentages(fin: Financials, profile: Profile) -> Iterable[CheckResult]:
    """Printed "% of total revenue" and segment gross margins agree with the amounts."""
    for figure in fin.figures:
        if figure.value is None or figure.unit.kind is not UnitKind.PERCENT:
            continue
        period = figure.period
        if figure.item == "revenue_share" and (figure.segment or figure.region):
            part = fin.get("revenue", period, figure.segment, figure.region)
            whole = fin.get("revenue", period, statement=figure.statement) or fin.get("revenue", period)
        elif figure.item == "gross_margin" and figure.segment:
            part, whole = (
                fin.get("gross_profit", period, segment=figure.segment),
                fin.get("revenue", period, segment=figure.segment),
            )
        else:
            continue
        if part is None or whole is None or not millions(whole):
            continue
        computed = millions(part) / millions(whole) * 100
        slack = (
            (rounding(part) / abs(millions(part)) + rounding(whole) / abs(millions(whole))) * abs(computed)
            if millions(part)
            else Decimal(0)
        )
        yield _compare(
            f"printed_pct:{figure.item}",
            f"printed {figure.item} agrees with the amounts",
            period,
            computed.quantize(Decimal("0.0001")),
            figure,
            (part, whole),
            f"{figure.segment or figure.region} {figure.item}",
            extra=slack,
        )


def printed_growth(fin: Financials, _: Profile) -> Iterable[CheckResult]:
    """Printed YoY / QoQ changes agree with the change computed from the filing's own columns."""
    for figure in fin.figures:
        if figure.value is None or not figure.item.endswith(("_change_yoy", "_change_qoq")):
            continue
        item = figure.item.rsplit("_change_", 1)[0]
        prior = fin.prior_year(figure.period) if figure.item.endswith("yoy") else fin.prior_quarter(figure.period)
        now = fin.get(item, figure.period, figure.segment, figure.region, statement=figure.statement)
        then = fin.get(item, prior, figure.segment, figure.region, statement=figure.statement) if prior else None
        if now is None or then is None or millions(then) <= 0:
            continue
        computed = (millions(now) / millions(then) - 1) * 100
        slack = (
            (rounding(now) / abs(millions(now)) + rounding(then) / abs(millions(then))) * 100 if millions(now) else 0
        )
        yield _compare(
            f"printed_growth:{figure.item}",
            f"printed {figure.item} agrees with the amounts",
            figure.period,
            computed.quantize(Decimal("0.0001")),
            figure,
            (now, then),
            f"{figure.segment or figure.region or 'group'} {figure.item}",
            extra=Decimal(slack),
        )


def _add_back(a: Figure, b: Figure) -> bool:
    """A reconciliation adds back a charge the income statement prints as negative: same amount, other sign."""
    if StatementKind.NON_GAAP not in (a.statement, b.statement) or a.value is None or b.value is None:
        return False
    return figures_agree(a, b.model_copy(update={"value": -b.value}))


def same_figure_twice(fin: Financials, _: Profile) -> Iterable[CheckResult]:
    """A figure printed in two statements (key highlights and income statement) agrees within rounding."""
    seen: set[tuple[str, str | None, str | None, str]] = set()
    for figure in fin.figures:
        copies = [f for f in fin.all(figure.item, figure.period, figure.segment, figure.region) if f.value is not None]
        if figure.key in seen or len({f.statement for f in copies}) < 2 or figure.unit.kind is not UnitKind.MONEY:
            continue
        seen.add(figure.key)
        first, *others = copies
        agree = all(figures_agree(first, other) or _add_back(first, other) for other in others)
        pages = ", ".join(f"p{f.source.page} {f.statement.value} {f.source.raw_text}" for f in copies)
        yield CheckResult(
            id=f"same_figure:{figure.item}",
            label="the same figure agrees across tables",
            period=figure.period.label,
            status=CheckStatus.PASS if agree else CheckStatus.FAIL,
            figures=tuple(copies),
            detail=f"{figure.item} {figure.segment or figure.region or ''}: {pages}",
        )


CHECKS: tuple[Check, ...] = (
    gross_profit_arithmetic,
    operating_profit_arithmetic,
    profit_arithmetic,
    non_gaap_bridge,
    segments_sum,
    groups_sum,
    geography_sum,
    printed_percentages,
    printed_growth,
    same_figure_twice,
)


def run_checks(fin: Financials, profile: Profile) -> list[CheckResult]:
    results = [result for check in CHECKS for result in check(fin, profile)]
    return results or [
        _not_checkable(
            "none", "cross-checks", fin.main_period, "no two figures that could be checked against each other"
        )
    ]


def review_list(checks: Sequence[CheckResult]) -> list[str]:
    """Figures touched by a failed check: lower confidence, listed for a human to look at."""
    lines: dict[str, None] = {}
    for check in checks:
        if check.status is not CheckStatus.FAIL:
            continue
        for f in check.figures:
            where = f" {f.segment or f.region}" if f.segment or f.region else ""
            printed = f"(p{f.source.page}, '{f.source.raw_text}')"
            lines[f"{f.item}{where} {f.period.label} {printed}: failed {check.id}"] = None
    return list(lines)
