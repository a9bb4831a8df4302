"""Words → `Grid`s from geometry, checked by the table's own arithmetic where geometry cannot decide.

HKEX statements have no ruling lines. The pipeline: `blocks` (words → lines → blocks of rows under a header),
`columns` (numbers → columns → groups under a period header → roles), then here: rows with their hierarchy
(indentation, dash bullets, or children that add up to a parent), the unit, and a table continued over a page
break joined to its first part. Every threshold is a named field of `TableSettings`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from xiaomi_check.amounts import AmountKind, parse_amount, parse_unit_caption
from xiaomi_check.models import Cell, Column, ColumnKind, Grid, PageWords, Period, PeriodKind, Row, Unit, Word
from xiaomi_check.periods import parse_period
from xiaomi_check.tables.blocks import CONTINUED, Block, RawRow, page_to_blocks, titled_apart
from xiaomi_check.tables.columns import build_columns, column_extents, column_index
from xiaomi_check.tables.settings import DEFAULT, TableSettings

_CONNECTOR = re.compile(r"(?:\b(?:of|and|on|the|from|for|to|in|with|at|by|or)|[,/(\-])$", re.IGNORECASE)
_SYMBOL_CURRENCY = {"$": "USD", "US$": "USD", "HK$": "HKD", "S$": "SGD", "RMB": "RMB", "¥": "RMB"}
_BULLET = re.compile(r"^[\-–—•·]\s*\S")
_PERIOD_WORDS = re.compile(r"ended|months|year|quarter|截至|止|季度|年度|\d月|January|February|March|April|May|"
                           r"June|July|August|September|October|November|December", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w\s]")

__all__ = ["TableSettings", "block_to_grid", "pages_to_grids"]


def _unit(block: Block, page_text: str, settings: TableSettings) -> Unit | None:
    """The caption in the table's header or the lines above it, else the first caption on its page."""
    for text in [line.text for line in block.header] + list(reversed(block.context)):
        unit = parse_unit_caption(text)
        if unit is not None:
            return unit
    caption = _caption_near(page_text, settings)
    return parse_unit_caption(caption) if caption else None


def block_to_grid(block: Block, grid_id: str, page_text: str = "", settings: TableSettings = DEFAULT,
                  report_year: int | None = None, year_end: Period | None = None) -> Grid:
    values = [w for row in block.rows for w in row.values]
    extents = _without_sparse(column_extents(values, settings), values, settings)
    cells_by_column: list[list[Word]] = [[] for _ in extents]
    for word in values:
        cells_by_column[column_index(word, extents)].append(word)
    context = " ".join(block.context)
    columns = _on_fiscal_year(build_columns(block.header, extents, cells_by_column,
                                            f"{_period_context(block)} {context}", settings, report_year), year_end)
    rows = tuple(_with_parents(list(_rows(block.rows, extents)), columns, settings))
    unit = _with_symbol_currency(_unit(block, page_text, settings), block, settings)
    return Grid(id=grid_id, pages=(block.page.index,), printed_pages=(block.page.printed_page,),
                title=block.context[-1] if block.context else "", context=context,
                preamble=_preamble(block, page_text, settings), unit=unit, columns=columns, rows=rows)


def _without_sparse(extents: list[tuple[float, float]], values: Sequence[Word], settings: TableSettings
                    ) -> list[tuple[float, float]]:
    """A column of one or two stray numbers beside a full one ("$ 1.45" a few points off) is part of it, when
    no row has a number in both."""
    while len(extents) > 1:
        where = [column_index(w, extents) for w in values]
        members = [[w for w, at in zip(values, where, strict=True) if at == i] for i in range(len(extents))]
        full = max(len(m) for m in members)
        sparse = [i for i, m in enumerate(members) if len(m) <= settings.sparse_column_max and full >= 5]
        merged = False
        for i in sparse:
            for j in sorted((i - 1, i + 1), key=lambda j: abs(extents[j][1] - extents[i][1]) if 0 <= j < len(extents)
                            else 1e9):
                if not 0 <= j < len(extents) or len(members[j]) <= settings.sparse_column_max:
                    continue
                rows = {round(w.top) for w in members[j]}
                if abs(extents[j][1] - extents[i][1]) <= settings.sparse_column_reach and not any(
                        round(w.top) in rows for w in members[i]):
                    extents[j] = (min(extents[i][0], extents[j][0]), max(extents[i][1], extents[j][1]))
                    del extents[i]
                    merged = True
                    break
            if merged:
                break
        if not merged:
            return extents
    return extents


