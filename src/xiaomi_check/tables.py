"""Words → `Grid`s from geometry alone: HKEX statements have no ruling lines.

Rows by baseline, numeric columns by right edges, the label column at the left, header lines above the
first numeric row mapped to periods, footnote markers told apart by size and position, wrapped labels
joined, and a table that runs over a page break joined to its first part.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from xiaomi_check.amounts import AmountKind, parse_amount, parse_unit_caption
from xiaomi_check.models import Cell, Column, ColumnKind, Grid, PageWords, Row, Unit, Word
from xiaomi_check.periods import column_kind, column_measure, parse_period

_YEAR = re.compile(r"^(?:FY)?(?:19|20)\d{2}(?:年|E|F|A)?$")
_MARKER = re.compile(r"^(?:\(?\d{1,2}\)?|\(?[a-z]\)?|[*#†‡])$")
_CONNECTOR = re.compile(r"(?:\b(?:of|and|on|the|from|for|to|in|with|at|by|or)|[,/(\-])$", re.IGNORECASE)
_SKIP_TOKENS = {"$", "RMB", "HK$", "US$", "S$", "¥"}
_SYMBOL_CURRENCY = {"$": "USD", "US$": "USD", "HK$": "HKD", "S$": "SGD", "RMB": "RMB", "¥": "RMB"}


@dataclass(slots=True)
class Line:
    words: list[Word]
    top: float
    bottom: float

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0


@dataclass(slots=True)
class RawRow:
    label: str
    label_x0: float
    values: list[Word]
    top: float
    page: int
    section: str | None = None


@dataclass(slots=True)
class Block:
    page: PageWords
    header: list[Line] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    bottom: float = 0.0
    open_end: bool = False


def is_value_word(word: Word) -> bool:
    parsed = parse_amount(word.text)
    return parsed is not None and not _YEAR.match(word.text.strip())


def strip_markers(words: Sequence[Word]) -> list[Word]:
    """Drop footnote markers: a short token in a smaller font, raised, right next to a number."""
    sizes = [w.size for w in words if is_value_word(w)]
    body = statistics.median(sizes) if sizes else 0.0
    kept: list[Word] = []
    for word in words:
        previous = kept[-1] if kept else None
        if (previous is not None and body and word.size < 0.85 * body and _MARKER.match(word.text)
                and abs(word.x0 - previous.x1) < 3.0 and word.top < previous.top + 1.0
                and is_value_word(previous)):
            continue
        kept.append(word)
    return kept


def words_to_lines(words: Iterable[Word]) -> list[Line]:
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        centre = (word.top + word.bottom) / 2
        tolerance = max(2.5, 0.4 * (word.bottom - word.top))
        line = lines[-1] if lines else None
        if line is not None and abs((line.top + line.bottom) / 2 - centre) <= tolerance:
            line.words.append(word)
            line.top, line.bottom = min(line.top, word.top), max(line.bottom, word.bottom)
        else:
            lines.append(Line([word], word.top, word.bottom))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def _glue(words: list[Word]) -> list[Word]:
    """Join a lone `%` or `)` to the number before it; drop currency symbols standing alone."""
    out: list[Word] = []
    for word in words:
        if word.text in _SKIP_TOKENS:
            continue
        if word.text in {"%", ")", ")%"} and out and word.x0 - out[-1].x1 < 4:
            last = out.pop()
            out.append(Word(last.text + word.text, last.x0, word.x1, last.top, last.bottom, last.size))
        else:
            out.append(word)
    return out


def _split_line(line: Line) -> tuple[list[Word], list[Word]]:
    """(label words, value words): the label runs to the last word that is not an amount
    (so a leading "–" bullet or a number inside a label stays in the label)."""
    words = _glue(line.words)
    amounts = [parse_amount(w.text) is not None and not _YEAR.match(w.text.strip()) for w in words]
    last_text = max((i for i, is_amount in enumerate(amounts) if not is_amount), default=-1)
    return words[: last_text + 1], words[last_text + 1 :]


def _is_header_line(line: Line, left: float | None = None) -> bool:
    """Years, or header words (%, Note, change, RMB...) standing over the numeric columns."""
    texts = [w.text for w in line.words]
    if any(_YEAR.match(t) for t in texts):
        return True
    if left is not None and line.words[0].x0 < left:
        return False
    keywords = re.search(r"%|note|附註|附注|change|變動|变动|RMB|HK\$|US\$|S\$|'000|’000|ended|止|季度|年度|"
                         r"unaudited|audited|未經審核|未经审核|gross|margin|amount|金額|金额",
                         line.text, re.IGNORECASE)
    return bool(keywords)


def _is_prose(line: Line, page: PageWords) -> bool:
    """A line of running text: many words, wide, and no column-sized gap between them."""
    words = line.words
    if len(words) < 9 or (words[-1].x1 - words[0].x0) < 0.55 * page.width:
        return False
    return max(b.x0 - a.x1 for a, b in pairwise(words)) < 2.5 * (words[0].size or 10)


@dataclass(slots=True)
class _Scan:
    page: PageWords
    blocks: list[Block] = field(default_factory=list)
    pending: list[Line] = field(default_factory=list)
    current: Block | None = None


def page_to_blocks(page: PageWords) -> list[Block]:
    scan = _Scan(page)
    lines = [ln for ln in words_to_lines(strip_markers(page.words)) if not _is_furniture(ln, page)]
    for line in lines:
        labels, values = _split_line(line)
        left = _values_left(scan.current)
        if values and (labels or not _is_header_line(line)):
            _add_value_line(scan, line, labels, values)
        elif _is_prose(line, page) or (scan.current and line.top - scan.current.bottom > 40):
            _close(scan)
            scan.pending = [] if _is_prose(line, page) else [line]
        elif scan.current and not _is_header_line(line, left) and len(line.words) <= 12:
            scan.current.rows.append(RawRow(line.text, line.x0, [], line.top, page.index))
            scan.current.bottom = line.bottom
        else:
            if scan.current and _is_header_line(line):
                _close(scan)
            scan.pending.append(line)
    _close(scan)
    for block in scan.blocks:
        block.open_end = _ends_page(block, lines, page)
    return scan.blocks


def _is_furniture(line: Line, page: PageWords) -> bool:
    """Running headers and "– N –" footers in the page margins."""
    in_margin = line.top > 0.93 * page.height or line.bottom < 0.07 * page.height
    return not page.synthetic and in_margin and len(line.words) <= 6


def _values_left(block: Block | None) -> float | None:
    values = [w.x0 for row in block.rows for w in row.values] if block else []
    return min(values) - 30 if values else None


def _add_value_line(scan: _Scan, line: Line, labels: list[Word], values: list[Word]) -> None:
    if scan.current is None:
        scan.current = Block(scan.page)
        headings = _leading_headings(scan.pending, values)
        label_left = labels[0].x0 if labels else None
        scan.current.header, scan.current.context = _header_and_context(scan.pending, values, label_left)
        scan.current.rows = [RawRow(h.text, h.x0, [], h.top, scan.page.index) for h in headings]
        scan.pending = []
    label = " ".join(w.text for w in labels)
    x0 = labels[0].x0 if labels else values[0].x0
    scan.current.rows.append(RawRow(label, x0, values, line.top, scan.page.index))
    scan.current.bottom = line.bottom


def _close(scan: _Scan) -> None:
    if scan.current is not None and any(row.values for row in scan.current.rows):
        scan.blocks.append(scan.current)
    scan.current = None


def _leading_headings(pending: list[Line], values: list[Word]) -> list[Line]:
    """Section headings ("Net sales:") between the header and the first value row; removed from `pending`."""
    left = min(w.x0 for w in values) - 30
    headings: list[Line] = []
    while pending and not _is_header_line(pending[-1], left) and pending[-1].words[-1].x1 < left \
            and len(pending[-1].words) <= 8 and len(pending) > 1 and _is_header_line(pending[-2]):
        headings.insert(0, pending.pop())
    return headings


def _header_and_context(pending: list[Line], values: list[Word], label_left: float | None = None
                        ) -> tuple[list[Line], list[str]]:
    """Lines over the numeric columns are header; lines above them (titles, captions) are context."""
    left = min(w.x0 for w in values) - 30
    indent = label_left + 40 if label_left is not None else left
    header: list[Line] = []
    index = len(pending)
    captions: list[str] = []
    for line in reversed(pending):
        first = line.words[0].x0
        if parse_unit_caption(line.text) is not None and not any(_YEAR.match(w.text) for w in line.words):
            captions.insert(0, line.text)
            index -= 1
        elif first >= min(left, indent) or _is_header_line(line, left) or _spans_columns(line, left):
            header.insert(0, line)
            index -= 1
        else:
            break
    context = [line.text for line in pending[max(0, index - 6) : index]] + captions
    return header, context


def _spans_columns(line: Line, left: float) -> bool:
    """A caption at the label margin that carries headers over the columns (Intel: '(In Millions) Dec 31, 2022')."""
    return _is_header_line(line) and sum(w.x0 >= left for w in line.words) >= 2


def _ends_page(block: Block, lines: list[Line], page: PageWords) -> bool:
    """Nothing but short notes below the table: it may go on over the page."""
    after = [line for line in lines if line.top > block.bottom + 1]
    return not page.synthetic and all(len(line.words) <= 4 for line in after)


# ----------------------------------------------------------------- columns and headers


def cluster_right_edges(values: Sequence[Word], tolerance: float = 7.0) -> list[tuple[float, float]]:
    """Numeric columns as (x0, x1) extents, found by clustering the right edges of value words."""
    clusters: list[list[Word]] = []
    for word in sorted(values, key=lambda w: w.x1):
        if clusters and word.x1 - statistics.fmean(w.x1 for w in clusters[-1]) <= tolerance:
            clusters[-1].append(word)
        else:
            clusters.append([word])
    return [(min(w.x0 for w in c), max(w.x1 for w in c)) for c in clusters]


def _column_index(word: Word, extents: Sequence[tuple[float, float]]) -> int:
    return min(range(len(extents)), key=lambda i: abs(extents[i][1] - word.x1))


def _phrases(line: Line) -> list[Word]:
    """Header words merged into phrases where the gap is a word space, not a column gap."""
    out: list[Word] = []
    for word in line.words:
        gap = word.x0 - out[-1].x1 if out else 1e9
        if out and gap < 0.9 * word.size and not (_YEAR.match(word.text) and _YEAR.match(out[-1].text)):
            last = out.pop()
            out.append(Word(f"{last.text} {word.text}", last.x0, word.x1, last.top, last.bottom, last.size))
        else:
            out.append(word)
    return out


def _headers(header: Sequence[Line], extents: Sequence[tuple[float, float]]) -> list[str]:
    """Each header phrase goes to the columns it stands over, or else to the one nearest column."""
    pitch = statistics.median([b[1] - a[1] for a, b in pairwise(extents)] or [80.0])
    limit = max(20.0, 0.75 * pitch)
    parts: list[list[str]] = [[] for _ in extents]
    for line in header:
        for phrase in _phrases(line):
            over = [i for i, (x0, x1) in enumerate(extents) if phrase.x0 - 2 <= x1 and x0 <= phrase.x1 + 2]
            if not over:
                distance, nearest = min((max(0.0, phrase.x0 - x1, x0 - phrase.x1), i)
                                        for i, (x0, x1) in enumerate(extents))
                over = [nearest] if distance <= limit else []
            for i in over:
                parts[i].append(phrase.text)
    return [re.sub(r"-\s+", "-", " ".join(p)).strip() for p in parts]


def _is_note_column(header: str, cells: Sequence[Word]) -> bool:
    if column_kind(header) is ColumnKind.NOTE or re.search(r"\bnotes?\b|附註|附注", header, re.IGNORECASE):
        return True
    small = [parse_amount(w.text) for w in cells]
    return bool(cells) and all(
        a is not None and a.kind is AmountKind.NUMBER and a.value is not None and 0 < a.value < 100
        and a.value == int(a.value) and "," not in a.text for a in small) and not parse_period(header)


def _unit(block: Block, context: str) -> Unit | None:
    for text in [line.text for line in block.header] + list(reversed(block.context)):
        unit = parse_unit_caption(text)
        if unit is not None:
            return unit
    return parse_unit_caption(context) if context else None


def block_to_grid(block: Block, grid_id: str, page_text: str = "") -> Grid:
    values = [w for row in block.rows for w in row.values]
    extents = cluster_right_edges(values)
    headers = _headers(block.header, extents)
    context = " ".join(block.context)
    cells_by_column: list[list[Word]] = [[] for _ in extents]
    for word in values:
        cells_by_column[_column_index(word, extents)].append(word)
    spans = [[p for p in _phrases(line) if _PERIOD_WORDS.search(p.text)] for line in block.header]
    columns = tuple(_column(i, headers[i], extents[i], f"{_nearest(spans, extents[i])} {context}",
                            cells_by_column[i]) for i in range(len(extents)))
    rows = tuple(_rows(block.rows, extents))
    unit = _with_symbol_currency(_unit(block, _caption_near(page_text)), block)
    return Grid(id=grid_id, pages=(block.page.index,), printed_pages=(block.page.printed_page,),
                title=block.context[-1] if block.context else "", context=context,
                preamble=_preamble(block, page_text), unit=unit,
                columns=columns, rows=rows)


_PERIOD_WORDS = re.compile(r"ended|months|year|quarter|截至|止|季度|年度|\d月|January|February|March|April|May|"
                           r"June|July|August|September|October|November|December", re.IGNORECASE)


def _nearest(lines: Sequence[Sequence[Word]], extent: tuple[float, float]) -> str:
    """On each header line, the period phrase nearest a column ("Three months ended", "September 30,"):
    it fills in what the column's own header leaves out when a header is centred over several columns."""
    nearest = [min(phrases, key=lambda p: max(0.0, p.x0 - extent[1], extent[0] - p.x1)).text
               for phrases in lines if phrases]
    return " ".join(nearest)


