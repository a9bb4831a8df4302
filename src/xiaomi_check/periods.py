"""Column header text → `Period` and column kind (value, % of total, YoY, QoQ, note).

English, Traditional and Simplified Chinese headers: "Year ended December 31, 2017",
"Three months ended September 30, 2024", "截至2018年12月31日止年度", "2024年第三季度".
"""

from __future__ import annotations

import re

from xiaomi_check.amounts import normalise_text
from xiaomi_check.models import ColumnKind, Period, PeriodKind

_MONTHS = {name: i for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTHS |= {name[:3]: i for name, i in _MONTHS.items()} | {"sept": 9}
_MONTH_WORD = (r"(January|February|March|April|May|June|July|August|September|October|November|December"
               r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_ZH_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_WEEKS = r"(?:weeks?|wks?\.?)\s+(?:ended|ending)"
_DURATIONS = tuple((re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in (
    # 52/53-week years, 12/13-week quarters (Costco, Foot Locker)
    (r"\b(?:12|13|twelve|thirteen)\s*-?\s*" + _WEEKS, PeriodKind.QUARTER),
    (r"\b(?:24|26|twenty-four|twenty-six)\s*-?\s*" + _WEEKS, PeriodKind.HALF),
    (r"\b(?:36|39|40|thirty-six|thirty-nine|forty)\s*-?\s*" + _WEEKS, PeriodKind.NINE_MONTHS),
    (r"\b(?:52|53|fifty-two|fifty-three)\s*-?\s*" + _WEEKS, PeriodKind.YEAR),
    (r"nine\s+months|9\s*months|九個月|九个月|前三季度|\b9M\b", PeriodKind.NINE_MONTHS),
    (r"six\s+months|6\s*months|六個月|六个月|half[- ]year|interim|中期|\bH[12]\b|上半年", PeriodKind.HALF),
    (r"three\s+months|3\s*months|quarter|三個月|三个月|季度|\bQ[1-4]\b|\b[1-4]Q\b", PeriodKind.QUARTER),
    (r"year|annual|fiscal|\bFY|年度|全年|weeks\s+ended|twelve\s+months|12\s*months|十二個月", PeriodKind.YEAR),
    (r"\bas\s+(?:at|of)\b|^於|于", PeriodKind.INSTANT),
))
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_FISCAL_YEAR = re.compile(r"\bFY\s?'?(\d{2})\b", re.IGNORECASE)
_ZH_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")
_MONTH_DAY = re.compile(_MONTH_WORD + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_WORD, re.IGNORECASE)
_ZH_QUARTER_NUMBER = re.compile(r"第([一二三四1-4])季度")
_QUARTER_NUMBER = re.compile(r"\bQ([1-4])\b|\b([1-4])Q\b")
_HALF_NUMBER = re.compile(r"\bH([12])\b")


def _duration(text: str) -> PeriodKind | None:
    for pattern, kind in _DURATIONS:
        if pattern.search(text):
            return kind
    return None


def _years(text: str) -> list[int]:
    """The distinct years a header names ("2024" and "2024年" of a bilingual header are one year)."""
    found = [int(y) for y in _YEAR.findall(text)]
    found += [2000 + int(y) for y in _FISCAL_YEAR.findall(text)]
    return list(dict.fromkeys(found))


def period_years(text: str) -> list[int]:
    return _years(normalise_text(text))


def _end_month_day(text: str) -> tuple[int, int | None] | None:
    zh = _ZH_MONTH_DAY.search(text)
    if zh:
        return int(zh[1]), int(zh[2])
    en = _MONTH_DAY.search(text) or _DAY_MONTH.search(text)
    if en is None:
        return None
    month_word, day = (en[1], en[2]) if not en[1].isdigit() else (en[2], en[1])
    return _MONTHS[month_word.casefold()], int(day)


def _quarter_number(text: str) -> int | None:
    found = _ZH_QUARTER_NUMBER.search(text) or _QUARTER_NUMBER.search(text)
    if found is None:
        return None
    token = next(group for group in found.groups() if group)
    return _ZH_QUARTER[token]


def parse_period(header: str, *contexts: str) -> Period | None:
    """The period a column covers; `contexts` (a spanning header, then a caption or title) fill what the
    header omits, the nearest first: a title's "three and nine months" never overrides "Three months ended"."""
    text = normalise_text(header)
    years = _years(text)
    if len(years) != 1:
        return None
    year = years[0]
    around = [normalise_text(c) for c in contexts]
    kind = next((k for t in (text, *around) if (k := _duration(t)) is not None), PeriodKind.YEAR)
    quarter = _quarter_number(text)
    month_day = next((md for t in (text, *around) if (md := _end_month_day(t)) is not None), None)
    if quarter is not None:
        kind = PeriodKind.QUARTER if kind is not PeriodKind.NINE_MONTHS else kind
        return Period(kind=kind, year=year, month=quarter * 3)
    if half := _HALF_NUMBER.search(text):
        return Period(kind=PeriodKind.HALF, year=year, month=int(half[1]) * 6)
    month, day = month_day if month_day else (_default_month(kind), None)
    if day is not None and day <= 7 and kind is not PeriodKind.INSTANT:
        # a 52/53-week period ending in a month's first days belongs to the month before (Apple: July 1)
        # (the day goes: the period is the month's, and its printed end date stays in the column header)
        month, year, day = ((month - 1, year) if month > 1 else (12, year - 1)) + (None,)
    return Period(kind=kind, year=year, month=month, day=day)


def _default_month(kind: PeriodKind) -> int:
    return {PeriodKind.HALF: 6, PeriodKind.NINE_MONTHS: 9}.get(kind, 12)


_KINDS = tuple((re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in (
    (r"^notes?$|^附[註注]$", ColumnKind.NOTE),
    (r"quarter[- ](?:over|on)[- ]quarter|\bQoQ\b|環比|环比|sequential", ColumnKind.QOQ),
    (r"year[- ]over[- ]year|\bYoY\b|同比|year[- ]on[- ]year", ColumnKind.YOY),
    (r"%\s*of\s*(?:total|group|net)?\s*(?:revenue|sales|net sales)|of\s+total|佔總|占总|佔收入|占收入"
     r"|^%$|^%\s*of$|percentage of", ColumnKind.SHARE),
    (r"(?<!value )\bchanges?\b(?!\s+(?:on|in|of)\b)|變動|变动|增長|增长|growth|increase|\bvar"
     r"|\binc\.?\s*/\s*\(?\s*dec\b"
     r"|增(?:加)?[/／]?[\(（]?減(?:少)?", ColumnKind.CHANGE),
))


def column_kind(header: str) -> ColumnKind:
    text = normalise_text(header)
    for pattern, kind in _KINDS:
        if pattern.search(text):
            return kind
    return ColumnKind.VALUE


_MEASURES = tuple((re.compile(pattern, re.IGNORECASE), measure) for pattern, measure in (
    (r"gross\s+(?:profit\s+)?margin|毛利率", "gross_margin"),
    (r"gross\s+profit|毛利", "gross_profit"),
    (r"revenue|net sales|收入|營業額|营业额", "revenue"),
))


def column_measure(header: str) -> str | None:
    text = normalise_text(header)
    for pattern, measure in _MEASURES:
        if pattern.search(text):
            return measure
    return None