def _on_fiscal_year(columns: tuple[Column, ...], year_end: Period | None) -> tuple[Column, ...]:
    """Years printed with no date ("2022 | 2021 | 2020") in a report whose cover states a fiscal year end that
    is not 31 December: the latest column ends on that date and the others a year apart (Foot Locker's
    "2022" ends on 28 January 2023), never on a 31 December the filing does not print."""
    bare = [c.period for c in columns if c.period is not None and c.period.kind is PeriodKind.YEAR
            and c.period.day is None and c.period.month == 12]
    if year_end is None or year_end.month == 12 or not bare or len(bare) != len(
            [c for c in columns if c.period is not None and c.kind is ColumnKind.VALUE]):
        return columns
    shift = year_end.year - max(p.year for p in bare)

    def moved(period: Period) -> Period:
        return Period(kind=PeriodKind.YEAR, year=period.year + shift, month=year_end.month)

    return tuple(c.model_copy(update={"period": moved(c.period)}) if c.period in bare else c for c in columns)


def _period_context(block: Block) -> str:
    """Period words printed above the header ("Three months ended") that no column phrase carries."""
    return " ".join(text for text in block.context[-3:] if _PERIOD_WORDS.search(text))


def _preamble(block: Block, page_text: str, settings: TableSettings) -> str:
    """The two printed lines just before the table (its title, even when it reads like a sentence)."""
    first = block.context[0] if block.context else block.header[0].text if block.header else block.rows[0].label
    anchor = page_text.find(first[: settings.preamble_anchor_chars]) if first else -1
    if anchor <= 0:
        return ""
    lines = [line.strip() for line in page_text[:anchor].splitlines() if line.strip()]
    return " ".join(lines[-settings.preamble_lines :])


def _with_symbol_currency(unit: Unit | None, block: Block, settings: TableSettings) -> Unit | None:
    """A caption without a currency ("In Millions") takes it from the symbol cells beside the numbers ("$")."""
    if unit is None or unit.currency is not None or not block.rows:
        return unit
    top = block.rows[0].top - settings.symbol_slack
    symbols = {_SYMBOL_CURRENCY[w.text] for w in block.page.words
               if w.text in _SYMBOL_CURRENCY and top <= w.top <= block.bottom}
    return unit.model_copy(update={"currency": symbols.pop()}) if len(symbols) == 1 else unit


def _caption_near(page_text: str, settings: TableSettings) -> str:
    for line in page_text.splitlines():
        if len(line) < settings.caption_max_chars and parse_unit_caption(line) is not None:
            return line
    return ""


# ----------------------------------------------------------------- rows and their hierarchy


def _rows(raw: Sequence[RawRow], extents: Sequence[tuple[float, float]]) -> Iterable[tuple[Row, float]]:
    section: str | None = None
    for row in _join_wrapped(raw):
        if not row.values:
            section = row.label.rstrip(":：") if row.label else section
            continue
        cells: list[Cell | None] = [None] * len(extents)
        for word in row.values:
            cells[column_index(word, extents)] = Cell(text=word.text, bbox=(word.x0, word.top, word.x1, word.bottom),
                                                      page=row.page)
        yield Row(label=row.label, section=section, indent=row.label_x0, cells=tuple(cells), page=row.page,
                  top=row.top), row.label_x0
        if section and _closes(row.label, section):
            section = None  # "Total cost of sales" ends "Cost of Sales:": the lines below are not costs of sales


