"""`analyse(path, options) -> Report`: the one orchestrator, read top to bottom like the architecture."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from xiaomi_check.checks import review_list, run_checks
from xiaomi_check.errors import ExtractionError, InputError, ScannedDocumentError
from xiaomi_check.financials import Financials, headline_period
from xiaomi_check.ingest import (
    MAX_BYTES,
    MAX_PAGE_CHARS,
    MAX_PAGE_TEXT,
    MAX_SCAN_CHARS,
    MAX_WORD_CHARS,
    read_input,
    sniff_kind,
)
from xiaomi_check.locate import MAX_PAGES as MAX_PAGES_OPENED
from xiaomi_check.locate import choose_pages, printed_page_number, score_page, score_pages
from xiaomi_check.metrics import UserInputs, compute_metrics
from xiaomi_check.models import Document, Figure, Grid, PageWords, Report, TableChoice
from xiaomi_check.profile import load_profile
from xiaomi_check.prose import document_facts, text_figures
from xiaomi_check.questions import answer_questions
from xiaomi_check.readings import choose_readings
from xiaomi_check.statements import dominant_unit, flag_contradictions, grids_to_figures
from xiaomi_check.tables import pages_to_grids
from xiaomi_check.verify import verify

if TYPE_CHECKING:
    from xiaomi_check.ingest.pdf import PdfFile

MAX_PAGES = 5_000


@dataclass(frozen=True, slots=True)
class Options:
    pages: tuple[int, ...] | None = None
    max_pages: int = MAX_PAGES
    max_bytes: int = MAX_BYTES
    profile: Path | None = None
    user: UserInputs = field(default_factory=UserInputs)


FIRST_PAGES = 16  # best-scoring pages opened first; on the 39 real filings the income statement ranks 14th at worst


def analyse(path: Path | str, options: Options = Options()) -> Report:
    """The report of one filing (a `Path` or a path as `str`)."""
    path = Path(path)
    with _few_collections(), open_filing(path, options) as filing:
        return report_of(filing, options)


_COLLECTING_AFTER = 50_000  # allocations between two runs of the youngest generation during an analysis (default 700)


@dataclass(slots=True)
class _Deferral:
    running: int = 0  # analyses under way (threads may run several)
    saved: tuple[int, ...] = ()  # the thresholds to restore when the last one ends
    lock: threading.Lock = field(default_factory=threading.Lock)


_DEFERRAL = _Deferral()


@contextmanager
def _few_collections() -> Iterator[None]:
    """The cyclic garbage collector run less often while a filing is analysed. An analysis makes some hundred
    thousand short-lived objects (words, cells, figures) and few cycles; at Python's default threshold the
    collector runs hundreds of times, some of them over every object of the process (40 ms each on the reference
    machine, with the package imported). Python's thresholds are restored when the last analysis ends."""
    with _DEFERRAL.lock:
        if not _DEFERRAL.running:
            _DEFERRAL.saved = gc.get_threshold()
            gc.set_threshold(max(_DEFERRAL.saved[0], _COLLECTING_AFTER), *_DEFERRAL.saved[1:])
        _DEFERRAL.running += 1
    try:
        yield
    finally:
        with _DEFERRAL.lock:
            _DEFERRAL.running -= 1
            if not _DEFERRAL.running:
                gc.set_threshold(*_DEFERRAL.saved)


