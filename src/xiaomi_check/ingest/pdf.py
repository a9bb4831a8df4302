"""PDF adapter: PDFium (pypdfium2) for every page's text and for the words of the chosen pages.

The file is opened once (`PdfFile`). Words come from PDFium's text page: each character's box (from its font's
ascent to its descent: a little taller than pdfminer's one-em box, the same left and right) and font size,
grouped into words by pdfplumber's rule (see `_words`). pdfminer, which interprets every character of a page
in Python (10 to 40 times slower), is kept only to name the page of a damaged content stream.

PDFium is not thread-safe: every use of it holds one process-wide lock, so threads (a thread pool, a Dask
worker's threads) take turns instead of crashing the process. A page whose content stream does not decompress,
or that PDFium cannot load, is named in the report's warnings.
"""

from __future__ import annotations

import ctypes
import heapq
import io
import logging
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from numpy.typing import NDArray

from xiaomi_check.errors import InputError
from xiaomi_check.ingest import MAX_PAGE_CHARS, MAX_SCAN_CHARS
from xiaomi_check.models import UNMAPPED, PageWords, Word

if TYPE_CHECKING:
    from _ctypes import CFuncPtr

    from pdfminer.pdftypes import PDFObjRef

_DAMAGED_HINT = "Download the filing again; a complete PDF ends with the %%EOF marker."
KEEP_PAGES = 16  # pages kept loaded from the scan for their words: the best-ranked (PDFium: 0.4 to 1.5 MB each)
KEEP_CHARS = 100_000  # and their text at most
PDFIUM_LOCK = threading.RLock()
logging.getLogger("pdfminer").addHandler(logging.NullHandler())  # no stderr output unless logging is set up


@dataclass(slots=True)
class PageTexts:
    texts: list[str]
    count: int  # pages in the document (texts holds at most max_pages of them)
    scanned: list[int] = field(default_factory=list)  # 1-based pages with no text layer
    damaged: list[int] = field(default_factory=list)  # 1-based pages PDFium could not load
    stopped_at: int = 0  # pages read before the text budget ran out (0: it did not)
    ranks: list[float] = field(default_factory=list)  # each page's rank, when the scan was given a ranking


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


_Loaded = tuple[pdfium.PdfPage, pdfium.PdfTextPage]


class PdfFile:
    """A PDF opened once with PDFium, every use under its lock: the text of every page, then the words of the
    pages asked for (the pages most likely asked for are loaded once for both). Close it (or use it in `with`)."""

    def __init__(self, data: bytes) -> None:
        with PDFIUM_LOCK:
            self._document = _open(data)
        self._loaded: dict[int, _Loaded] = {}  # 1-based page → the page and text page the scan loaded

    def __enter__(self) -> PdfFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        with PDFIUM_LOCK:
            for loaded in self._loaded.values():
                _close(loaded)
            self._loaded.clear()
            self._document.close()

    def texts(self, max_pages: int, rank: Callable[[str], float] | None = None) -> PageTexts:
        """Text of every page (up to `max_pages`), the page count, the image-only pages and the pages that could
        not be loaded (skipped, with empty text). With `rank`, each page's rank too; the best-ranked pages stay
        loaded (see `_Kept`), so that `words` need not load again the pages most likely asked for."""
        with PDFIUM_LOCK:
            return _scan(self._document, max_pages, rank, _Kept(self._loaded) if rank is not None else None)

    def words(self, indices: Sequence[int], printed: Sequence[str | None]) -> tuple[list[PageWords], dict[int, str]]:
        """Words with positions and font size for the 1-based pages in `indices`, from PDFium's text page (each
        page closed after use); and a warning for each page that cannot be loaded (skipped), by page."""
        pages: list[PageWords] = []
        warnings: dict[int, str] = {}
        with PDFIUM_LOCK:
            for number, label in zip(indices, printed, strict=True):
                try:
                    pages.append(_read_page(self._document, number, label, self._loaded.pop(number, None)))
                except (pdfium.PdfiumError, OSError, ValueError) as error:
                    warnings[number] = (f"page {number} cannot be parsed ({type(error).__name__}) and was skipped: "
                                        "figures on it are missing")
        return pages, warnings


@dataclass(slots=True)
class _Kept:
    """The pages a scan keeps loaded for their words, by 1-based page: the best-ranked, up to `KEEP_PAGES`
    pages and `KEEP_CHARS` of text. A page ranked 0 (never asked for) or too large to be read for tables is not
    kept."""

    pages: dict[int, _Loaded]
    worst: list[tuple[float, int, int]] = field(default_factory=list)  # a heap of (rank, -page, characters)
    chars: int = 0

    def offer(self, number: int, loaded: _Loaded, rank: float, chars: int) -> None:
        """Keep the page, closing the worst-ranked kept pages past the budget (this one, if it ranks lowest)."""
        if rank <= 0 or chars > MAX_PAGE_CHARS:
            _close(loaded)
            return
        self.pages[number] = loaded
        heapq.heappush(self.worst, (rank, -number, chars))
        self.chars += chars
        while self.chars > KEEP_CHARS or len(self.pages) > KEEP_PAGES:
            _, page, size = heapq.heappop(self.worst)
            _close(self.pages.pop(-page))
            self.chars -= size


