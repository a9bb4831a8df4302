"""Value words → columns → column groups → roles (period × measure).

Columns come from the right edges of the numbers (nil cells never make a column of their own: a centred "—"
takes the column it stands in). Header phrases are read line by line: a phrase over several groups is a
spanning header (context), a phrase over one group is that group's own. A group is an amount column and the
percentage columns that follow it ("Amount | % of total revenue", "Gross profit | Gross margin"); a change
column is a group of its own. Each group gets one period: by order when one header line prints one year per
group (so a year centred, left- or right-aligned over either column of its pair still lands on its group),
else by overlap with the group's span, else the nearest. A change column is dated with the later period it
compares.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from xiaomi_check.amounts import AmountKind, parse_amount
from xiaomi_check.models import PERIOD_SPAN, Column, ColumnKind, Period, PeriodKind, Word
from xiaomi_check.periods import column_kind, column_measure, parse_period, period_years
from xiaomi_check.tables.blocks import YEAR, Line
from xiaomi_check.tables.settings import DEFAULT, TableSettings

Extent = tuple[float, float]
_CHANGE = (ColumnKind.YOY, ColumnKind.QOQ, ColumnKind.CHANGE)
_NIL_KINDS = (AmountKind.NIL, AmountKind.NOT_APPLICABLE)
_PERIOD_WORDS = re.compile(r"ended|months|year|quarter|截至|止|季度|年度|\d月|January|February|March|April|May|"
                           r"June|July|August|September|October|November|December|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|"
                           r"Aug|Sept?|Oct|Nov|Dec)\b", re.IGNORECASE)
_BROKEN_HYPHEN = re.compile(r"-\s+")  # a word hyphenated across header lines: "Year- on-year"
_NOTE_WORD = re.compile(r"\bnotes?\b|附註|附注", re.IGNORECASE)
_SEPARATOR = re.compile(r"[,.]")


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    x0: float
    x1: float
    line: int


@dataclass(slots=True)
class Group:
    columns: list[int]
    change: bool = False
    own: list[Phrase] = field(default_factory=list)
    spanning: list[Phrase] = field(default_factory=list)
    nearby: list[Phrase] = field(default_factory=list)
    period: Period | None = None

    def span(self, extents: Sequence[Extent]) -> Extent:
        return min(extents[i][0] for i in self.columns), max(extents[i][1] for i in self.columns)


def cluster_right_edges(values: Sequence[Word], tolerance: float = DEFAULT.column_tolerance) -> list[Extent]:
    """Numeric columns as (x0, x1) extents, found by clustering the right edges of value words."""
    clusters: list[list[Word]] = []
    edges: list[float] = []  # the last cluster's right edges
    for word in sorted(values, key=lambda w: w.x1):
        if clusters and word.x1 - math.fsum(edges) / len(edges) <= tolerance:  # statistics.fmean, without its checks
            clusters[-1].append(word)
            edges.append(word.x1)
        else:
            clusters.append([word])
            edges = [word.x1]
    return [(min(w.x0 for w in c), max(w.x1 for w in c)) for c in clusters]


def is_nil_word(word: Word) -> bool:
    amount = parse_amount(word.text)
    return amount is not None and amount.kind in _NIL_KINDS


def column_extents(values: Sequence[Word], settings: TableSettings = DEFAULT) -> list[Extent]:
    """Columns from the numbers only; a table of nothing but nils falls back to every value word."""
    numbers = [w for w in values if not is_nil_word(w)]
    return cluster_right_edges(numbers or values, settings.column_tolerance)


def column_index(word: Word, extents: Sequence[Extent]) -> int:
    """A number goes to the column of the nearest right edge; a nil to the column it stands in (else the
    nearest by centre), so a "—" centred in the comparative column never moves into the current one."""
    if not is_nil_word(word):
        distances = [abs(right - word.x1) for _, right in extents]
        return distances.index(min(distances))
    centre = (word.x0 + word.x1) / 2
    inside = [i for i, (x0, x1) in enumerate(extents) if x0 - 1 <= centre <= x1 + 1]
    if inside:
        return inside[0]
    return min(range(len(extents)), key=lambda i: abs((extents[i][0] + extents[i][1]) / 2 - centre))


def phrases(line: Line, index: int = 0, settings: TableSettings = DEFAULT) -> list[Phrase]:
    """Header words merged into phrases where the gap is a word space, not a column gap."""
    out: list[Phrase] = []
    last_word: Word | None = None
    for word in line.words:
        gap = word.x0 - out[-1].x1 if out else 1e9
        two_years = last_word is not None and YEAR.match(word.text) and YEAR.match(last_word.text)
        if out and gap < settings.phrase_gap_ratio * word.size and not two_years:
            last = out.pop()
            out.append(Phrase(f"{last.text} {word.text}", last.x0, word.x1, index))
        else:
            out.append(Phrase(word.text, word.x0, word.x1, index))
        last_word = word
    return out


def _overlaps(phrase: Phrase, extent: Extent, settings: TableSettings) -> bool:
    """A phrase stands over a column when it covers a fair share of it (or of itself): a long header that
    overhangs the next column by a few points does not stand over that column."""
    overlap = min(phrase.x1, extent[1]) - max(phrase.x0, extent[0])
    narrower = min(phrase.x1 - phrase.x0, extent[1] - extent[0])
    return overlap >= max(settings.overlap_share * narrower, -settings.header_slack)


def _cover(phrase: Phrase, extent: Extent) -> float:
    """The share of a column's (or group's) width that a phrase covers."""
    width = max(extent[1] - extent[0], 1.0)
    return max(0.0, min(phrase.x1, extent[1]) - max(phrase.x0, extent[0])) / width


def _distance(phrase: Phrase, extent: Extent) -> float:
    return max(0.0, phrase.x0 - extent[1], extent[0] - phrase.x1)


def own_headers(header: Sequence[Line], extents: Sequence[Extent], settings: TableSettings = DEFAULT,
                keep: Callable[[str], bool] = lambda text: True) -> list[str]:
    """Each header phrase goes to the columns it stands over, or else to the one nearest column."""
    pitch = statistics.median([b[1] - a[1] for a, b in pairwise(extents)] or [settings.default_pitch])
    limit = max(settings.header_reach_min, settings.header_reach_ratio * pitch)
    parts: list[list[str]] = [[] for _ in extents]
    for index, line in enumerate(header):
        for phrase in phrases(line, index, settings):
            if not keep(phrase.text):
                continue
            over = [i for i, extent in enumerate(extents) if _overlaps(phrase, extent, settings)]
            if not over:
                distance, nearest = min((_distance(phrase, e), i) for i, e in enumerate(extents))
                over = [nearest] if distance <= limit else []
            for i in over:
                parts[i].append(phrase.text)
    return [_BROKEN_HYPHEN.sub("-", " ".join(p)).strip() for p in parts]


def _kind(own: str, sub: str) -> ColumnKind:
    """The column's role from everything over it, made more specific by its own sub-header."""
    kind, specific = column_kind(own), column_kind(sub)
    if kind is ColumnKind.VALUE or (kind is ColumnKind.CHANGE and specific in (ColumnKind.YOY, ColumnKind.QOQ)):
        return specific
    return kind


