"""Figures printed in running text rather than tables: smart-EV deliveries and cash resources."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from xiaomi_check.amounts import normalise_text
from xiaomi_check.concepts import SEGMENTS
from xiaomi_check.models import COUNT, Figure, Period, PeriodKind, Source, StatementKind, Unit, UnitKind
from xiaomi_check.periods import parse_period

_DELIVERIES = re.compile(
    r"deliver(?:ed|ies of)\s+(?:a total of\s+)?(?P<num>\d{1,3}(?:,\d{3})+|\d+)\s+(?:units|vehicles|new vehicles)"
    r"|交付(?:了)?(?:新車|新车|汽車|汽车)?(?:超過|超过)?\s*(?P<zh>\d{1,3}(?:,\d{3})+|\d+)\s*(?:輛|辆|台)",
    re.IGNORECASE)
_MONEY = r"(?:RMB|HK\$|US\$|USD|HKD)\s?\d[\d,.]*\s?(?:billion|million)"
_ZH_MONEY = r"(?:人民幣|人民币|港幣|港币|港元|美元)\s?\d[\d,.]*\s?(?:億|亿|百萬|百万)(?:元)?"
_CASH = re.compile(
    rf"cash resources\D{{0,60}}?(?P<amt>{_MONEY})"
    rf"|現金資源\D{{0,30}}?(?P<zh>{_ZH_MONEY})|现金资源\D{{0,30}}?(?P<zhs>{_ZH_MONEY})",
    re.IGNORECASE)
# "The adjusted net loss of the smart EV and other new initiatives segment was RMB1.5 billion"; 繁中 / 简中:
# "智能電動汽車等創新業務分部的經調整淨虧損為人民幣15億元". Only the English alternative is case-blind; the Chinese
# ones list the letters a case-blind [A-Za-z] would match (İ ı ſ K besides): folding the case of the whole CJK
# range made this the slowest pattern of the package to compile (13 ms at every start).
_ZH_SEGMENT = "[\u4e00-\u9fffA-Za-zİıſK×]{2,30}?"
_SEGMENT_LOSS = re.compile(
    rf"(?i:adjusted net loss (?:of|for) (?:the |our )?(?P<seg>[A-Za-z ,×&-]{{3,80}}?) segment "
    rf"(?:was|amounted to|of|reached)\s+(?:approximately\s+)?(?P<amt>{_MONEY}))"
    rf"|(?P<zhseg>{_ZH_SEGMENT})分部(?:的)?經調整淨虧損(?:為|达|達|约|約)*\s?(?P<zh>{_ZH_MONEY})"
    rf"|(?P<zhsseg>{_ZH_SEGMENT})分部(?:的)?经调整净亏损(?:为|达|约)*\s?(?P<zhs>{_ZH_MONEY})")
_SEGMENT_LOSS_HINT = re.compile(r"adjusted net loss|分部", re.IGNORECASE)
_AS_OF = re.compile(r"as (?:of|at) ([A-Z][a-z]+ \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})"
                    r"|截至(\d{4}年\d{1,2}月\d{1,2}日)")
_SPACES = re.compile(r"\s+")


def _snippet(text: str, start: int, end: int) -> str:
    return _SPACES.sub(" ", text[max(0, start - 60) : end + 10]).strip()


def text_figures(texts: Sequence[str], period: Period | None) -> Iterable[Figure]:
    """The first deliveries, segment adjusted-net-loss and cash-resources statements in the document, each with
    its page; `period` is the document's headline period (`financials.headline_period`)."""
    found: set[str] = set()
    for page, raw in enumerate(texts, start=1):
        text = normalise_text(raw)
        if period is not None and "adjusted_net_loss" not in found:
            loss = _segment_loss(text, period, page)
            if loss is not None:
                found.add("adjusted_net_loss")
                yield loss
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
_PRINTED = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s?(billion|million|億|亿|百萬|百万)", re.IGNORECASE)
_CURRENCY_CODES = (("HK$", "HKD"), ("HKD", "HKD"), ("港", "HKD"), ("US$", "USD"), ("USD", "USD"), ("美元", "USD"),
                   ("RMB", "RMB"), ("人民", "RMB"))


