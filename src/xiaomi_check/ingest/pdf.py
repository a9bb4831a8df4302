"""PDF adapter: pypdfium2 for every page's text (fast), pdfplumber for the words of chosen pages only."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.psparser import PSException

from xiaomi_check.errors import InputError
from xiaomi_check.models import PageWords, Word

_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == _PASSWORD_ERROR:
            raise InputError("The PDF is encrypted with a password.",
                             "Save an unencrypted copy (for example with qpdf --decrypt) and try again.") from None
        raise InputError(f"The PDF is damaged or truncated ({error}).",
                         "Download the filing again; a complete PDF ends with the %EOF marker.") from None


def page_texts(data: bytes, max_pages: int) -> tuple[list[str], int, list[int]]:
    """Text of every page (up to `max_pages`) with PDFium, the page count, and the image-only pages."""
    document = _open(data)
    try:
        count = len(document)
        texts: list[str] = []
        scanned: list[int] = []
        for index in range(min(count, max_pages)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            if len(texts[-1].strip()) < 20 and _has_image(page):
                scanned.append(index + 1)
            page.close()
        return texts, count, scanned
    finally:
        document.close()


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
        raise InputError("The PDF is encrypted with a password.",
                         "Save an unencrypted copy (for example with qpdf --decrypt) and try again.") from None
    except (PSException, ValueError, KeyError, TypeError) as error:
        raise InputError(f"The PDF's page content cannot be parsed ({type(error).__name__}).",
                         "The file may be damaged; download it again.") from None


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
