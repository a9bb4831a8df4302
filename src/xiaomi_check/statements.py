"""Grids → statement kinds → `Figure`s with their sources; which table is used when several look alike."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from xiaomi_check.amounts import AmountKind, parse_amount
from xiaomi_check.concepts import (
    DECOY_CONTEXT,
    DECOY_TITLE,
    INCOME_ITEMS,
    PLACE_WORDS,
    REGIONS,
    SEGMENTS,
    STATEMENT_TITLES,
    TOTAL_LABEL,
    Concepts,
)
from xiaomi_check.models import (
    AMOUNT_CHANGE,
    COUNT,
    PERCENT,
    UNMAPPED,
    Cell,
    Column,
    ColumnKind,
    Figure,
    Grid,
    Period,
    Row,
    Source,
    StatementKind,
    TableChoice,
    Unit,
    UnitKind,
)
from xiaomi_check.tables.blocks import headed

_ADJUSTMENTS = {"share_based_compensation", "amortization_of_intangibles_from_acquisitions", "income_tax_effects",
                "net_fair_value_gains_on_investments", "fair_value_changes_preferred_shares"}
_INCOME_CORE = {"cost_of_sales", "gross_profit", "operating_profit", "profit_before_tax", "income_tax",
                "profit_for_period", "selling_and_marketing_expenses", "administrative_expenses",
                "research_and_development_expenses", "selling_general_and_administrative_expenses"}
_SUFFIX = {ColumnKind.SHARE: "_share", ColumnKind.YOY: "_change_yoy", ColumnKind.QOQ: "_change_qoq",
           ColumnKind.CHANGE: "_change"}
_PRIORITY = [StatementKind.INCOME_STATEMENT, StatementKind.KEY_HIGHLIGHTS, StatementKind.SEGMENT_REVENUE,
             StatementKind.SEGMENT_GROSS_PROFIT, StatementKind.GEOGRAPHY, StatementKind.NON_GAAP]


# The patterns every analysis uses, compiled with the module rather than by the first table read.
_BULLETS = re.compile(r"^[\-–—•·*\s]+")
_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|加:|减:|減:|其中:)\s*")
_FILL_IN = re.compile(r"\((?:[^()]*以[\"“”'-−－]*[-−－][\"“”']*号填列|[^()]*號填列)\)$")
_NOTE = re.compile(r"(?:\s*\((?:note|附註|附注)?\s*\d{0,2}[a-z]?\))+$|\s\d{1,2}$")  # "(1)(2)": each reference
_ZH_NOTE = re.compile(r"\s+(?:[一二三四五六七八九十]+、)\d{1,3}(?:\(\w+\))?$")  # 附注 refs: 七、61
_LOSS_OR = re.compile(r"\((?:loss|losses|expenses?|costs?|虧損|亏损)\)/|/\((?:loss|losses|expenses?|虧損|亏损)\)")
_LOSS = re.compile(r"\s?\((?:loss|losses|benefit from|expense|credit|虧損|亏损)\)")
_SPACES = re.compile(r"\s+")
_SECOND_LANGUAGE = re.compile(r"\s(\S*[\u3400-\u9fff])")
_TOTAL = re.compile(TOTAL_LABEL)
_SUBSIDIARIES = re.compile(r"(?:and|&) (?:its )?(?:consolidated )?subsidiar(?:y|ies)(?: companies)?"
                           r"|及其附屬公司|及其附属公司|本集團|本集团")
_DECOY_CONTEXT = re.compile(DECOY_CONTEXT)
_DECOY_TITLE = re.compile(DECOY_TITLE)
_TITLES = tuple((kind, re.compile(pattern)) for kind, pattern in STATEMENT_TITLES)
_PLACES = re.compile(PLACE_WORDS)
_COMPREHENSIVE = re.compile(r"comprehensive|全面", re.IGNORECASE)
_NOT_SLUG = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_TOTAL_WORD = re.compile(r"^\s*total\b", re.IGNORECASE)


def normalise_label(label: str) -> str:
    text = unicodedata.normalize("NFKC", label).casefold().strip().replace("╱", "/")
    text = _BULLETS.sub("", text)
    text = _ENUMERATION.sub("", text)
    text = _FILL_IN.sub("", text).strip()
    text = _NOTE.sub("", text.rstrip(" :：")).strip()
    text = _ZH_NOTE.sub("", text).strip()
    text = _LOSS_OR.sub("", text)
    text = _LOSS.sub("", text)
    text = text.replace("(", "").replace(")", "") if text.startswith("(") else text
    return _SPACES.sub(" ", text).strip(" :：,")


_CJK_RUN = re.compile(r"[\u3000-\u9fff\uff00-\uffef]+[^A-Za-z]*")


@lru_cache(maxsize=4096)
def label_variants(label: str) -> tuple[str, ...]:
    """A label folded, and for a bilingual one each language apart: "IoT and lifestyle products
    IoT與生活消費產品" is its English line, then its Chinese line. Remembered: every stage asks again of the same
    row labels."""
    folded = normalise_label(label)
    cjk = " ".join(_CJK_RUN.findall(folded)).strip()
    latin = _CJK_RUN.sub(" ", folded).strip()
    halves = []
    if (split := _SECOND_LANGUAGE.search(folded)) is not None:
        halves = [folded[: split.start()], folded[split.start() + 1 :]]
    variants = tuple(normalise_label(t) for t in dict.fromkeys(t for t in (folded, latin, cjk, *halves) if t))
    if UNMAPPED in folded:  # a ligature the PDF maps to no character: "gross pro?t" is "gross profit"
        return tuple(v.replace(UNMAPPED, ligature) for v in variants for ligature in _LIGATURES)
    return variants


_LIGATURES = ("fi", "fl", "ff", "ffi", "ffl")


@lru_cache(maxsize=4096)
def match(concepts: Concepts, label: str) -> str | None:
    """The first concept whose pattern names the label; a bilingual label ("Revenue 收入") by either half.
    Remembered, like `label_variants`: classifying, reading and verifying a table name its rows again."""
    patterns = _CONCEPTS.get(concepts) or _compiled(concepts)
    for text in label_variants(label):
        for item, pattern in patterns:
            if pattern.search(text):
                return item
    return None


def _compiled(concepts: Concepts) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((item, re.compile(pattern)) for item, pattern in concepts)


_CONCEPTS = {concepts: _compiled(concepts) for concepts in (INCOME_ITEMS, SEGMENTS, REGIONS)}


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _is_total(label: str) -> bool:
    return any(_TOTAL.search(text) for text in label_variants(label))


def _text(grid: Grid) -> str:
    headers = " ".join(c.header for c in grid.columns)
    return unicodedata.normalize("NFKC", f"{grid.context} {headers}").casefold()


def _title_lines(grid: Grid) -> str:
    """The table's title and caption (the last lines above it), without the boilerplate 'and its subsidiaries'."""
    lines = grid.context.split("  ") if "  " in grid.context else [grid.context]
    text = unicodedata.normalize("NFKC", " ".join(lines)[-240:]).casefold()
    return _SUBSIDIARIES.sub(" ", text)