def _printed_amount(printed: str) -> tuple[Decimal, Unit] | None:
    """`RMB151.6 billion` → (151.6, RMB billion): the value stays in the unit and currency the sentence prints."""
    found = _PRINTED.search(printed)
    if found is None:
        return None
    currency = next((code for token, code in _CURRENCY_CODES if token.casefold() in printed.casefold()), None)
    scale = found[2].casefold()
    unit = Unit(kind=UnitKind.MONEY, currency=currency, scale=_SCALES[scale], caption=scale)
    return Decimal(found[1].replace(",", "")), unit


_SEGMENTS = tuple((item, re.compile(pattern)) for item, pattern in SEGMENTS)


def _segment_name(printed: str) -> str | None:
    """A segment named in a sentence, as the table reader names it (`concepts.SEGMENTS`)."""
    folded = " ".join(printed.casefold().split())
    starts = [0] + [i + 1 for i, char in enumerate(folded) if char == " " or "\u4e00" <= char <= "\u9fff"]
    for start in starts:  # "the smart ev and ...", "本集團智能電動汽車等創新業務": the name ends the phrase
        item = next((item for item, pattern in _SEGMENTS if pattern.search(folded[start:])), None)
        if item is not None:
            return item
    return None


def _segment_loss(text: str, period: Period, page: int) -> Figure | None:
    """A segment's adjusted net loss printed in a sentence, as a positive amount in the sentence's unit."""
    if not _SEGMENT_LOSS_HINT.search(text):  # the pattern tries 30 letters at every letter: only where it can match
        return None
    for found in _SEGMENT_LOSS.finditer(text):
        segment = _segment_name(found["seg"] or found["zhseg"] or found["zhsseg"] or "")
        printed = found["amt"] or found["zh"] or found["zhs"]
        amount = _printed_amount(printed)
        if segment is not None and amount is not None:
            figure = _figure("adjusted_net_loss", abs(amount[0]), amount[1], period, page, printed,
                             _snippet(text, found.start(), found.end()))
            return figure.model_copy(update={"segment": segment})
    return None


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
_REPORT_TITLE = re.compile(r"^(?:annual|interim) report \d{4} ", re.IGNORECASE)
_DOCUMENT_TYPES = tuple((name, re.compile(pattern)) for name, pattern in (
    ("prospectus", r"global offering|prospectus"),
    ("results announcement", r"results announcement|業績公告|业绩公告|announcement of (?:\w+ )?results"),
    ("annual report", r"annual report|年報|年报"),
    ("interim report", r"interim report|中期報告|中期报告"),
    ("quarterly report (Form 10-Q)", r"form 10-q"),
    ("annual report (Form 10-K)", r"form 10-k"),
    ("earnings release", r"reports? (?:fourth|first|second|third)[- ]quarter|earnings release|financial results"),
))


# The period a results announcement covers, from the words around its title: the first that matches wins, so
# an annual announcement that also prints "three months ended December 31" is annual.
_ANNOUNCEMENT_PERIODS = tuple((name, re.compile(pattern)) for name, pattern in (
    ("annual", r"annual results|year ended|全年業績|全年业绩|年度業績|年度业绩|止年度"),
    ("interim", r"interim results|six months ended|half[- ]year|中期業績|中期业绩|六個月|六个月"),
    ("quarterly", r"quarterly results|three months ended|nine months ended|(?:first|third) quarter"
                  r"|季度業績|季度业绩|三個月|三个月|第[一三]季度"),
))


def _announcement_kind(folded: str) -> str:
    """`annual results announcement`, `interim ...` or `quarterly ...`, from the words around the title."""
    found = _DOCUMENT_TYPES[1][1].search(folded)
    if found is None:
        return "results announcement"
    around = folded[max(0, found.start() - 120) : found.end() + 160]
    which = next((name for name, pattern in _ANNOUNCEMENT_PERIODS if pattern.search(around)), None)
    return f"{which} results announcement" if which else "results announcement"


def document_facts(texts: Sequence[str]) -> tuple[str | None, str | None]:
    """The company's name and the kind of document, read from the first pages (None when not found). A results
    announcement is named for its period (annual, interim, quarterly): the headline period follows from it."""
    head = "\n".join(texts[:3])
    names = Counter(_REPORT_TITLE.sub("", " ".join(m.group(1).split()))
                    for text in texts[:10] for m in _COMPANY.finditer(text) if m.group(1)[0].isupper())
    folded = " ".join(head.casefold().split())
    kind = next((name for name, pattern in _DOCUMENT_TYPES if pattern.search(folded)), None)
    if kind == "results announcement":
        kind = _announcement_kind(folded)
    return (names.most_common(1)[0][0] if names else None), kind
