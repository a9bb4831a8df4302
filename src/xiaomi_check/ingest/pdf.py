"""PDF adapter: pypdfium2 for every page's text (fast), pdfplumber for the words of chosen pages only.

PDFium is not thread-safe: every use of it holds one process-wide lock, so threads (a thread pool, a Dask
worker's threads) take turns instead of crashing the process. pdfminer's warnings about damaged files never
reach stderr (they are logged, and shown with --debug); a page it reads with damage, or cannot read at all,
is named in the report's warnings instead.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page
from pdfplumber.pdf import PDF

from xiaomi_check.errors import InputError
from xiaomi_check.ingest import MAX_SCAN_CHARS
from xiaomi_check.models import PageWords, Word

_DAMAGED_HINT = "Download the filing again; a complete PDF ends with the %%EOF marker."
PDFIUM_LOCK = threading.RLock()
logging.getLogger("pdfminer").addHandler(logging.NullHandler())  # no stderr output unless logging is set up
_MIN_LETTERS = 200  # a page with less text than this is not compared between PDFium and pdfminer
_DAMAGE = ("data-loss", "corrupt", "invalid", "unexpected eof", "cannot locate", "missing", "syntax", "broken")


@dataclass(slots=True)
class PageTexts:
    texts: list[str]
    count: int  # pages in the document (texts holds at most max_pages of them)
    scanned: list[int] = field(default_factory=list)  # 1-based pages with no text layer
    damaged: list[int] = field(default_factory=list)  # 1-based pages PDFium could not load
    stopped_at: int = 0  # pages read before the text budget ran out (0: it did not)


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise _encrypted() from None
        if code == pdfium.raw.FPDF_ERR_SECURITY:
            raise InputError("The PDF is encrypted with a security handler PDFium does not support.",
                             "Save an unencrypted copy (for example with qpdf --decrypt) and try again.") from None
        raise InputError(f"The PDF is damaged or truncated ({_pdfium_reason(error)}{_eof(data)}).",
                         _DAMAGED_HINT) from None


def _encrypted() -> InputError:
    return InputError("The PDF is encrypted with a password.",
                      "Save an unencrypted copy (for example with qpdf --decrypt) and try again.")


def _eof(data: bytes) -> str:
    return "" if b"%%EOF" in data[-2048:] else "; no %%EOF marker at its end"


def _pdfium_reason(error: Exception) -> str:
    text = str(error)
    inner = text[text.find("(PDFium: ") + 9:text.rfind(")")] if "(PDFium: " in text else text
    return f"PDFium: {inner.rstrip('.').lower() or type(error).__name__}"


def page_texts(data: bytes, max_pages: int) -> PageTexts:
    """Text of every page (up to `max_pages`) with PDFium, the page count, the image-only pages and the pages
    that could not be loaded (skipped, with empty text)."""
    with PDFIUM_LOCK:
        document = _open(data)
        try:
            return _scan(document, max_pages)
        finally:
            document.close()


def _scan(document: pdfium.PdfDocument, max_pages: int) -> PageTexts:
    count = len(document)
    result = PageTexts(texts=[], count=count)
    total = 0
    for index in range(min(count, max_pages)):
        if total > MAX_SCAN_CHARS:  # PDFium's time grows with the text: stop, and say where
            result.stopped_at = index
            break
        try:
            text, image_only = _page_text(document, index)
        except (pdfium.PdfiumError, OSError, ValueError):
            text, image_only = "", False
            result.damaged.append(index + 1)
        result.texts.append(text)
        total += len(text)
        if image_only:
            result.scanned.append(index + 1)
    if result.damaged and len(result.damaged) == len(result.texts):
        raise InputError(f"No page of the PDF can be read (page 1 of {count}: PDFium cannot load it).",
                         "The file may be damaged; download it again.")
    return result


def _page_text(document: pdfium.PdfDocument, index: int) -> tuple[str, bool]:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text: str = textpage.get_text_range()
        finally:
            textpage.close()
        return text, len(text.strip()) < 20 and _has_image(page)
    finally:
        page.close()


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _to_word(raw: dict[str, object]) -> Word:
    return Word(text=str(raw["text"]), x0=float(raw["x0"]), x1=float(raw["x1"]),  # type: ignore[arg-type]
                top=float(raw["top"]), bottom=float(raw["bottom"]),  # type: ignore[arg-type]
                size=round(float(raw.get("size", 10.0)), 2))  # type: ignore[arg-type]


def page_words(data: bytes, indices: Sequence[int], printed: Sequence[str | None], texts: Sequence[str] = ()
               ) -> tuple[list[PageWords], list[str]]:
    """Words with positions and font size for the 1-based pages in `indices`, each page closed after use; and
    a warning for each page read with damage or skipped because it cannot be parsed. With PDFium's `texts`
    of the pages (all of them, by index), a page where pdfminer reads far less text than PDFium is named too:
    pdfminer reads a stream that fails to inflate as empty, without a word."""
    if not indices:
        return [], []
    labels = dict(zip(indices, printed, strict=True))
    expected = {page: _letters(texts[page - 1]) for page in indices if page <= len(texts)}
    pages: list[PageWords] = []
    warnings: list[str] = []
    try:
        # not closed with `with`: PDF.close() builds every page of the document (and fails on a damaged one);
        # the stream is our own BytesIO, so there is nothing to release but memory
        pdf = pdfplumber.open(io.BytesIO(data))
        for number, raw in _wanted_pages(pdf, set(indices)):
            read, warning = _read_damaged_page(pdf, raw, number, labels[number], expected.get(number, 0))
            pages += [read] if read is not None else []
            warnings += [warning] if warning else []
    except PDFPasswordIncorrect:
        raise _encrypted() from None
    except RecursionError:
        raise InputError("The PDF's objects are nested too deeply to read (a loop or a damaged file).",
                         "Download the filing again, or pass --pages to skip the damaged pages.") from None
    except Exception as error:  # pdfminer raises anything from a damaged file: stop its types at the adapter
        raise InputError(f"The PDF's page content cannot be parsed ({type(error).__name__}).",
                         "The file may be damaged; download it again, or pass --pages to skip the damaged "
                         "pages.") from None
    return pages, warnings


def _wanted_pages(pdf: PDF, wanted: set[int]) -> Iterator[tuple[int, PDFPage]]:
    """pdfminer's pages with the wanted numbers, in order, reading the page tree no further than the last."""
    last = max(wanted)
    for number, raw in enumerate(PDFPage.create_pages(pdf.doc), 1):
        if number in wanted:
            yield number, raw
        if number >= last:
            return