def report_of(filing: Filing, options: Options = Options()) -> Report:
    """The report of an opened filing. The best-scoring pages are opened first; only when they give no income
    statement (no revenue, or no operating or net profit) are the rest of the candidate pages opened and the
    tables read again."""
    document = filing.document(FIRST_PAGES)
    found = _read(document)
    if not _has_statement(found[0]) and filing.widens(FIRST_PAGES):
        document = filing.document(MAX_PAGES_OPENED)
        found = _read(document)
    figures, choices, warnings = found
    company, kind = document_facts(document.texts)
    figures += text_figures(document.texts, headline_period({f.period for f in figures}, kind))
    if not figures:
        seen = f" Note: {'; '.join(document.warnings)}." if document.warnings else ""
        raise ExtractionError(f"No financial statement was found in {document.name} "
                              f"({document.page_count} pages, {len(choices)} tables looked at).{seen}",
                              "Run 'xiaomi-check tables FILE' to see what was found, or pass --pages.",
                              page_count=document.page_count)
    profile = load_profile(options.profile)
    financials = Financials(tuple(figures), document_kind=kind)
    metrics = compute_metrics(financials, profile, options.user)
    checks = run_checks(financials, profile)
    return Report(file=document.name, company=company, document_kind=kind, document_type=document.kind,
                  page_count=document.page_count,
                  pages_examined=tuple(p.index for p in document.pages) if document.kind == "pdf" else (),
                  figures=tuple(figures), tables=tuple(choices), metrics=tuple(metrics), checks=tuple(checks),
                  answers=tuple(answer_questions(document.texts, metrics, profile)), review=tuple(review_list(checks)),
                  warnings=(*document.warnings, *warnings))


def _read(document: Document) -> tuple[list[Figure], list[TableChoice], list[str]]:
    """The figures of the document's tables, each table's choice, and the warnings: grids read, readings chosen
    by arithmetic, contradictions flagged, identities verified."""
    grids = pages_to_grids(document.pages, document.texts)
    default_unit = dominant_unit(grids)
    grids, notes = choose_readings(grids, default_unit)
    figures, choices, warnings = grids_to_figures(grids, default_unit)
    choices = [c.model_copy(update={"reason": f"{c.reason}; {notes[c.table]}"}) if c.table in notes else c
               for c in choices]
    figures, warnings = flag_contradictions(grids, choices, figures, warnings, default_unit)
    figures, arithmetic = verify(grids, figures)
    return figures, choices, [*warnings, *arithmetic]


def _has_statement(figures: Sequence[Figure]) -> bool:
    items = {f.item for f in figures}
    return "revenue" in items and bool(items & {"operating_profit", "profit_for_period"})


def document_grids(filing: Filing) -> tuple[Document, list[Grid]]:
    """What the extractor saw (for `xiaomi-check tables`): every candidate page opened (those already opened are
    not opened again)."""
    document = filing.document(MAX_PAGES_OPENED)
    return document, pages_to_grids(document.pages, document.texts)


class Filing:
    """A filing read once: an HTML page whole; a PDF opened once, the text of every page scanned and scored,
    and its pages opened into words on demand, the best-scoring first, each page once. Close it (or use it in
    `with`)."""

    def __init__(self, document: Document, pdf: PdfFile | None = None, options: Options = Options(),
                 texts: Sequence[str] = (), scores: Sequence[float] = ()) -> None:
        self._base, self._pdf, self._options = document, pdf, options
        self._texts = texts or document.texts  # every page's whole text (the document keeps the first 100,000)
        self._scores = list(scores) or (score_pages(self._texts) if pdf is not None else [])
        self._opened: dict[int, PageWords] = {}
        self._unread: dict[int, str] = {}

    def __enter__(self) -> Filing:
        return self

    def __exit__(self, *_: object) -> None:
        if self._pdf is not None:
            self._pdf.close()

    def widens(self, limit: int) -> bool:
        """Whether a larger limit would open more pages."""
        if self._pdf is None or self._options.pages is not None:
            return False
        return len(choose_pages(self._scores, MAX_PAGES_OPENED)) > len(choose_pages(self._scores, limit))

    def document(self, limit: int) -> Document:
        """The document with the `limit` best pages opened (or the pages asked for), and the pages after them."""
        if self._pdf is None:
            return self._base
        texts = self._texts
        chosen, heavy = _pages_to_open(texts, self._options.pages, self._base.page_count,
                                       self._options.pages or choose_pages(self._scores, limit))
        new = [page for page in chosen if page not in self._opened and page not in self._unread]
        pages, unread = self._pdf.words(new, [printed_page_number(texts[i - 1]) for i in new])
        self._opened.update((page.index, page) for page in pages)
        self._unread.update(unread)
        return replace(self._base, pages=tuple(self._opened[p] for p in chosen if p in self._opened),
                       warnings=(*self._base.warnings, *heavy, *(self._unread[p] for p in chosen if p in self._unread)))