def _sub_headers(header: Sequence[Line], extents: Sequence[Extent], settings: TableSettings) -> list[str]:
    """The lowest header line over each column ("RMB", "%", "Amount"): the column's own role, read apart from
    the period phrases above it ("2024 %" is not a "%" header to a pattern anchored at its start)."""
    years = [i for i, line in enumerate(header) if any(period_years(w.text) for w in line.words)]
    below = header[years[-1] + 1 :] if years and years[-1] + 1 < len(header) else header[-1:]
    found = ["" for _ in extents]
    for line in below:  # the lines under the last year ("Gross" / "profit"), read together
        words = own_headers([line], extents, settings, keep=lambda text: not (
            period_years(text) or _PERIOD_WORDS.search(text)))
        found = [f"{previous} {word}".strip() for word, previous in zip(words, found, strict=True)]
    return found


def _is_percent_column(cells: Sequence[Word]) -> bool:
    amounts = [parse_amount(w.text) for w in cells]
    kinds = [a.kind for a in amounts if a is not None and a.kind not in _NIL_KINDS]
    return bool(kinds) and sum(k is AmountKind.PERCENT for k in kinds) >= 0.6 * len(kinds)


def is_note_column(header: str, cells: Sequence[Word], settings: TableSettings = DEFAULT,
                   after_amounts: bool = False) -> bool:
    """A column headed "Note", or one that reads as note references: small whole numbers printed bare ("5",
    "12"; "24.0" is an amount), under no period, and left of the amounts (notes are cited beside the labels:
    a column of small numbers after an amount column is an adjustment of a wide reconciliation, not notes).
    A "附注" header that reached the first amount column (its note references printed in the labels, "七、61")
    does not make amounts notes: no note is 100 or more."""
    small = [parse_amount(w.text) for w in cells]
    if column_kind(header) is ColumnKind.NOTE or _NOTE_WORD.search(header):
        return not any(a is not None and a.value is not None and abs(a.value) >= settings.note_max for a in small)
    return bool(cells) and not after_amounts and all(
        a is not None and a.kind is AmountKind.NUMBER and a.value is not None and 0 < a.value < settings.note_max
        and a.value == int(a.value) and not _SEPARATOR.search(a.text) for a in small) and not parse_period(header)