def _headers_and_preamble(grid: Grid) -> str:
    headers = " ".join(c.header for c in grid.columns)
    return unicodedata.normalize("NFKC", f"{headers} {grid.preamble}").casefold()


def classify(grid: Grid) -> tuple[StatementKind | None, str]:
    """The statement kind a grid holds, or None with the reason it is not used. A table that prints ranges
    ("$3.50 - $3.52") is a forecast or an estimate: none of its lines is a figure of the period it names."""
    kind, reason = _classify(grid)
    ranges = [cell.text for row in grid.rows for cell in row.cells
              if cell is not None and (amount := parse_amount(cell.text)) and amount.kind is AmountKind.RANGE]
    if kind is not None and ranges:
        return None, f"it prints ranges ('{ranges[0]}'): a forecast or an estimate, not reported figures"
    return kind, reason


def _classify(grid: Grid) -> tuple[StatementKind | None, str]:
    context = _text(grid)
    decoy = _DECOY_CONTEXT.search(_title_lines(grid)) or _DECOY_TITLE.search(_headers_and_preamble(grid))
    if decoy:
        return None, f"not the group's own figures: its title says '{decoy.group(0)}'"
    items = {match(INCOME_ITEMS, row.label) for row in grid.rows} - {None}
    segments = [row for row in grid.rows if match(SEGMENTS, row.label) not in (None, "others")]
    regions = [row for row in grid.rows if match(REGIONS, row.label)]
    measures = {c.measure for c in grid.columns}
    titled = next((kind for kind, pattern in _TITLES if pattern.search(context)), None)
    adjustments = items & _ADJUSTMENTS
    wide = wide_reconciliation(grid)
    if wide:
        return StatementKind.NON_GAAP, f"{len(wide) - 1} non-IFRS adjustments as columns"
    if ((adjustments and "adjusted_net_profit" in items) or len(adjustments) >= 2) and not {
            "revenue", "cost_of_sales"} & items:
        return StatementKind.NON_GAAP, f"{len(adjustments)} non-IFRS adjustments to profit"
    if len(segments) >= 2 and ({"gross_profit", "gross_margin"} & measures
                               or titled is StatementKind.SEGMENT_GROSS_PROFIT):
        return StatementKind.SEGMENT_GROSS_PROFIT, f"{len(segments)} segment rows with gross profit columns"
    if len(segments) >= 2:
        return StatementKind.SEGMENT_REVENUE, f"{len(segments)} segment rows"
    if len(regions) >= 2:
        return StatementKind.GEOGRAPHY, f"{len(regions)} region rows"
    core = items & _INCOME_CORE
    if titled is StatementKind.INCOME_STATEMENT and "revenue" in items and len(core) >= 3:
        return StatementKind.INCOME_STATEMENT, f"titled as an income statement; revenue with {len(core)} lines"
    if titled is StatementKind.KEY_HIGHLIGHTS and "revenue" in items:
        return StatementKind.KEY_HIGHLIGHTS, "titled as highlights"
    changes = any(c.kind in (ColumnKind.YOY, ColumnKind.QOQ) for c in grid.columns)
    if "revenue" in items and "cost_of_sales" not in items and changes and core:
        return StatementKind.KEY_HIGHLIGHTS, "headline lines with change columns, no cost of sales"
    if ("revenue" in items or "cost_of_sales" in items) and len(core) >= 3:
        return StatementKind.INCOME_STATEMENT, f"revenue with {len(core)} income-statement lines"
    if "profit_for_period" in items and (bridge := _revenue_less_costs(grid)):
        return StatementKind.INCOME_STATEMENT, f"revenue less costs gives its {bridge}, down to profit for the period"
    if titled in (StatementKind.SEGMENT_REVENUE, StatementKind.GEOGRAPHY) and _parts_sum_to_total(grid):
        return titled, "titled as a breakdown; its rows add up to its total row"
    places = [row for row in grid.rows if _PLACES.search(normalise_label(row.label))]
    if len(places) >= 2 and _parts_sum_to_total(grid):
        return StatementKind.GEOGRAPHY, f"{len(places)} rows named for places, adding up to the total row"
    sections = _revenue_sections(grid)
    if len(sections) >= 2:
        named_for_places = all(_PLACES.search(normalise_label(s)) for s in sections)
        kind = StatementKind.GEOGRAPHY if named_for_places else StatementKind.SEGMENT_REVENUE
        return kind, f"{len(sections)} sections ({', '.join(sections[:5])}) each with a revenue line"
    return None, "no statement recognised in its row labels"