def _preamble(block: Block, page_text: str) -> str:
    """The two printed lines just before the table (its title, even when it reads like a sentence)."""
    first = block.context[0] if block.context else block.header[0].text if block.header else block.rows[0].label
    anchor = page_text.find(first[:24]) if first else -1
    if anchor <= 0:
        return ""
    lines = [line.strip() for line in page_text[:anchor].splitlines() if line.strip()]
    return " ".join(lines[-2:])


def _with_symbol_currency(unit: Unit | None, block: Block) -> Unit | None:
    """A caption without a currency ("In Millions") takes it from the symbol cells beside the numbers ("$")."""
    if unit is None or unit.currency is not None or not block.rows:
        return unit
    top = block.rows[0].top - 2
    symbols = {_SYMBOL_CURRENCY[w.text] for w in block.page.words
               if w.text in _SYMBOL_CURRENCY and top <= w.top <= block.bottom}
    return unit.model_copy(update={"currency": symbols.pop()}) if len(symbols) == 1 else unit


def _caption_near(page_text: str) -> str:
    for line in page_text.splitlines():
        if parse_unit_caption(line) is not None and len(line) < 120:
            return line
    return ""


def _column(index: int, header: str, extent: tuple[float, float], context: str, cells: list[Word]) -> Column:
    kind = ColumnKind.NOTE if _is_note_column(header, cells) else column_kind(header)
    period = parse_period(header, context) if kind is not ColumnKind.NOTE else None
    return Column(index=index, header=header, kind=kind, period=period, measure=column_measure(header),
                  x0=extent[0], x1=extent[1])


