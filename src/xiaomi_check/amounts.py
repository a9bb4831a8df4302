"""One printed token to a number, and a unit caption to a `Unit`.

Pure functions over strings: no geometry here (footnote markers are separated by size in `tables`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from xiaomi_check.models import Unit, UnitKind


class AmountKind(StrEnum):
    NUMBER = "number"
    PERCENT = "percent"
    NIL = "nil"
    NOT_APPLICABLE = "not_applicable"
    RANGE = "range"  # "$1.02 - $1.03", a forecast's range: no single value


@dataclass(frozen=True, slots=True)
class Amount:
    kind: AmountKind
    value: Decimal | None
    text: str


_DASHES = {"—", "–", "-", "--", "‒", "―", "−", "—-", "－"}
_NIL_WORDS = {"nil", "無", "无", "零"}
_NA_WORDS = {"n/a", "na", "n.a.", "nm", "n.m.", "n/m", "不適用", "不适用", "無意義", "无意义", "*"}
_MINUS = str.maketrans({"−": "-", "‐": "-", "‑": "-", "﹣": "-", "－": "-"})
_MINUS_SIGNS = re.compile("[−‐‑﹣－]")  # translate() looks up every character: only on text that has one
_NUMBER = re.compile(
    r"""^(?P<open>\()?(?P<sign>[-+])?(?P<open2>\()?
        (?:RMB|HK\$|US\$|S\$|\$|¥|￥)?\s?
        (?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?
        (?:\s?(?P<pct1>%))?(?P<close>\))?(?:\s?(?P<pct2>%))?$""",  # "18 %", "(2 %)": the sign set apart
    re.VERBOSE,
)


def normalise_text(text: str) -> str:
    """NFKC (full-width digits, ％, ﹒) and one kind of minus; outer whitespace stripped."""
    text = unicodedata.normalize("NFKC", text)
    return (text.translate(_MINUS) if _MINUS_SIGNS.search(text) else text).strip()


RANGE_MARKS = ("-", "–", "—", "to")  # between the two ends of a range, a space on each side
_RANGE = re.compile(rf"^(\S+)\s+(?:{'|'.join(RANGE_MARKS)})\s+(\S+)$")  # spaced: "2022-23" is a fiscal year
_ONE_VALUE = (AmountKind.NUMBER, AmountKind.PERCENT)


@lru_cache(maxsize=8192)
def parse_amount(text: str) -> Amount | None:
    """`(1,234.5)` → -1234.5, `12.3%` or `12 %` → percent, `—` → nil, `N/A` → not applicable, `$1.02 - $1.03`
    → a range (no value), else None.
    Remembered (an `Amount` is immutable): the table reader asks of each printed token several times over."""
    raw = normalise_text(text)
    if not raw:
        return None
    if raw in _DASHES or unicodedata.normalize("NFKC", text).strip() in _DASHES:
        return Amount(AmountKind.NIL, Decimal(0), text)
    folded = raw.casefold()
    if folded in _NIL_WORDS:
        return Amount(AmountKind.NIL, Decimal(0), text)
    if folded in _NA_WORDS:
        return Amount(AmountKind.NOT_APPLICABLE, None, text)
    match = _NUMBER.match(raw)
    if match is None:
        ends = _RANGE.match(raw)
        if ends and all((a := parse_amount(end)) is not None and a.kind in _ONE_VALUE for end in ends.groups()):
            return Amount(AmountKind.RANGE, None, text)
        return None
    opened = bool(match["open"] or match["open2"])
    if opened != bool(match["close"]):
        return None
    try:
        value = Decimal(match["digits"].replace(",", "") + (match["frac"] or ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return None
    if opened or match["sign"] == "-":
        value = -value
    kind = AmountKind.PERCENT if (match["pct1"] or match["pct2"]) else AmountKind.NUMBER
    return Amount(kind, value, text)


def is_amount(text: str) -> bool:
    return parse_amount(text) is not None


_CJK_SCALE = {"億": 100_000_000, "亿": 100_000_000, "萬": 10_000, "万": 10_000}
_WORD_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000}
_PROSE_AMOUNT = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<scale>億|亿|萬|万|thousand|million|billion|bn)?",
    re.IGNORECASE,
)


def parse_prose_amount(text: str) -> Decimal | None:
    """A number in running text with its scale word: `536.6億` → 53_660_000_000, `RMB151.6 billion`."""
    match = _PROSE_AMOUNT.search(normalise_text(text))
    if match is None:
        return None
    value = Decimal(match["num"].replace(",", ""))
    scale = match["scale"]
    if scale:
        value *= _CJK_SCALE.get(scale) or _WORD_SCALE[scale.casefold()]
    return value


_CURRENCIES: tuple[tuple[str, str], ...] = (
    (r"HK\$|HKD|港元|港幣|港币", "HKD"),
    (r"S\$|SGD|新加坡元|新元", "SGD"),
    (r"US\$|USD|美元", "USD"),
    (r"RMB|Renminbi|人民幣|人民币|CNY", "RMB"),
    (r"(?<![A-Za-z])\$", "USD"),
)
_CURRENCY = re.compile("|".join(f"(?:{pattern})" for pattern, _ in _CURRENCIES))
_CURRENCY_CODES = tuple((re.compile(pattern), code) for pattern, code in _CURRENCIES)
_SCALES = tuple((re.compile(pattern, re.IGNORECASE), scale) for pattern, scale in (
    (r"['’‘`´]\s?000(?!\d)", 1_000),
    (r"(?<![\d.,\s])\s*(?:in\s+)?thousands?\b", 1_000),
    (r"(?<![\d.,\s])\s*(?:in\s+)?millions?\b", 1_000_000),
    (r"(?<![\d.,\s])\s*(?:in\s+)?billions?\b", 1_000_000_000),
    (r"百萬|百万", 1_000_000),
    (r"(?<![\d.])千(?=元|港元|美元|新加坡元|$|\))", 1_000),
))


def _currency_code(token: str) -> str:
    for pattern, code in _CURRENCY_CODES:
        if pattern.fullmatch(token):
            return code
    return token  # pragma: no cover - _CURRENCY only matches listed tokens


_CN_UNIT = re.compile(r"(?:单位|單位)[:：]\s*(?:人民币|人民幣)?(?P<scale>百万|百萬|万|萬|千)?元")
_CN_SCALE = {"百万": 1_000_000, "百萬": 1_000_000, "万": 10_000, "萬": 10_000, "千": 1_000}


@lru_cache(maxsize=8192)
def parse_unit_caption(text: str) -> Unit | None:
    """`(RMB in millions, unless specified)`, `RMB'000`, `人民幣百萬元`, `HK$'000`, `$ in millions`,
    `单位：元` (an A-share statement in yuan) → Unit. Remembered (a `Unit` is immutable): every table on a page
    asks of the same header lines and of every line of its page.

    A caption names a scale with no number before it; `RMB151.6 billion` is an amount, not a caption.
    """
    flat = normalise_text(text)
    mainland = _CN_UNIT.search(flat)
    if mainland is not None:
        scale = _CN_SCALE.get(mainland["scale"] or "", 1)
        return Unit(kind=UnitKind.MONEY, currency="RMB", scale=scale, caption=text.strip())
    hits = [(m, scale) for pattern, scale in _SCALES if (m := pattern.search(flat))]
    for found, scale in sorted(hits, key=lambda hit: hit[0].start()):
        before = flat[max(0, found.start() - 40) : found.start() + 1]
        after = flat[found.end() : found.end() + 12]
        currencies = _CURRENCY.findall(before) or _CURRENCY.findall(after)
        if not currencies and scale == 1_000 and "000" in found.group(0) and "$" not in flat:
            continue
        currency = _currency_code(currencies[-1]) if currencies else None
        return Unit(kind=UnitKind.MONEY, currency=currency, scale=scale, caption=text.strip())
    return None