_PROFIT_LINES = ("gross_profit", "operating_profit", "profit_before_tax", "profit_for_period")


def _revenue_less_costs(grid: Grid) -> str:
    """The income statement's own arithmetic, whatever its line names (a REIT's "Total revenue − Total expenses =
    Operating income"): in the first amount column, revenue less a line below it is a profit line further down.
    The profit line's item, or "" when no such pair exists."""
    column = next((c.index for c in grid.columns if c.kind is ColumnKind.VALUE), None)
    if column is None:
        return ""
    numbers = [(match(INCOME_ITEMS, row.label), value) for row in grid.rows
               if (value := _number(row.cells[column])) is not None]
    for start, (item, revenue) in enumerate(numbers):
        if item != "revenue":
            continue
        for at, (_, cost) in enumerate(numbers[start + 1 :], start + 1):
            for profit_item, profit in numbers[at + 1 :]:
                if profit_item in _PROFIT_LINES and cost and profit and _is_less(revenue, cost, profit):
                    return profit_item  # a cost printed "(1,641)" or "1,641"
    return ""


def _is_less(whole: Decimal, part: Decimal, left: Decimal, credit: bool = False) -> bool:
    """whole − |part| = left to the last printed digit of whole; with `credit`, whole + |part| = left also holds
    (a tax line printed "(77)" may be a charge or a credit)."""
    return any(abs(whole - sign * abs(part) - left) <= Decimal("0.1") ** _decimals(whole)
               for sign in ((1, -1) if credit else (1,)))


def _number(cell: Cell | None) -> Decimal | None:
    amount = parse_amount(cell.text) if cell else None
    return amount.value if amount is not None and amount.kind is AmountKind.NUMBER else None


def _revenue_sections(grid: Grid) -> list[str]:
    """Section headings ("Americas:") that each have their own revenue line ("Net sales")."""
    return list(dict.fromkeys(row.section for row in grid.rows
                              if row.section and match(INCOME_ITEMS, row.label) == "revenue"))


