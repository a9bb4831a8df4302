"""PDF adapter: pypdfium2 for every page's text (fast), pdfplumber for the words of chosen pages only."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFPasswordIncorrect

from xiaomi_check.errors import InputError
from xiaomi_check.models import PageWords, Word

_DAMAGED_HINT = "Download the filing again; a complete PDF ends with the %%EOF marker."


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


def page_texts(data: bytes, max_pages: int) -> tuple[list[str], int, list[int]]:
    """Text of every page (up to `max_pages`) with PDFium, the page count, and the image-only pages."""
    document = _open(data)
    texts: list[str] = []
    try:
        count = len(document)
        scanned: list[int] = []
        for index in range(min(count, max_pages)):
            text, image_only = _page_text(document, index)
            texts.append(text)
            if image_only:
                scanned.append(index + 1)
        return texts, count, scanned
    except (pdfium.PdfiumError, OSError, ValueError) as error:
        before = f", or pass --max-pages {len(texts)} to read only the pages before it" if texts else ""
        raise InputError(f"Page {len(texts) + 1} of the PDF cannot be read ({_pdfium_reason(error)}).",
                         f"The file may be damaged; download it again{before}.") from None
    finally:
        document.close()


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


def page_words(data: bytes, indices: Sequence[int], printed: Sequence[str | None]) -> list[PageWords]:
    """Words with positions and font size for the 1-based pages in `indices`, each page closed after use."""
    if not indices:
        return []
    try:
        with pdfplumber.open(io.BytesIO(data), pages=list(indices)) as pdf:
            return [_read_page(page, label) for page, label in zip(pdf.pages, printed, strict=True)]
    except PDFPasswordIncorrect:
        raise _encrypted() from None
    except RecursionError:
        raise InputError("The PDF's objects are nested too deeply to read (a loop or a damaged file).",
                         "Download the filing again, or pass --pages to skip the damaged pages.") from None
    except Exception as error:  # pdfminer raises anything from a damaged file: stop its types at the adapter
        raise InputError(f"The PDF's page content cannot be parsed ({type(error).__name__}).",
                         "The file may be damaged; download it again, or pass --pages to skip the damaged "
                         "pages.") from None


def _read_page(page: pdfplumber.page.Page, printed: str | None) -> PageWords:
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