def open_filing(path: Path, options: Options = Options()) -> Filing:
    data, damaged = read_input(path, options.max_bytes)
    if sniff_kind(data) == "html":
        from xiaomi_check.ingest.html import read_html

        page = read_html(data)
        return Filing(Document(name=path.name, kind="html", page_count=1, texts=(page.text,), pages=tuple(page.pages),
                               warnings=tuple(page.warnings)))
    from xiaomi_check.ingest.pdf import PdfFile, damaged_pages

    pdf = PdfFile(data)
    try:
        scan = pdf.texts(options.max_pages, rank=score_page)  # scored as read: the best pages stay loaded
        texts, count = scan.texts, scan.count
        if count == 0:
            raise InputError(f"{path.name} has no pages.", "Download the filing again.")
        if not any(len(t.strip()) >= 20 for t in texts):
            raise ScannedDocumentError(f"{path.name} has no text layer: it is a scanned image and needs OCR.",
                                       "Run it through OCR (for example ocrmypdf) and try again.", page_count=count)
        _pages_to_open(texts, options.pages, count, options.pages or ())  # pages asked for that the file lacks: now
        warnings = (*_warnings(count, options.max_pages, scan.scanned, scan.damaged, scan.stopped_at),
                    *damaged_pages(data, damaged, len(texts)))
    except BaseException:
        pdf.close()
        raise
    document = Document(name=path.name, kind="pdf", page_count=count, texts=tuple(t[:MAX_PAGE_TEXT] for t in texts),
                        pages=(), warnings=warnings)
    return Filing(document, pdf, options, texts, scan.ranks)


def _pages_to_open(texts: Sequence[str], requested: tuple[int, ...] | None, count: int,
                   candidates: Sequence[int]) -> tuple[list[int], list[str]]:
    """The pages to parse into words (the best-scoring, or those asked for), and a warning for each page left
    out because its text is too large to parse (about 2 GB per MB of text): checked on PDFium's text first."""
    outside = [p for p in requested or () if not 1 <= p <= len(texts)]
    if outside and outside[0] <= count:
        raise InputError(f"Page {outside[0]} is past the {len(texts):,} pages read (of {count:,}).",
                         f"Raise --max-pages to {outside[0]} or more to read it.")
    if outside:
        raise InputError(f"Page {outside[0]} is outside the document (1–{len(texts)}).", "Check --pages.")
    kept, warnings, total = [], [], 0
    for page in sorted(set(candidates)):
        size = len(texts[page - 1])
        if size > MAX_PAGE_CHARS:
            warnings.append(f"page {page} holds {size:,} characters of text, over the {MAX_PAGE_CHARS:,} read "
                            "for tables: its tables were not read")
        elif total + size > MAX_WORD_CHARS:
            warnings.append(f"page {page} and the pages after it were not read for tables: the pages before it "
                            f"hold {total:,} characters, near the {MAX_WORD_CHARS:,} limit")
            break
        else:
            kept.append(page)
            total += size
    return kept, warnings


def _warnings(count: int, max_pages: int, scanned: list[int], damaged: Sequence[int] = (), stopped_at: int = 0
              ) -> tuple[str, ...]:
    warnings: list[str] = []
    if stopped_at:
        warnings.append(f"only the first {stopped_at} of {count} pages were read: they hold over "
                        f"{MAX_SCAN_CHARS:,} characters of text")
    elif count > max_pages:
        warnings.append(f"only the first {max_pages} of {count} pages were read; raise --max-pages to read all")
    for pages, what in ((scanned, "have no text layer and need OCR"),
                        (damaged, "cannot be loaded (damaged) and were skipped")):
        if pages:
            shown = ", ".join(str(p) for p in pages[:10]) + (" ..." if len(pages) > 10 else "")
            warnings.append(f"{len(pages)} page(s) {what}: {shown}")
    return tuple(warnings)