def _parts_sum_to_total(grid: Grid) -> bool:
    """A breakdown table: at most 12 rows above a total row that they add up to (first value column)."""
    totals = [i for i, row in enumerate(grid.rows) if _is_total(row.label)]
    if not totals or totals[0] > 12 or totals[0] < 2:
        return False
    column = next((c.index for c in grid.columns if c.kind is ColumnKind.VALUE), None)
    if column is None:
        return False
    cells = [row.cells[column] for row in grid.rows[: totals[0] + 1]]
    amounts = [parse_amount(cell.text) if cell else None for cell in cells]
    values = [a.value for a in amounts if a is not None and a.value is not None and a.kind is AmountKind.NUMBER]
    if len(values) != totals[0] + 1:
        return False
    *parts, total = values
    return abs(sum(parts) - total) <= max(1, len(parts)) * Decimal("0.1") ** _decimals(total) or total == sum(parts)


# ----------------------------------------------------------------- figures


@dataclass(frozen=True, slots=True)
class _Target:
    item: str
    segment: str | None = None
    region: str | None = None


def _row_target(kind: StatementKind, row: Row) -> _Target | None:
    sectioned = _sectioned_target(kind, row)
    if sectioned is not None:
        return sectioned
    if kind in (StatementKind.SEGMENT_REVENUE, StatementKind.SEGMENT_GROSS_PROFIT):
        return _Target("revenue", segment=_segment(row))
    if kind is StatementKind.GEOGRAPHY:
        region = match(REGIONS, row.label) or (None if _is_total(row.label) else _slug(row.label))
        return _Target("revenue", region=region)
    item = match(INCOME_ITEMS, row.label)
    if item in _EARNINGS_PER_SHARE and _BASIS.match(normalise_label(row.label)) and any(
            _SHARES.search(normalise_label(above)) for above in (row.section, row.parent) if above):
        item = _EARNINGS_PER_SHARE[item]  # "Basic" under "Shares used in computing earnings per share:" is a count
    attributable = item in ("profit_attributable_to_owners", "profit_attributable_to_nci")
    if attributable and row.section and _COMPREHENSIVE.search(row.section):
        return None
    return _Target(item) if item else None


_EARNINGS_PER_SHARE = {"earnings_per_share": "weighted_average_shares",
                       "earnings_per_share_diluted": "weighted_average_shares_diluted"}
_BASIS = re.compile(r"^(?:basic|diluted)$")
_SHARES = re.compile(r"\bshares\b|股數|股数")
PER_SHARE_ITEMS = frozenset({"earnings_per_share", "earnings_per_share_diluted", "adjusted_earnings_per_share",
                             "dividends_per_share", "book_value_per_share"})
SHARE_COUNT_ITEMS = frozenset({*_EARNINGS_PER_SHARE.values(), "adjusted_weighted_average_shares"})
_SHARES_SCALE = re.compile(r"\bshares\b[^.;]*?\bin (thousands|millions)|\bin (thousands|millions) of shares\b")
_SUBTOTAL = re.compile(r"^sub-?total|^小計|^小计")


def _segment(row: Row) -> str | None:
    """The segment a row names; "Others" under a parent ("Smart EV and other new initiatives") is that
    parent's others, and a "Subtotal" row is its parent's total."""
    above = [match(SEGMENTS, name) for name in (row.parent, row.section) if name]
    group = next((s for s in above if s is not None and s != "others"), None)
    if _SUBTOTAL.search(normalise_label(row.label)):
        return group
    segment = match(SEGMENTS, row.label)
    if segment == "others" and group is not None:
        return f"{group}/others"
    if segment is None and _is_total(row.label):
        return None
    return segment or _slug(row.label)


def _sectioned_target(kind: StatementKind, row: Row) -> _Target | None:
    """In a sectioned breakdown the section names the segment or region and the row the line item
    (Apple: "Americas:" over "Net sales" and "Operating income")."""
    if kind not in (StatementKind.SEGMENT_REVENUE, StatementKind.GEOGRAPHY) or not row.section or _is_total(row.label):
        return None
    item = match(INCOME_ITEMS, row.label)
    if item not in ("revenue", "operating_profit", "gross_profit"):
        return None
    where = match(REGIONS if kind is StatementKind.GEOGRAPHY else SEGMENTS, row.section) or _slug(row.section)
    return _Target(item, region=where) if kind is StatementKind.GEOGRAPHY else _Target(item, segment=where)


def _slug(label: str) -> str | None:
    slug = _NOT_SLUG.sub("_", normalise_label(label)).strip("_")
    return slug or None


def _column_period(column: Column) -> Period | None:
    """The table reader dates every column (a % column with its amount, a change column with the later period
    it compares); a column it could not date gives no figures rather than borrow a neighbour's period."""
    return column.period