def _read_damaged_page(pdf: PDF, raw: PDFPage, number: int, printed: str | None, expected: int = 0
                       ) -> tuple[PageWords | None, str]:
    """The page's words, or None; and a warning naming the page when pdfminer reported damage, read less than
    half the text PDFium read (`expected` letters), or failed."""
    with _pdfminer_warnings() as messages:
        try:
            if "MediaBox" not in raw.attrs:  # pdfminer warns and defaults to US Letter; pdfplumber would fail
                raw.attrs["MediaBox"] = raw.mediabox
            read = _read_page(Page(pdf, raw, page_number=number), printed)
        except Exception as error:  # one damaged page: skip it, read the others
            return None, f"page {number} cannot be parsed ({type(error).__name__}) and was skipped: figures on it " \
                         "are missing"
    damage = [m for m in messages if any(word in m.lower() for word in _DAMAGE)]
    if damage:
        return read, f"page {number} is damaged ({' '.join(damage[0].split())[:100]}): figures on it may be missing"
    found = sum(_letters(word.text) for word in read.words)
    if expected >= _MIN_LETTERS and found < expected // 2:
        return read, (f"page {number} is damaged (its content was read only in part: {found:,} of {expected:,} "
                      "characters): figures on it may be missing")
    return read, ""


def _letters(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


class _Collect(logging.Handler):
    """pdfminer's warnings from this thread (another thread may be reading another file)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


@contextmanager
def _pdfminer_warnings() -> Iterator[list[str]]:
    logger, collect = logging.getLogger("pdfminer"), _Collect()
    logger.addHandler(collect)
    try:
        yield collect.messages
    finally:
        logger.removeHandler(collect)


def _read_page(page: Page, printed: str | None) -> PageWords:
    try:
        raw = page.extract_words(extra_attrs=["size"], keep_blank_chars=False, use_text_flow=False)
        words = tuple(_words(raw))
        return PageWords(index=page.page_number, width=float(page.width), height=float(page.height),
                         words=words, printed_page=printed)
    finally:
        page.close()


def _words(raw: Iterable[dict[str, object]]) -> Iterable[Word]:
    for item in raw:
        if str(item["text"]).strip():
            yield _to_word(item)
