"""Figures printed in running text rather than tables: smart-EV deliveries and cash resources."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from xiaomi_check.amounts import normalise_text
from xiaomi_check.models import COUNT, Figure, Period, PeriodKind, Source, StatementKind, Unit, UnitKind
from xiaomi_check.periods import parse_period

_DELIVERIES = re.compile(
    r"deliver(?:ed|ies of)\s+(?:a total of\s+)?(?P<num>\d{1,3}(?:,\d{3})+|\d+)\s+(?:units|vehicles|new vehicles)"
    r"|交付(?:了)?(?:新車|新车|汽車|汽车)?(?:超過|超过)?\s*(?P<zh>\d{1,3}(?:,\d{3})+|\d+)\s*(?:輛|辆|台)",
    re.IGNORECASE)
_CASH = re.compile(
    r"cash resources\D{0,60}?(?P<amt>RMB\s?\d[\d,.]*\s?(?:billion|million))"
    r"|現金資源\D{0,30}?(?P<zh>人民幣\s?\d[\d,.]*\s?(?:億|百萬)元)|现金资源\D{0,30}?(?P<zhs>人民币\s?\d[\d,.]*\s?(?:亿|百万)元)",
    re.IGNORECASE)
_AS_OF = re.compile(r"as (?:of|at) ([A-Z][a-z]+ \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})"
                    r"|截至(\d{4}年\d{1,2}月\d{1,2}日)")


def _snippet(text: str, start: int, end: int) -> str:
    return re.sub(r"\s+", " ", text[max(0, start - 60) : end + 10]).strip()


def text_figures(texts: Sequence[str], period: Period | None) -> Iterable[Figure]:
    """The first deliveries and cash-resources statements in the document, each with its page."""
    found: set[str] = set()
    for page, raw in enumerate(texts, start=1):
        text = normalise_text(raw)
        delivered = _DELIVERIES.search(text)
        if delivered and "ev_deliveries" not in found and period is not None:
            found.add("ev_deliveries")
            number = delivered["num"] or delivered["zh"]
            yield _figure("ev_deliveries", Decimal(number.replace(",", "")), COUNT, period, page, number,
                          _snippet(text, delivered.start(), delivered.end()))
        cash = _CASH.search(text)
        if cash and "cash_resources" not in found:
            instant = _instant(text) or _period_end(period)
            printed = cash["amt"] or cash["zh"] or cash["zhs"]
            amount = _printed_amount(printed)
            if instant is not None and amount is not None:
                found.add("cash_resources")
                yield _figure("cash_resources", amount[0], amount[1], instant, page, printed,
                              _snippet(text, cash.start(), cash.end()))


_SCALES = {"billion": 1_000_000_000, "million": 1_000_000, "億": 100_000_000, "亿": 100_000_000,
           "百萬": 1_000_000, "百万": 1_000_000}


def _printed_amount(printed: str) -> tuple[Decimal, Unit] | None:
    """`RMB151.6 billion` → (151.6, RMB billion): the value stays in the unit the sentence prints."""
    found = re.search(r"(\d[\d,]*(?:\.\d+)?)\s?(billion|million|億|亿|百萬|百万)", printed)
    if found is None:
        return None
    unit = Unit(kind=UnitKind.MONEY, currency="RMB", scale=_SCALES[found[2]], caption=found[2])
    return Decimal(found[1].replace(",", "")), unit


def _instant(text: str) -> Period | None:
    found = _AS_OF.search(text)
    if not found:
        return None
    parsed = parse_period(found.group(1) or found.group(2), "as at")
    return parsed.model_copy(update={"kind": PeriodKind.INSTANT}) if parsed else None


def _period_end(period: Period | None) -> Period | None:
    if period is None:
        return None
    day = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}.get(period.month, 31)
    return Period(kind=PeriodKind.INSTANT, year=period.year, month=period.month, day=period.day or day)


def _figure(item: str, value: Decimal, unit: Unit, period: Period, page: int, raw: str, sentence: str) -> Figure:
    source = Source(page=page, table="text", row_label=sentence[:160], column_header="", raw_text=raw)
    return Figure(item=item, period=period, value=value, unit=unit, statement=StatementKind.OPERATING_DATA,
                  source=source)


_COMPANY = re.compile(r"(?:^|\s)([A-Z][A-Za-z0-9&.,'\- ]{1,50}?\s(?:Corporation|Limited|Holdings|Inc\.|Co\.,? Ltd\.?))"
                      r"(?=\s|$)", re.IGNORECASE | re.MULTILINE)
_DOCUMENT_TYPES = (
    ("prospectus", r"global offering|prospectus"),
    ("results announcement", r"results announcement|業績公告|业绩公告|announcement of (?:annual|interim) results"),
    ("annual report", r"annual report|年報|年报"),
    ("interim report", r"interim report|中期報告|中期报告"),
    ("quarterly report (Form 10-Q)", r"form 10-q"),
    ("annual report (Form 10-K)", r"form 10-k"),
    ("earnings release", r"reports? (?:fourth|first|second|third)[- ]quarter|earnings release|financial results"),
)


def document_facts(texts: Sequence[str]) -> tuple[str | None, str | None]:
    """The company's name and the kind of document, read from the first pages (None when not found)."""
    head = "\n".join(texts[:3])
    names = Counter(re.sub(r"^(?:annual|interim) report \d{4} ", "", " ".join(m.group(1).split()), flags=re.I)
                    for text in texts[:10] for m in _COMPANY.finditer(text) if m.group(1)[0].isupper())
    folded = head.casefold()
    kind = next((name for name, pattern in _DOCUMENT_TYPES if re.search(pattern, folded)), None)
    return (names.most_common(1)[0][0] if names else None), kind