def _item(kind: StatementKind, target: _Target, column: Column, amount_kind: AmountKind) -> str:
    item = target.item
    if kind is StatementKind.SEGMENT_GROSS_PROFIT and column.kind is ColumnKind.SHARE:
        return "gross_margin"  # the percentage beside a gross profit ("RMB | %") is its margin, not a share
    if kind is StatementKind.SEGMENT_GROSS_PROFIT or column.measure in ("gross_profit", "gross_margin"):
        item = column.measure or ("gross_margin" if amount_kind is AmountKind.PERCENT else "gross_profit")
        if item == "gross_profit" and amount_kind is AmountKind.PERCENT:
            item = "gross_margin"
    if item == "gross_profit" and amount_kind is AmountKind.PERCENT and column.kind is ColumnKind.VALUE:
        return "gross_margin"
    if column.kind is ColumnKind.VALUE and amount_kind is AmountKind.PERCENT and kind in (
            StatementKind.SEGMENT_REVENUE, StatementKind.GEOGRAPHY) and item == "revenue":
        return "revenue_share"
    return item + _SUFFIX.get(column.kind, "") + ("_amount" if column.measure == AMOUNT_CHANGE else "")


_ADJUSTED_COLUMN = re.compile(r"non-(?:ifrs|gaap)|adjusted|經調整|经调整", re.IGNORECASE)
_REPORTED_COLUMN = re.compile(r"as (?:reported|stated)|^reported$|^ifrs$|^gaap$|如呈報|所呈報|如呈报|所呈报",
                              re.IGNORECASE)
_ADJUSTED_MEASURE = {"operating_profit": "adjusted_operating_profit", "profit_for_period": "adjusted_net_profit"}


def wide_reconciliation(grid: Grid) -> dict[int, str]:
    """A reconciliation printed with the adjustments as columns ("As reported | Share-based compensation | ...
    | Non-IFRS adjusted") and the measures as rows: each column's role, or {} when the table is not one."""
    roles: dict[int, str] = {}
    for column in grid.columns:
        label = column.label or column.header
        words = label.split()
        item = next((found for n in range(min(4, len(words))) if (found := match(INCOME_ITEMS, " ".join(words[n:])))),
                    None)  # a spanning "Adjustments" may stand before the column's own words
        if item in _ADJUSTMENTS:
            roles[column.index] = item
        elif _ADJUSTED_COLUMN.search(label):
            roles[column.index] = "adjusted"
        elif _REPORTED_COLUMN.search(label.strip()):
            roles[column.index] = "as_reported"
    adjustments = [r for r in roles.values() if r in _ADJUSTMENTS]
    return roles if len(adjustments) >= 2 and "adjusted" in roles.values() else {}


def _wide_figures(grid: Grid, unit: Unit, roles: dict[int, str]) -> Iterable[Figure]:
    """Row measure × column role; an adjustment is taken once per period, from the profit row first (the
    operating-profit row may leave the tax effects out)."""
    rows = sorted(grid.rows, key=lambda r: match(INCOME_ITEMS, r.label) != "profit_for_period")
    taken: set[tuple[str, str]] = set()
    for row in rows:
        measure = match(INCOME_ITEMS, row.label)
        if measure not in _ADJUSTED_MEASURE:
            continue  # per-share rows and anything else are not money of the bridge
        for column, cell in zip(grid.columns, row.cells, strict=True):
            role = roles.get(column.index)
            item = {"as_reported": measure, "adjusted": _ADJUSTED_MEASURE[measure]}.get(role or "", role)
            if item is None or column.period is None or (item, column.period.label) in taken:
                continue
            figure = _figure(grid, StatementKind.NON_GAAP, unit, row, column, cell, _Target(item))
            if figure is not None:
                taken.add((item, column.period.label))
                yield figure


def _total_rows(grid: Grid, kind: StatementKind) -> dict[str, Row]:
    """In an income statement, an item named by several rows (Costco: "Net sales", then "Total revenue") is
    the one whose label says total; the others are lines of their own."""
    if kind is not StatementKind.INCOME_STATEMENT:
        return {}
    rows: dict[str, list[Row]] = {}
    for row in grid.rows:
        target = _row_target(kind, row)
        if target is not None and not target.item.startswith("line:"):
            rows.setdefault(target.item, []).append(row)
    return {item: total for item, found in rows.items() if len(found) > 1
            and (total := next((r for r in found if _TOTAL_WORD.match(r.label)), None))}


_BY_ARITHMETIC = (  # (the line printed under a name of its own, whole, less, whether `less` may be a credit)
    ("gross_profit", "revenue", "cost_of_sales", False),  # AES: "Operating margin", revenue less cost of sales
    ("profit_for_period", "profit_before_tax", "income_tax", True),  # "Net income including noncontrolling ..."
)