def _scan(document: pdfium.PdfDocument, max_pages: int, rank: Callable[[str], float] | None = None,
          kept: _Kept | None = None) -> PageTexts:
    count = len(document)
    result = PageTexts(texts=[], count=count)
    total = 0
    for index in range(min(count, max_pages)):
        if total > MAX_SCAN_CHARS:  # PDFium's time grows with the text: stop, and say where
            result.stopped_at = index
            break
        loaded: _Loaded | None = None
        try:
            loaded, text, image_only = _page_text(document, index)
        except (pdfium.PdfiumError, OSError, ValueError):
            text, image_only = "", False
            result.damaged.append(index + 1)
        result.texts.append(text)
        if rank is not None:
            result.ranks.append(rank(text))
        if loaded is not None and kept is not None:
            kept.offer(index + 1, loaded, result.ranks[-1], len(text))
        elif loaded is not None:
            _close(loaded)
        total += len(text)
        if image_only:
            result.scanned.append(index + 1)
    if result.damaged and len(result.damaged) == len(result.texts):
        raise InputError(f"No page of the PDF can be read (page 1 of {count}: PDFium cannot load it).",
                         "The file may be damaged; download it again.")
    return result


def _page_text(document: pdfium.PdfDocument, index: int) -> tuple[_Loaded, str, bool]:
    """The page loaded (for the caller to close or keep), its text, and whether it is an image with no text."""
    page, textpage = loaded = _load(document, index + 1)
    try:
        text: str = textpage.get_text_range()
        return loaded, text, len(text.strip()) < 20 and _has_image(page)
    except BaseException:
        _close(loaded)
        raise


def _load(document: pdfium.PdfDocument, number: int) -> _Loaded:
    page = document[number - 1]
    try:
        return page, page.get_textpage()
    except BaseException:
        page.close()
        raise


def _close(loaded: _Loaded) -> None:
    loaded[1].close()
    loaded[0].close()


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _read_page(document: pdfium.PdfDocument, number: int, printed: str | None, loaded: _Loaded | None = None
               ) -> PageWords:
    """The page's words, from the page as the scan loaded it (or loaded now); the page is closed after."""
    page, textpage = loaded = loaded or _load(document, number)
    try:
        return PageWords(index=number, width=float(page.get_width()), height=float(page.get_height()),
                         words=tuple(_words(textpage, _display(page))), printed_page=printed)
    finally:
        _close(loaded)


Edges = NDArray[np.float64]  # one edge of every character's box
Turn = Callable[[Edges, Edges, Edges, Edges], tuple[Edges, Edges, Edges, Edges]]


def _display(page: pdfium.PdfPage) -> Turn:
    """PDFium's boxes (user space: left, bottom, right, top) turned as the page is displayed (its /Rotate),
    measured from its top left (x0, x1, top, bottom): the coordinates pdfminer and pdfplumber give."""
    x0, y0, x1, y1 = page.get_mediabox()
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return lambda left, bottom, right, top: (bottom - y0, top - y0, left - x0, right - x0)
    if rotation == 180:
        return lambda left, bottom, right, top: (x1 - right, x1 - left, bottom - y0, top - y0)
    if rotation == 270:
        return lambda left, bottom, right, top: (y1 - top, y1 - bottom, x1 - right, x1 - left)
    return lambda left, bottom, right, top: (left - x0, right - x0, y1 - top, y1 - bottom)


_HYPHENS = {"\x02": "-", "\ufffe": "-"}  # PDFium's mark for a hyphen that ends a line (the hyphen's own box)
_BLANK = np.array([char.isspace() or char == "\x00" for char in map(chr, range(0x3002))])  # U+3000 the last space
_X_TOLERANCE = 3.0  # pdfplumber's defaults: a gap wider than this, or a line this far off, starts a new word
_Y_TOLERANCE = 3.0


