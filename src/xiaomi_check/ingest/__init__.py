"""Adapters from bytes to a `Document`: the only modules that know pypdfium2, pdfminer or lxml.

Limits (docs/limits.md): a file may be at most `max_bytes` (default 256 MiB); an HTML file at most an eighth
of that (a parsed HTML tree takes about twenty times the file's size in memory); no compressed PDF stream
may expand past `max_bytes`, and no page's content past a sixty-fourth of it (a decompression bomb is refused
before any PDF library inflates it).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from xiaomi_check.errors import InputError
from xiaomi_check.ingest.encoding import bom_encoding
from xiaomi_check.ingest.streams import survey

MAX_BYTES = 256 * 1024 * 1024
HTML_SHARE = 8  # an HTML file may be at most max_bytes / HTML_SHARE
CONTENT_SHARE = 64  # one page's content may expand to at most max_bytes / CONTENT_SHARE (4 MiB by default)
MAX_PAGE_CHARS = 40_000  # text of one PDF page parsed into words (the densest real page holds about 10,000)
MAX_WORD_CHARS = 1_000_000  # text parsed into words over all the pages opened (a 600-page prospectus: ~500,000)
MAX_SCAN_CHARS = 25_000_000  # text PDFium extracts over all pages (5,000 pages of 5,000); later pages not read
MAX_PAGE_TEXT = 100_000  # text of one page kept for the prose readers (company, facts, answers)
MAX_HTML_TEXT = 1_000_000  # text of an HTML page kept for the prose readers (a 10-K holds 300,000 to 1,500,000)
_RAISE = "If the file is genuine, raise the limit with --max-bytes (for example --max-bytes {})."


def read_input(path: Path, max_bytes: int = MAX_BYTES) -> tuple[bytes, dict[int, str]]:
    """The file's bytes, read once, and the PDF's page-content streams that do not decompress (object number →
    reason); a clear error for a missing, unreadable, empty or oversized file, an oversized HTML file and a PDF
    with a decompression bomb."""
    data = read_file(path, max_bytes)
    if not data.strip():
        raise InputError(f"{path.name} is empty.", "Download the filing again.")
    kind = _kind(data)
    if kind == "html" and len(data) > max_bytes // HTML_SHARE:
        raise InputError(f"{path.name} is {len(data):,} bytes of HTML, over the {max_bytes // HTML_SHARE:,}-byte "
                         f"limit for HTML (an eighth of --max-bytes: parsed HTML takes ~20× its size in memory).",
                         _RAISE.format(len(data) * HTML_SHARE))
    return data, _refuse_bombs(path, data, max_bytes) if kind == "pdf" else {}


def _refuse_bombs(path: Path, data: bytes, max_bytes: int) -> dict[int, str]:
    measured = survey(data, max_bytes, max_bytes // CONTENT_SHARE)
    found = measured.oversized
    if found is None:
        return measured.damaged
    if found.content:
        raise InputError(f"{path.name} holds page content ({found.label}) that expands past {found.limit:,} bytes "
                         "(a decompression bomb, or a page too heavy to read safely; real pages hold under 1 MB).",
                         _RAISE.format(max_bytes * 4))
    raise InputError(f"{path.name} holds a compressed stream ({found.label}) that expands past {found.limit:,} "
                     "bytes: a decompression bomb, or a page too large to read safely.", _RAISE.format(max_bytes * 4))


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """At most `max_bytes` of a regular file. A FIFO, a device (/dev/zero), a socket or a directory is refused
    before a byte is read: it is opened without blocking (a FIFO with no writer would hang) and checked."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.", _DASH_HINT if str(path).startswith("-") else "Check the path."
                         ) from None
    except PermissionError:
        raise InputError(f"{path} cannot be read (permission denied).", "Check its permissions.") from None
    except OSError as error:
        raise InputError(f"{path} cannot be read ({error.strerror or error}).", "Check the path.") from None
    try:
        _check_regular(path, os.fstat(handle), max_bytes)
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(max_bytes + 1)
    except OSError as error:
        raise InputError(f"{path} cannot be read ({error.strerror or error}).", "Check the file.") from None
    finally:
        os.close(handle)
    if len(data) > max_bytes:  # it grew while being read
        raise InputError(f"{path.name} is over the {max_bytes:,}-byte limit.", _RAISE.format(max_bytes * 4))
    return data


def _check_regular(path: Path, info: os.stat_result, max_bytes: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path} is a directory, not a filing.", "Name a PDF or HTML file.")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path} is {_file_kind(info.st_mode)}, not a regular file.",
                         "Save the filing to a file and name that file.")
    if info.st_size > max_bytes:
        raise InputError(f"{path.name} is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit.",
                         _RAISE.format(info.st_size))


_DASH_HINT = "Check the path; a name that starts with '-' goes after '--' (xiaomi-check -- -name.pdf)."


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def _kind(data: bytes) -> str | None:
    try:
        return sniff_kind(data)
    except InputError:
        return None


_NOT_A_FILING = "xiaomi-check reads PDF and HTML filings; convert other formats first."
_SIGNATURES = ((b"PK\x03\x04", "a ZIP archive (or a Word or Excel file)"), (b"\x89PNG", "a PNG image"),
               (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"), (b"II*\x00", "a TIFF image"),
               (b"MM\x00*", "a TIFF image"), (b"\xd0\xcf\x11\xe0", "an old Word or Excel file"),
               (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
               (b"%!PS", "a PostScript file"), (b"{\\rtf", "an RTF document"), (b"\x7fELF", "a program"))
_HTML_MARKERS = ("<html", "<table", "<body", "<head", "<div", "<p>", "<p ", "<meta", "<title", "<tr", "<font",
                 "<span")
_SNIFF_WINDOW = 4096


def sniff_kind(data: bytes) -> str:
    """'pdf' or 'html' from the first bytes themselves, never from the file name. A PDF starts with `%PDF-`
    (PDF readers accept a little junk before it, so the header may sit anywhere in the first 1,024 bytes of
    a file that is not HTML); HTML is recognised by its tags in the first 4 KB, in any encoding."""
    head = data[:_SNIFF_WINDOW]
    if head.lstrip(b" \t\r\n\x00\x0c").startswith(b"%PDF-"):
        return "pdf"
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise InputError(f"The file is {what}, not a PDF or an HTML document.", _NOT_A_FILING)
    text = _head_text(head)
    if text is not None:
        text = text.lstrip("\ufeff \t\r\n").lower()
        if text.startswith(("<!doctype html", "<?xml")) or any(tag in text for tag in _HTML_MARKERS):
            return "html"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    raise InputError("The file is neither a PDF nor an HTML document.", _NOT_A_FILING)


def _head_text(head: bytes) -> str | None:
    """The first bytes as text: UTF-16/32 by byte-order mark or by the zero bytes beside ASCII; None for
    binary data (zero bytes in what should be an ASCII-compatible encoding)."""
    encoding = bom_encoding(head)
    if encoding is None and b"\x00" in head:
        encoding = "utf-16-le" if b"<\x00" in head else "utf-16-be" if b"\x00<" in head else None
        if encoding is None:
            return None
    return head.decode(encoding or "utf-8", "ignore")