def _by_arithmetic(grid: Grid, kind: StatementKind) -> dict[int, str]:
    """Lines an income statement prints under names of its own, known by what they equal: where no row is named
    gross profit (or profit for the period), the first row under the cost of sales (the income tax) that equals
    revenue less that cost (profit before tax less that tax) in every amount column. Row index → item."""
    if kind is not StatementKind.INCOME_STATEMENT:
        return {}
    items = [match(INCOME_ITEMS, row.label) for row in grid.rows]
    columns = [c.index for c in grid.columns if c.kind is ColumnKind.VALUE and c.period is not None]
    found: dict[int, str] = {}
    for item, whole, less, credit in _BY_ARITHMETIC:
        if item in items or whole not in items or less not in items or not columns:
            continue
        top, cost = items.index(whole), items.index(less)
        if cost < top:
            continue
        at = next((i for i in range(cost + 1, len(grid.rows))
                   if all(_less(grid.rows[top], grid.rows[cost], grid.rows[i], c, credit) for c in columns)), None)
        if at is not None:
            found[at] = item
    return found


def _less(whole: Row, part: Row, result: Row, column: int, credit: bool) -> bool:
    """whole − part = result in one column (see `_is_less`)."""
    numbers = [_number(row.cells[column]) for row in (whole, part, result)]
    total, less, left = numbers
    return total is not None and less is not None and left is not None and _is_less(total, less, left, credit)


def grid_to_figures(grid: Grid, kind: StatementKind, unit: Unit) -> Iterable[Figure]:
    """Figures of every named row; in an income statement also the unnamed lines above profit for the period
    (item `line:<label>`), so that its arithmetic can be checked line by line."""
    roles = wide_reconciliation(grid) if kind is StatementKind.NON_GAAP else {}
    if roles:
        yield from _wide_figures(grid, unit, roles)
        return
    reached_profit = False
    named: set[str] = set()
    totals = _total_rows(grid, kind)
    derived = _by_arithmetic(grid, kind)
    breakdown: set[tuple[str, str | None, str | None]] = set()
    per_share = False  # inside a reconciliation of earnings per share: its adjustments are per share, not money
    for at, row in enumerate(grid.rows):
        target = _row_target(kind, row)
        if kind is StatementKind.NON_GAAP and target is not None:
            if target.item in PER_SHARE_ITEMS:
                per_share = target.item != "adjusted_earnings_per_share"  # GAAP EPS opens it, adjusted EPS closes
            elif per_share and target.item not in SHARE_COUNT_ITEMS:
                continue  # "Stock-based compensation 0.73" between the two EPS lines is 0.73 a share
        if kind in (StatementKind.SEGMENT_REVENUE, StatementKind.GEOGRAPHY) and target is not None:
            if (target.item, target.segment, target.region) in breakdown:
                return  # the same segments again under another measure (operating income, assets by segment)
            breakdown.add((target.item, target.segment, target.region))
        if at in derived and target is not None:  # "... attributable to common shareholders": both figures
            yield from _row_figures(grid, kind, unit, row, _Target(derived[at]))
        if target is not None and target.item in totals and totals[target.item] is not row:
            target = None  # "Net sales" beside "Total revenues": the total is the revenue, the part is a line
        elif target is not None and target.item in named and row.parent is not None and kind in (
                StatementKind.INCOME_STATEMENT, StatementKind.KEY_HIGHLIGHTS):
            continue  # a sub-line named like its parent ("其中：营业收入" under "营业总收入") is not a second revenue
        if target is not None and kind is StatementKind.INCOME_STATEMENT:
            named.add(target.item)
        if at in derived and target is None:
            target = _Target(derived[at])
        if target is None and kind is StatementKind.INCOME_STATEMENT and not reached_profit and row.label:
            under = _slug(row.parent or row.section or "")
            target = _Target(f"line:{under + '/' if under else ''}{_slug(row.label)}")
        if target is None:
            continue
        reached_profit = reached_profit or target.item == "profit_for_period"
        yield from _row_figures(grid, kind, unit, row, target)


def _row_figures(grid: Grid, kind: StatementKind, unit: Unit, row: Row, target: _Target) -> Iterable[Figure]:
    for column, cell in zip(grid.columns, row.cells, strict=True):
        figure = _figure(grid, kind, unit, row, column, cell, target)
        if figure is not None:
            yield figure


