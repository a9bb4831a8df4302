"""Words → lines → blocks: where a table starts and ends on a page, its header lines, its context (title and
unit caption above it) and its raw rows (label, value words, indentation)."""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise, takewhile

from xiaomi_check.amounts import RANGE_MARKS, AmountKind, parse_amount, parse_unit_caption
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


CONTINUED = re.compile(r"\bcontinued\b|\bcont'd\b|[(（]\s*[續续]\s*[)）]|[續续]表", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"[(（]\s*[)）]")
_UNIT_TAIL = re.compile(r"[(（][^()（）]*[)）]$")
# Words that date or qualify a table and title none: "Year ended December 31,", "截至12月31日止年度", "(Unaudited)"
_NO_TITLE_WORDS = re.compile(
    r"\b(?:for|the|three|six|nine|twelve|months?|years?|quarters?|half|periods?|ended|ending|as|at|of|and|fiscal|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|unaudited|audited|restated)\b|\d+|截至|止|年度|季度|[年月日]"
    r"|未經審核|未经审核|經審核|经审核|經重列|经重列", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_GOES_ON = ("。", "；", "，", ",", ";")
_NOT_WORD = re.compile(r"[\W_]+")


def without_continued(line: str) -> str:
    """The line without its "(continued)" / "(續)" / "续表"."""
    return " ".join(_EMPTY_BRACKETS.sub(" ", CONTINUED.sub(" ", line)).split())


def title_of(line: str, settings: TableSettings = DEFAULT) -> str:
    """The title a line above a table prints ("Segment information", "OPERATING EXPENSES BY NATURE", "收入分析"),
    without its "(continued)" and a unit caption in brackets after it; "" when the line titles nothing: a sentence
    going on (it opens in lower case or ends in a comma), a long line, a unit caption, a period ("Year ended
    December 31,"), "(Unaudited)" or "(continued)" alone."""
    text = without_continued(line)
    tail = _UNIT_TAIL.search(text)
    if tail is not None and parse_unit_caption(tail.group()) is not None:
        text = text[: tail.start()].strip()  # "Segment information (RMB in millions)"
    if not text or len(text.split()) > settings.title_max_words or len(text) > settings.title_max_chars:
        return ""
    if text[0].islower() or text.endswith(_SENTENCE_GOES_ON) or parse_unit_caption(text) is not None:
        return ""
    return text if _LETTER.search(_NO_TITLE_WORDS.sub(" ", text)) else ""


def folded(text: str) -> str:
    """Text to compare titles by: NFKC, case folded, words between single spaces and one at each end."""
    return f" {' '.join(_NOT_WORD.sub(' ', unicodedata.normalize('NFKC', text).casefold()).split())} "


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


def _ranges(words: list[Word], settings: TableSettings) -> list[Word]:
    """A forecast's range ("$1.02 - $1.03": a dash a word space from an amount on each side) as one word,
    which gives no value: not two amounts with a nil between them."""
    if not any(word.text in RANGE_MARKS for word in words[1:-1]):
        return words
    out: list[Word] = []
    at = 0
    while at < len(words):
        word = words[at]
        if (out and at + 1 < len(words) and word.text in RANGE_MARKS and _single(out[-1]) and _single(words[at + 1])
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
    return amount is not None and amount.kind in (AmountKind.NUMBER, AmountKind.PERCENT) and not YEAR.match(
        word.text.strip())


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
    return _one_run(line, settings)


def _one_run(line: Line, settings: TableSettings) -> bool:
    """No column-sized gap between the line's words."""
    gaps = [b.x0 - a.x1 for a, b in pairwise(line.words)]
    return not gaps or max(gaps) < settings.prose_max_gap_ratio * (line.words[0].size or 10)


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
            _break(scan, line, prose)
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


def _break(scan: _Scan, line: Line, prose: bool) -> None:
    """Running text or a wide gap ends the table; running text is no part of the next one's preamble. A unit
    caption as long as running text right under a header ("(In millions, except number of shares, which are
    reflected in thousands, and per-share amounts)" under the years) is no running text: the header stays."""
    under_header = scan.current is None and bool(scan.pending) and is_header_line(scan.pending[-1])
    _close(scan)
    if prose and under_header and _whole_caption(line):
        scan.pending.append(line)
    else:
        scan.pending = [] if prose else [line]


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
    """A short line of label text left of the numbers; a unit caption under the header ("(in millions, except per
    share data)") is none."""
    return (not is_header_line(line, left) and line.words[-1].x1 < left
            and len(line.words) <= settings.heading_max_words and parse_unit_caption(line.text) is None)


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
        if _is_caption(line, left, settings, under_header=not header and line is pending[-1]):
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


def titled_apart(block: Block, own: Sequence[Block], before: str, settings: TableSettings = DEFAULT) -> bool:
    """A title above `block` that the table it would continue does not print (`own`: that table's first and last
    parts; `before`: the text of the page before): a statement's title ("母公司利润表" after "合并利润表",
    "Xiaomi Corporation | Condensed consolidated statements of operations" after a summary) or, over a column
    header of the block's own, any heading ("Segment information", "OPERATING EXPENSES BY NATURE", "收入分析"
    over the statement's years; centred over the columns, a header line without a year or a header word). The
    table's own title again, with or without "(continued)", and a line the page before prints too (a running
    header) title nothing new. Over rows alone, a short line is the rows' own section ("Attributable to:",
    "Operating expenses")."""
    columns = any(is_header_line(line) for line in block.header)
    centred = takewhile(lambda line: not is_header_line(line) and _one_phrase(line, settings),
                        block.header if columns else [])  # one phrase over the columns, above the years
    titles = [title for line in block.context if (title := _title(line, columns, settings))]
    titles += [title for line in centred if (title := title_of(line.text, settings))]
    if not titles:
        return False
    lines = [text for part in own for text in (*part.context, *(line.text for line in part.header))]
    printed = folded(" ".join(_title(line, True, settings) for line in lines))
    new = [title for title in titles if folded(title) not in printed]
    if not new:
        return False
    repeated = {folded(without_continued(line)) for line in before.splitlines()}
    return any(folded(title) not in repeated for title in new)


def _title(line: str, columns: bool, settings: TableSettings) -> str:
    """The title a line above a table prints: a statement's title whatever its length (not the end of a sentence
    that names one: "condensed consolidated statements of operations data:"), another heading only over a column
    header (`columns`)."""
    if TITLE.search(line.strip()) or headed(line):
        text = without_continued(line)
        return "" if text[:1].islower() else text
    return title_of(line, settings) if columns else ""


def _one_phrase(line: Line, settings: TableSettings) -> bool:
    """Words a word space apart, none a column gap from the next."""
    return all(b.x0 - a.x1 < settings.phrase_gap_ratio * b.size for a, b in pairwise(line.words))


def _is_caption(line: Line, left: float, settings: TableSettings, under_header: bool = False) -> bool:
    """A unit caption with no year: in the label corner of a header line, or, between the header and the first
    row, a bracketed caption from the label margin in one run of words however far over the columns it reaches
    (a caption with header words over the columns has a column gap)."""
    if parse_unit_caption(line.text) is None or any(YEAR.match(w.text) for w in line.words):
        return False
    return sum(w.x0 >= left for w in line.words) < 2 or (
        under_header and line.words[0].x0 < left and _whole_caption(line) and _one_run(line, settings))


def _whole_caption(line: Line) -> bool:
    """A line that is a unit caption in brackets and nothing else (not a sentence that ends "(in millions):")."""
    text = line.text.strip()
    return text.startswith("(") and text.endswith(")") and parse_unit_caption(text) is not None


def _spans_columns(line: Line, left: float) -> bool:
    """A caption at the label margin that carries headers over the columns (Intel: '(In Millions) Dec 31, 2022')."""
    return is_header_line(line) and sum(w.x0 >= left for w in line.words) >= 2


def _ends_page(block: Block, lines: list[Line], page: PageWords, settings: TableSettings) -> bool:
    """Nothing but short notes below the table: it may go on over the page."""
    after = [line for line in lines if line.top > block.bottom + 1]
    return not page.synthetic and all(len(line.words) <= settings.page_end_max_words for line in after)