def _rows(raw: Sequence[RawRow], extents: Sequence[tuple[float, float]]) -> Iterable[Row]:
    section: str | None = None
    merged = _join_wrapped(raw)
    for row in merged:
        if not row.values:
            section = row.label.rstrip(":：") if row.label else section
            continue
        cells: list[Cell | None] = [None] * len(extents)
        for word in row.values:
            cells[_column_index(word, extents)] = Cell(text=word.text, bbox=(word.x0, word.top, word.x1, word.bottom),
                                                       page=row.page)
        yield Row(label=row.label, section=section, cells=tuple(cells), page=row.page, top=row.top)


def _cjk_continues(label: str) -> bool:
    """A Chinese label line with no values and no closing colon wraps onto the next line."""
    return bool(label) and "\u4e00" <= label[-1] <= "\u9fff" and not label.endswith(("：", ":"))


def _join_wrapped(raw: Sequence[RawRow]) -> list[RawRow]:
    out: list[RawRow] = []
    for row in raw:
        previous = out[-1] if out else None
        starts_lower = bool(row.label) and row.label[0].islower()
        if previous is not None and not previous.values and row.label and (
                starts_lower or _CONNECTOR.search(previous.label) or _cjk_continues(previous.label)):
            joiner = "" if _cjk_continues(previous.label) else " "
            out[-1] = RawRow(f"{previous.label}{joiner}{row.label}", previous.label_x0, row.values, row.top, row.page,
                             previous.section)
        elif previous is not None and previous.values and not row.values and starts_lower:
            previous.label = f"{previous.label} {row.label}"
        else:
            out.append(row)
    return out