def _figure(grid: Grid, kind: StatementKind, unit: Unit, row: Row, column: Column, cell: Cell | None,
            target: _Target) -> Figure | None:
    if cell is None or column.kind is ColumnKind.NOTE:
        return None
    amount = parse_amount(cell.text)
    period = _column_period(column)
    if amount is None or period is None:
        return None
    percent = amount.kind is AmountKind.PERCENT or (column.kind is not ColumnKind.VALUE
                                                    and column.measure != AMOUNT_CHANGE)
    note = {AmountKind.NIL: f"nil as printed ('{cell.text}')",
            AmountKind.NOT_APPLICABLE: f"not applicable as printed ('{cell.text}')",
            AmountKind.RANGE: f"a range as printed ('{cell.text}'), no single value"}.get(amount.kind)
    source = Source(page=cell.page, printed_page=_printed(grid, cell.page), table=grid.id, row_label=row.label,
                    column_header=column.header, raw_text=cell.text, bbox=cell.bbox)
    if target.item in PER_SHARE_ITEMS and not percent:
        unit = Unit(kind=UnitKind.PER_SHARE, currency=unit.currency, caption=unit.caption)
    elif target.item in SHARE_COUNT_ITEMS and not percent:
        unit = Unit(kind=UnitKind.COUNT, scale=_shares_scale(unit), caption=unit.caption)
    return Figure(item=_item(kind, target, column, amount.kind), segment=target.segment, region=target.region,
                  period=period, value=amount.value, note=note, unit=PERCENT if percent else unit,
                  statement=kind, source=source)


def _shares_scale(unit: Unit) -> int:
    """Counts of shares are in the table's scale, unless its caption gives theirs ("In millions, except number
    of shares, which are reflected in thousands")."""
    found = _SHARES_SCALE.search(unit.caption.casefold())
    if found is None:
        return unit.scale
    return 1_000 if "thousands" in (found[1] or found[2]) else 1_000_000


def _printed(grid: Grid, page: int) -> str | None:
    for index, printed in zip(grid.pages, grid.printed_pages, strict=False):
        if index == page:
            return printed
    return None


# ----------------------------------------------------------------- choosing among tables


def grids_to_figures(grids: Sequence[Grid], default_unit: Unit | None) -> tuple[list[Figure], list[TableChoice],
                                                                              list[str]]:
    """Figures from every recognised table; a table that only repeats figures already taken is not used."""
    figures: list[Figure] = []
    choices: list[TableChoice] = []
    warnings: list[str] = []
    taken: dict[tuple[str, str | None, str | None, str, StatementKind], Figure] = {}
    classified = [(grid, *classify(grid)) for grid in grids]
    order = sorted(classified, key=lambda t: (_PRIORITY.index(t[1]) if t[1] else 99, _standing(t[0], t[1]),
                                             t[0].pages[0]))
    for grid, kind, reason in order:
        if kind is None:
            choices.append(_choice(grid, None, False, reason))
            continue
        unit = grid.unit or default_unit
        if unit is None:
            warnings.append(f"table {grid.id} (page {grid.pages[0]}) prints no unit; values are as printed")
            unit = Unit(caption="unit not printed")
        read = list(grid_to_figures(grid, kind, unit))
        if (other := _not_group_revenue(read, kind, taken)) is not None:
            choices.append(_choice(grid, kind, False, other))
            continue
        new, repeated = _split_new(read, taken)
        if not new:
            choices.append(_choice(grid, kind, False, _repeat_reason(repeated, taken) or "no figures read"))
            continue
        for figure in new:
            taken[(*figure.key, kind)] = figure
        figures.extend(new)
        choices.append(_choice(grid, kind, True, f"{reason}; {len(new)} figures"))
    return figures, sorted(choices, key=lambda c: (c.pages[0], c.table)), warnings


def _not_group_revenue(figures: Sequence[Figure], kind: StatementKind,
                       taken: dict[tuple[str, str | None, str | None, str, StatementKind], Figure]) -> str | None:
    """A segment or geography table is a breakdown of the group's revenue only when its total is that revenue:
    franchisees' sales or restaurant margins by market add up to totals of their own. Why not, or None."""
    if kind not in (StatementKind.SEGMENT_REVENUE, StatementKind.GEOGRAPHY):
        return None
    for figure in figures:
        if figure.item != "revenue" or figure.segment is not None or figure.region is not None:
            continue
        group = next((taken[key] for statement in (StatementKind.INCOME_STATEMENT, StatementKind.KEY_HIGHLIGHTS)
                      if (key := (*figure.key, statement)) in taken), None)
        if group is not None and not figures_agree(figure, group):
            return (f"its total {figure.source.raw_text} ({figure.period.label}) is not the group's revenue "
                    f"{group.source.raw_text} (table {group.source.table}): not a breakdown of revenue")
    return None


