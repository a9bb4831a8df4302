"""Words → lines → blocks: where a table starts and ends on a page, its header lines, its context (title and
unit caption above it) and its raw rows (label, value words, indentation)."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from xiaomi_check.amounts import AmountKind, parse_amount, parse_unit_caption
from xiaomi_check.models import PageWords, Word
from xiaomi_check.tables.settings import DEFAULT, TableSettings

YEAR = re.compile(r"^(?:FY)?(?:19|20)\d{2}(?:年度?|年末|年初|E|F|A)?$")
_MARKER = re.compile(r"^(?:\(?\d{1,2}\)?|\(?[a-z]\)?|[*#†‡])$")
_SKIP_TOKENS = {"$", "RMB", "HK$", "US$", "S$", "¥"}
_LEADER = re.compile(r"^(?:\.{2,}|…+|·{2,}|_{2,})$")  # dot leaders between a label and its values
_LEADER_CHARS = {".", "…", "·"}
_LEADER_EDGE = re.compile(r"^\s*(?:\.{3,}|…+|·{2,})|(?:\.{3,}|…+|·{2,})\s*$")
_HEADER_WORDS = re.compile(
    r"%|note|附註|附注|change|變動|变动|RMB|HK\$|US\$|S\$|'000|’000|ended|止|季度|年度|"
    r"unaudited|audited|未經審核|未经审核|gross|margin|amount|金額|金额|发生额|發生額|期末余额|期初余额", re.IGNORECASE)
_ITEM_HEADER = re.compile(r"^(?:项目|項目|items?)$", re.IGNORECASE)  # the label column's own header
TITLE = re.compile(r"(?:合并|合併|綜合|综合|母公司)?(?:利润表|利潤表|損益表|损益表|资产负债表|資產負債表|现金流量表"
                    r"|現金流量表)$|^(?:(?:condensed|unaudited|interim|summary|summari[sz]ed|selected)\s+)*"
                    r"consolidated (?:income )?statements? of", re.IGNORECASE)


_CONSOLIDATED = re.compile(r"consolidated (?:statements?|income statement|balance)|合并利润表|合併損益|綜合損益表"
                           r"|綜合收益表|綜合全面收益表|综合收益表"
                           r"|statements? of (?:consolidated )?(?:operations|income|earnings|profit or loss)",
                           re.IGNORECASE)


_QUALIFIED = re.compile(r"(?:(?:summary|summarised|summarized|condensed|unaudited|interim|selected)\s+)*(?:"
                        + _CONSOLIDATED.pattern + ")", re.IGNORECASE)
_TITLE_HINTS = ("consolidated", "statement", "合并利润表", "合併損益", "綜合", "综合收益表")  # one is in every title
_RUNNING_WORD = re.compile(r"^[a-z][a-z'’-]*$")  # a lower-case word with no closing punctuation: a sentence runs on


def headed(text: str) -> bool:
    """A statement title printed as a heading ("CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS", "Summary
    Consolidated Income Statement", "綜合損益表"), not named in a sentence of prose ("The following table sets
    forth condensed consolidated statements of operations data"): the word before it does not run on into it."""
    folded = text.casefold()
    if not any(hint in folded for hint in _TITLE_HINTS):  # the pattern below costs 30 µs a line; most have none
        return False
    for found in _QUALIFIED.finditer(text):
        before = text[: found.start()].split()
        if not before or not _RUNNING_WORD.match(before[-1]):
            return True
    return False


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
    return _is_value_text(word.text)


@lru_cache(maxsize=8192)
def _is_value_text(text: str) -> bool:
    """An amount, not a year: remembered, as the reader asks it of every word several times over."""
    return parse_amount(text) is not None and not YEAR.match(text.strip())


def strip_markers(words: Sequence[Word], settings: TableSettings = DEFAULT) -> list[Word]:
    """Drop footnote markers: a short token in a smaller font, raised, right next to a number."""
    sizes = [w.size for w in words if is_value_word(w)]
    body = statistics.median(sizes) if sizes else 0.0
    kept: list[Word] = []
    for word in words:
        previous = kept[-1] if kept else None
        if (previous is not None and body and word.size < settings.marker_size_ratio * body
                and _MARKER.match(word.text) and abs(word.x0 - previous.x1) < settings.marker_gap
                and word.top < previous.top + settings.marker_raise and is_value_word(previous)):
            continue
        kept.append(word)
    return kept


def words_to_lines(words: Iterable[Word], settings: TableSettings = DEFAULT) -> list[Line]:
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        centre = (word.top + word.bottom) / 2
        tolerance = max(settings.line_tolerance_min, settings.line_tolerance_ratio * (word.bottom - word.top))
        line = lines[-1] if lines else None
        if line is not None and abs((line.top + line.bottom) / 2 - centre) <= tolerance:
            line.words.append(word)
            line.top, line.bottom = min(line.top, word.top), max(line.bottom, word.bottom)
        else:
            lines.append(Line([word], word.top, word.bottom))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def _glue(words: list[Word], settings: TableSettings) -> list[Word]:
    """Join a lone `%` or `)` to the number before it; drop currency symbols standing alone and dot leaders."""
    out: list[Word] = []
    for word in words:
        if word.text in _SKIP_TOKENS or _LEADER.match(word.text):
            continue
        text = _LEADER_EDGE.sub("", word.text) if len(word.text) > 3 and _LEADER_CHARS & set(word.text) else word.text
        if text != word.text:
            word = Word(text, word.x0, word.x1, word.top, word.bottom, word.size)
        if word.text in {"%", ")", ")%", "%)"} and out and word.x0 - out[-1].x1 < settings.glue_gap:
            last = out.pop()  # a "%" set apart ("20 %", "(11 %)") hangs right of the column: its digits align
            edge = last.x1 if "%" in word.text and word.x0 > last.x1 else word.x1
            out.append(Word(last.text + word.text, last.x0, edge, last.top, last.bottom, last.size))
        else:
            out.append(word)
    return out


_RANGE_MARKS = {"-", "–", "—", "to"}


def _ranges(words: list[Word], settings: TableSettings) -> list[Word]:
    """A forecast's range ("$1.02 - $1.03": a dash a word space from an amount on each side) as one word,
    which gives no value: not two amounts with a nil between them."""
    if not any(word.text in _RANGE_MARKS for word in words[1:-1]):
        return words
    out: list[Word] = []
    at = 0
    while at < len(words):
        word = words[at]
        if (out and at + 1 < len(words) and word.text in _RANGE_MARKS and _single(out[-1]) and _single(words[at + 1])
                and word.x0 - out[-1].x1 < settings.glue_gap and words[at + 1].x0 - word.x1 < settings.glue_gap):
            first, last = out.pop(), words[at + 1]
            out.append(Word(f"{first.text} {word.text} {last.text}", first.x0, last.x1, first.top, first.bottom,
                            first.size))
            at += 2
            continue
        out.append(word)
        at += 1
    return out


def _single(word: Word) -> bool:
    """One amount (not a nil, not a year)."""
    amount = parse_amount(word.text)
    return amount is not None and amount.kind in (AmountKind.NUMBER, AmountKind.PERCENT) and is_value_word(word)


def split_line(line: Line, settings: TableSettings = DEFAULT) -> tuple[list[Word], list[Word]]:
    """(label words, value words): the label runs to the last word that is not an amount
    (so a leading "–" bullet or a number inside a label stays in the label)."""
    words = _glue(_ranges(line.words, settings), settings)
    amounts = [is_value_word(w) for w in words]
    last_text = max((i for i, is_amount in enumerate(amounts) if not is_amount), default=-1)
    return words[: last_text + 1], words[last_text + 1 :]


def is_header_line(line: Line, left: float | None = None) -> bool:
    """Years, or header words (%, Note, change, RMB...) standing over the numeric columns."""
    if any(YEAR.match(w.text) for w in line.words):
        return True
    words = line.words[1:] if len(line.words) > 1 and _ITEM_HEADER.match(line.words[0].text) else line.words
    if left is not None and words[0].x0 < left:
        return False
    return bool(_HEADER_WORDS.search(line.text))


def _is_prose(line: Line, page: PageWords, settings: TableSettings) -> bool:
    """A line of running text: many words, wide, and no column-sized gap between them."""
    words = line.words
    if len(words) < settings.prose_min_words or (words[-1].x1 - words[0].x0) < settings.prose_min_width * page.width:
        return False
    return max(b.x0 - a.x1 for a, b in pairwise(words)) < settings.prose_max_gap_ratio * (words[0].size or 10)


@dataclass(slots=True)
class _Scan:
    page: PageWords
    settings: TableSettings
    blocks: list[Block] = field(default_factory=list)
    pending: list[Line] = field(default_factory=list)
    current: Block | None = None


def page_to_blocks(page: PageWords, settings: TableSettings = DEFAULT) -> list[Block]:
    scan = _Scan(page, settings)
    lines = [ln for ln in words_to_lines(strip_markers(page.words, settings), settings)
             if not _is_furniture(ln, page, settings)]
    for line in lines:
        labels, values = split_line(line, settings)
        left = _values_left(scan.current, settings)
        prose = _is_prose(line, page, settings) and not headed(line.text)  # a long title line is no prose
        if values and (labels or not is_header_line(line)):
            _add_value_line(scan, line, labels, values)
        elif prose or (scan.current and line.top - scan.current.bottom > settings.block_gap):
            _close(scan)
            scan.pending = [] if prose else [line]
        elif scan.current and TITLE.search(line.text.strip()):  # the next statement's title ends this table
            _close(scan)
            scan.pending = [line]
        elif scan.current and not is_header_line(line, left) and len(line.words) <= settings.label_line_max_words:
            scan.current.rows.append(RawRow(line.text, line.x0, [], line.top, page.index))
            scan.current.bottom = line.bottom
        else:
            if scan.current and is_header_line(line):
                _close(scan)
            scan.pending.append(line)
    _close(scan)
    for block in scan.blocks:
        block.open_end = _ends_page(block, lines, page, settings)
    return scan.blocks


_PAGE_NUMBER = re.compile(r"^[\-–—]?\s*\d{1,4}\s*[\-–—]?$")


def _is_furniture(line: Line, page: PageWords, settings: TableSettings) -> bool:
    """Running headers and "– N –" footers in the page margins; a lone page number low on the page."""
    if page.synthetic:
        return False
    margin = settings.furniture_margin
    in_margin = line.top > (1 - margin) * page.height or line.bottom < margin * page.height
    folio = _PAGE_NUMBER.match(line.text.strip()) is not None and line.top > (
        1 - settings.page_number_zone) * page.height
    return folio or (in_margin and len(line.words) <= settings.furniture_max_words)


def _values_left(block: Block | None, settings: TableSettings) -> float | None:
    values = [w.x0 for row in block.rows for w in row.values] if block else []
    return min(values) - settings.value_margin if values else None


def _add_value_line(scan: _Scan, line: Line, labels: list[Word], values: list[Word]) -> None:
    if scan.current is None:
        scan.current = Block(scan.page)
        headings = _leading_headings(scan.pending, values, scan.settings)
        label_left = labels[0].x0 if labels else None
        scan.current.header, scan.current.context = _header_and_context(scan.pending, values, label_left,
                                                                        scan.settings)
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


def _leading_headings(pending: list[Line], values: list[Word], settings: TableSettings) -> list[Line]:
    """Section headings between the header and the first value row ("Net sales:", or nested: "Revenues" over
    "Non-interest revenues"); removed from `pending`. The run must sit right under a header line or a unit
    caption, so a title above the table never becomes a row."""
    left = min(w.x0 for w in values) - settings.value_margin
    run = 0
    while run < len(pending) - 1 and run < settings.heading_run_max and _is_heading(pending[-1 - run], left,
                                                                                     settings):
        run += 1
    above = pending[-1 - run] if run else None
    if above is None or not (is_header_line(above) or parse_unit_caption(above.text) is not None):
        return []
    headings = pending[-run:]
    del pending[-run:]
    return headings


def _is_heading(line: Line, left: float, settings: TableSettings) -> bool:
    """A short line of label text left of the numbers."""
    return not is_header_line(line, left) and line.words[-1].x1 < left and len(line.words) <= settings.heading_max_words


def _header_and_context(pending: list[Line], values: list[Word], label_left: float | None,
                        settings: TableSettings) -> tuple[list[Line], list[str]]:
    """Lines over the numeric columns are header; lines above them (titles, captions) are context."""
    left = min(w.x0 for w in values) - settings.value_margin
    indent = label_left + settings.indent_header if label_left is not None else left
    header: list[Line] = []
    index = len(pending)
    captions: list[str] = []
    for line in reversed(pending):
        first = line.words[0].x0
        if parse_unit_caption(line.text) is not None and not any(YEAR.match(w.text) for w in line.words) \
                and sum(w.x0 >= left for w in line.words) < 2:  # a caption in the label corner of a header line
            captions.insert(0, line.text)
            index -= 1
        elif TITLE.search(line.text.strip()) or headed(line.text):  # a title over the columns is no header
            break
        elif first >= min(left, indent) or is_header_line(line, left) or _spans_columns(line, left):
            header.insert(0, line)
            index -= 1
        else:
            break
    context = [line.text for line in pending[max(0, index - settings.context_lines) : index]] + captions
    return header, context


def _spans_columns(line: Line, left: float) -> bool:
    """A caption at the label margin that carries headers over the columns (Intel: '(In Millions) Dec 31, 2022')."""
    return is_header_line(line) and sum(w.x0 >= left for w in line.words) >= 2


def _ends_page(block: Block, lines: list[Line], page: PageWords, settings: TableSettings) -> bool:
    """Nothing but short notes below the table: it may go on over the page."""
    after = [line for line in lines if line.top > block.bottom + 1]
    return not page.synthetic and all(len(line.words) <= settings.page_end_max_words for line in after)
