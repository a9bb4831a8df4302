"""HTML adapter: lxml with no network and no entities; each <table> becomes a page of synthetic words.

A cell at grid column c spanning s columns becomes a word from x = 100·c to 100·(c+s), row r at y = 20·r,
so the same word-geometry grid builder reads PDF and HTML alike.

The bytes are decoded first (byte-order mark, valid UTF-8, declared charset, then a detector: encoding.py)
and handed to libxml2 as UTF-8. Work is bounded by budgets checked as the tables are read (tables, rows,
cells, columns), each cut named in the document's warnings; spans cost one step per column, whatever the
rowspan, and a caption's text is computed once per element, so time grows linearly with the page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from lxml import etree, html

from xiaomi_check.errors import InputError
from xiaomi_check.ingest import MAX_HTML_TEXT
from xiaomi_check.ingest.encoding import decode_html
from xiaomi_check.models import PageWords, Word

MAX_TABLES = 2_000
MAX_TABLE_ROWS = 1_000  # no statement is longer; the grid builder's time grows with the square of the rows
MAX_ROWS = 25_000  # rows read over all tables (about 10 s of table building); later tables are not read
MAX_COLUMNS = 128  # grid columns read per row (a 10-K's widest tables use about 40, spacer cells included)
MAX_WORK = 4_000_000  # cells × columns over all tables read: table building costs about 4 µs for each, so
# this bounds it near 15 s (a 10-K in HTML needs about 500,000); later tables are not read
MAX_SPAN = 100  # a colspan or rowspan above this counts as 100
_CAPTION_SIBLINGS = 30  # elements looked at before a table (at each level) for its title and unit caption
_CAPTION_LEVELS = 12
_CAPTION_NODES = 400  # an element with more descendants than this is a block of prose, not a caption
_CAPTION_CHARS = 2_000  # nor is one with more text than this
_CURRENCY_CELLS = {"RMB", "HK$", "US$", "S$", "$", "¥", "￥", "人民幣", "人民币"}
_GLUE_TO_PREVIOUS = {")", "%", ")%", "%)"}
_SPACE = re.compile(r"\s+")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TOO_DEEP = re.compile(r"Excessive depth in document: (\d+), use XML_PARSE_HUGE option")
_COLUMN_WIDTH = 100.0
_ROW_HEIGHT = 20.0
_PAD = 20.0  # wider than a word space, so neighbouring cells never read as one phrase


def _parser() -> html.HTMLParser:
    # huge_tree lifts libxml2's 10 MB limit on one text node (the file-size limit bounds it instead) and
    # raises its nesting limit from 256 to 2,048 elements
    return html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True, recover=True,
                           encoding="utf-8")


@dataclass
class HtmlDocument:
    text: str
    pages: list[PageWords]
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"


def parse_html(data: bytes) -> tuple[str, list[PageWords]]:
    """The document's text and one `PageWords` (page 1) per innermost table."""
    document = read_html(data)
    return document.text, document.pages


def read_html(data: bytes) -> HtmlDocument:
    """The document's text, one `PageWords` (page 1) per innermost table, and a warning for each budget
    that cut the reading short."""
    text, encoding = decode_html(data)
    encoded = text.encode("utf-8", "replace")
    del text  # a parsed tree takes about twenty times the page: hold no more copies of it than needed
    parser = _parser()
    try:
        root = html.document_fromstring(encoded, parser=parser)
    except (etree.LxmlError, ValueError, LookupError, UnicodeError) as error:
        raise InputError(f"The HTML cannot be parsed ({_reason(error)}).",
                         "Check that the file is a complete HTML page.") from None
    fatal = [entry for entry in parser.error_log if entry.level >= etree.ErrorLevels.FATAL]
    if fatal:
        raise InputError(f"The HTML could not be read to its end ({_reason(fatal[0].message)}).",
                         "No real filing is built like this; save the filing again from its source.")
    etree.strip_elements(root, "script", "style", "iframe", "sup", with_tail=False)
    # fallback content is kept: an unclosed <noscript> or <embed> would otherwise take the rest of the page
    etree.strip_tags(root, "noscript", "embed", "object")
    for br in root.iter("br"):  # the parser keeps control characters that lxml refuses to set back
        br.tail = " " + _XML_UNSAFE.sub(" ", br.tail or "")
    tables = [t for t in root.iter("table") if t.find(".//table") is None]
    budget = _Budget()
    pages = _tables_to_pages(tables, budget)
    text = _clean(str(cast(html.HtmlElement, root).text_content()))  # one string from libxml2, not one per node
    warnings = budget.warnings(len(tables))
    if len(text) > MAX_HTML_TEXT:  # the prose readers' time grows with the text: keep its beginning
        warnings.append(f"the page holds {len(text):,} characters of text; only the first {MAX_HTML_TEXT:,} were "
                        "read for the company, facts and answers (its tables were read as usual)")
        text = text[:MAX_HTML_TEXT]
    return HtmlDocument(text, [page for page in pages if page.words], warnings, encoding)