def _kinds(own: Sequence[str], sub: Sequence[str], cells: Sequence[Sequence[Word]], settings: TableSettings
           ) -> list[ColumnKind]:
    kinds: list[ColumnKind] = []
    for i in range(len(own)):
        after_amounts = any(kind is not ColumnKind.NOTE for kind in kinds)
        note = is_note_column(own[i], cells[i], settings, after_amounts)
        kind = ColumnKind.NOTE if note else _kind(own[i], sub[i])
        if kind is ColumnKind.NOTE and not note and not is_note_column(sub[i], cells[i], settings, after_amounts):
            kind = ColumnKind.VALUE  # "附注" on the years' line, nearest the first amounts: they are no notes
        kinds.append(kind)
    return kinds


def _groups(kinds: Sequence[ColumnKind], percent: Sequence[bool], measures: Sequence[str | None]) -> list[Group]:
    """An amount column opens a group; the percentage columns after it join it; a change column stands alone."""
    groups: list[Group] = []
    open_amount = False
    for i, kind in enumerate(kinds):
        if kind is ColumnKind.NOTE:
            open_amount = False
            continue
        if kind in _CHANGE:
            groups.append(Group([i], change=True))
            open_amount = False
            continue
        is_share = kind is ColumnKind.SHARE or measures[i] == "gross_margin" or percent[i]
        if is_share and open_amount:
            groups[-1].columns.append(i)
        else:
            groups.append(Group([i]))
            open_amount = not is_share
    return groups


def _year_phrases(line: list[Phrase]) -> list[Phrase]:
    return [p for p in line if len(period_years(p.text)) == 1 and column_kind(p.text) not in _CHANGE]


def _assign_phrases(groups: list[Group], lines: list[list[Phrase]], extents: Sequence[Extent],
                    settings: TableSettings) -> None:
    """Give each group its own phrases and the spanning phrases over it (see the module docstring)."""
    dated = [g for g in groups if not g.change]
    spans = [g.span(extents) for g in groups]
    pitch = statistics.median([b[1] - a[1] for a, b in pairwise(extents)] or [settings.default_pitch])
    limit = max(settings.header_reach_min, settings.header_reach_ratio * pitch)
    by_order = next((years for line in lines if len(years := _year_phrases(line)) == len(dated) and dated), None)
    for line in lines:
        for phrase in line:
            if by_order is not None and phrase in by_order:
                dated[by_order.index(phrase)].own.append(phrase)
                continue
            over = [i for i, span in enumerate(spans) if _overlaps(phrase, span, settings)]
            listing = len(period_years(phrase.text)) > 1 and column_kind(phrase.text) not in _CHANGE
            if listing and (not over or by_order is not None):
                for group in groups:  # "Years ended December 31, 2021, 2020, and 2019" beside the columns (or
                    group.spanning.append(phrase)  # centred over the first of them, each dated by its own year):
                continue  # all of them, not the nearest one's own
            if len(over) > 1:
                covered = [i for i in over if _cover(phrase, spans[i]) >= settings.spanning_cover]
                if len(covered) > 1:
                    for i in covered:
                        groups[i].spanning.append(phrase)
                    continue
                over = [max(over, key=lambda i: _cover(phrase, spans[i]))]
            if not over:
                distance, nearest = min((_distance(phrase, span), i) for i, span in enumerate(spans))
                over = [nearest] if distance <= limit else []
            if over and not (by_order is not None and _year_phrases([phrase]) and not groups[over[0]].change):
                groups[over[0]].own.append(phrase)