def _standing(grid: Grid, kind: StatementKind | None) -> tuple[int, int]:
    """Among tables of one kind, the group's own statement first: headed as a consolidated statement (over the
    table, or in its header lines), then the fuller (more income-statement lines), before a summary in the
    management discussion that only names the statements in its prose, or a segment note. The lines above the
    table are read as one text with the printed lines before them, so a sentence wrapped just before the
    statement's name still runs on into it."""
    if kind is not StatementKind.INCOME_STATEMENT:
        return 0, 0
    above = f"{grid.preamble} {grid.context}"  # read on: "... sets forth, for the periods indicated, our" + title line
    titled = any(headed(text) for text in (above, *(column.header for column in grid.columns)))
    lines = len({match(INCOME_ITEMS, row.label) for row in grid.rows} - {None})
    return (0 if titled else 1), -lines


def _split_new(figures: list[Figure], taken: dict[tuple[str, str | None, str | None, str, StatementKind], Figure]
               ) -> tuple[list[Figure], list[Figure]]:
    new = [f for f in figures if (*f.key, f.statement) not in taken]
    return new, [f for f in figures if (*f.key, f.statement) in taken]


def _repeat_reason(repeated: list[Figure], taken: dict[tuple[str, str | None, str | None, str, StatementKind],
                                                       Figure]) -> str:
    if not repeated:
        return ""
    first = taken[(*repeated[0].key, repeated[0].statement)]
    differ = [f for f in repeated if not figures_agree(f, taken[(*f.key, f.statement)])]
    verdict = "all agree" if not differ else f"{len(differ)} differ"
    return f"repeats table {first.source.table} (page {first.source.page}): {len(repeated)} shared figures, {verdict}"


def figures_agree(a: Figure, b: Figure) -> bool:
    """The same figure printed twice agrees when the two differ by less than the coarser one's rounding
    (114,624.7 in millions and 114,624,663 in thousands agree). A table that prints no currency ("In millions",
    no "$" beside its numbers) agrees with one that does."""
    if a.value is None or b.value is None:
        return a.value is b.value
    currencies = {a.unit.currency, b.unit.currency} - {None}
    if a.unit.kind is not b.unit.kind or len(currencies) > 1:
        return False
    half_units = [Decimal(5) * Decimal(10) ** -(_decimals(value) + 1) * scale
                  for value, scale in ((a.value, a.unit.scale), (b.value, b.unit.scale))]
    return bool(abs(a.value * a.unit.scale - b.value * b.unit.scale) <= max(half_units))


def _choice(grid: Grid, kind: StatementKind | None, used: bool, reason: str) -> TableChoice:
    return TableChoice(table=grid.id, pages=grid.pages, kind=kind, used=used, reason=reason, title=grid.title[:120])


def flag_contradictions(grids: Sequence[Grid], choices: Sequence[TableChoice], figures: list[Figure],
                        warnings: list[str], default_unit: Unit | None) -> tuple[list[Figure], list[str]]:
    """A figure that another table of the same statement prints differently is flagged, not presented as
    certain: a note on the figure and one report warning listing every such figure (issue 6)."""
    first: dict[tuple[str, str | None, str | None, str, StatementKind], Figure] = {}
    for figure in figures:
        first.setdefault((*figure.key, figure.statement), figure)
    unused = {c.table: c.kind for c in choices if c.kind is not None and not c.used}
    default = default_unit or Unit(caption="unit not printed")
    tables = [(kind, list(grid_to_figures(grid, kind, grid.unit or default)))
              for grid in grids if (kind := unused.get(grid.id)) is not None]
    repeats = [f for kind, read in tables if _not_group_revenue(read, kind, first) is None for f in read]
    rivals: dict[tuple[str, str | None, str | None, str, StatementKind], list[Figure]] = {}
    for other in (*figures, *repeats):
        taken = first.get((*other.key, other.statement))
        if taken is not None and other.source != taken.source and not figures_agree(taken, other):
            rivals.setdefault((*other.key, other.statement), []).append(other)
    if not rivals:
        return figures, warnings

    def where(f: Figure) -> str:
        return f"{f.source.raw_text} (table {f.source.table}, page {f.source.page})"

    listed = [f"{key[0]} {key[3]}: {where(first[key])} vs " + ", ".join(map(where, found))
              for key, found in rivals.items()]
    flagged = [f.model_copy(update={"note": "; ".join(filter(None, (f.note, "contradicted by another table: "
                                                                     + ", ".join(map(where, rivals[k])))))})
               if (k := (*f.key, f.statement)) in rivals else f for f in figures]
    return flagged, [*warnings, f"{len(rivals)} figure(s) printed differently by another table, so not certain: "
                     + "; ".join(listed[:10]) + (" ..." if len(listed) > 10 else "")]


def dominant_unit(grids: Sequence[Grid]) -> Unit | None:
    units = Counter(g.unit for g in grids if g.unit is not None)
    return units.most_common(1)[0][0] if units else None


__all__ = ["COUNT", "classify", "dominant_unit", "grid_to_figures", "grids_to_figures", "match", "normalise_label"]