@dataclass
class _Budget:
    """What the budgets let through so far, and what they cut."""

    tables: int = 0
    rows: int = 0
    work: int = 0
    long_tables: int = 0
    too_large: int = 0
    wide_rows: int = 0
    stopped: str = ""
    captions: dict[html.HtmlElement, str | None] = field(default_factory=dict)

    def warnings(self, found: int) -> list[str]:
        out = []
        if self.stopped:
            out.append(f"only {self.tables:,} of the {found:,} HTML tables were read: {self.stopped}")
        if self.too_large:
            out.append(f"{self.too_large:,} HTML table(s) were not read: their cells × columns would pass what was "
                       f"left of the budget of {MAX_WORK:,}")
        if self.long_tables:
            out.append(f"{self.long_tables:,} HTML table(s) have more than {MAX_TABLE_ROWS:,} rows; the rows past "
                       f"the {MAX_TABLE_ROWS:,}th were not read")
        if self.wide_rows:
            out.append(f"{self.wide_rows:,} HTML table row(s) have more than {MAX_COLUMNS} columns; the cells past "
                       f"the {MAX_COLUMNS}th column were not read")
        return out


def _tables_to_pages(tables: list[html.HtmlElement], budget: _Budget) -> list[PageWords]:
    """One page per table, in document order, until a budget is spent: tables, rows, or cells × columns."""
    pages: list[PageWords] = []
    for table in tables:
        if budget.tables == MAX_TABLES:
            budget.stopped = f"the limit is {MAX_TABLES:,} tables"
            break
        rows = list(itertools.islice(table.iter("tr"), MAX_TABLE_ROWS + 1))
        if len(rows) > MAX_TABLE_ROWS:
            budget.long_tables += 1
            rows.pop()
        if budget.rows + len(rows) > MAX_ROWS:
            budget.stopped = f"the tables before them hold {budget.rows:,} rows, and the limit is {MAX_ROWS:,}"
            break
        cells = list(_grid(rows, budget))
        work = len(cells) * max((c + span for _, c, span, _ in cells), default=0)
        if budget.work + work > MAX_WORK:  # too large for what is left: skip it, read the smaller ones after it
            budget.too_large += 1
            continue
        budget.rows, budget.work, budget.tables = budget.rows + len(rows), budget.work + work, budget.tables + 1
        pages.append(_table_to_page(table, cells, budget))
    return pages


def _reason(error: object) -> str:
    text = _clean(str(error)).rstrip(".")
    text = _TOO_DEEP.sub(r"elements nested more than \1 deep", text)
    return text[:200] or type(error).__name__


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def _caption_lines(table: html.HtmlElement, seen: dict[html.HtmlElement, str | None]) -> list[str]:
    """Up to three short text blocks just before the table (titles, unit captions), nearest last. Each
    element's text is worked out once per document (`seen`), so many tables cost no more than one."""
    lines: list[str] = []
    caption = table.find("caption")
    if caption is not None and _clean("".join(caption.itertext())):
        lines.append(_clean("".join(caption.itertext())))
    node: html.HtmlElement | None = table
    for _ in range(_CAPTION_LEVELS):
        if node is None or len(lines) >= 3:
            break
        sibling, looked = node.getprevious(), 0
        while sibling is not None and len(lines) < 3 and looked < _CAPTION_SIBLINGS:
            if sibling not in seen:
                seen[sibling] = _block_text(sibling)
            text = seen[sibling]
            if text:
                lines.insert(0, text)
            sibling, looked = sibling.getprevious(), looked + 1
        node = node.getparent()
        if node is not None and node.tag == "body":
            break
    return lines[-3:]


def _block_text(element: html.HtmlElement) -> str | None:
    """The text of a small block that holds no table; None for a table or a large block of prose."""
    nodes = list(itertools.islice(element.iter(), _CAPTION_NODES + 1))
    if len(nodes) > _CAPTION_NODES or any(node.tag == "table" for node in nodes):
        return None
    text = element.text_content()
    return _clean(text) or None if len(text) <= _CAPTION_CHARS else None


def _grid(rows: list[html.HtmlElement], budget: _Budget) -> Iterator[tuple[int, int, int, str]]:
    """(row, column, colspan, text) for every non-empty cell, with rowspans and colspans expanded: `busy`
    holds, per column, the last row a rowspan above covers, so a span costs one step per column."""
    busy = [-1] * MAX_COLUMNS
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while c < MAX_COLUMNS and busy[c] >= r:
                c += 1
            if c >= MAX_COLUMNS:
                budget.wide_rows += 1
                break
            colspan = min(_span(cell.get("colspan")), MAX_COLUMNS - c)
            last = r + _span(cell.get("rowspan")) - 1
            for dc in range(colspan):
                busy[c + dc] = max(busy[c + dc], last)
            text = _clean(cell.text_content())
            if text:
                yield r, c, colspan, text
            c += colspan


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), MAX_SPAN))
    except ValueError:
        return 1


def _table_to_page(table: html.HtmlElement, cells: list[tuple[int, int, int, str]], budget: _Budget) -> PageWords:
    words: list[Word] = []
    captions = _caption_lines(table, budget.captions)
    for i, line in enumerate(captions):
        top = (i - len(captions) - 1) * _ROW_HEIGHT
        words.append(Word(line, 0.0, _COLUMN_WIDTH * 8, top, top + 10))
    for r, c, span, text in cells:
        if text in _CURRENCY_CELLS:
            continue
        if text in _GLUE_TO_PREVIOUS and words and words[-1].top == r * _ROW_HEIGHT:
            last = words.pop()
            words.append(Word(last.text + text, last.x0, last.x1, last.top, last.bottom))
            continue
        x0, x1 = c * _COLUMN_WIDTH + _PAD, (c + span) * _COLUMN_WIDTH - _PAD
        words.append(Word(text, x0, x1, r * _ROW_HEIGHT, r * _ROW_HEIGHT + 10))
    height = (max((w.bottom for w in words), default=0.0)) + _ROW_HEIGHT
    return PageWords(index=1, width=_COLUMN_WIDTH * 40, height=height, words=tuple(words), synthetic=True)