# ----------------------------------------------------------------- pages → grids


def pages_to_grids(pages: Sequence[PageWords], texts: Sequence[str]) -> list[Grid]:
    """Every table on the given pages, with a table continued over a page break joined to its start."""
    grids: list[Grid] = []
    previous: Block | None = None
    counts: dict[int, int] = {}
    for page in pages:
        page_text = texts[page.index - 1] if 0 < page.index <= len(texts) else ""
        for number, block in enumerate(page_to_blocks(page)):
            candidate = block_to_grid(block, grids[-1].id, page_text) if number == 0 and grids else None
            if candidate is not None and previous is not None and _continues(previous, block, grids[-1], candidate):
                grids[-1] = _merge(grids[-1], candidate)
            else:
                counts[page.index] = counts.get(page.index, 0) + 1
                grids.append(block_to_grid(block, f"p{page.index}-t{counts[page.index]}", page_text))
            previous = block
    return grids


def _continues(previous: Block, block: Block, first: Grid, second: Grid) -> bool:
    """The first table of a page continues the last table of the page before: nothing but page furniture
    after the one, nothing but a title before the other, and either no header, "(continued)", or the same
    periods over the same number of columns."""
    if not previous.open_end or block.page.index != previous.page.index + 1:
        return False
    if block.rows[0].top > 0.35 * block.page.height or len(block.context) > 3:
        return False
    title = " ".join(block.context).casefold()
    periods = [c.period for c in second.columns if c.kind is not ColumnKind.NOTE]
    same = len(second.columns) == len(first.columns) and periods == [
        c.period for c in first.columns if c.kind is not ColumnKind.NOTE]
    return "continued" in title or "續" in title or "续" in title or not any(periods) or same


def _merge(first: Grid, second: Grid) -> Grid:
    """Rows of `second` re-laid onto `first`'s columns by nearest right edge."""
    rows = list(first.rows)
    for row in second.rows:
        if len(second.columns) == len(first.columns):  # same layout: columns in order, wherever they stand
            rows.append(row)
            continue
        cells: list[Cell | None] = [None] * len(first.columns)
        for cell in row.cells:
            if cell is not None:
                index = min(range(len(first.columns)), key=lambda i: abs(first.columns[i].x1 - cell.bbox[2]))
                cells[index] = cell
        rows.append(row.model_copy(update={"cells": tuple(cells)}))
    return first.model_copy(update={"rows": tuple(rows), "pages": (*first.pages, *second.pages),
                                    "printed_pages": (*first.printed_pages, *second.printed_pages)})