_NOTE_REFERENCES = re.compile(r"(?:\s*\(\s*(?:\d{1,2}|[a-z])\s*\))+\s*$")


def _closes(label: str, section: str) -> bool:
    """A total row that names its section ("Total operating expenses, net" under "Operating expenses")."""
    words = _PUNCTUATION.sub(" ", label.casefold()).split()
    named = _PUNCTUATION.sub(" ", _NOTE_REFERENCES.sub("", section.casefold())).split()  # "Operating expenses (1)(2)"
    return words[:1] == ["total"] and " ".join(named) in " ".join(words)


def _with_parents(rows: list[tuple[Row, float]], columns: Sequence[Column],
                  settings: TableSettings) -> Iterable[Row]:
    """Each row's parent: the nearest row above it that is less indented (or not dash-bulleted when it is),
    else the row above a run of rows that add up to it."""
    parents: list[str | None] = [None] * len(rows)
    for i in range(len(rows)):
        parents[i] = _indent_parent(rows, parents, i, settings)
    _parents_by_sum([r for r, _ in rows], parents, columns)
    for (row, _), parent in zip(rows, parents, strict=True):
        yield row.model_copy(update={"parent": parent}) if parent else row


def _indent_parent(rows: Sequence[tuple[Row, float]], parents: Sequence[str | None], i: int,
                   settings: TableSettings) -> str | None:
    row, x0 = rows[i]
    for j in range(i - 1, -1, -1):
        above, above_x0 = rows[j]
        if above_x0 < x0 - settings.indent_min:
            return above.label
        if abs(above_x0 - x0) <= settings.indent_min:
            bullet, above_bullet = bool(_BULLET.match(row.label)), bool(_BULLET.match(above.label))
            if bullet and not above_bullet:
                return above.label
            return parents[j] if bullet == above_bullet else None
    return None


def _first_values(rows: Sequence[Row], columns: Sequence[Column]) -> list[Decimal | None]:
    index = next((c.index for c in columns if c.kind is ColumnKind.VALUE), None)
    out: list[Decimal | None] = []
    for row in rows:
        cell = row.cells[index] if index is not None else None
        amount = parse_amount(cell.text) if cell is not None else None
        out.append(amount.value if amount is not None and amount.kind is AmountKind.NUMBER else None)
    return out


def _parents_by_sum(rows: Sequence[Row], parents: list[str | None], columns: Sequence[Column]) -> None:
    """A row followed by two or more rows (with no parent yet) that add up to it is their parent."""
    values = _first_values(rows, columns)
    for i, value in enumerate(values):
        if value is None or parents[i] is not None or value == 0:
            continue
        total = Decimal(0)
        for k in range(i + 1, min(len(rows), i + 10)):
            if values[k] is None or parents[k] is not None:
                break
            total += values[k]  # type: ignore[operator]
            if k - i >= 2 and abs(total - value) <= _half_unit(value) * (k - i):
                for child in range(i + 1, k + 1):
                    parents[child] = rows[i].label
                break


def _half_unit(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Decimal(5) * Decimal(10) ** -(places + 1)


def _cjk_continues(label: str) -> bool:
    """A Chinese label line with no values and no closing colon wraps onto the next line."""
    return bool(label) and "\u4e00" <= label[-1] <= "\u9fff" and not label.endswith(("：", ":"))


_CJK = re.compile(r"[\u3400-\u9fff]")
_ENUMERATED = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|其中[:：]|加[:：]|减[:：]"
                         r"|減[:：]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])")  # "1.归属于...": an item of its own
_LATIN = re.compile(r"[A-Za-z]{2,}")


def _translates(english: str, line: str) -> bool:
    """A bilingual filing prints each English label with its Chinese on the line below, values on the first."""
    cjk, latin = len(_CJK.findall(line)), sum(len(w) for w in _LATIN.findall(line))
    return cjk > latin and bool(_LATIN.search(english)) and not _CJK.search(english)


