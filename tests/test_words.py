"""PDFium's words (ingest/pdf.py) against pdfplumber's, the reference the table reader was built on.

The words come from PDFium's text page and are grouped by pdfplumber's rule (a gap over 3 pt, another line or
another font size starts a word), so on every page of the fixture filings and of the real-filing excerpts the
two agree word for word, position for position (within half a point: PDFium's and pdfminer's font metrics round
differently), except for the few words each measures across a gap differently, named here.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from conftest import FIXTURES, REAL_FILINGS
from xiaomi_check.ingest.pdf import PdfFile

FILES = [FIXTURES / "results_q3_2024.pdf", FIXTURES / "results_fy2018_zh_hant.pdf",
         *sorted(REAL_FILINGS.glob("*.pdf"))]
TOLERANCE = 1.0  # points: PDFium's and pdfminer's font metrics round differently
MIN_AGREEMENT = 0.98  # of each side's words, found on the other side
Box = tuple[str, float, float, float, float]  # text, x0, x1, top, bottom


def _pdfium_words(data: bytes, page: int) -> list[Box]:
    with PdfFile(data) as pdf:
        pages, unread = pdf.words([page], [None])
    assert unread == {}
    return [(w.text, w.x0, w.x1, w.top, w.bottom) for w in pages[0].words]


def _plumber_words(pdf: pdfplumber.PDF, page: int) -> list[Box]:
    return [(w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
            for w in pdf.pages[page - 1].extract_words(extra_attrs=["size"])]


def _found(word: Box, others: list[Box]) -> bool:
    """The word is on the other side: the same word, or the start or the end of a longer one, or made of shorter
    ones. A space drawn under the next glyph ('(9.3) %' kerned into '(9.3)%') is kept by pdfminer, dropped by
    PDFium; a footnote mark in a smaller size ('change¹') is split off by one and not the other. On the same line
    means overlapping by half the height: PDFium's boxes span the font's ascent and descent, pdfminer's one em."""
    text, x0, x1, top, bottom = word
    line = [o for o in others if min(o[4], bottom) - max(o[3], top) > 0.5 * min(o[4] - o[3], bottom - top)]
    return any(o[0] == text and abs(o[1] - x0) <= TOLERANCE for o in line) \
        or any(o[0].startswith(text) and abs(o[1] - x0) <= TOLERANCE for o in line) \
        or any(o[0].endswith(text) and abs(o[2] - x1) <= TOLERANCE for o in line) \
        or any(text.startswith(o[0]) and abs(o[1] - x0) <= TOLERANCE for o in line)


def _agreement(mine: list[Box], reference: list[Box]) -> float:
    """The smaller of the shares of each side's words found on the other."""
    shares = [sum(_found(w, b) for w in a) / max(1, len(a)) for a, b in ((mine, reference), (reference, mine))]
    return min(shares)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_pdfium_words_are_pdfplumbers(path: Path) -> None:
    data = path.read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        numbers = range(1, min(len(pdf.pages), 4) + 1)
        shares = {n: _agreement(_pdfium_words(data, n), _plumber_words(pdf, n)) for n in numbers}
    assert {n: s for n, s in shares.items() if s < MIN_AGREEMENT} == {}


ROWS = [("Revenue", "92,506.5"), ("Cost of sales", "(73,626.2)"), ("Gross profit", "18,880.3")]


def _rotated_page(rotation: int) -> bytes:
    """A landscape table as such pages are made: /Rotate on the page, the text drawn turned the other way, so
    that it reads left to right on screen."""
    width, height = A4
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("Helvetica", 10)

    def user(x: float, top: float) -> tuple[float, float]:  # a point as displayed → the page's own space
        return {0: (x, height - top), 90: (top, x), 180: (width - x, top), 270: (width - top, height - x)}[rotation]

    for row, (label, value) in enumerate(ROWS):
        for x, text, right in ((72, label, False), (400, value, True)):
            page.saveState()
            page.translate(*user(x, 100 + 14 * row))
            page.rotate(rotation)
            (page.drawRightString if right else page.drawString)(0, 0, text)
            page.restoreState()
    page.showPage()
    page.save()
    document = pdfium.PdfDocument(out.getvalue())
    document[0].set_rotation(rotation)
    saved = io.BytesIO()
    document.save(saved)
    return saved.getvalue()


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_rotated_page_gives_the_words_as_displayed(rotation: int) -> None:
    """A page with /Rotate: the words where pdfminer puts them (turned as the page is shown), in three lines,
    label left of amount."""
    data = _rotated_page(rotation)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        reference = _plumber_words(pdf, 1)
    mine = _pdfium_words(data, 1)
    lines = sorted({round(w[3]) for w in mine})  # one top per line: the same font and size throughout
    assert len(lines) == 3
    assert [" ".join(w[0] for w in sorted(mine, key=lambda w: w[1]) if round(w[3]) == line) for line in lines] \
        == [f"{label} {value}" for label, value in ROWS]
    assert _agreement(mine, reference) == 1.0


def test_a_hyphen_that_ends_a_line_is_kept() -> None:
    """PDFium marks a hyphen at a line's end with its own code; the word keeps its hyphen ('Year-on-')."""
    data = (FIXTURES / "results_q3_2024.pdf").read_bytes()
    with PdfFile(data) as pdf:
        texts = {w.text for page in pdf.words([1, 2, 3, 4, 5], [None] * 5)[0] for w in page.words}
    assert {"Year-over-", "Non-"} & texts
    assert not any("\x02" in t or "\ufffe" in t for t in texts)
