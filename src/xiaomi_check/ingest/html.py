"""HTML adapter: lxml with no network and no entities; each <table> becomes a page of synthetic words.

A cell at grid column c spanning s columns becomes a word from x = 100·c to 100·(c+s), row r at y = 20·r,
so the same word-geometry grid builder reads PDF and HTML alike.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from lxml import etree, html

from xiaomi_check.errors import InputError
from xiaomi_check.models import PageWords, Word

MAX_TABLES = 2_000
MAX_TABLE_ROWS = 1_000  # no statement is longer; the grid builder's time grows with the square of the rows
MAX_ROWS = 25_000  # rows read over all tables (about 10 s of table building); later tables are not read
_CURRENCY_CELLS = {"RMB", "HK$", "US$", "S$", "$", "¥", "￥", "人民幣", "人民币"}
_GLUE_TO_PREVIOUS = {")", "%", ")%", "%)"}
_SPACE = re.compile(r"\s+")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_COLUMN_WIDTH = 100.0
_ROW_HEIGHT = 20.0
_PAD = 20.0  # wider than a word space, so neighbouring cells never read as one phrase


def _parser() -> html.HTMLParser:
    return html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
                           recover=True)


def parse_html(data: bytes) -> tuple[str, list[PageWords]]:
    """The document's text and one `PageWords` (page 1) per innermost table."""
    parser = _parser()
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.LxmlError, ValueError, LookupError, UnicodeError) as error:
        raise InputError(f"The HTML cannot be parsed ({_reason(error)}).",
                         "Check that the file is a complete HTML page.") from None
    fatal = [entry for entry in parser.error_log if entry.level >= etree.ErrorLevels.FATAL]
    if fatal:
        raise InputError(f"The HTML could not be read to its end ({_reason(fatal[0].message)}).",
                         "No real filing is built like this; save the filing again from its source.")
    etree.strip_elements(root, "script", "style", "iframe", "object", "embed", "noscript", with_tail=False)
    etree.strip_elements(root, "sup", with_tail=False)
    for br in root.iter("br"):  # the parser keeps control characters that lxml refuses to set back
        br.tail = " " + _XML_UNSAFE.sub(" ", br.tail or "")
    tables = [t for t in root.iter("table") if not t.xpath(".//table")]
    pages = [_table_to_page(table) for table in _within_budget(tables)]
    return _clean("".join(str(t) for t in root.itertext())), [page for page in pages if page.words]


def _within_budget(tables: list[html.HtmlElement]) -> Iterator[html.HtmlElement]:
    rows = 0
    for table in tables[:MAX_TABLES]:
        rows += min(sum(1 for _ in table.iter("tr")), MAX_TABLE_ROWS)
        if rows > MAX_ROWS:
            return
        yield table


def _reason(error: object) -> str:
    text = _clean(str(error)).rstrip(".")
    return text.replace("Excessive depth in document: 256, use XML_PARSE_HUGE option",
                        "elements nested more than 256 deep")[:200] or type(error).__name__


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def _caption_lines(table: html.HtmlElement) -> list[str]:
    """Up to three text blocks just before the table (titles, unit captions), nearest last."""
    lines: list[str] = []
    caption = table.find("caption")
    if caption is not None and _clean("".join(caption.itertext())):
        lines.append(_clean("".join(caption.itertext())))
    node: html.HtmlElement | None = table
    while node is not None and len(lines) < 3:
        sibling = node.getprevious()
        while sibling is not None and len(lines) < 3:
            if not sibling.xpath("self::table|.//table"):
                text = _clean(sibling.text_content())
                if text:
                    lines.insert(0, text)
            sibling = sibling.getprevious()
        node = node.getparent() if len(lines) < 3 else None
        if node is not None and node.tag == "body":
            break
    return lines[-3:]


def _grid(table: html.HtmlElement) -> Iterator[tuple[int, int, int, str]]:
    """(row, column, colspan, text) for every non-empty cell, with rowspans and colspans expanded."""
    taken: set[tuple[int, int]] = set()
    for r, tr in enumerate(itertools.islice(table.iter("tr"), MAX_TABLE_ROWS)):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            colspan = _span(cell.get("colspan"))
            rowspan = _span(cell.get("rowspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            text = _clean(cell.text_content())
            if text:
                yield r, c, colspan, text
            c += colspan


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _table_to_page(table: html.HtmlElement) -> PageWords:
    words: list[Word] = []
    captions = _caption_lines(table)
    for i, line in enumerate(captions):
        top = (i - len(captions) - 1) * _ROW_HEIGHT
        words.append(Word(line, 0.0, _COLUMN_WIDTH * 8, top, top + 10))
    for r, c, span, text in _grid(table):
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