def _unclosed(label: str) -> bool:
    """A label whose bracket is still open goes on over the next line."""
    return label.count("(") + label.count("（") > label.count(")") + label.count("）")


def _joiner(label: str, rest: str) -> str:
    """No space where a Chinese label wraps, also between its punctuation ("以“－" + "”号填列）"); a space in
    English."""
    chinese = _CJK.search(label[-1:]) or _CJK.search(rest[:1]) or (_CJK.search(label) and not rest[:1].isascii())
    return "" if chinese else " "


def _join_wrapped(raw: Sequence[RawRow]) -> list[RawRow]:
    out: list[RawRow] = []
    for row in raw:
        previous = out[-1] if out else None
        starts_lower = bool(row.label) and row.label[0].islower()
        if previous is not None and not previous.values and row.label and not _ENUMERATED.match(row.label) and (
                starts_lower or _CONNECTOR.search(previous.label) or _cjk_continues(previous.label)):
            joiner = "" if _cjk_continues(previous.label) else " "
            out[-1] = RawRow(f"{previous.label}{joiner}{row.label}", previous.label_x0, row.values, row.top, row.page,
                             previous.section)
        elif previous is not None and previous.values and not row.values and _unclosed(previous.label):
            # "营业利润（亏损以“－”号填" + "列）"
            previous.label = f"{previous.label}{_joiner(previous.label, row.label)}{row.label}"
        elif previous is not None and previous.values and not row.values and (
                starts_lower or _translates(previous.label, row.label) or previous.label.endswith((":", "："))):
            out[-1] = RawRow(f"{previous.label} {row.label}", previous.label_x0, previous.values, previous.top,
                             previous.page, previous.section)  # a wrapped label, or its Chinese line below it
        else:
            out.append(row)
    return out


# ----------------------------------------------------------------- pages → grids


def pages_to_grids(pages: Sequence[PageWords], texts: Sequence[str], settings: TableSettings = DEFAULT) -> list[Grid]:
    """Every table on the given pages, with a table continued over a page break joined to its start."""
    grids: list[Grid] = []
    previous: Block | None = None
    opening: Block | None = None  # the block the last grid starts with: its title
    counts: dict[int, int] = {}
    year = report_year(texts)
    grids_end = fiscal_year_end(texts)
    for page in pages:
        page_text = texts[page.index - 1] if 0 < page.index <= len(texts) else ""
        for number, block in enumerate(page_to_blocks(page, settings)):
            grid = block_to_grid(block, f"p{page.index}-t{counts.get(page.index, 0) + 1}", page_text, settings, year,
                                 grids_end)  # read once: the start of a new table, or the rest of the last one
            if number == 0 and grids and previous is not None and opening is not None and _continues(
                    (opening, previous), block, grids[-1], grid, _text_of(texts, previous.page.index), settings):
                grids[-1] = _merge(grids[-1], grid, settings)
            else:
                counts[page.index] = counts.get(page.index, 0) + 1
                grids.append(grid)
                opening = block
            previous = block
    return grids


def _text_of(texts: Sequence[str], index: int) -> str:
    return texts[index - 1] if 0 < index <= len(texts) else ""


_REPORT_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:年度|半年度|第[一三]季度)?报告|((?:19|20)\d{2})\s*年度報告"
                          r"|(?:annual|interim) report\s+((?:19|20)\d{2})", re.IGNORECASE)


_FISCAL_END = re.compile(r"(?:fiscal )?year ended\s+(January|February|March|April|May|June|July|August|September|"
                         r"October|November|December)\s+(\d{1,2}),?\s+((?:19|20)\d{2})", re.IGNORECASE)


def fiscal_year_end(texts: Sequence[str]) -> Period | None:
    """The year end a report states on its cover ("For the fiscal year ended January 28, 2023")."""
    found = _FISCAL_END.search(" ".join("\n".join(texts[:2]).split()))
    if found is None:
        return None
    return parse_period(f"year ended {found[1]} {found[2]}, {found[3]}")


