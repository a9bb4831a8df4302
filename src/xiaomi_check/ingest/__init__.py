"""Adapters from bytes to a `Document`: the only modules that know pdfplumber, pypdfium2 or lxml.

Limits (docs/limits.md): a file may be at most `max_bytes` (default 256 MiB); an HTML file at most an eighth
of that (a parsed HTML tree takes about twenty times the file's size in memory); no compressed PDF stream
may expand past `max_bytes` (a decompression bomb is refused before any PDF library inflates it).
"""

from __future__ import annotations

from pathlib import Path

from xiaomi_check.errors import InputError
from xiaomi_check.ingest.streams import oversized_stream

MAX_BYTES = 256 * 1024 * 1024
HTML_SHARE = 8  # an HTML file may be at most max_bytes / HTML_SHARE
_RAISE = "If the file is genuine, raise the limit with --max-bytes (for example --max-bytes {})."


def read_input(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, read once; a clear error for a missing, unreadable, empty or oversized file,
    an oversized HTML file and a PDF with a decompression bomb."""
    data = _read(path, max_bytes)
    if not data.strip():
        raise InputError(f"{path.name} is empty.", "Download the filing again.")
    kind = _kind(data)
    if kind == "html" and len(data) > max_bytes // HTML_SHARE:
        raise InputError(f"{path.name} is {len(data):,} bytes of HTML, over the {max_bytes // HTML_SHARE:,}-byte "
                         f"limit for HTML (an eighth of --max-bytes: parsed HTML takes ~20× its size in memory).",
                         _RAISE.format(len(data) * HTML_SHARE))
    if kind == "pdf":
        bomb = oversized_stream(data, max_bytes)
        if bomb is not None:
            raise InputError(f"{path.name} holds a compressed stream (object {bomb[0]}) that expands past "
                             f"{max_bytes:,} bytes: a decompression bomb, or a page too large to read safely.",
                             _RAISE.format(max_bytes * 4))
    return data


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        if path.is_dir():
            raise InputError(f"{path} is a directory, not a filing.", "Name a PDF or HTML file.")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{path.name} is {size:,} bytes, over the {max_bytes:,}-byte limit.",
                             _RAISE.format(size))
        with path.open("rb") as stream:  # a device or pipe reports size 0: read no more than the limit
            data = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.", "Check the path.") from None
    except PermissionError:
        raise InputError(f"{path} cannot be read (permission denied).", "Check its permissions.") from None
    except OSError as error:
        raise InputError(f"{path} cannot be read ({error.strerror or error}).", "Check the path.") from None
    if len(data) > max_bytes:
        raise InputError(f"{path.name} is over the {max_bytes:,}-byte limit.", _RAISE.format(max_bytes * 4))
    return data


def _kind(data: bytes) -> str | None:
    try:
        return sniff_kind(data)
    except InputError:
        return None


def sniff_kind(data: bytes) -> str:
    """'pdf' or 'html' from the bytes themselves, never from the file name."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    text = head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n").lower()
    if text.startswith(("<!doctype html", "<html", "<?xml")) or any(
        tag in text for tag in ("<html", "<table", "<body", "<head", "<div", "<p>")
    ):
        return "html"
    raise InputError("The file is neither a PDF nor an HTML document.",
                     "xiaomi-check reads PDF and HTML filings; convert other formats first.")