def _unchecked(function: CFuncPtr) -> CFuncPtr:
    """The same PDFium function without ctypes' check of each argument against its declared types (a
    microsecond a call, twice for every character of a page): for the per-character calls, whose arguments
    are always the text page, an index and a struct."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    if not address:  # pragma: no cover - a function of a loaded library has an address
        return function
    bare = type(function)(address)
    bare.restype = function.restype
    return bare


_CHAR_BOX = _unchecked(pdfium_c.FPDFText_GetLooseCharBox)
_RECT_BYTES = ctypes.sizeof(pdfium_c.FS_RECTF)
_FONT_SIZE = _unchecked(pdfium_c.FPDFText_GetFontSize)
_MATRIX = _unchecked(pdfium_c.FPDFText_GetMatrix)


def _words(textpage: pdfium.PdfTextPage, turn: Turn) -> list[Word]:
    """A word is a run of characters in PDFium's reading order with no space between them (the PDF's own or
    one PDFium generated for a gap), split where the next character starts left of the previous one, more
    than 3 pt past its end, on another line, or in another font size: pdfplumber's rule with its defaults.

    PDFium is asked each character's box (a C call a character, the least it allows) and, since a character
    whose box (its font's ascent to descent) is as tall as the one before it is in the same size, the font
    size only of each word's first character and where the height changes; the grouping is done on whole
    arrays (numpy), not character by character in Python."""
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    text = textpage.get_text_range()
    if len(text) != count:  # a character outside the BMP: one index per unit lost
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    kept = np.flatnonzero(~_BLANK[np.minimum(codes, _BLANK.size - 1)])  # not a space, not PDFium's "\x00"
    if not kept.size:
        return []
    at = kept.tolist()
    rects = (pdfium_c.FS_RECTF * count)()
    box, size_of, byref = _CHAR_BOX, _FONT_SIZE, ctypes.byref
    for index in at:
        box(raw, index, byref(rects, _RECT_BYTES * index))
    raw_edges = np.frombuffer(rects, dtype=np.float32).reshape(count, 4)[kept]
    left, top, right, bottom = raw_edges.astype(np.float64).T
    x0, x1, y0, y1 = turn(left, bottom, right, top)
    split = np.concatenate(([True], (kept[1:] != kept[:-1] + 1) | (x0[1:] < x0[:-1])
                            | (x0[1:] > x1[:-1] + _X_TOLERANCE) | (np.abs(y0[1:] - y0[:-1]) > _Y_TOLERANCE)))
    height = raw_edges[:, 1] - raw_edges[:, 3]
    taller = np.flatnonzero(~split[1:] & (height[1:] != height[:-1])) + 1
    sizes = np.zeros(kept.size)
    asked = split.copy()
    asked[taller] = asked[taller - 1] = True
    for position in np.flatnonzero(asked).tolist():
        sizes[position] = size_of(raw, at[position])
    split[taller[sizes[taller] != sizes[taller - 1]]] = True
    starts = np.flatnonzero(split)
    if "\x02" in text or "\ufffe" in text:
        text = _hyphens(text, rects)
    ends = [*(at[e - 1] + 1 for e in starts[1:].tolist()), at[-1] + 1]
    firsts = [at[s] for s in starts.tolist()]
    matrix, scales = pdfium_c.FS_MATRIX(), []
    for first in firsts:
        _MATRIX(raw, first, byref(matrix))
        scales.append(math.hypot(matrix.c, matrix.d))
    sides = (np.minimum.reduceat(x0, starts), np.maximum.reduceat(x1, starts), np.minimum.reduceat(y0, starts),
             np.maximum.reduceat(y1, starts))
    return list(map(Word, [text[first:end] for first, end in zip(firsts, ends, strict=True)],
                    *(np.round(side, 3).tolist() for side in sides), np.round(sizes[starts] * scales, 2).tolist()))


def _hyphens(text: str, rects: ctypes.Array[Any]) -> str:
    """PDFium's hyphen marks read: the hyphen that ends a line ("Quarter-" over "on-quarter change"), or, for
    the mark PDFium also gives a glyph it maps to no character, that glyph when a letter follows on the same
    line ("Gross pro?t")."""
    chars = list(text)
    for index, char in enumerate(chars):
        if char in _HYPHENS:
            inside = (char == "\ufffe" and text[index + 1 : index + 2].isalpha()
                      and abs(rects[index].top - rects[index + 1].top) <= _Y_TOLERANCE)
            chars[index] = UNMAPPED if inside else _HYPHENS[char]
    return "".join(chars)


def damaged_pages(data: bytes, damaged: Mapping[int, str], last: int) -> list[str]:
    """A warning for each of the first `last` pages that draws a content stream in `damaged` (object number →
    the reason it does not decompress). pdfminer reads the page tree (not the pages' content) to tell which
    page names which stream: PDFium does not say."""
    if not damaged:
        return []
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    warnings: list[str] = []
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        for number, page in enumerate(PDFPage.create_pages(document), 1):
            if number > last:
                break
            found = [damaged[ref.objid] for ref in _references(page.attrs.get("Contents")) if ref.objid in damaged]
            if found:
                warnings.append(f"page {number} is damaged (its content does not decompress: {found[0]}): figures "
                                "on it may be missing")
    except Exception:  # pdfminer raises anything from a damaged file; PDFium read it regardless
        shown = ", ".join(str(n) for n in sorted(damaged)[:5])
        warnings.append(f"the content of some pages is damaged (object(s) {shown} do not decompress): figures on "
                        "them may be missing")
    return warnings


def _references(contents: object) -> list[PDFObjRef]:
    from pdfminer.pdftypes import PDFObjRef

    if isinstance(contents, PDFObjRef):
        return [contents]
    return [item for item in contents if isinstance(item, PDFObjRef)] if isinstance(contents, list) else []