_MONTH = re.compile(r"\d月|January|February|March|April|May|June|July|August|September|October|November|December"
                    r"|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b", re.IGNORECASE)


_DATES_A_PERIOD = re.compile(  # "Quarters Ended June 30," or "September 30," but not the "(Dec)" of "Inc/(Dec)"
    r"ended|ending|months|quarter|weeks|year|截至|止|季度|年度|\d月|(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)", re.IGNORECASE)


def _nearby(groups: list[Group], lines: list[list[Phrase]], extents: Sequence[Extent]) -> None:
    """On each header line, the period phrase nearest each group ("September 30," centred between two groups,
    "For the year ended 30 September 2021" at the label margin): it fills in the month, day and span that the
    group's own header leaves out (never its year)."""
    for group in groups:
        span = group.span(extents)
        for line in lines:
            dated = [p for p in line if _DATES_A_PERIOD.search(p.text)]  # only its month, day and span are used
            if dated:
                group.nearby.append(min(dated, key=lambda p: _distance(p, span)))


def _text(found: Sequence[Phrase]) -> str:
    return _BROKEN_HYPHEN.sub("-", " ".join(p.text for p in sorted(found, key=lambda p: (p.line, p.x0))))


_CURRENT = re.compile(r"本期|本年|本報告期|本报告期|current (?:period|year)", re.IGNORECASE)
_PRIOR = re.compile(r"上期|上年|prior (?:period|year)|previous (?:period|year)", re.IGNORECASE)


def _group_period(group: Group, context: str, report_year: int | None = None) -> Period | None:
    own, spanning = _text(group.own), _text(group.spanning)
    if len(period_years(own)) == 1:
        return parse_period(own, spanning, _text(group.nearby), context)
    if not period_years(own) and len(period_years(spanning)) == 1:
        return parse_period(f"{spanning} {own}", context)
    if not period_years(own) and report_year is not None:  # "本期发生额 | 上期发生额": the report's own year
        offset = 0 if _CURRENT.search(own) else 1 if _PRIOR.search(own) else None
        if offset is not None:
            return parse_period(f"{report_year - offset}年度 {own}", spanning, context)
    return None


def _change_period(groups: Sequence[Group], at: int, kind: ColumnKind) -> Period | None:
    """A change column is dated with the later period it compares: the later year its own header names ("% Change
    2020 vs. 2019" beside 2021, 2020 and 2019 is 2020's), else for a year-on-year change the pair just before
    it, for a quarter-on-quarter change the table's latest quarter."""
    before = [g.period for g in groups[:at] if not g.change and g.period is not None]
    since = []
    for g in reversed(groups[:at]):
        if g.change:
            break
        if g.period is not None:
            since.append(g.period)
    year = max(period_years(_text(groups[at].own)), default=None)
    named = [p for p in since if p.year == year] or [p for p in before if p.year == year]
    if named:
        return max(named, key=lambda p: (p.month, p.day or 31, -PERIOD_SPAN[p.kind]))
    candidates = since if len(since) >= 2 and kind is not ColumnKind.QOQ else before
    if not candidates:
        return None
    span = candidates[-1].kind if kind is ColumnKind.QOQ or len(since) < 2 else None
    same = [p for p in candidates if span is None or p.kind is span] or candidates
    return max(same, key=lambda p: (p.year, p.month, p.day or 31, -PERIOD_SPAN[p.kind]))


def _column_header(group: Group, extent: Extent, settings: TableSettings) -> str:
    """What a reader sees over a column: the spanning header, its group's period, and its own sub-header."""
    dated = [p for p in group.own if period_years(p.text) or _PERIOD_WORDS.search(p.text)]
    mine = [p for p in group.own if p not in dated and (len(group.columns) == 1 or _overlaps(p, extent, settings))]
    used = [*group.spanning, *dated]
    borrowed = [p for p in group.nearby if p not in used and _MONTH.search(p.text)][:1] if not _MONTH.search(
        _text(used)) else []
    return _text(list(dict.fromkeys([*used, *borrowed, *mine]))).strip()