def report_year(texts: Sequence[str]) -> int | None:
    """The year a report covers, from its cover ("2018 年年度报告"): what "本期" and "上期" columns mean."""
    found = _REPORT_YEAR.search("\n".join(texts[:2]))
    return int(next(g for g in found.groups() if g)) if found else None


def _continues(parts: tuple[Block, Block], block: Block, first: Grid, second: Grid, before: str,
               settings: TableSettings) -> bool:
    """The first table of a page continues the last table of the page before (`parts`: the block it starts with
    and the one it ends with; `before`: the text of that page): nothing but page furniture after the one, no title
    of its own before the other, and either no header, "(continued)", or the same periods over the same number of
    columns."""
    opening, previous = parts
    if not previous.open_end or block.page.index != previous.page.index + 1:
        return False
    labels_only = all(len(line.split()) <= settings.page_end_max_words and len(line) <= settings.label_max_chars
                      for line in block.context)
    if not labels_only and (block.rows[0].top > settings.continuation_top * block.page.height
                            or len(block.context) > settings.continuation_context_lines):
        return False  # (rows with no values yet at the top of the page are the table's own: it goes on)
    if titled_apart(block, (opening, previous), before, settings):
        return False
    title = " ".join(block.context[-2:]).casefold()
    periods = [c.period for c in second.columns if c.kind is not ColumnKind.NOTE]
    same = len(second.columns) == len(first.columns) and periods == [
        c.period for c in first.columns if c.kind is not ColumnKind.NOTE]
    return bool(CONTINUED.search(title)) or not any(periods) or same


def _same_periods(first: Grid, second: Grid) -> dict[int, int | None]:
    """Each dated column of `second` → the one column of `first` of the same period and kind (a facing page sets
    its columns further right or left: Water Oasis prints 2021 at x 465 on one page and at x 530 on the next); a
    note column → `first`'s, or None when it has none (a note reference is no amount)."""
    notes = [c.index for c in first.columns if c.kind is ColumnKind.NOTE]
    onto: dict[int, int | None] = {}
    for column in second.columns:
        label = column.period.label if column.period is not None else None
        same = [c.index for c in first.columns if label is not None and c.period is not None
                and c.period.label == label and c.kind is column.kind]
        if column.kind is ColumnKind.NOTE:
            onto[column.index] = notes[0] if len(notes) == 1 else None
        elif len(same) == 1:
            onto[column.index] = same[0]
    return onto


def _merge(first: Grid, second: Grid, settings: TableSettings = DEFAULT) -> Grid:
    """Rows of `second` re-laid onto `first`'s columns, by period or else by nearest right edge; the section a page
    ends in goes on over the break, and the hierarchy is read again over the joined rows."""
    rows = list(first.rows)
    section = first.rows[-1].section if first.rows else None
    onto = _same_periods(first, second)
    for row in second.rows:
        section = row.section or section
        cells = list(row.cells)
        if len(second.columns) != len(first.columns):  # another layout: each cell to the column of its period,
            cells = [None] * len(first.columns)  # else to the nearest right edge
            for at, cell in enumerate(row.cells):
                if cell is not None and (at not in onto or onto[at] is not None):
                    index = onto.get(at)
                    if index is None:
                        index = min(range(len(first.columns)), key=lambda i: abs(first.columns[i].x1 - cell.bbox[2]))
                    cells[index] = cell
        rows.append(row.model_copy(update={"cells": tuple(cells), "section": section}))
    bare = [(row.model_copy(update={"parent": None}), row.indent) for row in rows]
    return first.model_copy(update={"rows": tuple(_with_parents(bare, first.columns, settings)),
                                    "pages": (*first.pages, *second.pages),
                                    "printed_pages": (*first.printed_pages, *second.printed_pages)})