def _date(groups: list[Group], kinds: list[ColumnKind], context: str, report_year: int | None = None) -> None:
    """Date every group; a plain "Change" column becomes year-on-year or quarter-on-quarter by the periods
    of the table (Q3 2024 beside Q3 2023 is a year-on-year change; so is "2022 | Increase/(decrease) | 2021",
    its comparative printed after it)."""
    for group in groups:
        group.period = None if group.change else _group_period(group, context, report_year)
    for at, group in enumerate(groups):
        if not group.change:
            continue
        column = group.columns[0]
        group.period = _change_period(groups, at, kinds[column])
        if kinds[column] is ColumnKind.CHANGE and group.period is not None:
            kinds[column] = _change_kind(groups, group.period)


def _change_kind(groups: Sequence[Group], current: Period) -> ColumnKind:
    compared = [g.period for g in groups if not g.change and g.period is not None and g.period != current]
    if any(p.kind is current.kind and p.year == current.year - 1 and p.month == current.month for p in compared):
        return ColumnKind.YOY
    if current.kind is PeriodKind.QUARTER and any(p.kind is PeriodKind.QUARTER for p in compared):
        return ColumnKind.QOQ
    return ColumnKind.CHANGE


def _own_words(header: Sequence[Line], extents: Sequence[Extent], settings: TableSettings) -> list[str]:
    """Each column's own words, period phrases left out: what it measures ("Share-based compensation")."""
    return own_headers(header, extents, settings, keep=lambda text: not (
        period_years(text) or _DATES_A_PERIOD.search(text)))


def _one_period_over_all(groups: list[Group], lines: list[list[Phrase]], extents: Sequence[Extent],
                         context: str) -> None:
    """One period printed once over a whole table ("Three months ended September 30, 2024" over a
    reconciliation whose columns are adjustments) dates every column that nothing else dates."""
    dated = [p for line in lines for p in line if len(period_years(p.text)) == 1]
    if len(groups) < 2 or len(dated) != 1 or not _DATES_A_PERIOD.search(dated[0].text):
        return
    spans = [g.span(extents) for g in groups]
    if sum(_cover(dated[0], span) > 0 for span in spans) < 2 and len(dated[0].text) < 20:
        return  # a lone year over one column is that column's, not the table's
    period = parse_period(dated[0].text, context)
    for group in groups:
        group.period = group.period or period


def build_columns(header: Sequence[Line], extents: Sequence[Extent], cells: Sequence[Sequence[Word]],
                  context: str, settings: TableSettings = DEFAULT, report_year: int | None = None
                  ) -> tuple[Column, ...]:
    """Columns with their kind, measure, group and period (see the module docstring)."""
    own = own_headers(header, extents, settings)
    sub = _sub_headers(header, extents, settings)
    kinds = _kinds(own, sub, cells, settings)
    measures = [column_measure(sub[i]) or column_measure(own[i]) for i in range(len(own))]  # its own words first
    groups = _groups(kinds, [_is_percent_column(c) for c in cells], measures)
    lines = [phrases(line, index, settings) for index, line in enumerate(header)]
    if groups:
        _assign_phrases(groups, lines, extents, settings)
        _nearby(groups, lines, extents)
    _date(groups, kinds, context, report_year)
    _one_period_over_all(groups, lines, extents, context)
    labels = _own_words(header, extents, settings)
    where: dict[int, tuple[int, Group]] = {i: (n, g) for n, g in enumerate(groups) for i in g.columns}
    columns: list[Column] = []
    for i, extent in enumerate(extents):
        if i not in where:  # a note column
            columns.append(Column(index=i, header=own[i], kind=kinds[i], measure=measures[i], x0=extent[0],
                                  x1=extent[1]))
            continue
        number, found = where[i]
        kind = kinds[i]
        if not found.change and i != found.columns[0] and kind is ColumnKind.VALUE and measures[i] != "gross_margin":
            kind = ColumnKind.SHARE  # the percentage beside an amount under one period header
        columns.append(Column(index=i, header=_column_header(found, extent, settings) or own[i], kind=kind,
                              period=found.period, measure=measures[i], group=number, label=labels[i],
                              x0=extent[0], x1=extent[1]))
    return tuple(columns)
